"""Training writes: enrolment and the waiting line, offers and their expiry, walk-ins, check-in codes,
attendance, the completion rule, certificates, consultations, the business follow-up, e-mails and audit.

Every test builds its own small world (a region, a district with a business centre, a programme and a
session of two seats) so that nothing depends on the demo data. `make_world` is shared with the
selector and race tests.
"""

import string
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry
from texnopark.network.models import BusinessCentre, District, Region
from texnopark.training import services
from texnopark.training.models import (
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Lesson,
    Programme,
    Session,
)

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
E = Enrolment.Status


def make_world(code: str = "UZ-TRN", people: int = 6, capacity: int = 2, **programme) -> dict:
    """A region of its own with one district, its business centre, a programme and a coming session.

    Also the centre's staff, a trainer, staff of another district, and `people` citizens (English mail)."""
    region = Region.objects.create(code=code, name=f"{code} viloyati", timezone="Asia/Tashkent")
    district = District.objects.create(region=region, name=f"{code} tumani", population_thousands=Decimal("150.0"))
    other_district = District.objects.create(region=region, name=f"{code} boshqa tumani")
    centre = BusinessCentre.objects.create(district=district, name=f"{code} biznes markazi")
    other_centre = BusinessCentre.objects.create(district=other_district, name=f"{code} boshqa markaz")
    defaults = {"name": "Biznesingizni boshlang", "name_en": "Start your business", "min_attendance_percent": 80,
                "certificate_valid_years": 3}
    programme = Programme.objects.create(centre=centre, **{**defaults, **programme})
    today = timezone.localdate()
    session = Session.objects.create(programme=programme, starts_on=today + timedelta(days=7),
                                     ends_on=today + timedelta(days=37), capacity=capacity, offer_hours=24)
    slug = code.lower().replace("-", ".")
    staff = User.objects.create(email=f"staff.{slug}@example.uz", full_name="Centre Staff", language="en")
    Membership.objects.create(user=staff, role=Role.CENTRE_STAFF, district=district)
    stranger_staff = User.objects.create(email=f"other.staff.{slug}@example.uz", language="en")
    Membership.objects.create(user=stranger_staff, role=Role.CENTRE_STAFF, district=other_district)
    trainer = User.objects.create(email=f"trainer.{slug}@example.uz", full_name="Trainer", language="en")
    session.trainer = trainer
    session.save(update_fields=["trainer"])
    citizens = User.objects.bulk_create([
        User(email=f"citizen{n:02}.{slug}@example.uz", full_name=f"Citizen {n}", language="en")
        for n in range(people)])
    return {"region": region, "district": district, "other_district": other_district, "centre": centre,
            "other_centre": other_centre, "programme": programme, "session": session, "staff": staff,
            "stranger_staff": stranger_staff, "trainer": trainer, "people": citizens}


@pytest.fixture
def world():
    world = make_world()
    # The demo's own offers must not run out in tests that move the clock on (expire_offers_everywhere).
    Enrolment.objects.filter(status=E.OFFERED).update(offer_expires_at=timezone.now() + timedelta(days=3650))
    return world


def enrol(world, n: int, **profile) -> Enrolment:
    person = world["people"][n]
    return services.enrol(actor=person, session=world["session"], full_name=person.full_name, **profile)


def status_of(enrolment: Enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


def code_of(call) -> str:
    with pytest.raises(AppError) as caught:
        call()
    return caught.value.code


def actions(obj) -> list[str]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("pk").values_list("action", flat=True))


# Enrolment and the waiting line


def test_the_first_people_get_seats_the_rest_wait_in_order(world):
    first, second, third, fourth = (enrol(world, n) for n in range(4))
    assert [e.status for e in (first, second, third, fourth)] == [E.ENROLLED, E.ENROLLED, E.WAITING, E.WAITING]
    line = list(Enrolment.objects.filter(session=world["session"], status=E.WAITING))
    assert line == [third, fourth]
    assert third.queued_at <= fourth.queued_at


def test_enrolment_keeps_the_profile_given(world):
    enrolment = enrol(world, 0, phone="+998901234567", district=world["district"], age_group="18_24",
                      gender="female", occupation="Talaba")
    enrolment.refresh_from_db()
    assert (enrolment.full_name, enrolment.phone, enrolment.district, enrolment.age_group, enrolment.gender,
            enrolment.occupation) == ("Citizen 0", "+998901234567", world["district"], "18_24", "female", "Talaba")
    assert enrolment.walk_in is False


