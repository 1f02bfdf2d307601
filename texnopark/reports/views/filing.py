"""The resident's quarterly reports and annual audit documents."""

from django.urls import path  # noqa: F401

urlpatterns = []
