"""Reports writes: quarterly reports, their review, annual audit documents, compliance steps, reminders.

Two tabs creating the same quarter's report meet the unique constraint `report_one_per_quarter`: one
report is made, the other tab gets a clear message. Every change to an existing report or to a
residency's status locks its row first (`select_for_update`), so a resident's edit and the park's
acceptance, or two compliance decisions, never overwrite each other. `settings.REPORT_LOCKS = False`
switches the row locks off: the race tests use it to show what goes wrong without them.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from texnopark.core import audit
from texnopark.core.errors import AppError, NotFound
from texnopark.core.services import validate_and_save
from texnopark.core.states import move
from texnopark.intake.models import Residency
from texnopark.intake.services.residents import sync_resident_roles
from texnopark.reports import notify
from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport, Reminder
from texnopark.reports.quarters import Quarter, last_finished, owed

FIGURES = QuarterlyReport.FIGURES
# A figure more than this many times the previous quarter's (or less than its inverse) is worth a second look.
JUMP = 3
R = QuarterlyReport.Status
# A report that was filed: submitted, returned for fixes (staff have seen it) or accepted.
FILED = (R.SUBMITTED, R.RETURNED, R.ACCEPTED)
LOCKED_MESSAGE = _("This report can no longer be changed: it is accepted, or submitted and past its deadline.")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def _locking(qs):
    return qs.select_for_update(of=("self",)) if getattr(settings, "REPORT_LOCKS", True) else qs


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _full_clean(obj) -> None:
    try:
        obj.full_clean(validate_constraints=False)  # the unique ones are the database's to decide
    except ValidationError as error:
        raise AppError.from_validation(error) from error


# --- Quarterly reports -------------------------------------------------------------------------


def previous_report(residency, quarter: Quarter) -> QuarterlyReport | None:
    """The previous quarter's report as filed (a draft is not a figure anyone stands behind yet)."""
    before = quarter.previous()
    return (QuarterlyReport.objects.filter(residency=residency, year=before.year, quarter=before.quarter)
            .exclude(status=R.DRAFT).order_by().first())


def jumps(previous: QuarterlyReport | None, figures: dict) -> dict:
    """{figure: [previous, now]} for each implausible jump. From zero anything goes: a first sale is news."""
    if previous is None:
        return {}
    found = {}
    for name in FIGURES:
        before, now = getattr(previous, name), figures[name]
        if before and (now > before * JUMP or now * JUMP < before):
            found[name] = [_plain(before), _plain(now)]
    return found


def editable(report: QuarterlyReport, today: date | None = None) -> bool:
    """A draft or returned report any time; a submitted one until its deadline; an accepted one never."""
    if report.status == R.ACCEPTED:
        return False
    if report.status == R.SUBMITTED:
        return (today or timezone.localdate()) <= Quarter(report.year, report.quarter).due_on
    return True


def is_late(report: QuarterlyReport) -> bool:
    """Filed (first submitted) after its deadline."""
    return report.submitted_at is not None and (
        timezone.localdate(report.submitted_at) > Quarter(report.year, report.quarter).due_on)


def _check_quarter(residency, quarter: Quarter, today: date) -> None:
    if residency.status not in Residency.CURRENT:
        raise AppError("not_resident", _("Reports are filed only while the residency is in force."), status=409)
    if quarter.index > last_finished(today).index:
        raise AppError("quarter_not_over", _("This quarter is not over yet: its report can be filed from "
                                             "%(date)s.") % {"date": date_format(quarter.next().first_day)})
    if quarter not in owed(residency.starts_on, residency.ends_on, today):
        raise AppError("not_owed", _("No report is owed for this quarter: it is outside the residency."))


def _figures(fields: dict, report: QuarterlyReport | None) -> dict:
    """The figures after this save: the ones sent, the stored ones (or zero) for the rest."""
    figures, problems = {}, {}
    for name in FIGURES:
        value = fields.get(name)
        if value is None:
            value = getattr(report, name) if report is not None else 0
        if value < 0:
            problems[name] = [_("Cannot be negative. Type 0 if there was none.")]
        figures[name] = value
    if problems:
        raise AppError("invalid", _("Please correct the errors below."), problems)
    return figures


