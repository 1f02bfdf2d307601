"""Calls: the public list and page, opening and editing a call, its rubric and commission."""

from django.urls import path  # noqa: F401

urlpatterns = []
