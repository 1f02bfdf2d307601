"""The reports demo: eight quarters for residents that started long enough ago, none outside the residency,
most accepted and the last a mix; some overdue; one flagged jump; exactly one suspended resident (warned
first) and one warned, each step audited; a rerun adds nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import resolve
from django.utils import timezone

from texnopark.core.models import AuditEntry, Notification
from texnopark.intake.models import Residency
from texnopark.reports import demo
from texnopark.reports.models import ComplianceDecision, QuarterlyReport
from texnopark.ventures import demo as ventures

pytestmark = pytest.mark.django_db

MODELS = [QuarterlyReport, ComplianceDecision, AuditEntry, Notification]
DEMO_STIRS = [ventures.stir_of(row[0]) for rows in ventures.COMPANIES.values() for row in rows]
FILED = ("submitted", "returned", "accepted")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def residencies():
    return Residency.objects.filter(company__stir__in=DEMO_STIRS).select_related("company", "park")


def last_finished() -> int:
    return ventures.quarter_index(timezone.localdate()) - 1


def index_of(report) -> int:
    return report.year * 4 + report.quarter - 1


def test_loading_the_demo_twice_adds_nothing():
    before = counts()
    call_command("load_demo", quiet_accounts=True)
    call_command("load_demo", quiet_accounts=True)
    assert counts() == before


def test_residents_that_started_long_enough_ago_have_eight_quarters_and_none_outside_their_residency():
    last, full = last_finished(), 0
    for residency in residencies().prefetch_related("reports"):
        first = ventures.quarter_index(residency.starts_on)
        indexes = {index_of(r) for r in residency.reports.all()}
        assert indexes <= set(range(first, last + 1)), residency
        skipped = residency.company.stir in (ventures.stir_of(demo.SUSPENDED), ventures.stir_of(demo.WARNED))
        if not skipped and first <= last - 7:
            full += 1
            assert indexes >= set(range(last - 7, last)), residency  # the last quarter may be missing
    assert full >= 16


def test_most_reports_are_accepted_and_the_last_quarter_is_a_mix_of_submitted_and_missing():
    last = last_finished()
    reports = QuarterlyReport.objects.filter(residency__in=residencies())
    assert reports.filter(status="accepted").count() > 0.8 * reports.count()
    latest = reports.filter(year=last // 4, quarter=last % 4 + 1)
    assert latest.filter(status="submitted").count() >= 5
    assert not latest.filter(status="accepted").exists()
    assert latest.filter(status__in=FILED).count() < residencies().count()
    for report in reports.filter(status__in=FILED):
        assert report.submitted_at and report.submitted_by
        assert timezone.localdate(report.submitted_at) > demo.last_day(index_of(report))
    for report in reports.filter(status="accepted")[:50]:
        assert report.reviewed_by and report.reviewed_at >= report.submitted_at
        report.full_clean(validate_constraints=False)


def test_some_reports_are_overdue():
    today, overdue = timezone.localdate(), 0
    for residency in residencies().filter(status__in=Residency.CURRENT).prefetch_related("reports"):
        filed = {index_of(r) for r in residency.reports.all() if r.status in FILED}
        for index in range(ventures.quarter_index(residency.starts_on), last_finished() + 1):
            quarter_end = demo.last_day(index)
            if today > quarter_end + timedelta(days=settings.REPORT_DUE_DAYS) and index not in filed:
                overdue += 1
    assert overdue >= 3


def test_figures_grow_and_exporters_report_exports():
    for residency in residencies().filter(company__stage="exporting"):
        reports = sorted(residency.reports.all(), key=index_of)
        assert all(r.exports_usd > 0 for r in reports)
        if len(reports) >= 6:
            assert reports[-1].revenue_uzs > reports[0].revenue_uzs
            assert reports[-1].employees >= reports[0].employees
    biggest = QuarterlyReport.objects.filter(residency__in=residencies()).order_by("-revenue_uzs").first()
    assert biggest.revenue_uzs >= 1_000_000_000


def test_one_implausible_jump_is_recorded_in_its_reports_warnings():
    flagged = QuarterlyReport.objects.filter(residency__in=residencies()).exclude(warnings={})
    assert flagged.count() == 1
    report = flagged.get()
    before, now = (float(v) for v in report.warnings["revenue_uzs"])
    assert now > 3 * before and float(report.revenue_uzs) == now and report.note


def test_exactly_one_resident_is_suspended_after_a_warning_and_one_is_warned():
    suspended = residencies().get(status=Residency.Status.SUSPENDED)
    assert suspended.company.stir == ventures.stir_of(demo.SUSPENDED)
    steps = list(suspended.compliance_decisions.order_by("effective_on").values_list("step", "from_status",
                                                                                     "to_status"))
    assert steps == [("warning", "active", "warning"), ("suspension", "warning", "suspended")]
    assert "2 chorak" in suspended.status_reason
    warned = residencies().get(status=Residency.Status.WARNING)
    assert list(warned.compliance_decisions.values_list("step", flat=True)) == ["warning"]
    for decision in ComplianceDecision.objects.filter(residency__in=[suspended, warned]):
        assert decision.reason and decision.decided_by and decision.effective_on <= timezone.localdate()
        entry = AuditEntry.objects.get(action=f"reports.compliance.{decision.step}",
                                       object_id=str(decision.residency_id),
                                       changes__compliance_decision=[None, decision.pk])
        assert entry.region_id == decision.residency.park.region_id and entry.actor == decision.decided_by


def test_the_resident_persona_has_a_draft_to_finish_and_notifications(demo_user):
    resident = demo_user("resident")
    last = last_finished()
    report = QuarterlyReport.objects.get(residency__company__members__user=resident, year=last // 4,
                                         quarter=last % 4 + 1)
    assert report.status == "draft"
    links = {resolve(n.url).url_name for n in Notification.objects.filter(user=resident).exclude(url="")}
    assert {"report", "file"} <= links
