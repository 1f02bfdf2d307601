"""Applications: the founder's draft, submission and status; staff return them for fixes."""

from django.urls import path  # noqa: F401

urlpatterns = []
