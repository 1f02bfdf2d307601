"""Races on ideas and teams, for real on PostgreSQL (transactional tests, a connection per thread).

- Two staff answer the same idea at once, one inviting, one declining: one answer wins, the other is
  refused (409), the author is told once. The guard is the idea's row lock (`services._locked`).
- Two admins remove each other at once: one stays. The guard is the lock on the company's admin rows.
- Ten requests add the same person to a team at once: one membership (the unique constraint).

With `INTAKE_LOCKS = False` the first two races go wrong (two answers; no admin left): that shows the tests
really race. A short sleep inside the checked section widens the window so they race on any machine.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.core.errors import AppError
from texnopark.core.models import AuditEntry, Notification
from texnopark.core.racing import race
from texnopark.intake.models import Call
from texnopark.network.models import District, Region, Sector, Technopark
from texnopark.ventures import services
from texnopark.ventures.models import Company, CompanyMember, Idea

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def world():
    """A region, district, park and sector of our own (the flush after each transactional test removes
    the demo), two staff of the park, an author with a submitted idea, an open call."""
    region = Region.objects.create(code="UZ-VRACE", name="Poyga viloyati")
    district = District.objects.create(region=region, name="Poyga tumani")
    park = Technopark.objects.create(region=region, district=district, slug="poyga-park", name="Poyga texnoparki")
    sector = Sector.objects.create(slug="poyga", name="Poyga")
    staff = []
    for n in range(2):
        person = User.objects.create(email=f"staff{n}@race.uz", language="en")
        Membership.objects.create(user=person, role=Role.PARK_STAFF, park=park)
        staff.append(person)
    author = User.objects.create(email="author@race.uz", language="en")
    idea = Idea.objects.create(author=author, park=park, title="Poyga gʻoyasi", problem="P", solution="S",
                               sector=sector, district=district)
    call = Call.objects.create(park=park, name="Ochiq tanlov", status=Call.Status.OPEN,
                               opens_on=timezone.localdate(), closes_at=timezone.now() + timedelta(days=9))
    return {"park": park, "district": district, "staff": staff, "author": author, "idea": idea, "call": call}


@pytest.fixture
def slow_move(monkeypatch):
    """50 ms between reading the idea and saving the answer."""
    real = services.move

    def slow(*args, **kwargs):
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "move", slow)


def outcomes(results) -> Counter:
    return Counter(r.code if isinstance(r, AppError) else "ok" if r is None or hasattr(r, "pk") else repr(r)
                   for r in results)


def answer_at_once(world) -> Counter:
    def prepare(n):
        return User.objects.get(pk=world["staff"][n].pk), Idea.objects.get(pk=world["idea"].pk)

    def act(person, idea):
        if person.pk == world["staff"][0].pk:
            return services.idea_invite(actor=person, idea=idea, call=Call.objects.get(pk=world["call"].pk))
        return services.idea_decline(actor=person, idea=idea, reason="Mos emas")

    return outcomes(race(2, prepare, act))


def test_two_staff_answering_one_idea_at_once_give_one_answer(world, slow_move):
    assert answer_at_once(world) == Counter({"ok": 1, "forbidden_transition": 1})
    idea = Idea.objects.get(pk=world["idea"].pk)
    answers = AuditEntry.objects.filter(object_id=str(idea.pk), action__in=["ventures.idea.invited",
                                                                            "ventures.idea.declined"])
    assert answers.count() == 1
    assert (idea.status == Idea.Status.INVITED) == (answers.get().action == "ventures.idea.invited")
    assert Notification.objects.filter(user=world["author"]).count() == 1


def test_without_the_lock_both_answers_go_through(world, slow_move, settings):
    settings.INTAKE_LOCKS = False
    assert answer_at_once(world) == Counter({"ok": 2})
    assert Notification.objects.filter(user=world["author"]).count() == 2  # the author is told two things


def remove_each_other(world, monkeypatch) -> Counter:
    company = Company.objects.create(name="Poyga MChJ", stir="123456789", oked="62010", district=world["district"])
    admins = [CompanyMember.objects.create(company=company, user=person, is_admin=True) for person in world["staff"]]
    real = services._record

    def slow_record(*args, **kwargs):  # 50 ms between counting the admins and removing one
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_record", slow_record)

    def prepare(n):
        other = CompanyMember.objects.select_related("company__district", "user").get(pk=admins[1 - n].pk)
        return User.objects.get(pk=admins[n].user_id), other

    result = outcomes(race(2, prepare, lambda person, other: services.member_remove(actor=person, member=other)))
    result["admins_left"] = CompanyMember.objects.filter(company=company, is_admin=True).count()
    return result


def test_two_admins_removing_each_other_at_once_leave_one(world, monkeypatch):
    assert remove_each_other(world, monkeypatch) == Counter({"ok": 1, "last_admin": 1, "admins_left": 1})


def test_without_the_lock_two_admins_remove_each_other_and_none_is_left(world, monkeypatch, settings):
    settings.INTAKE_LOCKS = False
    assert remove_each_other(world, monkeypatch) == Counter({"ok": 2, "admins_left": 0})


def test_ten_requests_adding_one_person_give_one_membership(world):
    company = Company.objects.create(name="Jamoa MChJ", stir="987654321", oked="62010", district=world["district"])
    CompanyMember.objects.create(company=company, user=world["staff"][0], is_admin=True)
    newcomer = User.objects.create(email="newcomer@race.uz", language="en")

    def prepare(n):
        return User.objects.get(pk=world["staff"][0].pk), Company.objects.select_related("district").get(pk=company.pk)

    results = race(10, prepare, lambda person, firm: services.member_add(actor=person, company=firm,
                                                                         email=newcomer.email))
    counted = outcomes(results)
    assert counted["ok"] == 1 and counted["invalid"] == 9, counted
    assert CompanyMember.objects.filter(company=company, user=newcomer).count() == 1