@transaction.atomic
def report_save(*, actor, residency, year: int, quarter: int, fields: dict, submit: bool = False,
                today: date | None = None) -> QuarterlyReport:
    """Create or edit a quarter's report; with `submit`, submit it. Warnings never block: they are stored."""
    _require(actor, "reports.file_report", residency)
    today = today or timezone.localdate()
    if quarter not in (1, 2, 3, 4):
        raise AppError("invalid", _("A quarter is 1 to 4."), {"quarter": [_("A quarter is 1 to 4.")]})
    period = Quarter(year, quarter)
    _check_quarter(residency, period, today)
    report = _locking(QuarterlyReport.objects.filter(residency=residency, year=year, quarter=quarter)).first()
    figures = _figures(fields, report)
    before = {name: getattr(report, name) for name in (*FIGURES, "note", "status")} if report else {}
    if report is None:
        report = QuarterlyReport(residency=residency, year=year, quarter=quarter)
    elif not editable(report, today):
        raise AppError("report_locked", LOCKED_MESSAGE, status=409)
    for name, value in figures.items():
        setattr(report, name, value)
    if fields.get("note") is not None:
        report.note = fields["note"].strip()
    if submit and report.status != R.SUBMITTED:
        move(report, R.SUBMITTED, QuarterlyReport.TRANSITIONS)
        if report.submitted_at is None:  # the first filing decides whether it was late
            report.submitted_at, report.submitted_by = timezone.now(), actor
    report.warnings = jumps(previous_report(residency, period), figures)
    _full_clean(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # another tab (or a colleague) created this quarter's report a moment ago
        raise AppError("report_exists", _("This quarter's report was just created in another window or by a "
                                          "colleague. Open it again to see and change it."), status=409) from error
    after = {name: getattr(report, name) for name in (*FIGURES, "note", "status")}
    changes = {name: [_plain(before.get(name)), _plain(value)] for name, value in after.items()
               if before.get(name) != value}
    action = "reports.report.submitted" if before.get("status") != report.status == R.SUBMITTED else (
        "reports.report.created" if not before else "reports.report.updated")
    audit.record(actor=actor, action=action, obj=report, changes=changes)
    return report


def _review(actor, report: QuarterlyReport, target: str, note: str = "") -> QuarterlyReport:
    _require(actor, "reports.review_report", report.residency)
    report = _locking(QuarterlyReport.objects.select_related("residency__company", "residency__park")).get(
        pk=report.pk)
    old = move(report, target, QuarterlyReport.TRANSITIONS)
    report.reviewed_at, report.reviewed_by, report.review_note = timezone.now(), actor, note
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
    action = "reports.report.accepted" if target == R.ACCEPTED else "reports.report.returned"
    audit.record(actor=actor, action=action, obj=report,
                 changes={"status": [old, report.status], **({"review_note": ["", note]} if note else {})})
    transaction.on_commit(lambda: notify.report_reviewed(report))
    return report


@transaction.atomic
def report_accept(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    """Accepted is final: the report is locked for good."""
    return _review(actor, report, R.ACCEPTED)


@transaction.atomic
def report_return(*, actor, report: QuarterlyReport, note: str) -> QuarterlyReport:
    note = (note or "").strip()
    if not note:
        message = _("Say what the resident should fix.")
        raise AppError("invalid", message, {"note": [message]})
    return _review(actor, report, R.RETURNED, note)


# --- Annual audit documents --------------------------------------------------------------------


@transaction.atomic
def audit_upload(*, actor, residency, year: int, file, today: date | None = None) -> AuditDocument:
    """The year's audit report; uploading again replaces the file (the old one is deleted after commit)."""
    _require(actor, "reports.file_report", residency)
    today = today or timezone.localdate()
    if not residency.starts_on.year <= year <= today.year:
        message = _("Choose a year of the residency, from %(first)s to %(last)s.") % {
            "first": residency.starts_on.year, "last": today.year}
        raise AppError("invalid", message, {"year": [message]})
    document = _locking(AuditDocument.objects.filter(residency=residency, year=year)).first()
    old_name = document.file.name if document else ""
    if document is None:
        document = AuditDocument(residency=residency, year=year)
    document.file, document.uploaded_by = file, actor
    _full_clean(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise AppError("audit_exists", _("This year's audit report was just uploaded in another window. "
                                         "Upload again to replace it."), status=409) from error
    if old_name and old_name != document.file.name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit.record(actor=actor, action="reports.audit.replaced" if old_name else "reports.audit.uploaded",
                 obj=document, changes={"file": [old_name or None, document.file.name]})
    return document


# --- Compliance --------------------------------------------------------------------------------


@transaction.atomic
def compliance_decide(*, actor, residency, step: str, reason: str, effective_on: date | None,
                      today: date | None = None) -> ComplianceDecision:
    """One step on the ladder (warning, suspension, revocation, reinstatement), recorded and told."""
    _require(actor, "reports.decide_compliance", residency)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    problems = {}
    if step not in ComplianceDecision.LEADS_TO:
        problems["step"] = [_("Choose a step from the list.")]
    if not reason:
        problems["reason"] = [_("Give the reason: the resident reads it.")]
    if effective_on is None:
        problems["effective_on"] = [_("Give the date the decision takes effect.")]
    elif effective_on > today:
        problems["effective_on"] = [_("The decision takes effect today or earlier; decide a later step on "
                                      "its day.")]
    elif effective_on < residency.starts_on:
        problems["effective_on"] = [_("The residency started on %(date)s.") % {
            "date": date_format(residency.starts_on)}]
    if problems:
        raise AppError("invalid", _("Please correct the errors below."), problems)
    residency = _locking(Residency.objects.select_related("company", "park")).get(pk=residency.pk)
    old = move(residency, ComplianceDecision.LEADS_TO[step], Residency.TRANSITIONS)
    residency.status_reason, residency.status_since = reason, effective_on
    validate_and_save(residency)  # a reinstatement meets "one current residency per park"
    decision = ComplianceDecision.objects.create(
        residency=residency, step=step, from_status=old, to_status=residency.status, reason=reason,
        effective_on=effective_on, decided_by=actor)
    audit.record(actor=actor, action=f"reports.compliance.{step}", obj=residency, changes={
        "status": [old, residency.status], "status_reason": [None, reason],
        "status_since": [None, effective_on.isoformat()], "compliance_decision": [None, decision.pk]})
    sync_resident_roles(residency.company, actor=actor)
    transaction.on_commit(lambda: notify.compliance_decided(decision))
    return decision


# --- Reminders ---------------------------------------------------------------------------------


def _window(due_on: date, today: date) -> int | None:
    """The reminder whose time has come: the nearest of `REPORT_REMIND_DAYS` not after today."""
    if today > due_on:
        return None
    open_ = [days for days in settings.REPORT_REMIND_DAYS if (due_on - today).days <= days]
    return min(open_) if open_ else None


def send_reminders(today: date | None = None) -> int:
    """For the daily cron: remind the admins of each current resident that has not filed the last quarter's
    report, 7 and 1 days before its deadline. Each (residency, quarter, days before) is sent once, however
    often or in how many places the job runs (the `Reminder` row is written before anyone is told).
    Returns how many reminders were sent."""
    today = today or timezone.localdate()
    period = last_finished(today)
    days = _window(period.due_on, today)
    if days is None:
        return 0
    filed = QuarterlyReport.objects.filter(residency=OuterRef("pk"), year=period.year, quarter=period.quarter,
                                           status__in=FILED)
    residencies = (Residency.objects.filter(status__in=Residency.CURRENT, starts_on__lte=period.last_day,
                                            ends_on__gte=period.first_day)
                   .filter(~Exists(filed)).select_related("company").order_by("pk"))
    sent = 0
    for residency in residencies:
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(
                residency=residency, year=period.year, quarter=period.quarter, days_before=days)
            if created:
                sent += 1
                transaction.on_commit(lambda r=residency: notify.report_due(r, period))
    return sent