def test_a_person_cannot_enrol_twice_seated_or_waiting(world):
    enrol(world, 0)
    assert code_of(lambda: enrol(world, 0)) == "already_enrolled"
    enrol(world, 1)
    enrol(world, 2)  # waiting
    assert code_of(lambda: enrol(world, 2)) == "already_enrolled"
    assert Enrolment.objects.filter(session=world["session"]).count() == 3


def test_the_database_refuses_a_second_active_enrolment(world):
    first = enrol(world, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=world["session"], person=first.person, full_name="again",
                                 status=E.WAITING)


def test_after_cancelling_a_person_may_enrol_again(world):
    first = enrol(world, 0)
    services.enrolment_cancel(actor=world["people"][0], enrolment=first)
    again = enrol(world, 0)
    assert again.pk != first.pk and again.status == E.ENROLLED
    assert status_of(first) == E.CANCELLED


@pytest.mark.parametrize("change", ["cancelled", "unpublished"])
def test_a_cancelled_session_or_unpublished_programme_takes_no_enrolment(world, change):
    if change == "cancelled":
        Session.objects.filter(pk=world["session"].pk).update(is_cancelled=True)
    else:
        Programme.objects.filter(pk=world["programme"].pk).update(is_published=False)
    with pytest.raises(NotFound):
        enrol(world, 0)
    assert not Enrolment.objects.filter(session=world["session"]).exists()


def test_a_session_that_is_over_takes_no_enrolment(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    Session.objects.filter(pk=world["session"].pk).update(starts_on=yesterday - timedelta(days=5), ends_on=yesterday)
    assert code_of(lambda: enrol(world, 0)) == "session_over"


def test_a_newcomer_does_not_jump_the_line_when_a_seat_is_free(world):
    """A seat freed while people wait goes to the first in line, never to someone who enrols later."""
    seated = enrol(world, 0)
    enrol(world, 1)
    waiting = enrol(world, 2)
    # The seat frees without the service (say, fixed in the admin): the next enrolment refreshes the line.
    Enrolment.objects.filter(pk=seated.pk).update(status=E.CANCELLED)
    newcomer = enrol(world, 3)
    assert status_of(waiting) == E.OFFERED
    assert newcomer.status == E.WAITING


# Cancelling and the offer of a freed seat


def test_cancelling_a_seat_offers_it_to_the_first_in_line(world, django_capture_on_commit_callbacks, mailoutbox):
    seated = enrol(world, 0)
    enrol(world, 1)
    first_in_line, second_in_line = enrol(world, 2), enrol(world, 3)
    mailoutbox.clear()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(actor=world["people"][0], enrolment=seated)
    after = timezone.now()
    assert status_of(seated) == E.CANCELLED
    assert status_of(first_in_line) == E.OFFERED
    assert status_of(second_in_line) == E.WAITING
    assert before + timedelta(hours=24) <= first_in_line.offer_expires_at <= after + timedelta(hours=24)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([first_in_line.person.email], "A seat is free for you: Start your business")]
    assert "Confirm it on the site before" in mailoutbox[0].body
    assert actions(seated) == ["training.enrolment.created", "training.enrolment.cancelled"]
    assert actions(first_in_line) == ["training.enrolment.created", "training.enrolment.offered"]
    offered = AuditEntry.objects.get(action="training.enrolment.offered", object_id=str(first_in_line.pk))
    assert offered.actor is None


def test_the_line_is_ordered_by_the_time_asked_not_by_id(world):
    enrol(world, 0)
    enrol(world, 1)
    early_id, late_id = enrol(world, 2), enrol(world, 3)
    # The later row asked first (e.g. rows written in another order): queued_at decides.
    Enrolment.objects.filter(pk=late_id.pk).update(queued_at=early_id.queued_at - timedelta(seconds=1))
    services.enrolment_cancel(actor=world["people"][0], enrolment=Enrolment.objects.get(person=world["people"][0]))
    assert status_of(late_id) == E.OFFERED
    assert status_of(early_id) == E.WAITING


def test_two_free_seats_go_to_the_first_two_in_line(world):
    first, second = enrol(world, 0), enrol(world, 1)
    line = [enrol(world, n) for n in (2, 3, 4)]
    services.enrolment_cancel(actor=world["people"][0], enrolment=first)
    services.enrolment_cancel(actor=world["people"][1], enrolment=second)
    assert [status_of(e) for e in line] == [E.OFFERED, E.OFFERED, E.WAITING]


def test_cancelling_a_place_in_line_offers_nothing(world):
    enrol(world, 0)
    enrol(world, 1)
    first_in_line, second_in_line = enrol(world, 2), enrol(world, 3)
    services.enrolment_cancel(actor=world["people"][2], enrolment=first_in_line)
    assert status_of(second_in_line) == E.WAITING
    assert not Enrolment.objects.filter(session=world["session"], status=E.OFFERED).exists()


