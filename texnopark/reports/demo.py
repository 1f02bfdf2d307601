"""Demo quarterly reports of the residents and the compliance ladder. Called by `manage.py load_demo` after
the intake demo, which made the residencies.

Each resident reported every quarter from the one its residency started in up to the last finished one
(eight at most: no residency is older than that window). Figures grow from quarter to quarter; one jump
was flagged and explained. The reports are accepted, except the last quarter's: some submitted, some
missing or still drafts. One resident missed three quarters and was warned, then suspended; another
missed one and was warned. A second load finds the first resident's reports and does nothing.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.core import audit
from texnopark.core.models import AuditEntry, Notification
from texnopark.core.states import move
from texnopark.intake.models import Residency
from texnopark.reports.models import ComplianceDecision, QuarterlyReport
from texnopark.ventures import demo as ventures
from texnopark.ventures.models import CompanyMember, Stage

R = QuarterlyReport.Status
# Who reviews each park's reports and decides its compliance steps (e-mail local parts).
REVIEWERS = {"namangan-it": ("it.staff", "it.manager"), "namangan-textile": ("textile.manager", "textile.manager"),
             "chortoq-agro": ("chortoq.manager", "chortoq.manager"),
             "kosonsoy-medical": ("kosonsoy.manager", "kosonsoy.manager")}
# Revenue a quarter per employee, UZS; what share of it goes to R&D.
REVENUE_PER_EMPLOYEE = {"namangan-it": 28_000_000, "namangan-textile": 18_000_000, "chortoq-agro": 15_000_000,
                        "kosonsoy-medical": 22_000_000}
RND_SHARE = {"namangan-it": (6, 12), "namangan-textile": (1, 3), "chortoq-agro": (2, 5), "kosonsoy-medical": (5, 10)}
UZS_PER_USD = 12_650
# Residents whose reports tell a story (the first three started in the report window's first quarter).
SUSPENDED, WARNED, JUMPED, RETURNED = "logistika24", "ortopedservis", "medinfo", "kodvodiy"
JUMP_NOTE = "Raqamli Namangan loyihasi boʻyicha yirik davlat buyurtmasi bajarildi; shartnoma ilova qilingan."
RETURN_NOTE = "Eksport summasi bojxona maʼlumotlariga mos kelmaydi: yuk deklaratsiyalari bilan tekshirib, tuzating."


def label(index: int) -> str:
    """A quarter in Uzbek: 2026-yil 3-chorak."""
    return f"{index // 4}-yil {index % 4 + 1}-chorak"


def last_day(index: int):
    return ventures.quarter_first_day(index + 1) - timedelta(days=1)


def due_on(index: int):
    return last_day(index) + timedelta(days=settings.REPORT_DUE_DAYS)


def load(*, accounts: dict) -> None:
    keys = {ventures.stir_of(row[0]): row[0] for rows in ventures.COMPANIES.values() for row in rows}
    by_key = {keys[r.company.stir]: r for r in Residency.objects.filter(company__stir__in=keys)
              .select_related("company", "park")}
    first = ventures.COMPANIES["namangan-it"][0][0]
    if first not in by_key or QuarterlyReport.objects.filter(residency=by_key[first]).exists():
        return
    today = timezone.localdate()
    staff = {u.email.split("@")[0]: u for u in User.objects.filter(email__in=[
        ventures.email(local) for pair in REVIEWERS.values() for local in pair])}
    founders = {m.company_id: m.user for m in CompanyMember.objects.filter(
        company__in=[r.company for r in by_key.values()], role=CompanyMember.Role.FOUNDER).select_related("user")}
    filing = _Filing(today)
    reports = []
    for key, residency in by_key.items():
        reports += filing.reports(key, residency, founders.get(residency.company_id),
                                  staff.get(REVIEWERS[residency.park.slug][0]))
    QuarterlyReport.objects.bulk_create(reports)
    _compliance(by_key, staff, filing.last)
    if "resident" in accounts:
        _tell_resident(accounts["resident"], [r for r in reports if r.residency is by_key[first]], filing.last)


class _Filing:
    """Each resident's reports, quarter by quarter; `last` is the index of the last finished quarter."""

    def __init__(self, today):
        self.rng, self.now = random.Random(59), timezone.now()
        self.last = ventures.quarter_index(today) - 1

    def status(self, key: str, index: int) -> str | None:
        """None when not filed. The suspended resident filed nothing for three quarters, the warned one
        skipped the one before last; the staff have not reviewed the last quarter's reports yet."""
        last = self.last
        if (key == SUSPENDED and index >= last - 2) or (key == WARNED and index == last - 1):
            return None
        if index < last:
            return R.ACCEPTED
        if key == "namsoft":  # the resident persona has a draft to finish
            return R.DRAFT
        if key in (RETURNED, WARNED):  # the warned one is back on track
            return R.RETURNED if key == RETURNED else R.SUBMITTED
        return self.rng.choices([R.SUBMITTED, None, R.DRAFT], [7, 2, 1])[0]

    def reports(self, key, residency, admin, reviewer) -> list[QuarterlyReport]:
        rng, slug, company = self.rng, residency.park.slug, residency.company
        first = ventures.quarter_index(residency.starts_on)
        count = self.last - first + 1
        growth = rng.uniform(1.04, 1.11)
        young = company.stage in (Stage.IDEA, Stage.PROTOTYPE, Stage.MVP)
        final = company.employees * REVENUE_PER_EMPLOYEE[slug] * (0.3 if young else 1)
        reports, employees = [], 0
        for step, index in enumerate(range(first, self.last + 1)):
            status = self.status(key, index)
            revenue = final / growth ** (count - 1 - step) * rng.uniform(0.93, 1.07)
            if key == JUMPED and index < self.last - 2:  # before the big order
                revenue /= 3.6
            headcount = max(1, round(company.employees * (0.6 + 0.4 * step / max(1, count - 1))))
            if status is None:
                continue
            report = QuarterlyReport(
                residency=residency, year=index // 4, quarter=index % 4 + 1, revenue_uzs=_uzs(revenue),
                exports_usd=_usd(revenue * rng.uniform(0.25, 0.5) / UZS_PER_USD)
                if company.stage == Stage.EXPORTING else Decimal("0.00"),
                employees=headcount, new_jobs=max(0, headcount - employees) if employees else headcount // 5,
                investment_uzs=_uzs(rng.randint(2, 15) * 10**8) if rng.random() < 0.15 else Decimal("0.00"),
                rnd_uzs=_uzs(revenue * rng.randint(*RND_SHARE[slug]) / 100),
                patents=int(slug in ("chortoq-agro", "kosonsoy-medical") and rng.random() < 0.06),
                other_ip=int(slug == "namangan-it" and rng.random() < 0.2), products_launched=int(rng.random() < 0.1),
                status=status)
            employees = headcount
            self.dates(report, index, admin, reviewer)
            if key == JUMPED and index == self.last - 2:
                report.warnings = {"revenue_uzs": [str(reports[-1].revenue_uzs), str(report.revenue_uzs)]}
                report.note, report.review_note = JUMP_NOTE, "Shartnoma nusxasi bilan tasdiqlandi."
            reports.append(report)
        return reports

    def dates(self, report, index, admin, reviewer) -> None:
        """Filed within the deadline (never later than now), reviewed a few days later."""
        if report.status == R.DRAFT:
            return
        rng = self.rng
        filed = ventures.at(last_day(index) + timedelta(days=rng.randint(3, 24)), rng.randint(9, 18))
        report.submitted_at, report.submitted_by = min(filed, self.now - timedelta(minutes=1)), admin
        if report.status == R.ACCEPTED:
            report.reviewed_by = reviewer
            report.reviewed_at = report.submitted_at + timedelta(days=rng.randint(2, 9))
        if report.status == R.RETURNED:
            report.reviewed_by, report.review_note = reviewer, RETURN_NOTE
            report.reviewed_at = min(report.submitted_at + timedelta(hours=20), self.now)


