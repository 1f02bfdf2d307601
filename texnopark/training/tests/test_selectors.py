"""Training reads: reach by district on a hand-made example, the catalogue's counts, a person's own records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from texnopark.network.models import BusinessCentre, District
from texnopark.training import selectors
from texnopark.training.models import Certificate, ConsultationSlot, Enrolment, Programme, Session
from texnopark.training.tests.test_services import make_world

pytestmark = pytest.mark.django_db

E = Enrolment.Status


def session_in(centre, days_ago: int, length: int = 20, **fields) -> Session:
    programme = Programme.objects.create(centre=centre, name=f"Dastur {centre.pk}-{days_ago}")
    today = timezone.localdate()
    return Session.objects.create(programme=programme, starts_on=today - timedelta(days=days_ago),
                                  ends_on=today - timedelta(days=days_ago) + timedelta(days=length), capacity=20,
                                  **fields)


def enrolment(session, person, *, status=E.ENROLLED, gender="", age_group="", certified=False, business=False):
    made = Enrolment.objects.create(session=session, person=person, full_name=str(person), status=status,
                                    gender=gender, age_group=age_group, business_started=business)
    if certified:
        Certificate.objects.create(enrolment=made, code=f"C{made.pk:019d}", issued_on=timezone.localdate())
    return made


@pytest.fixture
def example():
    """District A (population 150 000): a session 30 days ago and one 60 days ago, and one to come.
    District B (population unknown): one past session. District C: retired, with a session.

    A, 30 days ago: p0 female 18–24 certified + business; p1 male 25–34 certified; p2 female 25–34;
                    p3 no profile; p4 waiting; p5 cancelled.
    A, 60 days ago: p2 again (one person, counted once).
    A, to come:     p6 enrolled (not trained yet).
    B:              p7 male 55+ certified.
    C (retired):    p8.
    """
    world = make_world(people=10)
    p = world["people"]
    a_recent = session_in(world["centre"], 30)
    a_older = session_in(world["centre"], 60)
    b = session_in(world["other_centre"], 10)
    retired = District.objects.create(region=world["region"], name="Eski tuman", is_active=False,
                                      population_thousands=Decimal("50.0"))
    c = session_in(BusinessCentre.objects.create(district=retired, name="Eski markaz"), 10)
    enrolment(a_recent, p[0], gender="female", age_group="18_24", certified=True, business=True)
    enrolment(a_recent, p[1], gender="male", age_group="25_34", certified=True)
    enrolment(a_recent, p[2], gender="female", age_group="25_34")
    enrolment(a_recent, p[3])
    enrolment(a_recent, p[4], status=E.WAITING, gender="female", age_group="18_24")
    enrolment(a_recent, p[5], status=E.CANCELLED, gender="male", age_group="18_24")
    enrolment(a_older, p[2], gender="female", age_group="25_34")
    enrolment(world["session"], p[6], gender="male", age_group="18_24")
    enrolment(b, p[7], gender="male", age_group="55_plus", certified=True)
    enrolment(c, p[8], gender="female")
    soon = timezone.now() + timedelta(days=1)
    for outcome in ("referred", "advice", ""):
        ConsultationSlot.objects.create(centre=world["centre"], starts_at=soon, ends_at=soon + timedelta(hours=1),
                                        booked_by=p[9], outcome=outcome)
    return {**world, "a_recent": a_recent, "a_older": a_older, "b": b, "retired": retired}


def test_reach_by_district_on_a_hand_made_example(example):
    reach = selectors.reach_by_district(region=example["region"])
    a, b = example["district"].pk, example["other_district"].pk
    assert set(reach) == {a, b}  # the retired district is left out
    ra, rb = reach[a], reach[b]
    assert (ra.trained, ra.completed, ra.certificates, ra.businesses, ra.referrals) == (4, 2, 2, 1, 1)
    assert ra.completion_rate == Decimal("50.0")
    assert ra.by_gender == {"female": 2, "male": 1, "unknown": 1}
    assert ra.by_age == {"18_24": 1, "25_34": 2, "unknown": 1}
    assert ra.population_thousands == Decimal("150.0")
    assert ra.per_10000 == Decimal("0.27")  # 4 people of 150 000: 0.2667 per 10 000
    assert (rb.trained, rb.completed, rb.businesses, rb.referrals) == (1, 1, 0, 0)
    assert rb.completion_rate == Decimal("100.0")
    assert rb.by_gender == {"male": 1} and rb.by_age == {"55_plus": 1}
    assert rb.per_10000 is None  # population unknown


def test_reach_of_a_district_without_training_is_zero():
    world = make_world(code="UZ-EMPTY")
    reach = selectors.reach_by_district(region=world["region"])
    empty = reach[world["district"].pk]
    assert (empty.trained, empty.completed, empty.by_gender, empty.by_age) == (0, 0, {}, {})
    assert empty.completion_rate == Decimal(0)
    assert empty.per_10000 == Decimal("0.00")


def test_reach_between_dates_counts_sessions_started_then(example):
    older_start = example["a_older"].starts_on
    only_older = selectors.reach_by_district(region=example["region"], last=older_start)
    assert only_older[example["district"].pk].trained == 1  # p2, in the older session
    assert only_older[example["other_district"].pk].trained == 0
    recent = selectors.reach_by_district(region=example["region"], first=older_start + timedelta(days=1))
    assert recent[example["district"].pk].trained == 4
    assert recent[example["district"].pk].by_age == {"18_24": 1, "25_34": 2, "unknown": 1}


def test_reach_takes_the_same_number_of_queries_however_many_districts(example):
    with CaptureQueriesContext(connection) as few:
        selectors.reach_by_district(region=example["region"])
    for n in range(6):
        district = District.objects.create(region=example["region"], name=f"Yangi tuman {n}",
                                           population_thousands=Decimal(100 + n))
        session = session_in(BusinessCentre.objects.create(district=district, name=f"Markaz {n}"), 5)
        enrolment(session, example["people"][n], gender="female", age_group="35_44", certified=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        reach = selectors.reach_by_district(region=example["region"])
    assert len(reach) == 8
    assert len(few.captured_queries) == len(many.captured_queries) <= 5


def test_completion_counts_people_not_certificates(example):
    """One person who completed two sessions in the district is one trained person who completed.

    `completed` counts certificates while `trained` counts people, so the rate goes above 100 %."""
    person = example["people"][7]
    first = session_in(example["other_centre"], 40)
    enrolment(first, person, gender="male", age_group="55_plus", certified=True)
    rb = selectors.reach_by_district(region=example["region"])[example["other_district"].pk]
    assert rb.trained == 1
    assert rb.certificates == 2
    assert rb.completed == 1
    assert rb.completion_rate == Decimal("100.0")


# The catalogue and a person's own records


def test_the_catalogue_counts_seats_and_the_line_and_hides_what_is_not_open(example):
    world_session = example["session"]
    Enrolment.objects.filter(session=world_session).delete()
    for n, status in enumerate([E.ENROLLED, E.OFFERED, E.WAITING, E.WAITING, E.CANCELLED, E.OFFER_EXPIRED]):
        enrolment(world_session, example["people"][n], status=status)
    cancelled = session_in(example["centre"], -5, is_cancelled=True)
    hidden = session_in(example["centre"], -5)
    Programme.objects.filter(pk=hidden.programme_id).update(is_published=False)
    listed = {s.pk: s for s in selectors.session_catalogue(district=example["district"])}
    assert world_session.pk in listed
    assert (listed[world_session.pk].seated, listed[world_session.pk].waiting) == (2, 2)
    assert cancelled.pk not in listed and hidden.pk not in listed
    assert example["a_older"].pk not in listed  # over
    assert example["b"].pk not in listed  # another district


def test_a_person_sees_only_their_own_enrolments_and_certificates(example):
    p0, p2 = example["people"][0], example["people"][2]
    assert {e.person_id for e in selectors.enrolments_of(p0)} == {p0.pk}
    assert selectors.enrolments_of(p2).count() == 2
    assert [c.enrolment.person_id for c in selectors.certificates_of(p0)] == [p0.pk]
    assert not selectors.certificates_of(p2).exists()


def test_open_consultations_are_free_and_coming(example):
    soon = timezone.now() + timedelta(days=2)
    free = ConsultationSlot.objects.create(centre=example["centre"], starts_at=soon, ends_at=soon + timedelta(hours=1))
    past = timezone.now() - timedelta(days=1)
    ConsultationSlot.objects.create(centre=example["centre"], starts_at=past, ends_at=past + timedelta(hours=1))
    assert list(selectors.open_consultations(centre=example["centre"])) == [free]
    assert list(selectors.open_consultations(centre=example["other_centre"])) == []
