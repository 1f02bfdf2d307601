"""Fifty people enrol for the last seats at the same moment: exactly as many get a seat as there are.

Real concurrency, so PostgreSQL only and transactional tests (`TestCase` would run everything in one
transaction on one connection and hide locking bugs). Each thread opens its own connection and closes it.

The guard is the session row lock taken before counting (`services._lock`); a person's second seat is
refused by the partial unique constraint `enrolment_one_active_per_person`. With the lock switched off
(`TRAINING_LOCKS = False`) the same race over-books: that shows the tests really race.
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
from texnopark.core.models import AuditEntry
from texnopark.core.racing import race, send
from texnopark.training import services
from texnopark.training.models import Enrolment, Session
from texnopark.training.tests.test_services import make_world

# Skipped on SQLite (it runs every transaction BEGIN IMMEDIATE: writers queue, nothing races).
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

RACERS = 50
SEATS = 5
E = Enrolment.Status
SEATED = [str(s) for s in Enrolment.SEATED]


@pytest.fixture
def world():
    """A region of our own (the flush after each transactional test removes the demo), a session of five
    seats, and fifty citizens."""
    world = make_world(code="UZ-TRACE", people=RACERS, capacity=SEATS)
    # Until the first flush the demo is still here: its offers must not run out during our expiry races.
    Enrolment.objects.filter(status=E.OFFERED).update(offer_expires_at=timezone.now() + timedelta(days=3650))
    return world




def outcomes(results) -> Counter:
    counted = Counter()
    for result in results:
        if isinstance(result, Enrolment):
            counted[str(result.status)] += 1
        elif isinstance(result, AppError):
            counted[result.code] += 1
        elif isinstance(result, int) and not isinstance(result, bool):
            counted["expire_run"] += 1
        else:
            counted[repr(result)] += 1
    return counted


def seated_now(session) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM training_enrolment WHERE session_id = %s AND status = ANY(%s)",
                       [session.pk, SEATED])
        return cursor.fetchone()[0]


class SeatWatcher:
    """Counts the seated rows again and again while the race runs, from a connection of its own: the most
    it ever saw is what the database held at some moment (each count reads one committed snapshot)."""

    def __init__(self, session):
        self.session, self.most, self.looks = session, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _watch(self):
        try:
            while not self._stop.is_set():
                self.most = max(self.most, seated_now(self.session))
                self.looks += 1
                clock.sleep(0.002)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)


def enrol_all_at_once(world, people=None) -> Counter:
    people = people if people is not None else world["people"]

    def prepare(n):
        return User.objects.get(pk=people[n].pk), Session.objects.get(pk=world["session"].pk)

    def act(person, session):
        return services.enrol(actor=person, session=session, full_name=person.full_name or "Racer")

    return outcomes(race(len(people), prepare, act))


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between "count the seats taken" and "insert ours" by 50 ms.

    Without the lock the race is real but the window is a few milliseconds, so on a small machine it
    may close before the other threads get there; the sleep makes the guard-off test show it every time.
    With the lock on the sleep changes nothing (the lock serialises count-and-insert), which the
    guard-on tests also prove by using it."""
    original = services.seats_taken

    def slow(session):
        taken = original(session)
        clock.sleep(0.05)
        return taken

    monkeypatch.setattr(services, "seats_taken", slow)


# At the service


def test_fifty_people_enrol_for_five_seats_at_once_five_get_a_seat(world, slow_count):
    session = world["session"]
    with SeatWatcher(session) as watcher:
        counted = enrol_all_at_once(world)
    assert counted == {"enrolled": SEATS, "waiting": RACERS - SEATS}, counted
    assert watcher.looks > 0 and watcher.most <= SEATS, watcher.most
    assert seated_now(session) == SEATS
    rows = list(Enrolment.objects.filter(session=session).values_list("pk", "status", "queued_at"))
    # First come, first served: everyone seated asked before everyone waiting ...
    seated_asked = [asked for _pk, status, asked in rows if status == E.ENROLLED]
    waiting_asked = [asked for _pk, status, asked in rows if status == E.WAITING]
    assert max(seated_asked) <= min(waiting_asked)
    # ... and the line (ordered by queued_at, id) is the order in which the rows were written under the lock.
    line = list(Enrolment.objects.filter(session=session, status=E.WAITING).order_by("queued_at", "id")
                .values_list("pk", "queued_at"))
    assert [pk for pk, _asked in line] == sorted(pk for pk, _asked in line)
    assert [asked for _pk, asked in line] == sorted(asked for _pk, asked in line)
    assert len(line) == RACERS - SEATS


@pytest.mark.parametrize("locks", [True, False], ids=["lock-on", "lock-off"])
def test_one_person_enrolling_ten_times_at_once_holds_one_place(world, slow_count, settings, locks):
    """With the lock off the "already enrolled?" check races too: the partial unique constraint decides."""
    settings.TRAINING_LOCKS = locks
    person = world["people"][0]
    counted = enrol_all_at_once(world, people=[person] * 10)
    assert counted == {"enrolled": 1, "already_enrolled": 9}, counted
    assert Enrolment.objects.filter(session=world["session"], person=person).count() == 1


def full_with_a_line(world, waiting: int = 10) -> tuple[list[Enrolment], list[Enrolment]]:
    """Five seated, then `waiting` in line, enrolled one after another."""
    session = world["session"]
    enrolments = [services.enrol(actor=person, session=session, full_name=person.full_name)
                  for person in world["people"][:SEATS + waiting]]
    return enrolments[:SEATS], enrolments[SEATS:]