def _uzs(value) -> Decimal:
    return Decimal(int(value) // 1000 * 1000).quantize(ventures.CENT)


def _usd(value) -> Decimal:
    return Decimal(int(value)).quantize(ventures.CENT)


def _compliance(by_key, staff, last) -> None:
    """A warning and then a suspension for three quarters missed; a warning for one. Each step is recorded
    as the reports service records it: the decision and an audit entry on the residency."""
    steps = [(SUSPENDED, ComplianceDecision.Step.WARNING, due_on(last - 2) + timedelta(days=10),
              f"{label(last - 2)} hisoboti muddatida topshirilmadi (muddat: {due_on(last - 2):%d.%m.%Y})."),
             (SUSPENDED, ComplianceDecision.Step.SUSPENSION, due_on(last - 1) + timedelta(days=7),
              f"2 chorak hisobotlari muddati oʻtgan ({label(last - 2)}, {label(last - 1)}); ogohlantirishga "
              "javob berilmadi."),
             (WARNED, ComplianceDecision.Step.WARNING, due_on(last - 1) + timedelta(days=10),
              f"{label(last - 1)} hisoboti muddati oʻtgan.")]
    decisions, entries = [], []
    for key, step, effective, reason in steps:
        residency = by_key[key]
        actor = staff.get(REVIEWERS[residency.park.slug][1])
        old = move(residency, ComplianceDecision.LEADS_TO[step], Residency.TRANSITIONS)
        residency.status_reason, residency.status_since = reason, effective
        residency.save(update_fields=["status", "status_reason", "status_since"])
        decision = ComplianceDecision.objects.create(residency=residency, step=step, from_status=old,
                                                     to_status=residency.status, reason=reason,
                                                     effective_on=effective, decided_by=actor)
        decision.decided_at = ventures.at(effective, 11)
        entry = audit.record(actor=actor, action=f"reports.compliance.{step}", obj=residency, changes={
            "status": [old, residency.status], "status_reason": [None, reason],
            "status_since": [None, effective.isoformat()], "compliance_decision": [None, decision.pk]})
        entry.created_at = decision.decided_at
        decisions.append(decision)
        entries.append(entry)
    ComplianceDecision.objects.bulk_update(decisions, ["decided_at"])
    AuditEntry.objects.bulk_update(entries, ["created_at"])


def _tell_resident(person, reports, last) -> None:
    """What the site told the resident persona: a report accepted, the last quarter's deadline."""
    accepted = [r for r in reports if r.status == R.ACCEPTED][-1]
    index = accepted.year * 4 + accepted.quarter - 1
    residency = accepted.residency
    notes = [Notification(user=person, message=f"Namangan Soft MChJ: {label(index)} hisoboti qabul qilindi.",
                          url=reverse("reports:report", args=[accepted.pk]), created_at=accepted.reviewed_at),
             Notification(user=person, message=f"Namangan Soft MChJ: {label(last)} hisobotini "
                          f"{due_on(last):%d.%m.%Y} gacha topshiring.",
                          url=reverse("reports:file", args=[residency.pk, last // 4, last % 4 + 1]),
                          created_at=ventures.at(last_day(last) + timedelta(days=1), 9))]
    Notification.objects.bulk_update(Notification.objects.bulk_create(notes), ["created_at"])