def test_cancelling_twice_is_refused(world):
    seated = enrol(world, 0)
    services.enrolment_cancel(actor=world["people"][0], enrolment=seated)
    assert code_of(lambda: services.enrolment_cancel(actor=world["people"][0], enrolment=seated)) == "not_active"


def test_only_the_person_or_their_centre_may_cancel(world):
    seated = enrol(world, 0)
    for outsider in (world["people"][1], world["stranger_staff"], world["trainer"]):
        with pytest.raises(NotFound):
            services.enrolment_cancel(actor=outsider, enrolment=seated)
    assert status_of(seated) == E.ENROLLED
    services.enrolment_cancel(actor=world["staff"], enrolment=seated)
    assert status_of(seated) == E.CANCELLED


# Confirming an offer; an offer that expires passes on


@pytest.fixture
def offered(world):
    """Seats taken by people 0 and 1; 2 and 3 wait; person 0 cancels, so person 2 is offered the seat."""
    seated = enrol(world, 0)
    enrol(world, 1)
    first, second = enrol(world, 2), enrol(world, 3)
    services.enrolment_cancel(actor=world["people"][0], enrolment=seated)
    first.refresh_from_db()
    assert first.status == E.OFFERED
    return first, second


def test_confirming_an_offer_takes_the_seat(world, offered):
    first, _second = offered
    confirmed = services.offer_confirm(actor=world["people"][2], enrolment=first)
    assert confirmed.status == E.ENROLLED
    first.refresh_from_db()
    assert (first.status, first.offer_expires_at) == (E.ENROLLED, None)
    assert actions(first)[-1] == "training.enrolment.confirmed"


def test_only_the_person_offered_may_confirm_and_only_an_offer(world, offered):
    first, second = offered
    with pytest.raises(NotFound):
        services.offer_confirm(actor=world["people"][3], enrolment=first)
    assert code_of(lambda: services.offer_confirm(actor=world["people"][3], enrolment=second)) == "no_offer"
    services.offer_confirm(actor=world["people"][2], enrolment=first)
    assert code_of(lambda: services.offer_confirm(actor=world["people"][2], enrolment=first)) == "no_offer"