def offers_made(session) -> int:
    """Offers made in this session, as the audit log recorded them (one entry per offer)."""
    ids = [str(pk) for pk in Enrolment.objects.filter(session=session).values_list("pk", flat=True)]
    return AuditEntry.objects.filter(action="training.enrolment.offered", object_id__in=ids).count()


def test_a_freed_seat_is_offered_once_to_the_first_in_line(world):
    """Twenty threads: ten cancel the same seat (its holder, the centre's staff), ten run the offer expiry."""
    seated, line = full_with_a_line(world)
    leaving = seated[2]
    actors = [leaving.person, world["staff"]]

    def prepare(n):
        actor = User.objects.get(pk=actors[n % 2].pk)
        return n, actor, Enrolment.objects.select_related("session").get(pk=leaving.pk)

    def act(n, actor, enrolment):
        if n < 10:
            return services.enrolment_cancel(actor=actor, enrolment=enrolment)
        return services.expire_offers_everywhere()

    counted = outcomes(race(20, prepare, act))
    assert counted == {"cancelled": 1, "not_active": 9, "expire_run": 10}, counted
    offered = list(Enrolment.objects.filter(session=world["session"], status=E.OFFERED).values_list("pk", flat=True))
    assert offered == [line[0].pk]
    assert offers_made(world["session"]) == 1
    assert seated_now(world["session"]) == SEATS
    assert list(Enrolment.objects.filter(session=world["session"], status=E.WAITING).values_list("pk", flat=True)) \
        == [e.pk for e in line[1:]]


def test_an_expired_offer_passes_on_once_however_many_run_the_expiry(world):
    """Twenty threads run the expiry (cron on two machines, say) while the late person tries to confirm."""
    seated, line = full_with_a_line(world)
    services.enrolment_cancel(actor=seated[0].person, enrolment=seated[0])
    late = Enrolment.objects.get(pk=line[0].pk)
    assert late.status == E.OFFERED
    Enrolment.objects.filter(pk=late.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    before = offers_made(world["session"])

    def prepare(n):
        return n, User.objects.get(pk=late.person_id), Enrolment.objects.get(pk=late.pk)

    def act(n, person, enrolment):
        if n == 0:
            return services.offer_confirm(actor=person, enrolment=enrolment)
        return services.expire_offers_everywhere()

    results = race(20, prepare, act)
    # Whoever takes the lock first hands the seat on: the late confirmation itself ("offer_expired"), or one
    # of the expiry runs (then the confirmation finds no offer). Exactly one hand-over in all.
    assert isinstance(results[0], AppError) and results[0].code in ("offer_expired", "no_offer"), results[0]
    assert all(isinstance(r, int) for r in results[1:]), results
    hand_overs = sum(results[1:]) + (results[0].code == "offer_expired")
    assert hand_overs == 1, results
    assert Enrolment.objects.get(pk=late.pk).status == E.OFFER_EXPIRED
    offered = list(Enrolment.objects.filter(session=world["session"], status=E.OFFERED).values_list("pk", flat=True))
    assert offered == [line[1].pk]
    assert offers_made(world["session"]) - before == 1
    assert seated_now(world["session"]) == SEATS


def test_without_the_lock_fifty_people_take_more_than_five_seats(world, slow_count, settings):
    settings.TRAINING_LOCKS = False
    session = world["session"]
    with SeatWatcher(session) as watcher:
        counted = enrol_all_at_once(world)
    print(f"lock off: {counted['enrolled']} of {RACERS} seated in a session of {SEATS}")  # shown with -s
    assert counted["enrolled"] > SEATS, counted
    assert counted["enrolled"] + counted["waiting"] == RACERS, counted
    assert seated_now(session) > SEATS
    assert watcher.most > SEATS


# At a running server


@pytest.fixture
def tokens(world):
    return [token_create(actor=person, name="race")[1] for person in world["people"]]




def connected(live_server, session, token, warm_up: threading.Semaphore) -> http.client.HTTPConnection:
    """A keep-alive connection the server has already accepted, warmed up with a harmless GET.

    The test server listens with a backlog of 10: fifty connections opened at once overflow it and some
    are reset. So each client connects and reads the session first (a few at a time, retrying a reset: a
    GET changes nothing), and the fifty POSTs then race on open connections."""
    address = urllib.parse.urlsplit(live_server.url)
    for attempt in range(5):
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            with warm_up:
                status, _body = send(conn, "GET", f"/api/v1/training/sessions/{session.pk}", token)
            assert status == 200, status
            return conn
        except ConnectionError:
            conn.close()
            clock.sleep(0.1 * (attempt + 1))
    raise AssertionError("could not connect to the test server")


def test_fifty_enrolments_at_a_running_server_five_seated(live_server, world, tokens):
    session = world["session"]
    path = f"/api/v1/training/sessions/{session.pk}/enrolments"
    warm_up = threading.Semaphore(5)

    def prepare(n):
        return connected(live_server, session, tokens[n], warm_up), tokens[n], n

    def act(conn, token, n):
        try:
            return send(conn, "POST", path, token, {"full_name": f"Racer {n}"})
        finally:
            conn.close()

    answers = race(RACERS, prepare, act)
    assert all(isinstance(answer, tuple) for answer in answers), answers
    assert Counter(status for status, _body in answers) == {201: RACERS}, answers
    assert Counter(body.get("status") for _status, body in answers) == {"enrolled": SEATS,
                                                                         "waiting": RACERS - SEATS}, answers
    assert seated_now(session) == SEATS
