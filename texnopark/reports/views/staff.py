"""Park staff: reports to review, the overdue list, compliance decisions."""

from django.urls import path  # noqa: F401

urlpatterns = []