def test_an_offer_past_its_time_passes_to_the_next_in_line(world, offered, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    first, second = offered
    mailoutbox.clear()
    later = first.offer_expires_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_offers_everywhere(now=later) == 1
    assert status_of(first) == E.OFFER_EXPIRED
    assert status_of(second) == E.OFFERED
    assert second.offer_expires_at == later + timedelta(hours=24)
    assert [m.to for m in mailoutbox] == [[second.person.email]]
    # Nothing more to expire until the second offer runs out; then it passes on to nobody.
    assert services.expire_offers_everywhere(now=later) == 0
    assert services.expire_offers_everywhere(now=second.offer_expires_at + timedelta(minutes=1)) == 1
    assert status_of(second) == E.OFFER_EXPIRED
    assert services.seats_taken(world["session"]) == 1


def test_an_offer_is_kept_until_its_time(world, offered):
    first, second = offered
    assert services.expire_offers_everywhere(now=first.offer_expires_at - timedelta(minutes=1)) == 0
    assert status_of(first) == E.OFFERED
    assert status_of(second) == E.WAITING


def test_confirming_too_late_is_refused_and_the_seat_passes_on(world, offered):
    """The service says "it went to the next person": that must be true after the refusal.

    `offer_confirm` is one transaction; raising AppError rolls back the expiry and the promotion it
    made just before, so the late offer stays "offered" and the next person is not offered the seat."""
    first, second = offered
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    assert code_of(lambda: services.offer_confirm(actor=world["people"][2], enrolment=first)) == "offer_expired"
    assert status_of(first) == E.OFFER_EXPIRED
    assert status_of(second) == E.OFFERED


def test_an_expired_offer_passes_on_when_someone_next_enrols(world, offered):
    first, second = offered
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    newcomer = enrol(world, 4)
    assert status_of(first) == E.OFFER_EXPIRED
    assert status_of(second) == E.OFFERED
    assert newcomer.status == E.WAITING


# Walk-ins


def test_the_trainer_adds_a_walk_in_when_a_seat_is_free(world):
    enrol(world, 0)
    walker = User.objects.create(email="walker@example.uz")
    enrolment = services.walk_in(actor=world["trainer"], session=world["session"], person=walker,
                                 full_name="Walk In", phone="+998901112233")
    assert (enrolment.status, enrolment.walk_in, enrolment.full_name) == (E.ENROLLED, True, "Walk In")
    assert actions(enrolment) == ["training.enrolment.walk_in"]


def test_a_walk_in_is_refused_when_the_session_is_full(world):
    enrol(world, 0)
    enrol(world, 1)
    walker = User.objects.create(email="walker@example.uz")
    assert code_of(lambda: services.walk_in(actor=world["trainer"], session=world["session"], person=walker,
                                            full_name="Walk In")) == "session_full"
    assert not Enrolment.objects.filter(person=walker).exists()


def test_a_walk_in_of_someone_waiting_is_refused_when_full(world):
    enrol(world, 0)
    enrol(world, 1)
    in_line = enrol(world, 2)
    assert code_of(lambda: services.walk_in(actor=world["trainer"], session=world["session"],
                                            person=world["people"][2], full_name="x")) == "session_full"
    assert status_of(in_line) == E.WAITING


def test_a_walk_in_of_someone_offered_a_seat_gives_them_that_seat(world):
    """The person offered the freed seat comes to class before confirming; the trainer adds them.

    Their own offered seat is counted as taken, so `walk_in` answers "session full" although the seat
    is theirs: the check of fullness must leave out the person's own seat."""
    seated = enrol(world, 0)
    enrol(world, 1)
    in_line = enrol(world, 2)
    services.enrolment_cancel(actor=world["people"][0], enrolment=seated)
    assert status_of(in_line) == E.OFFERED
    enrolment = services.walk_in(actor=world["trainer"], session=world["session"], person=world["people"][2],
                                 full_name="x")
    assert enrolment.pk == in_line.pk and status_of(in_line) == E.ENROLLED
    assert services.seats_taken(world["session"]) == 2


def test_a_walk_in_of_someone_already_seated_in_a_full_session_keeps_their_seat(world):
    seated = enrol(world, 0)
    enrol(world, 1)
    enrolment = services.walk_in(actor=world["trainer"], session=world["session"], person=world["people"][0],
                                 full_name="x")
    assert enrolment.pk == seated.pk and status_of(seated) == E.ENROLLED


def test_only_the_trainer_or_centre_adds_walk_ins(world):
    walker = User.objects.create(email="walker@example.uz")
    for outsider in (world["stranger_staff"], world["people"][0]):
        with pytest.raises(NotFound):
            services.walk_in(actor=outsider, session=world["session"], person=walker, full_name="x")


# Self check-in with the code that changes every minute


@pytest.fixture
def lesson(world):
    starts = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)
    return Lesson.objects.create(session=world["session"], starts_at=starts, ends_at=starts + timedelta(hours=2),
                                 checkin_secret="s" * 64)


def test_lesson_create_makes_a_secret_and_is_for_the_centre(world):
    starts = timezone.now() + timedelta(days=8)
    with pytest.raises(NotFound):
        services.lesson_create(actor=world["stranger_staff"], session=world["session"], starts_at=starts,
                               ends_at=starts + timedelta(hours=2))
    one = services.lesson_create(actor=world["staff"], session=world["session"], starts_at=starts,
                                 ends_at=starts + timedelta(hours=2), topic="Kirish")
    two = services.lesson_create(actor=world["staff"], session=world["session"], starts_at=starts + timedelta(days=1),
                                 ends_at=starts + timedelta(days=1, hours=2))
    assert len(one.checkin_secret) == 64 and one.checkin_secret != two.checkin_secret
    assert actions(one) == ["training.lesson.created"]
    with pytest.raises(AppError):
        services.lesson_create(actor=world["staff"], session=world["session"], starts_at=starts, ends_at=starts)


def test_the_code_is_six_digits_and_changes_each_minute(lesson):
    at = lesson.starts_at
    codes = [services.checkin_code(lesson, at + timedelta(minutes=m)) for m in range(10)]
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(set(codes)) > 1
    # Within one minute it does not change.
    assert services.checkin_code(lesson, at) == services.checkin_code(lesson, at + timedelta(seconds=59))
    # Another lesson's secret gives other codes.
    other = Lesson(checkin_secret="t" * 64)
    assert [services.checkin_code(other, at + timedelta(minutes=m)) for m in range(10)] != codes


def test_check_in_with_this_minutes_code(world, lesson):
    enrolment = enrol(world, 0)
    now = lesson.starts_at + timedelta(minutes=2)
    attendance = services.self_check_in(actor=world["people"][0], lesson=lesson,
                                        code=services.checkin_code(lesson, now), now=now)
    assert (attendance.enrolment, attendance.mark, attendance.self_checked_in) == (
        enrolment, Attendance.Mark.PRESENT, True)
    assert actions(attendance) == ["training.attendance.self"]


