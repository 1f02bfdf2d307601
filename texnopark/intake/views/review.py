"""Expert review: assignments, conflict declarations, blind scoring, the ranking and its export."""

from django.urls import path  # noqa: F401

urlpatterns = []
