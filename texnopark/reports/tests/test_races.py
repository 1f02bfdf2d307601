"""Races around quarterly reports, compliance and reminders, for real on PostgreSQL.

- Ten browser tabs create the same quarter's report at once: one report; the others are told it was just
  created (the unique constraint `report_one_per_quarter` decides; its IntegrityError becomes a clear message).
- The resident edits a submitted report while the park accepts it: the report's row lock serialises them, so
  an accepted report is never turned back into a submitted one. Without the lock (`REPORT_LOCKS = False`) the
  edit overwrites the acceptance.
- Two managers decide the same compliance step at once: one decision; the other is a forbidden transition.
  Without the residency's row lock both are recorded.
- The daily reminder job runs twice at once: every reminder is sent once (the `Reminder` row comes first).

Transactional tests (each thread has its own connection), so a region of our own: the flush after each test
removes the demo.
"""

import http.client
import threading
import time as clock
import urllib.parse
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.accounts.services import token_create
from texnopark.core.errors import AppError
from texnopark.core.models import Notification
from texnopark.core.racing import race, send
from texnopark.intake.models import Residency
from texnopark.reports import services
from texnopark.reports.models import ComplianceDecision, QuarterlyReport, Reminder
from texnopark.reports.quarters import last_finished
from texnopark.reports.tests import factories

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

R = QuarterlyReport.Status
TABS = 10


@pytest.fixture
def w():
    return factories.world(code="UZ-RRACE")


@pytest.fixture
def q():
    return last_finished(timezone.localdate())


def outcome(result) -> str:
    if isinstance(result, AppError):
        return result.code
    if isinstance(result, (QuarterlyReport, ComplianceDecision)):
        return "done"
    return repr(result)


@pytest.fixture
def slow_lookup(monkeypatch):
    """Widen the window between "is there a report?" and "insert ours" (and, for an existing report, between
    reading it and saving it) to 200 ms, so the racers really overlap on a small machine."""
    original = services.previous_report

    def slow(residency, quarter):
        clock.sleep(0.2)
        return original(residency, quarter)

    monkeypatch.setattr(services, "previous_report", slow)


def fresh(model, pk):
    """The object as this thread's own connection reads it."""
    return model.objects.get(pk=pk)


# Two tabs, one quarter


def test_ten_tabs_creating_the_same_quarters_report_make_one(w, q, slow_lookup):
    def prepare(n):
        return User.objects.get(pk=w["admin"].pk), fresh(Residency, w["residency"].pk), n

    def act(actor, residency, n):
        return services.report_save(actor=actor, residency=residency, year=q.year, quarter=q.quarter,
                                    fields={"employees": n}, submit=n % 2 == 0, today=q.due_on)

    results = race(TABS, prepare, act)
    assert Counter(outcome(r) for r in results) == {"done": 1, "report_exists": TABS - 1}, results
    assert QuarterlyReport.objects.filter(residency=w["residency"], year=q.year, quarter=q.quarter).count() == 1
    message = next(str(r.message) for r in results if isinstance(r, AppError))
    assert "just created in another window" in message


def connected(live_server, token) -> http.client.HTTPConnection:
    """A keep-alive connection the server has accepted, warmed up with a harmless GET."""
    address = urllib.parse.urlsplit(live_server.url)
    for attempt in range(5):
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            status, _body = send(conn, "GET", "/api/v1/reports", token)
            assert status == 200, status
            return conn
        except ConnectionError:
            conn.close()
            clock.sleep(0.1 * (attempt + 1))
    raise AssertionError("could not connect to the test server")


def test_ten_puts_of_the_same_quarter_at_a_running_server_make_one_report(live_server, w, slow_lookup):
    # An older quarter, filed late: its report may be created and submitted at any time.
    old = last_finished(timezone.localdate()).previous()
    _token, plain = token_create(actor=w["admin"], name="tabs")
    path = f"/api/v1/residencies/{w['residency'].pk}/reports/{old.year}/{old.quarter}"
    warm_up = threading.Semaphore(5)

    def prepare(n):
        with warm_up:
            return connected(live_server, plain), n

    def act(conn, n):
        try:
            return send(conn, "PUT", path, plain, {"employees": n, "revenue_uzs": "1000"})
        finally:
            conn.close()

    answers = race(TABS, prepare, act)
    assert all(isinstance(answer, tuple) for answer in answers), answers
    assert Counter(status for status, _body in answers) == {200: 1, 409: TABS - 1}, answers
    assert {body["code"] for status, body in answers if status == 409} == {"report_exists"}
    assert QuarterlyReport.objects.filter(residency=w["residency"], year=old.year, quarter=old.quarter).count() == 1