def test_the_previous_minutes_code_is_accepted_an_older_one_is_not(world, lesson):
    enrol(world, 0)
    now = lesson.starts_at + timedelta(minutes=5, seconds=3)
    previous = services.checkin_code(lesson, now - timedelta(minutes=1))
    older = services.checkin_code(lesson, now - timedelta(minutes=2))
    if older in (previous, services.checkin_code(lesson, now)):
        pytest.skip("codes of neighbouring minutes coincide for this secret")
    assert code_of(lambda: services.self_check_in(actor=world["people"][0], lesson=lesson, code=older,
                                                  now=now)) == "wrong_code"
    attendance = services.self_check_in(actor=world["people"][0], lesson=lesson, code=previous, now=now)
    assert attendance.mark == Attendance.Mark.PRESENT


@pytest.mark.parametrize("typed", ["", "000000x", "12345", "1234567", "abcdef", None])
def test_a_wrong_code_is_refused(world, lesson, typed):
    enrol(world, 0)
    now = lesson.starts_at
    if typed and typed.isdigit() and typed in (services.checkin_code(lesson, now),
                                               services.checkin_code(lesson, now - timedelta(minutes=1))):
        pytest.skip("the typed code happens to be right")
    with pytest.raises(AppError) as caught:
        services.self_check_in(actor=world["people"][0], lesson=lesson, code=typed, now=now)
    assert caught.value.code == "wrong_code" and "code" in caught.value.fields
    assert not Attendance.objects.filter(lesson=lesson).exists()


def test_spaces_in_the_code_do_not_matter(world, lesson):
    enrol(world, 0)
    now = lesson.starts_at
    code = services.checkin_code(lesson, now)
    services.self_check_in(actor=world["people"][0], lesson=lesson, code=f" {code[:3]} {code[3:]} ", now=now)
    assert Attendance.objects.filter(lesson=lesson).count() == 1


def test_coming_more_than_ten_minutes_late_is_marked_late(world, lesson):
    enrol(world, 0)
    now = lesson.starts_at + timedelta(minutes=11)
    attendance = services.self_check_in(actor=world["people"][0], lesson=lesson,
                                        code=services.checkin_code(lesson, now), now=now)
    assert attendance.mark == Attendance.Mark.LATE


@pytest.mark.parametrize(("offset", "open_"), [
    (timedelta(minutes=-16), False), (timedelta(minutes=-15), True), (timedelta(hours=2), True),
    (timedelta(hours=2, seconds=1), False), (timedelta(days=1), False)])
def test_check_in_is_open_from_15_minutes_before_until_the_end(world, lesson, offset, open_):
    enrol(world, 0)
    now = lesson.starts_at + offset
    assert services.checkin_open(lesson, now) is open_

    def check_in():
        return services.self_check_in(actor=world["people"][0], lesson=lesson,
                                      code=services.checkin_code(lesson, now), now=now)

    if open_:
        assert check_in().self_checked_in
    else:
        assert code_of(check_in) == "checkin_closed"


def test_only_a_seated_person_checks_in(world, lesson):
    enrol(world, 0)
    enrol(world, 1)
    enrol(world, 2)  # waiting
    now = lesson.starts_at
    code = services.checkin_code(lesson, now)
    for n in (2, 3):  # on the waiting list; never enrolled
        assert code_of(lambda n=n: services.self_check_in(actor=world["people"][n], lesson=lesson, code=code,
                                                          now=now)) == "not_enrolled"
    assert not Attendance.objects.filter(lesson=lesson).exists()


def test_checking_in_twice_keeps_one_attendance(world, lesson):
    enrol(world, 0)
    for minutes in (0, 12):
        now = lesson.starts_at + timedelta(minutes=minutes)
        services.self_check_in(actor=world["people"][0], lesson=lesson, code=services.checkin_code(lesson, now),
                               now=now)
    assert Attendance.objects.filter(lesson=lesson).count() == 1


# The trainer's attendance list


def marks_of(lesson) -> dict:
    return dict(Attendance.objects.filter(lesson=lesson).values_list("enrolment_id", "mark"))


def test_the_trainer_marks_attendance_of_seated_people_only(world, lesson):
    one, two = enrol(world, 0), enrol(world, 1)
    waiting = enrol(world, 2)
    saved = services.attendance_mark(actor=world["trainer"], lesson=lesson, marks={
        one.pk: "present", two.pk: "absent", waiting.pk: "present", 999999: "present"})
    assert saved == 2
    assert marks_of(lesson) == {one.pk: "present", two.pk: "absent"}
    # Marking again changes the mark, never doubles it; an unknown mark is skipped.
    assert services.attendance_mark(actor=world["staff"], lesson=lesson,
                                    marks={one.pk: "late", two.pk: "sleeping"}) == 1
    assert marks_of(lesson) == {one.pk: "late", two.pk: "absent"}
    assert actions(lesson) == ["training.attendance.marked", "training.attendance.marked"]


