"""Booking writes: the rules, the approval flow, cancellation, blocks, series, prices and housekeeping.

Sardor ("resident") is a resident of the Namangan IT park; Malika and Jasur run it; Aziza is a
plain citizen; Anvar runs the Kosonsoy park and has no say here.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from texnopark.accounts.models import Membership, User
from texnopark.bookings import services
from texnopark.bookings.models import Booking, BookingSeries, ClosedDay, Resource, Training
from texnopark.bookings.rules import at, local, zone
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry
from texnopark.network.models import Facility, Technopark

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture
def park():
    return Technopark.objects.get(slug="namangan-it")


@pytest.fixture
def facility(park):
    return Facility.objects.filter(park=park).order_by("pk").first()


def make_resource(facility, name="Sinov xonasi", **fields):
    defaults = {"opens_at": time(9), "closes_at": time(18), "open_weekdays": [0, 1, 2, 3, 4], "slot_minutes": 30,
                "min_minutes": 30, "max_minutes": 480, "book_ahead_days": 60, "audience": ["park_residents"],
                "cancel_hours_before": 2}
    return Resource.objects.create(facility=facility, name=name, **{**defaults, **fields})


@pytest.fixture
def room(facility):
    return make_resource(facility, price_per_hour=Decimal(100000), resident_price_per_hour=Decimal(40000))


@pytest.fixture
def desks(facility):
    return make_resource(facility, name="Ish stollari", kind=Resource.Kind.POOL, capacity=3, slot_minutes=60,
                         min_minutes=60)


@pytest.fixture
def people(demo_user):
    return demo_user


def resident_of(park, email):
    user = User.objects.create_user(email, "x", full_name=email.split("@")[0])
    Membership.objects.create(user=user, role="resident", park=park)
    return user


@pytest.fixture
def neighbour(park):
    """A second resident of the same park."""
    return resident_of(park, "neighbour@example.uz")


def open_day(resource, ahead=3):
    day = timezone.localdate(timezone=zone(resource)) + timedelta(days=ahead)
    while day.weekday() not in resource.open_weekdays:
        day += timedelta(days=1)
    return day


def book(actor, resource, start=time(10), end=time(11), day=None, **kwargs):
    day = day or open_day(resource)
    return services.booking_create(actor=actor, resource=resource, starts_at=at(resource, day, start),
                                   ends_at=at(resource, day, end), **kwargs)


def refused(code, call, *args, **kwargs) -> AppError:
    with pytest.raises(AppError) as error:
        call(*args, **kwargs)
    assert error.value.code == code, error.value.as_dict()
    return error.value


def audit_actions(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("pk").values_list("action", flat=True))


class TestBookingASlot:
    def test_a_resident_books_a_free_slot_and_gets_a_confirmation(self, room, people, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            booking = book(people("resident"), room, time(10), time(11, 30), purpose="Demo day")
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CONFIRMED
        assert (local(room, booking.starts_at).time(), local(room, booking.ends_at).time()) == (time(10), time(11, 30))
        assert booking.blocked_until == booking.ends_at
        assert booking.exclusive and booking.units == 1 and booking.purpose == "Demo day"
        assert audit_actions(booking) == ["bookings.booking.created"]
        [mail] = mailoutbox
        assert mail.to == [people("resident").email]
        assert "10:00–11:30" in mail.body

    def test_a_slot_outside_the_rules_is_refused_and_nothing_is_saved(self, room, people):
        resident = people("resident")
        error = refused("slot_not_allowed", book, resident, room, time(8), time(9))
        assert "starts_at" in error.fields
        refused("slot_not_allowed", book, resident, room, time(10, 10), time(11))
        refused("slot_not_allowed", book, resident, room, time(10), time(19))
        assert not Booking.objects.filter(resource=room).exists()

    def test_a_closed_day_and_a_closed_weekday_refuse_bookings(self, room, people):
        day = open_day(room)
        ClosedDay.objects.create(resource=room, date=day, reason="Navroʻz")
        refused("slot_not_allowed", book, people("resident"), room, day=day)
        saturday = day + timedelta(days=(5 - day.weekday()) % 7)
        refused("slot_not_allowed", book, people("resident"), room, day=saturday)

    def test_the_shortest_and_the_longest_booking(self, room, people):
        room.min_minutes, room.max_minutes = 60, 120
        room.save()
        refused("slot_not_allowed", book, people("resident"), room, time(10), time(10, 30))
        refused("slot_not_allowed", book, people("resident"), room, time(10), time(12, 30))
        book(people("resident"), room, time(10), time(12))

    def test_a_resource_is_bookable_only_its_days_ahead(self, room, people):
        room.book_ahead_days = 5
        room.save()
        refused("slot_not_allowed", book, people("resident"), room, day=open_day(room, ahead=6))
        book(people("resident"), room, day=open_day(room, ahead=1))

    @pytest.mark.parametrize("audience, persona, allowed", [
        (["park_residents"], "resident", True),
        (["park_residents"], "citizen", False),
        (["park_residents"], "researcher", False),
        (["park_residents"], "kosonsoy_manager", False),
        (["park_residents"], "it_staff", True),       # park staff may always book
        (["researchers"], "researcher", True),
        (["researchers"], "resident", False),
        (["public"], "citizen", True),
        ([], "resident", False),
    ])
    def test_who_may_book(self, room, people, audience, persona, allowed):
        room.audience = audience
        room.save()
        if allowed:
            book(people(persona), room)
        else:
            with pytest.raises(NotFound):
                book(people(persona), room)
            assert not Booking.objects.filter(resource=room).exists()

    def test_a_resident_of_another_park_may_book_where_any_resident_may(self, room, people):
        foreign = resident_of(Technopark.objects.get(slug="kosonsoy-medical"), "kosonsoy.resident@example.uz")
        with pytest.raises(NotFound):
            book(foreign, room)
        room.audience = ["any_resident"]
        room.save()
        book(foreign, room)

    def test_places_outside_one_to_capacity_are_refused(self, desks, people):
        refused("bad_units", book, people("resident"), desks, units=0)
        refused("bad_units", book, people("resident"), desks, units=4)


class TestNoDoubleBooking:
    def test_an_overlapping_slot_of_a_room_is_taken_with_free_times_nearby(self, room, people, neighbour):
        book(people("resident"), room, time(10), time(11))
        for start, end in [(time(10), time(11)), (time(10, 30), time(11)), (time(9, 30), time(10, 30)),
                           (time(9), time(12))]:
            error = refused("slot_taken", book, neighbour, room, start, end)
            assert error.status == 409
            assert error.fields["starts_at"]
        alternatives = error.as_dict()["alternatives"]
        assert alternatives, "a refused person is offered free times nearby"
        booked = Booking.objects.get(resource=room)
        for alternative in alternatives:
            starts_at = datetime.fromisoformat(alternative["starts_at"])
            ends_at = datetime.fromisoformat(alternative["ends_at"])
            assert ends_at - starts_at == timedelta(hours=3)
            assert ends_at <= booked.starts_at or starts_at >= booked.blocked_until
        assert Booking.objects.filter(resource=room).count() == 1

    def test_bookings_that_only_touch_do_not_overlap(self, room, people, neighbour):
        book(people("resident"), room, time(10), time(11))
        book(neighbour, room, time(11), time(12))
        book(neighbour, room, time(9), time(10))
        assert Booking.objects.filter(resource=room).count() == 3

    def test_the_buffer_keeps_the_time_after_each_booking_free(self, room, people, neighbour):
        room.buffer_minutes = 30
        room.save()
        first = book(people("resident"), room, time(10), time(11))
        assert first.blocked_until - first.ends_at == timedelta(minutes=30)
        refused("slot_taken", book, neighbour, room, time(11), time(12))
        # A booking just before needs its own buffer before the next one starts.
        refused("slot_taken", book, neighbour, room, time(9), time(10))
        book(neighbour, room, time(11, 30), time(12))
        book(neighbour, room, time(9), time(9, 30))

    def test_a_pool_of_three_takes_three_bookings_at_one_moment(self, desks, people, neighbour):
        for _ in range(3):
            book(neighbour, desks)
        error = refused("slot_taken", book, people("resident"), desks)
        assert error.status == 409

    def test_a_pool_counts_places_not_bookings(self, desks, people, neighbour):
        book(neighbour, desks, units=2)
        refused("slot_taken", book, people("resident"), desks, units=2)
        book(people("resident"), desks, units=1)

    def test_a_pool_counts_the_busiest_moment_not_every_booking_in_the_window(self, desks, people, neighbour):
        # 10–11 two places, 11–12 two places: never more than two at once, so 10–12 fits one more.
        book(neighbour, desks, time(10), time(11), units=2)
        book(neighbour, desks, time(11), time(12), units=2)
        book(people("resident"), desks, time(10), time(12))
        refused("slot_taken", book, people("resident"), desks, time(10), time(12))

    def test_cancelled_declined_and_expired_bookings_free_their_time(self, room, people, neighbour):
        first = book(people("resident"), room)
        services.booking_cancel(actor=people("resident"), booking=first)
        second = book(neighbour, room)
        Booking.objects.filter(pk=second.pk).update(status=Booking.Status.DECLINED)
        book(people("resident"), room)


class TestTraining:
    @pytest.fixture
    def microscope(self, facility):
        return make_resource(facility, name="Mikroskop", kind=Resource.Kind.INSTRUMENT, requires_training=True)

    def test_an_instrument_is_refused_without_training(self, microscope, people):
        error = refused("training_required", book, people("resident"), microscope)
        assert "training" in str(error.message).lower()

    def test_an_instrument_is_refused_when_the_training_expired_before_the_day(self, microscope, people):
        day = open_day(microscope)
        Training.objects.create(resource=microscope, person=people("resident"), trained_on=day - timedelta(days=200),
                                valid_until=day - timedelta(days=1))
        refused("training_required", book, people("resident"), microscope, day=day)

    def test_staff_record_a_training_and_then_the_instrument_can_be_booked(self, microscope, people):
        resident, day = people("resident"), open_day(microscope)
        training = services.training_record(actor=people("it_staff"), resource=microscope, person=resident,
                                            trained_on=date.today(), valid_until=day + timedelta(days=365))
        assert training.recorded_by == people("it_staff")
        assert audit_actions(training) == ["bookings.training.recorded"]
        book(resident, microscope, day=day)

    def test_only_the_parks_staff_record_trainings_and_dates_must_make_sense(self, microscope, people):
        with pytest.raises(NotFound):
            services.training_record(actor=people("resident"), resource=microscope, person=people("resident"),
                                     trained_on=date.today(), valid_until=date.today())
        with pytest.raises(NotFound):
            services.training_record(actor=people("kosonsoy_manager"), resource=microscope,
                                     person=people("resident"), trained_on=date.today(), valid_until=date.today())
        refused("invalid", services.training_record, actor=people("it_staff"), resource=microscope,
                person=people("resident"), trained_on=date.today(), valid_until=date.today() - timedelta(days=1))
        assert not Training.objects.filter(resource=microscope).exists()


class TestApproval:
    @pytest.fixture
    def lab(self, facility):
        return make_resource(facility, name="Laboratoriya", needs_approval=True, approval_hold_hours=24)

    def test_a_request_waits_for_approval_and_holds_its_slot(self, lab, people, neighbour, mailoutbox,
                                                              django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            request = book(people("resident"), lab)
        assert request.status == Booking.Status.PENDING
        assert abs(request.hold_expires_at - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)
        # The e-mail speaks the booker's language (the demo resident reads Uzbek).
        assert "tasdigʻini kutmoqda" in mailoutbox[0].body
        refused("slot_taken", book, neighbour, lab)

    def test_staff_approve_a_request_and_the_booker_is_told(self, lab, people, mailoutbox,
                                                            django_capture_on_commit_callbacks):
        request = book(people("resident"), lab)
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_decide(actor=people("it_staff"), booking=request, approve=True, note="Xush kelibsiz")
        request.refresh_from_db()
        assert (request.status, request.decided_by, request.hold_expires_at) == (
            Booking.Status.CONFIRMED, people("it_staff"), None)
        assert mailoutbox[-1].to == [people("resident").email]
        assert "Xush kelibsiz" in mailoutbox[-1].body
        assert audit_actions(request) == ["bookings.booking.created", "bookings.booking.decided"]
        refused("already_decided", services.booking_decide, actor=people("it_staff"), booking=request, approve=False)

    def test_a_declined_request_frees_the_slot(self, lab, people, neighbour):
        request = book(people("resident"), lab)
        services.booking_decide(actor=people("it_manager"), booking=request, approve=False, note="Band")
        request.refresh_from_db()
        assert request.status == Booking.Status.DECLINED
        assert book(neighbour, lab).status == Booking.Status.PENDING

    def test_an_expired_request_frees_the_slot_and_can_no_longer_be_approved(self, lab, people, neighbour):
        request = book(people("resident"), lab)
        Booking.objects.filter(pk=request.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
        book(neighbour, lab)
        request.refresh_from_db()
        assert request.status == Booking.Status.EXPIRED
        refused("already_decided", services.booking_decide, actor=people("it_staff"), booking=request, approve=True)

    def test_only_the_parks_staff_decide(self, lab, people):
        request = book(people("resident"), lab)
        for persona in ("resident", "kosonsoy_manager", "citizen"):
            with pytest.raises(NotFound):
                services.booking_decide(actor=people(persona), booking=request, approve=True)
        request.refresh_from_db()
        assert request.status == Booking.Status.PENDING

    def test_staff_bookings_need_no_approval(self, lab, people):
        assert book(people("it_staff"), lab).status == Booking.Status.CONFIRMED


class TestCancel:
    def test_the_booker_cancels_before_the_deadline(self, room, people, neighbour):
        booking = book(people("resident"), room)
        services.booking_cancel(actor=people("resident"), booking=booking, reason="Plans changed")
        booking.refresh_from_db()
        assert (booking.status, booking.decision_note) == (Booking.Status.CANCELLED, "Plans changed")
        assert audit_actions(booking) == ["bookings.booking.created", "bookings.booking.cancelled"]
        refused("not_cancellable", services.booking_cancel, actor=people("resident"), booking=booking)

    def test_after_the_deadline_only_staff_cancel_and_the_booker_is_told(self, room, people, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
        room.cancel_hours_before = 24 * 30  # every slot we can book is already past its deadline
        room.save()
        booking = book(people("resident"), room)
        error = refused("too_late_to_cancel", services.booking_cancel, actor=people("resident"), booking=booking)
        assert "720" in str(error.message)
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_cancel(actor=people("it_staff"), booking=booking, reason="Elektr yoʻq")
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert mailoutbox[-1].to == [people("resident").email]
        assert "Elektr yoʻq" in mailoutbox[-1].body

    def test_a_pending_request_can_be_withdrawn_at_any_time(self, room, people):
        room.needs_approval, room.cancel_hours_before = True, 24 * 30
        room.save()
        request = book(people("resident"), room)
        services.booking_cancel(actor=people("resident"), booking=request)
        request.refresh_from_db()
        assert request.status == Booking.Status.CANCELLED

    def test_nobody_else_cancels_a_booking(self, room, people, neighbour):
        booking = book(people("resident"), room)
        for actor in (neighbour, people("kosonsoy_manager"), people("citizen")):
            with pytest.raises(NotFound):
                services.booking_cancel(actor=actor, booking=booking)
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CONFIRMED


class TestReschedule:
    def test_the_booker_moves_a_booking_to_a_free_time_and_the_price_follows(self, room, people):
        booking = book(people("resident"), room, time(10), time(11))
        day = open_day(room)
        services.booking_reschedule(actor=people("resident"), booking=booking, starts_at=at(room, day, time(14)),
                                    ends_at=at(room, day, time(16)))
        booking.refresh_from_db()
        assert local(room, booking.starts_at).time() == time(14)
        assert booking.price == Decimal(80000)
        assert audit_actions(booking)[-1] == "bookings.booking.rescheduled"
        # The old time is free again.
        book(people("resident"), room, time(10), time(11))

    def test_a_booking_may_move_over_its_own_time(self, room, people):
        room.buffer_minutes = 15
        room.save()
        booking = book(people("resident"), room, time(10), time(11))
        day = open_day(room)
        services.booking_reschedule(actor=people("resident"), booking=booking,
                                    starts_at=at(room, day, time(10, 30)), ends_at=at(room, day, time(11, 30)))
        booking.refresh_from_db()
        assert booking.blocked_until == at(room, day, time(11, 45))

    def test_a_booking_cannot_move_onto_a_taken_or_forbidden_time(self, room, people, neighbour):
        booking = book(people("resident"), room, time(10), time(11))
        book(neighbour, room, time(14), time(15))
        day = open_day(room)
        refused("slot_taken", services.booking_reschedule, actor=people("resident"), booking=booking,
                starts_at=at(room, day, time(14, 30)), ends_at=at(room, day, time(15, 30)))
        refused("slot_not_allowed", services.booking_reschedule, actor=people("resident"), booking=booking,
                starts_at=at(room, day, time(17, 30)), ends_at=at(room, day, time(18, 30)))
        booking.refresh_from_db()
        assert local(room, booking.starts_at).time() == time(10)

    def test_after_the_deadline_only_staff_move_a_booking(self, room, people):
        room.cancel_hours_before = 24 * 30
        room.save()
        booking = book(people("resident"), room, time(10), time(11))
        day = open_day(room)
        new = {"starts_at": at(room, day, time(12)), "ends_at": at(room, day, time(13))}
        refused("too_late_to_change", services.booking_reschedule, actor=people("resident"), booking=booking, **new)
        services.booking_reschedule(actor=people("it_manager"), booking=booking, **new)

    def test_a_cancelled_booking_and_a_block_cannot_be_moved(self, room, people):
        booking = book(people("resident"), room)
        services.booking_cancel(actor=people("resident"), booking=booking)
        day = open_day(room)
        new = {"starts_at": at(room, day, time(12)), "ends_at": at(room, day, time(13))}
        refused("not_changeable", services.booking_reschedule, actor=people("resident"), booking=booking, **new)
        block = services.block_create(actor=people("it_staff"), resource=room, starts_at=at(room, day, time(15)),
                                      ends_at=at(room, day, time(16)), reason="Taʼmir")
        refused("not_changeable", services.booking_reschedule, actor=people("it_staff"), booking=block, **new)


class TestCheckInAndNoShow:
    def test_staff_check_in_from_30_minutes_before_the_start_until_the_end(self, room, people):
        booking = book(people("resident"), room, time(10), time(11))
        staff = people("it_staff")
        refused("not_now", services.booking_check_in, actor=staff, booking=booking,
                now=booking.starts_at - timedelta(minutes=31))
        refused("not_now", services.booking_check_in, actor=staff, booking=booking,
                now=booking.ends_at + timedelta(seconds=1))
        services.booking_check_in(actor=staff, booking=booking, now=booking.starts_at - timedelta(minutes=30))
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CHECKED_IN
        assert booking.checked_in_at == booking.starts_at - timedelta(minutes=30)
        assert audit_actions(booking)[-1] == "bookings.booking.checked_in"
        refused("not_checkable", services.booking_check_in, actor=staff, booking=booking, now=booking.starts_at)

    def test_the_booker_cannot_check_themselves_in(self, room, people):
        booking = book(people("resident"), room)
        with pytest.raises(NotFound):
            services.booking_check_in(actor=people("resident"), booking=booking, now=booking.starts_at)

    def test_a_pending_request_cannot_be_checked_in(self, room, people):
        room.needs_approval = True
        room.save()
        request = book(people("resident"), room)
        refused("not_checkable", services.booking_check_in, actor=people("it_staff"), booking=request,
                now=request.starts_at)

    def test_a_booking_without_check_in_is_released_after_the_no_show_minutes(self, room, people):
        room.no_show_minutes = 20
        room.save()
        missed = book(people("resident"), room, time(10), time(11))
        came = book(people("resident"), room, time(11), time(12))
        services.booking_check_in(actor=people("it_staff"), booking=came, now=came.starts_at)
        services.housekeeping(now=missed.starts_at + timedelta(minutes=19))
        missed.refresh_from_db()
        assert missed.status == Booking.Status.CONFIRMED
        services.housekeeping(now=came.starts_at + timedelta(minutes=21))
        missed.refresh_from_db()
        came.refresh_from_db()
        assert (missed.status, came.status) == (Booking.Status.NO_SHOW, Booking.Status.CHECKED_IN)

    def test_the_next_booking_releases_a_no_show_of_the_same_resource(self, room, people):
        # A booking that started an hour ago (written directly: the service refuses the past).
        started = timezone.now() - timedelta(hours=1)
        ends = started + timedelta(hours=2)
        missed = Booking.objects.create(resource=room, booked_by=people("resident"), starts_at=started, ends_at=ends,
                                        blocked_until=ends)
        book(people("resident"), room)
        missed.refresh_from_db()
        assert missed.status == Booking.Status.NO_SHOW


class TestBlocksAndService:
    def test_staff_block_time_and_nobody_can_book_it(self, room, people):
        day = open_day(room)
        block = services.block_create(actor=people("it_staff"), resource=room, starts_at=at(room, day, time(12, 10)),
                                      ends_at=at(room, day, time(13, 50)), reason="Konditsioner taʼmiri")
        assert (block.is_block, block.purpose, block.status) == (True, "Konditsioner taʼmiri", Booking.Status.CONFIRMED)
        assert audit_actions(block) == ["bookings.block.created"]
        refused("slot_taken", book, people("resident"), room, time(13), time(14))
        book(people("resident"), room, time(14), time(15))

    def test_a_block_takes_every_place_of_a_pool(self, desks, people):
        day = open_day(desks)
        block = services.block_create(actor=people("it_staff"), resource=desks, starts_at=at(desks, day, time(10)),
                                      ends_at=at(desks, day, time(11)), reason="Tozalash")
        assert block.units == 3
        refused("slot_taken", book, people("resident"), desks)

    def test_a_block_cannot_cover_a_booking_and_only_staff_block(self, room, people):
        booking = book(people("resident"), room)
        refused("slot_taken", services.block_create, actor=people("it_staff"), resource=room,
                starts_at=booking.starts_at, ends_at=booking.ends_at, reason="Taʼmir")
        with pytest.raises(NotFound):
            services.block_create(actor=people("resident"), resource=room, starts_at=booking.ends_at,
                                  ends_at=booking.ends_at + timedelta(hours=1), reason="Meniki")
        refused("slot_not_allowed", services.block_create, actor=people("it_staff"), resource=room,
                starts_at=booking.ends_at, ends_at=booking.ends_at, reason="Nothing")

    def test_out_of_service_cancels_future_bookings_and_tells_the_people(self, room, people, neighbour, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
        first = book(people("resident"), room, time(10), time(11))
        second = book(neighbour, room, time(12), time(13))
        block = services.block_create(actor=people("it_staff"), resource=room, starts_at=second.ends_at,
                                      ends_at=second.ends_at + timedelta(hours=1), reason="Taʼmir")
        past = Booking.objects.create(resource=room, booked_by=neighbour, starts_at=timezone.now() - timedelta(days=2),
                                      ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
                                      blocked_until=timezone.now() - timedelta(days=2) + timedelta(hours=1),
                                      status=Booking.Status.CHECKED_IN)
        with django_capture_on_commit_callbacks(execute=True):
            count = services.resource_set_in_service(actor=people("it_manager"), resource=room, in_service=False,
                                                     reason="Suv bosdi")
        assert count == 2
        statuses = dict(Booking.objects.filter(resource=room).values_list("pk", "status"))
        assert statuses == {first.pk: "cancelled", second.pk: "cancelled", block.pk: "confirmed",
                            past.pk: "checked_in"}
        assert sorted(m.to[0] for m in mailoutbox) == sorted([people("resident").email, neighbour.email])
        assert all("Suv bosdi" in m.body for m in mailoutbox)
        room.refresh_from_db()
        assert (room.in_service, room.out_of_service_reason) == (False, "Suv bosdi")
        error = refused("slot_not_allowed", book, people("resident"), room)
        assert "resource" in error.fields
        [entry] = AuditEntry.objects.filter(action="bookings.resource.service_changed", object_id=str(room.pk))
        assert entry.changes["cancelled"] == [None, 2]

        services.resource_set_in_service(actor=people("it_manager"), resource=room, in_service=True)
        room.refresh_from_db()
        assert (room.in_service, room.out_of_service_reason) == (True, "")
        book(people("resident"), room)

    def test_only_the_parks_staff_switch_a_resource_off(self, room, people):
        with pytest.raises(NotFound):
            services.resource_set_in_service(actor=people("kosonsoy_manager"), resource=room, in_service=False)
        room.refresh_from_db()
        assert room.in_service


class TestSeries:
    def test_a_weekly_series_books_every_week_at_the_same_local_time(self, room, people):
        day = open_day(room)
        series, occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(10)),
            ends_at=at(room, day, time(11)), count=4)
        assert series is not None
        assert [o.error for o in occurrences] == [None] * 4
        bookings = list(series.bookings.order_by("starts_at"))
        assert [local(room, b.starts_at).date() for b in bookings] == [day + timedelta(weeks=n) for n in range(4)]
        assert {local(room, b.starts_at).time() for b in bookings} == {time(10)}

    def test_without_skip_one_conflict_books_nothing_and_each_date_says_why(self, room, people, neighbour):
        day = open_day(room)
        book(neighbour, room, day=day + timedelta(weeks=2))
        series, occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(10)),
            ends_at=at(room, day, time(11)), count=4)
        assert series is None
        assert [o.error.code if o.error else None for o in occurrences] == [None, None, "slot_taken", None]
        assert all(o.booking is None for o in occurrences)
        assert not Booking.objects.filter(resource=room, booked_by=people("resident")).exists()
        assert not BookingSeries.objects.filter(resource=room).exists()

    def test_with_skip_conflicts_the_free_dates_are_booked(self, room, people, neighbour):
        day = open_day(room)
        ClosedDay.objects.create(resource=room, date=day + timedelta(weeks=1))
        book(neighbour, room, day=day + timedelta(weeks=2))
        series, occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(10)),
            ends_at=at(room, day, time(11)), until=day + timedelta(weeks=3), skip_conflicts=True)
        assert [o.error.code if o.error else None for o in occurrences] == [
            None, "slot_not_allowed", "slot_taken", None]
        assert [o.booking.pk for o in occurrences if o.booking] == list(
            series.bookings.order_by("starts_at").values_list("pk", flat=True))
        assert series.bookings.count() == 2

    def test_a_series_where_every_date_fails_books_nothing_even_with_skip(self, room, people):
        day = open_day(room)
        series, occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(7)),
            ends_at=at(room, day, time(8)), count=2, skip_conflicts=True)
        assert series is None
        assert [o.error.code for o in occurrences] == ["slot_not_allowed"] * 2
        assert not BookingSeries.objects.filter(resource=room).exists()

    def test_a_series_needs_a_count_or_an_end_date(self, room, people):
        day = open_day(room)
        refused("series_open_ended", services.series_create, actor=people("resident"), resource=room,
                starts_at=at(room, day, time(10)), ends_at=at(room, day, time(11)))

    def test_the_local_wall_time_is_kept_across_a_daylight_saving_change(self, room):
        # Tashkent has no DST; a park in Berlin does. 10:00 stays 10:00 while UTC moves by an hour.
        room.facility.park.region.timezone = "Europe/Berlin"
        berlin = ZoneInfo("Europe/Berlin")
        first = datetime(2030, 3, 18, 10, tzinfo=berlin)
        weeks = services.weekly(first, first + timedelta(hours=1), count=3, resource=room)
        assert [s.astimezone(berlin).time() for s, _e in weeks] == [time(10)] * 3
        assert [s.astimezone(UTC).hour for s, _e in weeks] == [9, 9, 8]  # DST began on 31 March 2030


class TestPrices:
    def test_residents_of_the_park_pay_the_resident_rate(self, room, people):
        assert book(people("resident"), room, time(10), time(11, 30)).price == Decimal("60000.00")

    def test_everyone_else_pays_the_full_rate(self, room, people):
        room.audience = ["public"]
        room.save()
        assert book(people("citizen"), room, time(10), time(11, 30)).price == Decimal("150000.00")
        foreign = resident_of(Technopark.objects.get(slug="kosonsoy-medical"), "k.resident@example.uz")
        assert book(foreign, room, time(12), time(13)).price == Decimal("100000.00")

    def test_a_pool_booking_pays_for_every_place(self, desks, people):
        desks.price_per_hour, desks.resident_price_per_hour = Decimal(10000), Decimal(4000)
        desks.save()
        assert book(people("resident"), desks, time(10), time(12), units=3).price == Decimal("24000.00")

    def test_a_moved_booking_is_priced_again_for_its_places(self, desks, people):
        desks.resident_price_per_hour = Decimal(4000)
        desks.save()
        booking = book(people("resident"), desks, time(10), time(11), units=2)
        day = open_day(desks)
        services.booking_reschedule(actor=people("resident"), booking=booking, starts_at=at(desks, day, time(13)),
                                    ends_at=at(desks, day, time(16)))
        booking.refresh_from_db()
        assert booking.price == Decimal("24000.00")

    def test_a_free_resource_costs_nothing(self, desks, people):
        assert book(people("resident"), desks).price == Decimal(0)


class TestTimes:
    def test_times_are_stored_in_utc(self, room, people):
        booking = book(people("resident"), room, time(10), time(11))
        day = open_day(room)
        with connection.cursor() as cursor:
            cursor.execute("SELECT starts_at FROM bookings_booking WHERE id = %s", [booking.pk])
            [stored] = cursor.fetchone()
        if isinstance(stored, str):  # SQLite keeps the UTC wall time as text...
            stored = datetime.fromisoformat(stored)
        if stored.tzinfo is None:  # ...and its driver reads it back without a zone
            stored = stored.replace(tzinfo=UTC)
        assert stored == datetime.combine(day, time(5), tzinfo=UTC)  # 10:00 in Tashkent is 05:00 UTC
        assert stored.astimezone(UTC).time() == time(5)

    def test_a_series_across_the_next_clock_change_keeps_the_local_time_and_moves_utc(self, room, people):
        """A park in a zone with daylight saving (the platform is not tied to Tashkent)."""
        region = room.facility.park.region
        region.timezone = "Europe/Berlin"
        region.save()
        room.book_ahead_days = 400
        room.save()
        berlin = ZoneInfo("Europe/Berlin")
        day = open_day(room)
        for _week in range(53):  # find the last week before the clocks change
            if at(room, day, time(10)).utcoffset() != at(room, day + timedelta(weeks=1), time(10)).utcoffset():
                break
            day += timedelta(weeks=1)
        series, occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(10)),
            ends_at=at(room, day, time(11)), count=2)
        assert [o.error for o in occurrences] == [None, None]
        before, after = series.bookings.order_by("starts_at")
        assert before.starts_at.astimezone(berlin).time() == after.starts_at.astimezone(berlin).time() == time(10)
        assert abs(before.starts_at.astimezone(UTC).hour - after.starts_at.astimezone(UTC).hour) == 1
        assert after.starts_at - before.starts_at in (timedelta(weeks=1, hours=-1), timedelta(weeks=1, hours=1))

    def test_a_series_in_tashkent_stays_at_10_local_and_05_utc_every_week(self, room, people):
        day = open_day(room)
        series, _occurrences = services.series_create(
            actor=people("resident"), resource=room, starts_at=at(room, day, time(10)),
            ends_at=at(room, day, time(11)), count=6)
        for booking in series.bookings.all():
            assert booking.starts_at.astimezone(UTC).time() == time(5)
            assert local(room, booking.starts_at).time() == time(10)


class TestFeeds:
    def test_regenerating_a_feed_changes_its_secret(self, room, people):
        resident = people("resident")
        first = services.feed_for(person=resident)
        old = first.token
        assert services.feed_for(person=resident) == first
        new = services.feed_regenerate(actor=resident, person=resident)
        assert new.pk == first.pk and new.token != old and len(new.token) >= 40

    def test_only_the_person_and_the_staff_regenerate_feeds(self, room, people):
        with pytest.raises(NotFound):
            services.feed_regenerate(actor=people("citizen"), person=people("resident"))
        with pytest.raises(NotFound):
            services.feed_regenerate(actor=people("resident"), resource=room)
        assert services.feed_regenerate(actor=people("it_staff"), resource=room).resource == room


class TestHousekeeping:
    def test_housekeeping_expires_requests_releases_no_shows_and_reminds_once(self, room, people, neighbour,
                                                                               mailoutbox):
        Booking.objects.exclude(resource=room).delete()  # only this test's bookings count
        day = open_day(room)
        room.needs_approval, room.approval_hold_hours = True, 24 * 10
        room.save()
        request = book(people("resident"), room, time(9), time(10), day=day + timedelta(weeks=2))
        room.needs_approval = False
        room.save()
        missed = book(people("resident"), room, time(10), time(11))
        soon = book(neighbour, room, time(12), time(13))
        later = book(neighbour, room, time(14), time(15), day=day + timedelta(weeks=2))

        now = soon.starts_at - timedelta(hours=23)
        assert services.housekeeping(now=now) == {"expired": 0, "released": 0, "reminded": 2}
        assert sorted(m.to[0] for m in mailoutbox) == sorted([people("resident").email, neighbour.email])
        assert services.housekeeping(now=now)["reminded"] == 0  # nobody is reminded twice

        # Ten days on: the request's hold has run out; the two bookings of this week were missed.
        result = services.housekeeping(now=request.hold_expires_at + timedelta(minutes=1))
        assert result["expired"] == 1
        assert result["released"] == 2  # missed and soon started long before then
        statuses = dict(Booking.objects.filter(resource=room).values_list("pk", "status"))
        assert statuses[request.pk] == "expired"
        assert statuses[missed.pk] == statuses[soon.pk] == "no_show"
        assert statuses[later.pk] == "confirmed"


class TestAudit:
    def test_every_change_of_a_booking_is_in_the_audit_log_with_its_actor(self, room, people):
        resident, staff = people("resident"), people("it_staff")
        room.needs_approval = True
        room.save()
        booking = book(resident, room, time(10), time(11))
        services.booking_decide(actor=staff, booking=booking, approve=True)
        day = open_day(room)
        services.booking_reschedule(actor=resident, booking=booking, starts_at=at(room, day, time(11)),
                                    ends_at=at(room, day, time(12)))
        services.booking_check_in(actor=staff, booking=booking, now=booking.starts_at + timedelta(hours=1))
        entries = list(AuditEntry.objects.filter(object_type="bookings.booking", object_id=str(booking.pk))
                       .order_by("pk"))
        assert [(e.action, e.actor) for e in entries] == [
            ("bookings.booking.created", resident), ("bookings.booking.decided", staff),
            ("bookings.booking.rescheduled", resident), ("bookings.booking.checked_in", staff)]
        assert entries[0].changes["status"] == [None, "pending"]
        assert entries[1].changes["status"] == ["pending", "confirmed"]
        assert entries[2].changes["starts_at"] == [at(room, day, time(10)).astimezone(UTC).isoformat(),
                                                   at(room, day, time(11)).isoformat()]
        # The region administrator reads the region's log: every entry carries the park's region.
        assert {e.region_id for e in entries} == {room.facility.park.region_id}

    def test_trainings_blocks_and_service_changes_are_in_the_regions_log(self, room, people):
        staff, region_id = people("it_staff"), room.facility.park.region_id
        training = services.training_record(actor=staff, resource=room, person=people("resident"),
                                            trained_on=date.today(), valid_until=date.today())
        day = open_day(room)
        block = services.block_create(actor=staff, resource=room, starts_at=at(room, day, time(9)),
                                      ends_at=at(room, day, time(10)), reason="Taʼmir")
        services.resource_set_in_service(actor=staff, resource=room, in_service=False, reason="Taʼmir")
        entries = AuditEntry.objects.filter(action__in=[
            "bookings.training.recorded", "bookings.block.created", "bookings.resource.service_changed"])
        assert sorted((e.object_id, e.region_id) for e in entries) == sorted(
            [(str(training.pk), region_id), (str(block.pk), region_id), (str(room.pk), region_id)])
