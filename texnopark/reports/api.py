"""Quarterly reports, audit documents, compliance and the park view over /api/v1/.

A thin door onto reports.services and reports.selectors, with the pages' scopes: a company's members see its
reports and its admins file them; park staff see their parks' residents; region administrators their region.
Anything outside that answers 404. Errors are {code, message, fields}; a locked report or a forbidden compliance
step answers 409.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from texnopark.accounts.scopes import scopes_of
from texnopark.api.auth import write_auth
from texnopark.core.errors import NotFound
from texnopark.intake.models import Residency
from texnopark.network.models import Technopark
from texnopark.reports import selectors, services
from texnopark.reports.models import QuarterlyReport
from texnopark.reports.schemas import (
    AuditDocumentOut,
    ComplianceIn,
    ComplianceOut,
    DashboardOut,
    DecisionOut,
    FiguresIn,
    OverdueOut,
    QuarterOut,
    ReportFilter,
    ReportOut,
    ReturnIn,
)

router = Router(tags=["reports"], auth=write_auth)


def _residency(request, pk: int) -> Residency:
    residency = get_object_or_404(selectors.residencies_visible_to(request.user), pk=pk)
    if not request.user.has_perm("reports.view_report", residency):
        raise NotFound()
    return residency


def _report(request, pk: int) -> QuarterlyReport:
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    if not request.user.has_perm("reports.view_report", report.residency):
        raise NotFound()
    return report


def _fields(payload: FiguresIn) -> dict:
    return payload.dict(exclude={"submit"}, exclude_none=True)


# Reports


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def list_reports(request, filters: Query[ReportFilter]):
    """A resident's members: their companies' reports. Park staff and region administrators: their parks'."""
    return filters.filter(selectors.reports_visible_to(request.user)).order_by("-year", "-quarter", "pk")


@router.get("/reports/overdue", response=list[OverdueOut])
def list_overdue(request, park: str | None = None):
    """Current residents with reports past their deadline and not filed, most quarters first (park staff)."""
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.admin_regions or scopes.staffed_parks):
        raise NotFound()
    chosen = get_object_or_404(selectors.parks_run_by(request.user), slug=park) if park else None
    return [OverdueOut.of(row) for row in selectors.overdue(viewer=request.user, park=chosen)]


@router.get("/reports/{pk}", response=ReportOut)
def get_report(request, pk: int):
    return _report(request, pk)


@router.patch("/reports/{pk}", response=ReportOut)
def change_report(request, pk: int, payload: FiguresIn):
    """Change some figures (or submit). 409 `report_locked` once accepted, or submitted and past its deadline."""
    report = _report(request, pk)
    return services.report_save(actor=request.user, residency=report.residency, year=report.year,
                                quarter=report.quarter, fields=_fields(payload), submit=payload.submit)


@router.post("/reports/{pk}/accept", response=ReportOut)
def accept_report(request, pk: int):
    """Park staff accept a submitted report; it is locked for good."""
    return services.report_accept(actor=request.user, report=_report(request, pk))


@router.post("/reports/{pk}/return", response=ReportOut)
def return_report(request, pk: int, payload: ReturnIn):
    """Park staff return a submitted report with a note; the resident fixes it and submits again."""
    return services.report_return(actor=request.user, report=_report(request, pk), note=payload.note)


# A residency's quarters


@router.get("/residencies/{pk}/quarters", response=list[QuarterOut])
def list_quarters(request, pk: int):
    """Every quarter the residency owes a report for, newest first, with its state."""
    return selectors.due_quarters(_residency(request, pk))


@router.put("/residencies/{pk}/reports/{year}/{quarter}", response=ReportOut)
def save_report(request, pk: int, year: int, quarter: int, payload: FiguresIn):
    """Create or change the quarter's report (company admins). The answer carries the `warnings`; they never
    block. 409 `report_exists` when another request created this quarter's report at the same moment."""
    return services.report_save(actor=request.user, residency=_residency(request, pk), year=year, quarter=quarter,
                                fields=_fields(payload), submit=payload.submit)


@router.get("/residencies/{pk}/audits", response=list[AuditDocumentOut])
def list_audits(request, pk: int):
    return list(_residency(request, pk).audit_documents.all())


@router.post("/residencies/{pk}/audits", response={201: AuditDocumentOut})
def upload_audit(request, pk: int, year: Form[int], file: File[UploadedFile]):
    """The year's audit report (multipart); uploading again for the same year replaces it."""
    return Status(201, services.audit_upload(actor=request.user, residency=_residency(request, pk), year=year,
                                             file=file))


# Compliance


def _compliance(residency: Residency) -> dict:
    return {"residency_id": residency.pk, "status": residency.status, "status_reason": residency.status_reason,
            "status_since": residency.status_since,
            "overdue_quarters": sum(1 for state in selectors.due_quarters(residency) if state.overdue),
            "decisions": list(residency.compliance_decisions.all())}


@router.get("/residencies/{pk}/compliance", response=ComplianceOut)
def get_compliance(request, pk: int):
    """The residency's compliance status, its overdue reports and every decision, newest first."""
    return _compliance(_residency(request, pk))


@router.post("/residencies/{pk}/compliance", response={201: DecisionOut})
def decide_compliance(request, pk: int, payload: ComplianceIn):
    """A step on the ladder (the park's manager, the region's administrator). 409 `forbidden_transition` for a
    step the residency's status does not allow; 400 without a reason."""
    return Status(201, services.compliance_decide(
        actor=request.user, residency=_residency(request, pk), step=payload.step, reason=payload.reason,
        effective_on=payload.effective_on or timezone.localdate()))


# The park view


@router.get("/parks/{slug}/dashboard", response=DashboardOut)
def park_dashboard(request, slug: str, quarters: int = 8):
    """The funnel, the KPIs of the last `quarters` finished quarters (sums over submitted and accepted reports),
    and the overdue residents. Park staff and the region's administrators."""
    park = get_object_or_404(Technopark, slug=slug)
    if not request.user.has_perm("reports.view_park", park):
        raise NotFound()
    rows = selectors.kpis_by_quarter(park=park, quarters=max(1, min(quarters, 40)))
    return {"park": park.slug, "funnel": selectors.funnel(park=park),
            "quarters": [{"year": row.quarter.year, "quarter": row.quarter.quarter, "reports": row.reports,
                          "values": row.values} for row in rows],
            "overdue": [OverdueOut.of(row) for row in selectors.overdue(park=park)]}