def test_attendance_is_marked_only_by_the_trainer_or_centre(world, lesson):
    one = enrol(world, 0)
    for outsider in (world["stranger_staff"], world["people"][0]):
        with pytest.raises(NotFound):
            services.attendance_mark(actor=outsider, lesson=lesson, marks={one.pk: "present"})
    assert not Attendance.objects.filter(lesson=lesson).exists()


# Completion and certificates


def past_lessons(session, count: int) -> list[Lesson]:
    start = timezone.now() - timedelta(days=count + 1)
    return [Lesson.objects.create(session=session, starts_at=start + timedelta(days=n),
                                  ends_at=start + timedelta(days=n, hours=2), checkin_secret=str(n))
            for n in range(count)]


def attend(enrolment, lessons, marks) -> None:
    for lesson, mark in zip(lessons, marks, strict=False):
        Attendance.objects.create(lesson=lesson, enrolment=enrolment, mark=mark)


@pytest.fixture
def learner(world):
    """Enrolled, with five past lessons and one to come."""
    enrolment = enrol(world, 0)
    lessons = past_lessons(world["session"], 5)
    future = timezone.now() + timedelta(days=3)
    Lesson.objects.create(session=world["session"], starts_at=future, ends_at=future + timedelta(hours=2),
                          checkin_secret="f")
    return enrolment, lessons


def test_attendance_share_counts_present_and_late_of_lessons_so_far(learner):
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present", "late", "absent", "present"])
    assert services.attendance_share(enrolment) == 60  # 3 of 5; the coming lesson does not count
    assert services.completion_problem(enrolment) == "Attendance is 60%; the programme asks for 80%."
    Attendance.objects.create(lesson=lessons[4], enrolment=enrolment, mark="late")
    assert services.attendance_share(enrolment) == 80
    assert services.completion_problem(enrolment) is None


def test_no_lessons_yet_means_no_attendance(world):
    enrolment = enrol(world, 0)
    assert services.attendance_share(enrolment) == 0
    assert services.completion_problem(enrolment) is not None


def test_a_programme_with_a_project_needs_it_accepted(world, learner):
    enrolment, lessons = learner
    Programme.objects.filter(pk=world["programme"].pk).update(requires_project=True)
    enrolment = Enrolment.objects.select_related("session__programme").get(pk=enrolment.pk)
    attend(enrolment, lessons, ["present"] * 5)
    assert services.completion_problem(enrolment) == "The final project has not been accepted yet."
    with pytest.raises(NotFound):
        services.project_accept(actor=world["stranger_staff"], enrolment=enrolment)
    services.project_accept(actor=world["trainer"], enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.project_accepted
    assert services.completion_problem(enrolment) is None
    assert actions(enrolment)[-1] == "training.project.decided"


def test_only_an_enrolled_person_completes(world, learner):
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 5)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=E.CANCELLED)
    enrolment.refresh_from_db()
    assert services.completion_problem(enrolment) == "Only an enrolled person can complete the programme."


CODE_ALPHABET = set(string.ascii_uppercase + string.digits) - set("01IO")


def test_a_certificate_is_refused_until_completed(world, learner):
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 3)
    assert code_of(lambda: services.certificate_issue(actor=world["trainer"], enrolment=enrolment)) == "not_completed"
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_certificate_for_a_completed_programme(world, learner, django_capture_on_commit_callbacks, mailoutbox):
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 5)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(actor=world["trainer"], enrolment=enrolment,
                                                 today=date(2026, 6, 15))
    assert len(certificate.code) == 20 and set(certificate.code) <= CODE_ALPHABET
    assert (certificate.issued_on, certificate.valid_until) == (date(2026, 6, 15), date(2029, 6, 15))
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([enrolment.person.email], "Your certificate: Start your business")]
    assert certificate.code in mailoutbox[0].body
    assert actions(certificate) == ["training.certificate.issued"]
    assert code_of(lambda: services.certificate_issue(actor=world["trainer"], enrolment=enrolment)) == (
        "already_issued")
    with pytest.raises(NotFound):
        services.certificate_issue(actor=world["stranger_staff"], enrolment=enrolment)


