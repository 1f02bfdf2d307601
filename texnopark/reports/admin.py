"""The back office for reports: park staff look up their residents' quarterly reports, audit documents and
compliance decisions. Read-only: filing, review and compliance steps happen on the pages (and the API), where
the services check deadlines, state machines and notify the residents."""

from django.contrib import admin

from texnopark.core.admin import ReadOnlyScopedAdmin
from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport
from texnopark.reports.selectors import parks_run_by


class ReadOnlyScoped(ReadOnlyScopedAdmin):
    view_perm = "reports.review_report"

    def scoped(self, viewer):
        return self.model.objects.filter(residency__park__in=parks_run_by(viewer)).select_related(
            "residency__company", "residency__park")


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyScoped):
    list_display = ["residency", "year", "quarter", "status", "revenue_uzs", "exports_usd", "employees",
                    "submitted_at"]
    list_filter = ["status", "year", "quarter", "residency__park"]
    search_fields = ["residency__company__name", "residency__company__stir", "residency__number"]


@admin.register(AuditDocument)
class AuditDocumentAdmin(ReadOnlyScoped):
    list_display = ["residency", "year", "uploaded_at"]
    list_filter = ["year", "residency__park"]
    search_fields = ["residency__company__name", "residency__number"]
    exclude = ["file"]  # opened through the page's permission check, never a public media link


@admin.register(ComplianceDecision)
class ComplianceDecisionAdmin(ReadOnlyScoped):
    list_display = ["residency", "step", "from_status", "to_status", "effective_on", "decided_by"]
    list_filter = ["step", "residency__park"]
    search_fields = ["residency__company__name", "residency__number"]
