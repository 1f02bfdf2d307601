"""The resident's quarterly reports and annual audit documents."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from texnopark.core.errors import AppError, NotFound
from texnopark.core.files import download
from texnopark.core.views import done, posted, render_form, show_app_error
from texnopark.intake.models import Residency
from texnopark.reports import selectors, services
from texnopark.reports.forms import AuditUploadForm, ReportForm, ReviewForm
from texnopark.reports.models import AuditDocument, QuarterlyReport
from texnopark.reports.quarters import Quarter, owed

FIGURES = QuarterlyReport.FIGURES


def label_of(name: str) -> str:
    return capfirst(QuarterlyReport._meta.get_field(name).verbose_name)


def warning_rows(warnings: dict) -> list[dict]:
    return [{"label": label_of(name), "before": Decimal(before), "now": Decimal(now)}
            for name, (before, now) in warnings.items() if name in FIGURES]


@login_required
def mine(request):
    residencies = list(selectors.residencies_of_member(request.user).prefetch_related("audit_documents")
                       .order_by("company__name", "-starts_on"))
    states = selectors.quarter_states(residencies)
    for residency in residencies:
        residency.quarters = states[residency.pk]
        residency.can_file = request.user.has_perm("reports.file_report", residency)
        residency.overdue = sum(1 for state in residency.quarters if state.overdue)
    return render(request, "reports/mine.html", {"residencies": residencies, "due_days": settings.REPORT_DUE_DAYS})


def _filed_residency(request, pk) -> Residency:
    residency = get_object_or_404(selectors.residencies_visible_to(request.user), pk=pk)
    if not request.user.has_perm("reports.file_report", residency):
        raise Http404
    return residency


@login_required
def file(request, pk, year, quarter):
    residency = _filed_residency(request, pk)
    period = Quarter(year, quarter)
    if quarter not in (1, 2, 3, 4) or period not in owed(residency.starts_on, residency.ends_on,
                                                         timezone.localdate()):
        raise Http404
    report = QuarterlyReport.objects.filter(residency=residency, year=year, quarter=quarter).first()
    if residency.status not in Residency.CURRENT:
        messages.info(request, _("Reports are filed only while the residency is in force."))
        return redirect(reverse("reports:report", args=[report.pk]) if report else reverse("reports:mine"))
    if report is not None and not services.editable(report):
        messages.info(request, _("This report can no longer be changed: it is accepted, or submitted and past "
                                 "its deadline."))
        return redirect("reports:report", report.pk)
    previous = services.previous_report(residency, period)
    initial = {name: getattr(report, name) for name in (*FIGURES, "note")} if report else {}
    form = ReportForm(posted(request), initial=initial)
    # Editing a submitted report keeps it submitted: every save is then a submission.
    submitting = "submit" in request.POST or (report is not None
                                               and report.status == QuarterlyReport.Status.SUBMITTED)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = services.jumps(previous, {name: data[name] for name in FIGURES}) if submitting else {}
        if found and not request.POST.get("confirmed"):
            warnings = warning_rows(found)  # shown before the resident confirms; never a block
        else:
            try:
                report = services.report_save(actor=request.user, residency=residency, year=year, quarter=quarter,
                                              fields=data, submit=submitting)
            except NotFound as error:
                raise Http404 from error
            except AppError as error:
                show_app_error(request, form, error)
            else:
                messages.success(request, _("The report is submitted to the park.") if submitting else
                                 _("Saved. Submit the report when it is ready."))
                return done(request, reverse("reports:report", args=[report.pk]))
    rows = [{"field": form[name], "previous": getattr(previous, name) if previous else None} for name in FIGURES]
    return render_form(request, "reports/file.html", {
        "residency": residency, "period": period, "report": report, "form": form, "rows": rows,
        "previous": previous, "warnings": warnings,
        "overdue": timezone.localdate() > period.due_on,
    })


def report_context(request, report: QuarterlyReport, review_form: ReviewForm | None = None) -> dict:
    period = Quarter(report.year, report.quarter)
    previous = services.previous_report(report.residency, period)
    user = request.user
    return {
        "report": report, "residency": report.residency, "period": period,
        "rows": [{"label": label_of(name), "value": getattr(report, name),
                  "previous": getattr(previous, name) if previous else None,
                  "warned": name in report.warnings} for name in FIGURES],
        "previous": previous, "warnings": warning_rows(report.warnings), "late": services.is_late(report),
        "can_edit": user.has_perm("reports.file_report", report.residency) and services.editable(report)
        and report.residency.status in Residency.CURRENT,
        "can_review": report.status == QuarterlyReport.Status.SUBMITTED
        and user.has_perm("reports.review_report", report.residency),
        "review_form": review_form or ReviewForm(),
        "is_staff": user.has_perm("reports.review_report", report.residency),
    }


@login_required
def report_detail(request, pk):
    report = get_object_or_404(selectors.reports_visible_to(request.user).select_related("submitted_by",
                                                                                        "reviewed_by"), pk=pk)
    if not request.user.has_perm("reports.view_report", report.residency):
        raise Http404
    return render(request, "reports/report.html", report_context(request, report))


@login_required
def audit_upload(request, pk):
    residency = _filed_residency(request, pk)
    today = timezone.localdate()
    years = list(range(today.year, residency.starts_on.year - 1, -1))
    form = AuditUploadForm(posted(request), request.FILES or None, years=years,
                           initial={"year": years[1] if len(years) > 1 else years[0]})
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_upload(actor=request.user, residency=residency, year=form.cleaned_data["year"],
                                  file=form.cleaned_data["file"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The audit report for %(year)s is uploaded.") % {
                "year": form.cleaned_data["year"]})
            return done(request, reverse("reports:mine") + f"#residency-{residency.pk}")
    return render_form(request, "reports/audit_upload.html", {
        "residency": residency, "form": form, "documents": list(residency.audit_documents.all())})


@login_required
def audit_file(request, pk):
    document = get_object_or_404(AuditDocument.objects.filter(
        residency__in=selectors.residencies_visible_to(request.user)).select_related("residency__company"), pk=pk)
    if not request.user.has_perm("reports.view_report", document.residency):
        raise Http404
    return download(document.file)


urlpatterns = [
    path("", mine, name="mine"),
    path("residencies/<int:pk>/<int:year>/<int:quarter>/", file, name="file"),
    path("<int:pk>/", report_detail, name="report"),
    path("residencies/<int:pk>/audit/", audit_upload, name="audit_upload"),
    path("audits/<int:pk>/", audit_file, name="audit_file"),
]
