"""The reports API's input and output schemas and filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from ninja import Field, FilterLookup, FilterSchema, Schema

from texnopark.reports import services
from texnopark.reports.models import ComplianceDecision, QuarterlyReport
from texnopark.reports.quarters import Quarter

MONEY_HELP = "Left out: the stored figure (0 for a new report). Never negative; at most 2 decimals."


class FiguresIn(Schema):
    revenue_uzs: Decimal | None = Field(None, description=MONEY_HELP)
    exports_usd: Decimal | None = Field(None, description=MONEY_HELP)
    employees: int | None = None
    new_jobs: int | None = None
    investment_uzs: Decimal | None = Field(None, description=MONEY_HELP)
    rnd_uzs: Decimal | None = Field(None, description=MONEY_HELP)
    patents: int | None = None
    other_ip: int | None = None
    products_launched: int | None = None
    note: str | None = None
    submit: bool = Field(False, description="Submit the report (a submitted one stays submitted when edited)")


class ReportOut(Schema):
    id: int
    residency_id: int
    company_id: int
    company_name: str
    park: str = Field(description="The park's slug")
    year: int
    quarter: int
    status: QuarterlyReport.Status
    revenue_uzs: Decimal
    exports_usd: Decimal
    employees: int
    new_jobs: int
    investment_uzs: Decimal
    rnd_uzs: Decimal
    patents: int
    other_ip: int
    products_launched: int
    note: str
    warnings: dict[str, list] = Field(description="Implausible jumps from the previous quarter: "
                                                  "{figure: [previous, now]}. A warning never blocks.")
    due_on: date
    late: bool = Field(description="First submitted after the deadline")
    editable: bool = Field(description="A submitted report until its deadline; an accepted one never")
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_note: str

    @staticmethod
    def resolve_company_id(obj):
        return obj.residency.company_id

    @staticmethod
    def resolve_company_name(obj):
        return obj.residency.company.name

    @staticmethod
    def resolve_park(obj):
        return obj.residency.park.slug

    @staticmethod
    def resolve_due_on(obj):
        return Quarter(obj.year, obj.quarter).due_on

    @staticmethod
    def resolve_late(obj):
        return services.is_late(obj)

    @staticmethod
    def resolve_editable(obj):
        return services.editable(obj)


class ReportFilter(FilterSchema):
    park: Annotated[str | None, FilterLookup("residency__park__slug")] = Field(None, description="A park's slug")
    residency: Annotated[int | None, FilterLookup("residency_id")] = None
    year: Annotated[int | None, FilterLookup("year")] = None
    quarter: Annotated[int | None, FilterLookup("quarter")] = None
    status: Annotated[QuarterlyReport.Status | None, FilterLookup("status")] = None


class QuarterOut(Schema):
    year: int
    quarter: int
    due_on: date
    state: str = Field(description="missing, draft, submitted, returned or accepted")
    overdue: bool = Field(description="Past the deadline and not filed")
    late: bool
    editable: bool = Field(description="The resident may file or change it now")
    report_id: int | None

    @staticmethod
    def resolve_year(obj):
        return obj.quarter.year

    @staticmethod
    def resolve_quarter(obj):
        return obj.quarter.quarter

    @staticmethod
    def resolve_report_id(obj):
        return obj.report.pk if obj.report else None


class ReturnIn(Schema):
    note: str = Field(description="What the resident should fix")


class OverdueOut(Schema):
    residency_id: int
    number: str
    company_id: int
    company_name: str
    park: str
    status: str
    quarters: int = Field(description="Quarters past their deadline without a filed report")

    @staticmethod
    def of(row) -> dict:
        r = row.residency
        return {"residency_id": r.pk, "number": r.number, "company_id": r.company_id, "company_name": r.company.name,
                "park": r.park.slug, "status": r.status, "quarters": row.quarters}


class DecisionOut(Schema):
    id: int
    step: ComplianceDecision.Step
    from_status: str
    to_status: str
    reason: str
    effective_on: date
    decided_by_id: int | None
    decided_at: datetime


class ComplianceIn(Schema):
    step: ComplianceDecision.Step
    reason: str = ""
    effective_on: date | None = Field(None, description="Left out: today")


class ComplianceOut(Schema):
    residency_id: int
    status: str
    status_reason: str
    status_since: date | None
    overdue_quarters: int
    decisions: list[DecisionOut]


class KpiQuarterOut(Schema):
    year: int
    quarter: int
    reports: int = Field(description="Submitted and accepted reports summed")
    values: dict[str, Decimal] = Field(description="revenue_uzs, exports_usd, employees, new_jobs, investment_uzs, "
                                                   "rnd_uzs, ip (patents and other IP), products_launched")


class DashboardOut(Schema):
    park: str
    funnel: dict[str, int] = Field(description="ideas, applications (submitted), accepted, residents (current), "
                                               "exporters (current residents with an export deal)")
    quarters: list[KpiQuarterOut]
    overdue: list[OverdueOut]


class AuditDocumentOut(Schema):
    id: int
    residency_id: int
    year: int
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("reports:audit_file", args=[obj.pk])