# Edit and accept at once


@pytest.mark.parametrize("locks", [True, False], ids=["lock-on", "lock-off"])
def test_an_edit_and_the_acceptance_at_once(w, q, slow_lookup, settings, locks):
    settings.REPORT_LOCKS = locks
    report = factories.report(w["residency"], *q, employees=5)

    def prepare(n):
        actor = User.objects.get(pk=(w["admin"] if n == 0 else w["staff"]).pk)
        return n, actor, fresh(Residency, w["residency"].pk), fresh(QuarterlyReport, report.pk)

    def act(n, actor, residency, stale):
        if n == 0:  # the resident's edit reads the report first, then takes 200 ms (slow_lookup) to save
            return services.report_save(actor=actor, residency=residency, year=q.year, quarter=q.quarter,
                                        fields={"employees": 50}, today=q.due_on)
        clock.sleep(0.05)
        return services.report_accept(actor=actor, report=stale)

    results = race(2, prepare, act)
    final = QuarterlyReport.objects.get(pk=report.pk)
    if locks:
        # The edit held the row: the acceptance waited, then accepted the edited figures.
        assert [outcome(r) for r in results] == ["done", "done"], results
        assert (final.status, final.employees) == (R.ACCEPTED, 50)
    else:
        # Both "succeeded", and the edit wrote the old status over the acceptance: a lost update.
        assert [outcome(r) for r in results] == ["done", "done"], results
        assert (final.status, final.employees) == (R.SUBMITTED, 50)


# Compliance


@pytest.mark.parametrize("locks", [True, False], ids=["lock-on", "lock-off"])
def test_two_managers_decide_the_same_step_at_once(w, monkeypatch, settings, locks):
    settings.REPORT_LOCKS = locks
    original = services.move

    def slow_move(obj, target, transitions):
        old = original(obj, target, transitions)
        clock.sleep(0.2)
        return old

    monkeypatch.setattr(services, "move", slow_move)
    deciders = [w["manager"], w["region_admin"]] * 3

    def prepare(n):
        return User.objects.get(pk=deciders[n].pk), fresh(Residency, w["residency"].pk)

    def act(actor, residency):
        return services.compliance_decide(actor=actor, residency=residency, step="warning",
                                          reason="Ikki chorak hisobot yo'q", effective_on=timezone.localdate())

    counted = Counter(outcome(r) for r in race(len(deciders), prepare, act))
    decisions = ComplianceDecision.objects.filter(residency=w["residency"])
    if locks:
        assert counted == {"done": 1, "forbidden_transition": len(deciders) - 1}, counted
        assert decisions.count() == 1
    else:
        assert counted["done"] > 1, counted
        assert decisions.count() > 1 and set(decisions.values_list("from_status", flat=True)) == {"active"}
    assert Residency.objects.get(pk=w["residency"].pk).status == Residency.Status.WARNING


# Reminders


def test_the_reminder_job_run_twice_at_once_sends_each_reminder_once(w, q):
    others = [factories.residency(factories.company(district=w["district"], admins=[factories.person("Boss")]),
                                  w["park"], starts_on=w["residency"].starts_on) for _n in range(4)]
    mine = [w["residency"].pk, *[r.pk for r in others]]
    day = q.due_on - timedelta(days=7)

    results = race(TABS, lambda n: (), lambda: services.send_reminders(day))
    assert all(isinstance(r, int) for r in results), results
    assert Reminder.objects.filter(residency__in=mine, year=q.year, quarter=q.quarter).count() == len(mine)
    admins = User.objects.filter(company_memberships__company__residencies__in=mine,
                                 company_memberships__is_admin=True)
    assert Notification.objects.filter(user__in=admins).count() == len(mine)
    assert sum(results) == Reminder.objects.count()
