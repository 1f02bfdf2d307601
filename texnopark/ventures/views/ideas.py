"""Ideas: submit, follow, triage."""

from django.urls import path  # noqa: F401

urlpatterns = []
