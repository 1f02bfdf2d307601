"""Races at the commission, for real on PostgreSQL: staff deciding the same application at once, and
acceptances in the same park taking agreement numbers at once.

Transactional tests, each thread on its own connection (`core.racing.race`). The guards are the row locks
in `services.commission`: the application row before a decision, the park row before a number. With
`INTAKE_LOCKS = False` the same races go wrong, which shows that the tests really race: a sleep widens the
window between reading and writing so that they do so every time, while with the locks on it changes nothing.
"""

import http.client
import re
import time as clock
import urllib.parse
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.accounts.services import token_create
from texnopark.core.errors import AppError
from texnopark.core.racing import race, send
from texnopark.intake.models import Application, Decision, Meeting, Residency
from texnopark.intake.services import commission
from texnopark.intake.tests.test_review_services import make_world, person

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

RACERS = 10


@pytest.fixture
def world():
    world = make_world("crace", applications=RACERS)
    world["staff_all"] = [world["staff"], world["manager"]] + [
        person(f"staff{n}.crace@example.uz", f"Staff {n}", park_staff=world["park"]) for n in range(RACERS - 2)]
    return world


def in_session(world) -> Meeting:
    meeting = commission.meeting_create(actor=world["staff"], call=world["call"], held_at=timezone.now())
    return commission.record_attendance(actor=world["staff"], meeting=meeting,
                                        present_member_ids=[m.pk for m in world["commission"]])


@pytest.fixture
def slow(monkeypatch):
    """50 ms between reading (the application's status, the numbers taken) and writing."""
    def slower(original):
        def wrapped(*args, **kwargs):
            result = original(*args, **kwargs)
            clock.sleep(0.05)
            return result
        return wrapped

    monkeypatch.setattr(commission, "_on_agenda", slower(commission._on_agenda))
    monkeypatch.setattr(commission, "next_residency_number", slower(commission.next_residency_number))


def outcomes(results) -> Counter:
    counted = Counter()
    for result in results:
        if isinstance(result, Decision):
            counted[result.outcome] += 1
        elif isinstance(result, AppError):
            counted[result.code] += 1
        else:
            counted[type(result).__name__] += 1
    return counted


def decide_at_once(world, plans) -> Counter:
    """plans[n] = (meeting, outcome, reason) for racer n, all on the first application."""
    application = world["applications"][0]

    def prepare(n):
        meeting, outcome, reason = plans[n]
        return (User.objects.get(pk=world["staff_all"][n].pk), Meeting.objects.get(pk=meeting.pk),
                Application.objects.get(pk=application.pk), outcome, reason)

    def act(actor, meeting, application, outcome, reason):
        return commission.decide(actor=actor, meeting=meeting, application=application, outcome=outcome,
                                 reason=reason)

    return outcomes(race(len(plans), prepare, act))


def test_ten_staff_accepting_the_same_application_make_one_decision_and_one_residency(world, slow):
    meeting = in_session(world)
    counted = decide_at_once(world, [(meeting, "accepted", "")] * RACERS)
    assert counted["accepted"] == 1, counted
    assert counted["already_decided"] + counted["forbidden_transition"] == RACERS - 1, counted
    application = world["applications"][0]
    assert Decision.objects.filter(application=application).count() == 1
    assert Residency.objects.filter(application=application).count() == 1
    assert Residency.objects.filter(park=world["park"]).count() == 1


@pytest.mark.parametrize("locks", [True, False], ids=["lock-on", "lock-off"])
def test_two_meetings_deciding_the_same_application_at_once(world, slow, settings, locks):
    """One meeting accepts while another rejects: with the lock, one of them finds it decided; without it,
    the application gets two contradicting decisions."""
    settings.INTAKE_LOCKS = locks
    accepting, rejecting = in_session(world), in_session(world)
    plans = [(accepting, "accepted", ""), (rejecting, "rejected", "Too early")] * (RACERS // 2)
    counted = decide_at_once(world, plans)
    decisions = Decision.objects.filter(application=world["applications"][0]).count()
    print(f"locks {'on' if locks else 'off'}: {counted}, {decisions} decisions")  # shown with -s
    if locks:
        assert decisions == 1 and counted["accepted"] + counted["rejected"] == 1, counted
        assert counted["forbidden_transition"] + counted["already_decided"] == RACERS - 1, counted
    else:
        assert decisions > 1, counted


@pytest.mark.parametrize("locks", [True, False], ids=["lock-on", "lock-off"])
def test_acceptances_in_one_park_at_once_take_distinct_numbers(world, slow, settings, locks):
    settings.INTAKE_LOCKS = locks
    meeting = in_session(world)

    def prepare(n):
        return (User.objects.get(pk=world["staff_all"][n].pk), Meeting.objects.get(pk=meeting.pk),
                Application.objects.get(pk=world["applications"][n].pk))

    def act(actor, meeting, application):
        return commission.decide(actor=actor, meeting=meeting, application=application, outcome="accepted")

    counted = outcomes(race(RACERS, prepare, act))
    numbers = sorted(Residency.objects.filter(park=world["park"]).values_list("number", flat=True))
    print(f"locks {'on' if locks else 'off'}: {counted}, numbers {numbers}")
    if locks:
        year = timezone.localdate().year
        assert counted == {"accepted": RACERS}, counted
        assert numbers == [f"CRACE-{year}-{n:03d}" for n in range(1, RACERS + 1)]
    else:
        # The same number computed twice: the unique constraint refuses all but one of each.
        assert counted["accepted"] < RACERS, counted
        assert len(numbers) == len(set(numbers)) == counted["accepted"]


# At a running server


def connected(live_server) -> http.client.HTTPConnection:
    address = urllib.parse.urlsplit(live_server.url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=60)


def test_two_staff_deciding_over_the_api_at_once(live_server, world, slow):
    meeting = in_session(world)
    application = world["applications"][0]
    tokens = [token_create(actor=user, name="race")[1] for user in world["staff_all"][:2]]
    path = f"/api/v1/meetings/{meeting.pk}/decisions"

    def prepare(n):
        conn = connected(live_server)
        status, _body = send(conn, "GET", f"/api/v1/meetings/{meeting.pk}", tokens[n])
        assert status == 200
        return conn, tokens[n]

    def act(conn, token):
        try:
            return send(conn, "POST", path, token, {"application_id": application.pk, "outcome": "accepted"})
        finally:
            conn.close()

    answers = race(2, prepare, act)
    assert sorted(status for status, _body in answers) == [201, 409], answers
    created = next(body for status, body in answers if status == 201)
    assert re.fullmatch(r"CRACE-\d{4}-001", created["residency_number"])
    assert Residency.objects.filter(application=application).count() == 1
    assert Decision.objects.filter(application=application).count() == 1
    refused = next(body for status, body in answers if status == 409)
    assert refused["code"] in ("already_decided", "forbidden_transition")
