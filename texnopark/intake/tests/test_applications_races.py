"""A double click, or two tabs: the same application submitted twice at the same moment is submitted once.

Real concurrency, so PostgreSQL only and transactional tests; each thread has its own connection. The
guard is the application row lock taken before the status is read (`services.applications._lock`). With the
lock switched off (`INTAKE_LOCKS = False`) both requests read DRAFT and both submit: two audit entries,
two confirmations. That shows the test really races.
"""

import http.client
import time as clock
import urllib.parse
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from texnopark.accounts.models import Membership, Role, User
from texnopark.accounts.services import token_create
from texnopark.core.errors import AppError
from texnopark.core.models import AuditEntry
from texnopark.core.racing import race, send
from texnopark.intake.models import Application
from texnopark.intake.services import applications as services
from texnopark.intake.tests.test_calls import complete, make_call, media, people  # noqa: F401
from texnopark.network.models import District, Region, Sector, Technopark

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

RACERS = 10


@pytest.fixture
def world():
    """A park of our own (the flush after each transactional test removes the demo), an open call, and a
    founder's complete draft."""
    region = Region.objects.create(code="UZ-IRACE", name="Poyga viloyati", timezone="Asia/Tashkent")
    district = District.objects.create(region=region, name="Poyga tumani", population_thousands=Decimal("100.0"))
    park = Technopark.objects.create(region=region, district=district, slug="race-park", name="Poyga texnoparki")
    sector = Sector.objects.create(slug="race-sector", name="Poyga sohasi")
    manager = User.objects.create_user("race.manager@example.uz", "pw", language="en")
    Membership.objects.create(user=manager, role=Role.PARK_MANAGER, park=park)
    call = make_call(manager, park=park)
    founder = people(1, "racer")[0]
    application = complete(services.application_start(actor=founder, call=call), founder, district=district,
                           sector=sector)
    assert services.submission_problems(application) == []
    return {"call": call, "founder": founder, "application": application}


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between "read the status" and "write SUBMITTED" by 50 ms, so that without the lock
    the second request surely reads DRAFT too. With the lock on it changes nothing: the lock serialises both."""
    original = services.problems_of

    def slow(application, now=None):
        found = original(application, now)
        clock.sleep(0.05)
        return found

    monkeypatch.setattr(services, "problems_of", slow)


def submit_all_at_once(world, n=RACERS) -> Counter:
    def prepare(_n):
        return User.objects.get(pk=world["founder"].pk), Application.objects.get(pk=world["application"].pk)

    def act(person, application):
        return services.application_submit(actor=person, application=application)

    counted = Counter()
    for result in race(n, prepare, act):
        counted[result.code if isinstance(result, AppError) else
                str(result.status) if isinstance(result, Application) else repr(result)] += 1
    return counted


def submissions(application) -> int:
    return AuditEntry.objects.filter(action="intake.application.submitted", object_id=str(application.pk)).count()


def test_ten_submissions_at_once_submit_once(world, slow_check):
    counted = submit_all_at_once(world)
    assert counted == {"submitted": 1, "already_submitted": RACERS - 1}, counted
    assert submissions(world["application"]) == 1
    assert Application.objects.get(pk=world["application"].pk).status == Application.Status.SUBMITTED


def test_without_the_lock_the_same_application_is_submitted_more_than_once(world, slow_check, settings):
    settings.INTAKE_LOCKS = False
    counted = submit_all_at_once(world)
    print(f"lock off: {counted['submitted']} of {RACERS} submissions went through")  # shown with -s
    assert counted["submitted"] > 1, counted
    assert submissions(world["application"]) > 1


def test_two_tabs_submitting_at_a_running_server_submit_once(live_server, world, slow_check):
    """Two keep-alive connections (two tabs) with the founder's token post the submission together."""
    _token, plain = token_create(actor=world["founder"], name="tabs")
    application = world["application"]
    address = urllib.parse.urlsplit(live_server.url)
    path = f"/api/v1/applications/{application.pk}/submit"

    def prepare(_n):
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        status, _body = send(conn, "GET", f"/api/v1/applications/{application.pk}", plain)
        assert status == 200, status
        return (conn,)

    def act(conn):
        try:
            return send(conn, "POST", path, plain)
        finally:
            conn.close()

    answers = race(2, prepare, act)
    assert all(isinstance(answer, tuple) for answer in answers), answers
    assert Counter(status for status, _body in answers) == {200: 1, 409: 1}, answers
    refused = next(body for status, body in answers if status == 409)
    assert refused["code"] == "already_submitted" and refused["message"]
    assert submissions(application) == 1


def test_two_staff_returning_at_once_return_once(world):
    """Two of the park's staff (or one double click) return the same application together."""
    call, founder = world["call"], world["founder"]
    services.application_submit(actor=founder, application=world["application"])
    staff = User.objects.create_user("race.staff@example.uz", "pw", language="en")
    Membership.objects.create(user=staff, role=Role.PARK_STAFF, park=call.park)

    def prepare(n):
        return User.objects.get(pk=staff.pk), Application.objects.get(pk=world["application"].pk), n

    def act(person, application, n):
        return services.application_return(actor=person, application=application, note=f"Fix it ({n})")

    results = race(RACERS, prepare, act)
    assert sum(isinstance(r, Application) for r in results) == 1, results
    assert Counter(r.code for r in results if isinstance(r, AppError)) == {"returned_once": RACERS - 1}, results
    assert AuditEntry.objects.filter(action="intake.application.returned",
                                     object_id=str(world["application"].pk)).count() == 1
