"""The commission: meetings, attendance and quorum, votes, decisions, the minutes PDF."""

from django.urls import path  # noqa: F401

urlpatterns = []
