"""The park view: funnel, KPI totals and trends per quarter, overdue reports, XLSX export."""

from django.urls import path  # noqa: F401

urlpatterns = []
