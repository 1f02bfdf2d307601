"""Reports services: filing, warnings, deadlines and locks, review, late filing, audit documents, the
compliance ladder and the reminders."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry, Notification
from texnopark.intake.models import Residency
from texnopark.reports import services
from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport, Reminder
from texnopark.reports.quarters import last_finished
from texnopark.reports.tests import factories

pytestmark = pytest.mark.django_db

R = QuarterlyReport.Status
S = Residency.Status
Step = ComplianceDecision.Step
FIGURES = {"revenue_uzs": Decimal("1000000"), "exports_usd": Decimal("2000"), "employees": 10, "new_jobs": 2,
           "investment_uzs": Decimal("0"), "rnd_uzs": Decimal("50000"), "patents": 1, "other_ip": 0,
           "products_launched": 1}


@pytest.fixture
def w():
    return factories.world()


@pytest.fixture
def q():
    """The last finished quarter (its report is owed), and today on its deadline."""
    return last_finished(timezone.localdate())


def save(w, quarter, today=None, submit=False, actor=None, **fields):
    return services.report_save(actor=actor or w["admin"], residency=w["residency"], year=quarter.year,
                                quarter=quarter.quarter, fields={**FIGURES, **fields}, submit=submit,
                                today=today or quarter.due_on)


# Filing


def test_a_draft_then_submitted_each_step_audited_in_the_region(w, q):
    report = save(w, q)
    assert report.status == R.DRAFT and report.submitted_at is None
    assert report.revenue_uzs == Decimal("1000000")
    report = save(w, q, submit=True, note="  Yaxshi chorak  ")
    assert report.status == R.SUBMITTED and report.submitted_by == w["admin"] and report.note == "Yaxshi chorak"
    assert QuarterlyReport.objects.filter(residency=w["residency"]).count() == 1
    entries = AuditEntry.objects.filter(object_type="reports.quarterlyreport", object_id=str(report.pk))
    assert [e.action for e in entries.order_by("pk")] == ["reports.report.created", "reports.report.submitted"]
    assert {e.region_id for e in entries} == {w["region"].pk}
    assert entries.order_by("pk").last().changes["status"] == ["draft", "submitted"]


def test_missing_figures_keep_the_stored_ones(w, q):
    save(w, q)
    report = services.report_save(actor=w["admin"], residency=w["residency"], year=q.year, quarter=q.quarter,
                                  fields={"employees": 12}, today=q.due_on)
    assert report.employees == 12 and report.revenue_uzs == Decimal("1000000")


def test_a_fivefold_jump_is_a_warning_that_does_not_block(w, q):
    factories.report(w["residency"], *q.previous(), revenue_uzs=Decimal("100000"), employees=10, exports_usd=0)
    report = save(w, q, submit=True, revenue_uzs=Decimal("500000"), employees=3, exports_usd=Decimal("9000"))
    assert report.status == R.SUBMITTED
    # Revenue ×5 and employees down to less than a third warn; exports from zero are news, not a warning.
    assert set(report.warnings) == {"revenue_uzs", "employees"}
    assert Decimal(report.warnings["revenue_uzs"][0]) == Decimal("100000")
    assert Decimal(report.warnings["revenue_uzs"][1]) == Decimal("500000")
    assert report.warnings["employees"] == [10, 3]
    # Fixing the figure clears the warning on the next save.
    report = save(w, q, revenue_uzs=Decimal("250000"), employees=9)
    assert report.warnings == {}


def test_a_previous_draft_is_not_compared(w, q):
    factories.report(w["residency"], *q.previous(), status=R.DRAFT, revenue_uzs=Decimal("1"))
    assert save(w, q).warnings == {}


def test_negative_figures_are_refused_beside_the_field_and_nothing_is_saved(w, q):
    with pytest.raises(AppError) as caught:
        save(w, q, revenue_uzs=Decimal("-5"), patents=-1)
    assert caught.value.code == "invalid"
    assert set(caught.value.fields) == {"revenue_uzs", "patents"}
    assert "negative" in str(caught.value.fields["patents"][0])
    assert not QuarterlyReport.objects.filter(residency=w["residency"]).exists()


def test_three_decimals_are_refused(w, q):
    with pytest.raises(AppError) as caught:
        save(w, q, exports_usd=Decimal("1.005"))
    assert "exports_usd" in caught.value.fields


def test_a_submitted_report_is_editable_until_its_deadline_and_locked_after(w, q):
    save(w, q, submit=True)
    report = save(w, q, today=q.due_on, employees=11)
    assert report.status == R.SUBMITTED and report.employees == 11
    with pytest.raises(AppError) as caught:
        save(w, q, today=q.due_on + timedelta(days=1), employees=12)
    assert (caught.value.code, caught.value.status) == ("report_locked", 409)
    assert QuarterlyReport.objects.get(pk=report.pk).employees == 11


def test_an_accepted_report_is_locked_for_good(w, q):
    report = save(w, q, submit=True)
    services.report_accept(actor=w["staff"], report=report)
    with pytest.raises(AppError) as caught:
        save(w, q, today=q.due_on - timedelta(days=10))
    assert (caught.value.code, caught.value.status) == ("report_locked", 409)
    with pytest.raises(AppError) as caught:
        services.report_return(actor=w["staff"], report=report, note="Yana bir bor")
    assert (caught.value.code, caught.value.status) == ("forbidden_transition", 409)


def test_returned_with_a_note_fixed_and_submitted_again_even_after_the_deadline(w, q):
    report = save(w, q, submit=True)
    with pytest.raises(AppError) as caught:
        services.report_return(actor=w["staff"], report=report, note="   ")
    assert "note" in caught.value.fields
    report = services.report_return(actor=w["staff"], report=report, note="Daromadni tekshiring")
    assert report.status == R.RETURNED and report.review_note == "Daromadni tekshiring"
    assert report.reviewed_by == w["staff"]
    first_submitted = report.submitted_at
    late_day = q.due_on + timedelta(days=30)
    report = save(w, q, today=late_day, revenue_uzs=Decimal("900000"))
    assert report.status == R.RETURNED  # saved, not yet submitted again
    report = save(w, q, today=late_day, submit=True)
    assert report.status == R.SUBMITTED and report.submitted_at == first_submitted
    assert services.report_accept(actor=w["region_admin"], report=report).status == R.ACCEPTED


def test_a_report_filed_after_its_deadline_is_marked_late(w, q):
    old = q.previous().previous()  # its deadline passed before the last quarter even ended
    late = save(w, old, today=timezone.localdate(), submit=True)
    assert services.is_late(late)
    on_time = factories.report(w["residency"], *q)
    QuarterlyReport.objects.filter(pk=on_time.pk).update(
        submitted_at=timezone.make_aware(timezone.datetime.combine(q.due_on, timezone.datetime.min.time())))
    assert not services.is_late(QuarterlyReport.objects.get(pk=on_time.pk))


def test_only_owed_quarters_of_a_current_residency(w, q):
    with pytest.raises(AppError) as caught:
        save(w, q.next(), today=q.next().last_day)
    assert caught.value.code == "quarter_not_over"
    start = w["residency"].starts_on
    with pytest.raises(AppError) as caught:
        services.report_save(actor=w["admin"], residency=w["residency"], year=start.year - 1, quarter=4, fields={})
    assert caught.value.code == "not_owed"
    with pytest.raises(AppError) as caught:
        services.report_save(actor=w["admin"], residency=w["residency"], year=q.year, quarter=5, fields={})
    assert caught.value.code == "invalid"
    Residency.objects.filter(pk=w["residency"].pk).update(status=S.REVOKED)
    w["residency"].refresh_from_db()
    with pytest.raises(AppError) as caught:
        save(w, q)
    assert (caught.value.code, caught.value.status) == ("not_resident", 409)


@pytest.mark.parametrize("who", ["member", "staff", "manager", "stranger", "other_manager"])
def test_only_the_companys_admins_file(w, q, who):
    with pytest.raises(NotFound):
        save(w, q, actor=w[who])


@pytest.mark.parametrize("who", ["admin", "member", "other_manager", "stranger"])
def test_only_the_parks_staff_and_the_region_review(w, q, who):
    report = save(w, q, submit=True)
    with pytest.raises(NotFound):
        services.report_accept(actor=w[who], report=report)


def test_review_tells_the_companys_admins_not_its_members(w, q, django_capture_on_commit_callbacks):
    report = save(w, q, submit=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(actor=w["staff"], report=report, note="Eksport raqamini tuzating")
    assert [m.to for m in mail.outbox] == [[w["admin"].email]]
    assert "Eksport raqamini tuzating" in mail.outbox[0].body
    assert Notification.objects.filter(user=w["admin"]).count() == 1
    assert not Notification.objects.filter(user=w["member"]).exists()


# Annual audit documents


def pdf(name="audit.pdf", body=b"%PDF-1.4 audit"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_an_audit_report_per_year_replaced_when_uploaded_again(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year - 1
    first = services.audit_upload(actor=w["admin"], residency=w["residency"], year=year, file=pdf())
    first_name = first.file.name
    again = services.audit_upload(actor=w["admin"], residency=w["residency"], year=year, file=pdf("new.pdf"))
    assert again.pk == first.pk and again.file.name != first_name
    assert AuditDocument.objects.filter(residency=w["residency"]).count() == 1
    actions = list(AuditEntry.objects.filter(object_type="reports.auditdocument").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["reports.audit.uploaded", "reports.audit.replaced"]


def test_an_audit_report_must_be_a_document_of_a_residency_year(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(AppError) as caught:
        services.audit_upload(actor=w["admin"], residency=w["residency"], year=timezone.localdate().year,
                              file=pdf("audit.exe", b"MZ"))
    assert "file" in caught.value.fields
    with pytest.raises(AppError) as caught:
        services.audit_upload(actor=w["admin"], residency=w["residency"], year=2001, file=pdf())
    assert "year" in caught.value.fields
    with pytest.raises(NotFound):
        services.audit_upload(actor=w["staff"], residency=w["residency"], year=timezone.localdate().year,
                              file=pdf())


# Compliance


def decide(w, step, actor=None, reason="Ikki chorak hisobot topshirilmadi", days_ago=0):
    return services.compliance_decide(actor=actor or w["manager"], residency=w["residency"], step=step,
                                      reason=reason, effective_on=timezone.localdate() - timedelta(days=days_ago))


def test_the_whole_ladder_each_step_recorded_audited_and_told(w, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    path = [(Step.WARNING, S.ACTIVE, S.WARNING), (Step.SUSPENSION, S.WARNING, S.SUSPENDED),
            (Step.REVOCATION, S.SUSPENDED, S.REVOKED), (Step.REINSTATEMENT, S.REVOKED, S.ACTIVE)]
    for step, before, after in path:
        with django_capture_on_commit_callbacks(execute=True):
            decision = decide(w, step, days_ago=1)
        assert (decision.from_status, decision.to_status) == (before, after)
        residency = Residency.objects.get(pk=w["residency"].pk)
        assert residency.status == after and residency.status_reason == decision.reason
        assert residency.status_since == timezone.localdate() - timedelta(days=1)
        w["residency"] = residency
    assert list(w["residency"].compliance_decisions.order_by("pk").values_list("step", flat=True)) == [
        s for s, _b, _a in path]
    actions = list(AuditEntry.objects.filter(object_type="intake.residency", object_id=str(w["residency"].pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == [f"reports.compliance.{s}" for s, _b, _a in path]
    assert len(mail.outbox) == 4 and all(m.to == [w["admin"].email] for m in mail.outbox)


@pytest.mark.parametrize(("status", "step"), [
    (S.ACTIVE, Step.SUSPENSION), (S.WARNING, Step.REINSTATEMENT), (S.SUSPENDED, Step.REINSTATEMENT)])
def test_other_allowed_steps(w, status, step):
    Residency.objects.filter(pk=w["residency"].pk).update(status=status)
    w["residency"].refresh_from_db()
    assert decide(w, step, actor=w["region_admin"]).from_status == status


@pytest.mark.parametrize(("status", "step"), [
    (S.ACTIVE, Step.REVOCATION), (S.ACTIVE, Step.REINSTATEMENT), (S.WARNING, Step.WARNING),
    (S.WARNING, Step.REVOCATION), (S.REVOKED, Step.WARNING), (S.REVOKED, Step.SUSPENSION), (S.ENDED, Step.WARNING)])
def test_forbidden_steps_are_a_conflict_and_change_nothing(w, status, step):
    Residency.objects.filter(pk=w["residency"].pk).update(status=status)
    w["residency"].refresh_from_db()
    with pytest.raises(AppError) as caught:
        decide(w, step)
    assert (caught.value.code, caught.value.status) == ("forbidden_transition", 409)
    assert Residency.objects.get(pk=w["residency"].pk).status == status
    assert not ComplianceDecision.objects.filter(residency=w["residency"]).exists()


def test_a_decision_needs_a_reason_and_a_date_not_in_the_future(w):
    with pytest.raises(AppError) as caught:
        decide(w, Step.WARNING, reason="  ")
    assert "reason" in caught.value.fields
    with pytest.raises(AppError) as caught:
        decide(w, Step.WARNING, days_ago=-3)
    assert "effective_on" in caught.value.fields
    assert Residency.objects.get(pk=w["residency"].pk).status == S.ACTIVE


@pytest.mark.parametrize("who", ["staff", "admin", "other_manager", "stranger"])
def test_only_the_parks_manager_and_the_region_decide(w, who):
    with pytest.raises(NotFound):
        decide(w, Step.WARNING, actor=w[who])


def test_a_reinstatement_meets_a_newer_residency_in_the_same_park(w):
    Residency.objects.filter(pk=w["residency"].pk).update(status=S.REVOKED)
    w["residency"].refresh_from_db()
    factories.residency(w["company"], w["park"], starts_on=timezone.localdate() - timedelta(days=10))
    with pytest.raises(AppError) as caught:
        decide(w, Step.REINSTATEMENT)
    assert "already a resident" in str(caught.value.fields)


# Reminders


def test_reminders_seven_and_one_day_before_each_sent_once(w, q, settings, django_capture_on_commit_callbacks):
    settings.REPORT_REMIND_DAYS = (7, 1)
    mine = Reminder.objects.filter(residency=w["residency"], year=q.year, quarter=q.quarter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(q.due_on - timedelta(days=8)) >= 0 and not mine.exists()
        assert services.send_reminders(q.due_on - timedelta(days=7)) >= 1
        assert list(mine.values_list("days_before", flat=True)) == [7]
        assert services.send_reminders(q.due_on - timedelta(days=7)) == 0  # the cron ran twice
        assert services.send_reminders(q.due_on - timedelta(days=4)) == 0
        assert services.send_reminders(q.due_on - timedelta(days=1)) >= 1
        assert services.send_reminders(q.due_on) == 0
        assert services.send_reminders(q.due_on + timedelta(days=1)) == 0
    assert sorted(mine.values_list("days_before", flat=True)) == [1, 7]
    told = [m for m in mail.outbox if m.to == [w["admin"].email]]
    assert len(told) == 2 and str(q) in told[0].subject
    assert not [m for m in mail.outbox if m.to == [w["member"].email]]


def test_a_missed_day_still_sends_the_reminder_once(w, q):
    assert services.send_reminders(q.due_on - timedelta(days=5)) >= 1
    assert list(Reminder.objects.filter(residency=w["residency"]).values_list("days_before", flat=True)) == [7]


def test_no_reminder_once_the_report_is_filed(w, q):
    save(w, q, submit=True)
    services.send_reminders(q.due_on - timedelta(days=7))
    assert not Reminder.objects.filter(residency=w["residency"]).exists()
    # A draft is not filed: it is reminded.
    other = factories.residency(factories.company(district=w["district"], admins=[w["member"]]), w["park"],
                                starts_on=w["residency"].starts_on)
    factories.report(other, *q, status=R.DRAFT)
    services.send_reminders(q.due_on - timedelta(days=7))
    assert Reminder.objects.filter(residency=other).count() == 1


def test_the_daily_command_sends_the_due_reminders(w, q, monkeypatch, django_capture_on_commit_callbacks):
    day = q.due_on - timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reports_housekeeping", stdout=out)
    assert out.getvalue().startswith("Report reminders sent: ")
    assert Reminder.objects.filter(residency=w["residency"], days_before=1).exists()
    assert Notification.objects.filter(user=w["admin"], url__contains="/reports/").count() == 1


def test_a_revocation_takes_the_parks_resident_role_and_a_reinstatement_gives_it_back(w):
    from texnopark.accounts.models import Membership, Role

    def resident_role(person):
        return Membership.objects.filter(user=person, role=Role.RESIDENT, park=w["park"]).exists()

    kept = factories.company(district=w["district"], admins=[w["member"]], name="Boshqa Soft")
    factories.residency(kept, w["park"], starts_on=w["residency"].starts_on)
    for person in (w["admin"], w["member"]):
        Membership.objects.create(user=person, role=Role.RESIDENT, park=w["park"])
    for step in (Step.SUSPENSION, Step.REVOCATION):
        w["residency"] = decide(w, step).residency
    # The admin loses it; the team member keeps it through their other company's current residency.
    assert not resident_role(w["admin"]) and resident_role(w["member"])
    decide(w, Step.REINSTATEMENT)
    assert resident_role(w["admin"])
