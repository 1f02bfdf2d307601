"""Balancing races, for real on PostgreSQL: staff pressing "assign automatically" at the same moment.

The guard is the call row lock taken before the loads are counted (`services.review.auto_assign`); the
unique constraint on (application, expert) is the backstop. With `INTAKE_LOCKS = False` the racers plan
from the same counts and collide on that constraint: one run fails instead of finding nothing to do.
"""

import time as clock
from collections import Counter

import pytest
from django.db import IntegrityError, connection

from texnopark.accounts.models import User
from texnopark.core.racing import race
from texnopark.intake.models import Assignment, Call
from texnopark.intake.services import review
from texnopark.intake.tests.test_review_services import make_world, person

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

RACERS = 6
PER_APPLICATION = 2


@pytest.fixture
def world():
    world = make_world("rrace", experts=5, applications=8)
    world["staff_all"] = [world["staff"], world["manager"]] + [
        person(f"staff{n}.rrace@example.uz", f"Staff {n}", park_staff=world["park"]) for n in range(RACERS - 2)]
    return world


@pytest.fixture
def slow(monkeypatch):
    """50 ms between counting the loads and writing the assignments."""
    original = Assignment.objects.bulk_create

    def slower(*args, **kwargs):
        clock.sleep(0.05)
        return original(*args, **kwargs)

    monkeypatch.setattr(Assignment.objects, "bulk_create", slower)


def balance_at_once(world) -> list:
    def prepare(n):
        return User.objects.get(pk=world["staff_all"][n].pk), Call.objects.get(pk=world["call"].pk)

    def act(actor, call):
        return review.auto_assign(actor=actor, call=call, per_application=PER_APPLICATION)

    return race(RACERS, prepare, act)


def test_balancing_at_once_assigns_each_application_its_reviewers_once(world, slow):
    results = balance_at_once(world)
    expected = PER_APPLICATION * len(world["applications"])
    assert sorted(results) == [0] * (RACERS - 1) + [expected], results
    per_application = Counter(Assignment.objects.filter(application__call=world["call"])
                              .values_list("application_id", flat=True))
    assert set(per_application.values()) == {PER_APPLICATION}
    loads = Counter(Assignment.objects.filter(application__call=world["call"]).values_list("expert_id", flat=True))
    pool = [loads.get(p.pk, 0) for p in review.expert_pool(world["call"])]
    assert max(pool) - min(pool) <= 1, pool


def test_without_the_lock_balancing_runs_collide(world, slow, settings):
    settings.INTAKE_LOCKS = False
    results = balance_at_once(world)
    print(f"lock off: {results}")  # shown with -s
    assert any(isinstance(r, IntegrityError) for r in results), results
    assert Assignment.objects.filter(application__call=world["call"]).count() == PER_APPLICATION * 8
