"""The public residents registry and each resident's public page."""

from django.urls import path  # noqa: F401

urlpatterns = []
