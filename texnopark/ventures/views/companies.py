"""Companies: the founder's page, team, milestones, mentors, products, export deals."""

from django.urls import path  # noqa: F401

urlpatterns = []