def test_a_certificate_of_a_programme_without_years_never_expires(world, learner):
    enrolment, lessons = learner
    Programme.objects.filter(pk=world["programme"].pk).update(certificate_valid_years=None)
    enrolment = Enrolment.objects.select_related("session__programme").get(pk=enrolment.pk)
    attend(enrolment, lessons, ["present"] * 5)
    certificate = services.certificate_issue(actor=world["staff"], enrolment=enrolment)
    assert certificate.valid_until is None
    assert services.certificate_status(certificate.code, today=date(2100, 1, 1))[0] == "valid"


def test_a_certificate_issued_on_29_february_is_valid_until_28_february(world, learner):
    """`today.replace(year=today.year + years)` raises ValueError for 29 February (not a leap year then)."""
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 5)
    certificate = services.certificate_issue(actor=world["trainer"], enrolment=enrolment, today=date(2028, 2, 29))
    assert certificate.valid_until == date(2031, 2, 28)


def test_certificate_codes_are_unique_and_not_guessable(world, learner):
    codes = {services.new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 20 and set(code) <= CODE_ALPHABET for code in codes)
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 5)
    certificate = services.certificate_issue(actor=world["trainer"], enrolment=enrolment)
    other = enrol(world, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(enrolment=other, code=certificate.code, issued_on=date(2026, 1, 1))


@pytest.fixture
def certificate(world, learner):
    enrolment, lessons = learner
    attend(enrolment, lessons, ["present"] * 5)
    return services.certificate_issue(actor=world["trainer"], enrolment=enrolment, today=date(2026, 1, 10))


def test_revoking_needs_a_reason_and_the_centre(world, certificate):
    for reason in ("", "   "):
        with pytest.raises(AppError) as caught:
            services.certificate_revoke(actor=world["staff"], certificate=certificate, reason=reason)
        assert caught.value.code == "reason_needed" and "reason" in caught.value.fields
    for outsider in (world["trainer"], world["stranger_staff"]):  # a trainer does not revoke
        with pytest.raises(NotFound):
            services.certificate_revoke(actor=outsider, certificate=certificate, reason="Soxta")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    services.certificate_revoke(actor=world["staff"], certificate=certificate, reason="Davomat soxtalashtirilgan")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoke_reason == "Davomat soxtalashtirilgan"
    assert code_of(lambda: services.certificate_revoke(actor=world["staff"], certificate=certificate,
                                                       reason="again")) == "already_revoked"
    entry = AuditEntry.objects.get(action="training.certificate.revoked", object_id=str(certificate.pk))
    assert entry.actor == world["staff"] and entry.changes == {"revoked": [None, "Davomat soxtalashtirilgan"]}


def test_certificate_status_valid_expired_revoked(world, certificate):
    code = certificate.code
    assert services.certificate_status(code, today=date(2027, 1, 1)) == ("valid", certificate)
    assert services.certificate_status(f"  {code.lower()} ", today=date(2027, 1, 1))[0] == "valid"
    assert services.certificate_status(code, today=date(2029, 1, 10))[0] == "valid"  # the last day
    assert services.certificate_status(code, today=date(2029, 1, 11))[0] == "expired"
    services.certificate_revoke(actor=world["staff"], certificate=certificate, reason="Xato")
    assert services.certificate_status(code, today=date(2027, 1, 1))[0] == "revoked"
    assert services.certificate_status(code, today=date(2030, 1, 1))[0] == "revoked"


@pytest.mark.parametrize("typed", [
    "ABCDEFGHJKLMNPQRSTUV", "", None, "   ", "x" * 1000, "'; DROP TABLE training_certificate; --", "../../etc",
    "%", "ЯЎҚҒ", "\x00"])
def test_unknown_and_malformed_codes_answer_the_same(certificate, typed):
    assert services.certificate_status(typed) == ("unknown", None)


def test_a_longer_code_that_starts_with_a_real_one_is_unknown(certificate):
    """Cut to 32 characters before the look-up: a 20-character code plus junk must not match it."""
    assert services.certificate_status(certificate.code + "X")[0] == "unknown"


# Consultations


@pytest.fixture
def slot(world):
    starts = timezone.now() + timedelta(days=2)
    return services.consultation_slot_create(actor=world["staff"], centre=world["centre"], starts_at=starts,
                                             ends_at=starts + timedelta(minutes=30), topic="Kredit")


def test_consultation_slots_are_made_by_their_centre(world, slot):
    assert slot.adviser == world["staff"] and slot.booked_by is None
    starts = timezone.now() + timedelta(days=2)
    with pytest.raises(NotFound):
        services.consultation_slot_create(actor=world["stranger_staff"], centre=world["centre"], starts_at=starts,
                                          ends_at=starts + timedelta(minutes=30))
    with pytest.raises(AppError):
        services.consultation_slot_create(actor=world["staff"], centre=world["centre"], starts_at=starts,
                                          ends_at=starts)


def test_the_second_booker_of_a_consultation_gets_slot_taken(world, slot, django_capture_on_commit_callbacks,
                                                            mailoutbox):
    first, second = world["people"][0], world["people"][1]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booked = services.consultation_book(actor=first, slot=slot, question="Kredit olish")
    assert (booked.booked_by, booked.question) == (first, "Kredit olish")
    assert [(m.to, m.subject) for m in mailoutbox] == [([first.email], "Consultation booked")]
    stale = ConsultationSlot.objects.get(pk=slot.pk)
    stale.booked_by = None  # as a second request read it a moment earlier
    with pytest.raises(AppError) as caught:
        services.consultation_book(actor=second, slot=stale, question="Men ham")
    assert (caught.value.code, caught.value.status) == ("slot_taken", 409)
    slot.refresh_from_db()
    assert (slot.booked_by, slot.question) == (first, "Kredit olish")
    assert actions(slot) == ["training.consultation.created", "training.consultation.booked"]


def test_a_past_consultation_is_not_booked(world):
    starts = timezone.now() - timedelta(hours=1)
    past = ConsultationSlot.objects.create(centre=world["centre"], starts_at=starts,
                                           ends_at=starts + timedelta(minutes=30))
    assert code_of(lambda: services.consultation_book(actor=world["people"][0], slot=past)) == "slot_past"


def test_cancelling_a_consultation_frees_it(world, slot):
    services.consultation_book(actor=world["people"][0], slot=slot)
    with pytest.raises(NotFound):
        services.consultation_cancel(actor=world["people"][1], slot=slot)
    services.consultation_cancel(actor=world["people"][0], slot=slot)
    slot.refresh_from_db()
    assert slot.booked_by is None and slot.question == ""
    services.consultation_book(actor=world["people"][1], slot=slot)
    services.consultation_cancel(actor=world["staff"], slot=slot)
    slot.refresh_from_db()
    assert slot.booked_by is None


def test_the_outcome_of_a_consultation(world, slot):
    assert code_of(lambda: services.consultation_record(actor=world["staff"], slot=slot,
                                                        outcome="advice")) == "not_booked"
    services.consultation_book(actor=world["people"][0], slot=slot)
    with pytest.raises(NotFound):
        services.consultation_record(actor=world["stranger_staff"], slot=slot, outcome="advice")
    services.consultation_record(actor=world["staff"], slot=slot, outcome="referred", notes="IT park tanlovi")
    slot.refresh_from_db()
    assert (slot.outcome, slot.notes) == ("referred", "IT park tanlovi")
    with pytest.raises(AppError):
        services.consultation_record(actor=world["staff"], slot=slot, outcome="nonsense")


# The business follow-up


def test_the_learner_reports_a_business_started(world):
    enrolment = enrol(world, 0)
    with pytest.raises(NotFound):
        services.business_report(actor=world["staff"], enrolment=enrolment, started_on=date(2026, 5, 1))
    services.business_report(actor=world["people"][0], enrolment=enrolment, started_on=date(2026, 5, 1))
    enrolment.refresh_from_db()
    assert (enrolment.business_started, enrolment.business_started_on) == (True, date(2026, 5, 1))
    services.business_report(actor=world["people"][0], enrolment=enrolment, started_on=None)
    enrolment.refresh_from_db()
    assert (enrolment.business_started, enrolment.business_started_on) == (False, None)
    entries = AuditEntry.objects.filter(action="training.business.reported", object_id=str(enrolment.pk)).order_by("pk")
    assert [e.changes["business_started"] for e in entries] == [[False, True], [True, False]]


# E-mails and audit of enrolment


def test_enrolment_mails_say_seat_or_waiting_line(world, django_capture_on_commit_callbacks, mailoutbox):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            enrol(world, n)
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        (world["people"][0].email, "Enrolled: Start your business"),
        (world["people"][1].email, "Enrolled: Start your business"),
        (world["people"][2].email, "On the waiting list: Start your business")]
    assert world["session"].starts_on.strftime("%d.%m.%Y") in mailoutbox[0].body
    assert "waiting list" in mailoutbox[2].body


def test_no_mail_when_the_enrolment_fails(world, django_capture_on_commit_callbacks, mailoutbox):
    enrol(world, 0)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AppError):
        enrol(world, 0)
    assert mailoutbox == []


def test_enrolment_is_audited(world):
    enrolment = enrol(world, 0)
    entry = AuditEntry.objects.get(action="training.enrolment.created", object_id=str(enrolment.pk))
    assert (entry.actor, entry.object_type, entry.changes) == (
        world["people"][0], "training.enrolment", {"status": [None, "enrolled"]})
