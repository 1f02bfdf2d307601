"""The booking rules of a resource, checked on proposed slots before anything is written."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from texnopark.bookings import rules
from texnopark.bookings.models import ClosedDay, Resource, Training
from texnopark.core.errors import AppError
from texnopark.network.models import Facility

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")


@pytest.fixture
def room():
    """A room of the IT park: Monday to Friday 9:00–18:00, 30-minute grid, 30 minutes to 4 hours, 14 days ahead."""
    facility = Facility.objects.filter(park__slug="namangan-it").first()
    return Resource.objects.create(
        facility=facility, name="Qoidalar xonasi", opens_at=time(9), closes_at=time(18), open_weekdays=[0, 1, 2, 3, 4],
        slot_minutes=30, min_minutes=30, max_minutes=240, book_ahead_days=14, audience=["public"])


def open_day(resource, ahead=2):
    """The first day the resource is open, at least `ahead` days from today in the park."""
    day = timezone.localdate(timezone=rules.zone(resource)) + timedelta(days=ahead)
    while day.weekday() not in resource.open_weekdays:
        day += timedelta(days=1)
    return day


def closed_weekday(resource, ahead=2):
    day = timezone.localdate(timezone=rules.zone(resource)) + timedelta(days=ahead)
    while day.weekday() in resource.open_weekdays:
        day += timedelta(days=1)
    return day


def slot(resource, day, start, end):
    return rules.at(resource, day, start), rules.at(resource, day, end)


def problem(resource, day, start, end, **kwargs):
    found = rules.slot_problem(resource, *slot(resource, day, start, end), **kwargs)
    return found[0] if found else None


def test_a_slot_on_the_grid_within_opening_hours_is_allowed(room):
    day = open_day(room)
    assert problem(room, day, time(9), time(9, 30)) is None
    assert problem(room, day, time(14), time(18)) is None
    rules.check_slot(room, *slot(room, day, time(10), time(12)))


@pytest.mark.parametrize("start, end, field", [
    (time(8, 30), time(9, 30), "starts_at"),    # opens at 9:00
    (time(17, 30), time(18, 30), "starts_at"),  # closes at 18:00
    (time(10, 15), time(10, 45), "starts_at"),  # off the 30-minute grid
    (time(10), time(10, 45), "starts_at"),      # a length off the grid
    (time(10), time(14, 30), "ends_at"),        # longer than 4 hours
    (time(11), time(10), "ends_at"),            # ends before it starts
    (time(11), time(11), "ends_at"),            # no length at all
])
def test_slots_that_break_a_rule_name_the_field_to_correct(room, start, end, field):
    assert problem(room, open_day(room), start, end) == field


def test_the_shortest_booking_is_enforced(room):
    room.min_minutes = 60
    day = open_day(room)
    assert problem(room, day, time(10), time(10, 30)) == "ends_at"
    assert problem(room, day, time(10), time(11)) is None


def test_the_grid_counts_from_the_opening_time(room):
    room.opens_at = time(9, 15)
    day = open_day(room)
    assert problem(room, day, time(9, 45), time(10, 15)) is None
    assert problem(room, day, time(10), time(10, 30)) == "starts_at"


def test_a_closed_weekday_and_a_closed_date_refuse_every_slot(room):
    assert problem(room, closed_weekday(room), time(10), time(11)) == "starts_at"
    day = open_day(room)
    ClosedDay.objects.create(resource=room, date=day, reason="Bayram")
    assert problem(room, day, time(10), time(11)) == "starts_at"
    assert not rules.is_open_on(room, day)
    assert rules.is_open_on(room, day, closed_days=set())  # the caller's own list of closed days wins


def test_a_time_that_has_passed_cannot_be_booked(room):
    now = timezone.now()
    assert rules.slot_problem(room, now - timedelta(hours=1), now, now=now)[0] == "starts_at"


def test_a_resource_is_booked_at_most_its_days_ahead(room):
    far = open_day(room, ahead=room.book_ahead_days + 1)
    assert problem(room, far, time(10), time(11)) == "starts_at"
    # Staff blocks (maintenance) may be set further ahead, and off the grid.
    assert problem(room, far, time(10, 10), time(10, 20), is_block=True) is None


def test_a_booking_does_not_run_past_midnight(room):
    room.opens_at, room.closes_at, room.open_weekdays = time(0), time(23, 59), [0, 1, 2, 3, 4, 5, 6]
    day = open_day(room)
    start = rules.at(room, day, time(23))
    assert rules.slot_problem(room, start, start + timedelta(hours=2))[0] == "ends_at"


def test_an_out_of_service_resource_refuses_every_slot(room):
    room.in_service = False
    assert problem(room, open_day(room), time(10), time(11)) == "resource"


def test_check_slot_raises_an_app_error_with_the_field_and_message(room):
    with pytest.raises(AppError) as error:
        rules.check_slot(room, *slot(room, open_day(room), time(7), time(8)))
    assert error.value.code == "slot_not_allowed"
    assert error.value.status == 400
    assert list(error.value.fields) == ["starts_at"]
    assert "09:00" in str(error.value.message) and "18:00" in str(error.value.message)


def test_wall_clock_times_are_in_the_parks_time_zone(room):
    moment = rules.at(room, date(2027, 3, 1), time(10))
    assert moment.utcoffset() == timedelta(hours=5)
    assert moment.astimezone(ZoneInfo("UTC")).time() == time(5)
    assert rules.local(room, datetime(2027, 3, 1, 5, tzinfo=ZoneInfo("UTC"))).time() == time(10)


def test_the_time_zone_is_the_parks_regions(room):
    region = room.facility.park.region
    region.timezone = "Europe/Berlin"
    assert rules.zone(room) == ZoneInfo("Europe/Berlin")
    # Opening hours are local: 9:00 in Berlin is 8:00 UTC in winter.
    assert rules.at(room, date(2027, 1, 4), time(9)).astimezone(ZoneInfo("UTC")).time() == time(8)


class TestTraining:
    @pytest.fixture
    def instrument(self, room):
        room.kind, room.requires_training = Resource.Kind.INSTRUMENT, True
        room.save()
        return room

    def test_without_training_the_instrument_is_refused(self, instrument, demo_user):
        starts_at = rules.at(instrument, open_day(instrument), time(10))
        with pytest.raises(AppError) as error:
            rules.check_training(instrument, demo_user("resident"), starts_at)
        assert error.value.code == "training_required"

    def test_an_expired_training_does_not_count(self, instrument, demo_user):
        person, day = demo_user("resident"), open_day(instrument)
        Training.objects.create(resource=instrument, person=person, trained_on=day - timedelta(days=400),
                                valid_until=day - timedelta(days=1))
        assert not rules.has_valid_training(instrument, person, day)

    def test_a_training_valid_on_the_day_of_use_counts_even_if_it_expires_that_day(self, instrument, demo_user):
        person, day = demo_user("resident"), open_day(instrument)
        Training.objects.create(resource=instrument, person=person, trained_on=day - timedelta(days=30),
                                valid_until=day)
        assert rules.has_valid_training(instrument, person, day)
        assert not rules.has_valid_training(instrument, person, day + timedelta(days=1))
        rules.check_training(instrument, person, rules.at(instrument, day, time(10)))

    def test_a_training_recorded_for_a_later_date_does_not_count_yet(self, instrument, demo_user):
        person, day = demo_user("resident"), open_day(instrument)
        Training.objects.create(resource=instrument, person=person, trained_on=day + timedelta(days=1),
                                valid_until=day + timedelta(days=365))
        assert not rules.has_valid_training(instrument, person, day)

    def test_training_on_another_instrument_or_by_another_person_does_not_count(self, instrument, room, demo_user):
        day = open_day(instrument)
        other = Resource.objects.create(facility=instrument.facility, name="Boshqa asbob", kind="instrument",
                                        requires_training=True)
        Training.objects.create(resource=other, person=demo_user("resident"), trained_on=day, valid_until=day)
        Training.objects.create(resource=instrument, person=demo_user("researcher"), trained_on=day, valid_until=day)
        assert not rules.has_valid_training(instrument, demo_user("resident"), day)

    def test_a_resource_without_required_training_asks_for_none(self, room, demo_user):
        rules.check_training(room, demo_user("citizen"), rules.at(room, open_day(room), time(10)))
