"""Booking reads: slots of a day and a week, free times near a taken one, lists by scope, utilisation."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from texnopark.accounts.models import Membership
from texnopark.bookings import selectors, services
from texnopark.bookings.models import Booking, ClosedDay, Resource
from texnopark.bookings.rules import at, local, zone
from texnopark.network.models import Facility, Technopark

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return Technopark.objects.get(slug="namangan-it")


def make_resource(park, name, **fields):
    defaults = {"opens_at": time(9), "closes_at": time(18), "open_weekdays": [0, 1, 2, 3, 4], "slot_minutes": 60,
                "min_minutes": 60, "max_minutes": 480, "audience": ["public"]}
    facility = Facility.objects.filter(park=park).order_by("pk").first()
    resource = Resource.objects.create(facility=facility, name=name, **{**defaults, **fields})
    # As the pages get it: with its park and region, so the time zone costs no query.
    return Resource.objects.select_related("facility__park__region").get(pk=resource.pk)


@pytest.fixture
def room(park):
    return make_resource(park, "Tanlov xonasi")


@pytest.fixture
def desks(park):
    return make_resource(park, "Ochiq stollar", kind=Resource.Kind.POOL, capacity=4)


def open_day(resource, ahead=3):
    day = timezone.localdate(timezone=zone(resource)) + timedelta(days=ahead)
    while day.weekday() not in resource.open_weekdays:
        day += timedelta(days=1)
    return day


def add(resource, person, day, start, end, *, status=Booking.Status.CONFIRMED, units=1, **fields):
    """A booking written directly: selectors must read any state, including the past."""
    starts_at, ends_at = at(resource, day, start), at(resource, day, end)
    return Booking.objects.create(resource=resource, booked_by=person, starts_at=starts_at, ends_at=ends_at,
                                  blocked_until=ends_at + timedelta(minutes=resource.buffer_minutes), units=units,
                                  exclusive=resource.exclusive, status=status, **fields)


class TestDayAndWeek:
    def test_a_day_is_cut_into_slot_steps_with_the_free_places(self, desks, demo_user):
        day = open_day(desks)
        add(desks, demo_user("resident"), day, time(10), time(12), units=3)
        add(desks, demo_user("resident"), day, time(11), time(12))
        add(desks, demo_user("resident"), day, time(9), time(10), status=Booking.Status.CANCELLED, units=4)
        slots = selectors.day_slots(desks, day)
        assert [local(desks, s.starts_at).hour for s in slots] == list(range(9, 18))
        assert [s.free_units for s in slots[:4]] == [4, 1, 0, 4]
        assert [s.free for s in slots[:4]] == [True, True, False, True]

    def test_the_buffer_keeps_the_slot_after_a_booking_busy(self, room, demo_user):
        room.buffer_minutes = 30
        day = open_day(room)
        add(room, demo_user("resident"), day, time(10), time(11))
        free = {local(room, s.starts_at).hour: s.free for s in selectors.day_slots(room, day)}
        assert (free[10], free[11], free[12]) == (False, False, True)

    def test_closed_days_and_resources_out_of_service_have_no_slots(self, room):
        day = open_day(room)
        saturday = day + timedelta(days=(5 - day.weekday()) % 7)
        assert selectors.day_slots(room, saturday) == []
        ClosedDay.objects.create(resource=room, date=day)
        assert selectors.day_slots(room, day) == []
        room.in_service = False
        assert selectors.day_slots(room, day + timedelta(days=7)) == []

    def test_slots_that_have_ended_are_past_and_not_free(self, room):
        room.open_weekdays = list(range(7))
        today = timezone.localdate(timezone=zone(room))
        slots = selectors.day_slots(room, today, closed_days=set(), now=at(room, today, time(12, 30)))
        # 9–10, 10–11 and 11–12 are over; 12–13 is under way and still shown.
        assert [s.past for s in slots][:5] == [True, True, True, False, False]
        assert [s.free for s in slots][:5] == [False, False, False, True, True]

    def test_a_week_has_seven_days_in_the_parks_time_zone(self, room, demo_user):
        day = open_day(room)
        monday = day - timedelta(days=day.weekday())
        booking = add(room, demo_user("resident"), day, time(14), time(15))
        week = selectors.week_slots(room, monday)
        assert [d for d, _slots in week] == [monday + timedelta(days=i) for i in range(7)]
        assert [len(slots) for _d, slots in week] == [9] * 5 + [0, 0]
        [taken] = [s for _d, slots in week for s in slots if not s.free_units]
        assert taken.starts_at == booking.starts_at and taken.bookings == [booking]

    def test_a_week_costs_two_queries_however_many_bookings_it_holds(self, desks, demo_user,
                                                                    django_assert_num_queries):
        day = open_day(desks)
        monday = day - timedelta(days=day.weekday())
        with django_assert_num_queries(2):
            selectors.week_slots(desks, monday)
        person = demo_user("resident")
        for offset in range(5):
            for hour in range(9, 18):
                add(desks, person, monday + timedelta(days=offset), time(hour), time(hour + 1))
        ClosedDay.objects.create(resource=desks, date=monday + timedelta(days=2))
        with django_assert_num_queries(2):
            week = selectors.week_slots(desks, monday)
        assert sum(len(slots) for _d, slots in week) == 4 * 9
        assert {s.free_units for _d, slots in week for s in slots} == {3}


class TestFreeSlotsNear:
    def test_the_nearest_free_times_of_the_same_length_come_first(self, room, demo_user):
        day = open_day(room)
        person = demo_user("resident")
        add(room, person, day, time(9), time(10))
        add(room, person, day, time(11), time(13))
        around = at(room, day, time(11))
        found = selectors.free_slots_near(room, around, timedelta(hours=2))
        assert [(local(room, s).time(), local(room, e).time()) for s, e in found] == [
            (time(13), time(15)), (time(14), time(16)), (time(15), time(17))]
        assert all(e - s == timedelta(hours=2) for s, e in found)

    def test_a_full_day_sends_people_to_the_next_open_day(self, room, demo_user):
        day = open_day(room)
        add(room, demo_user("resident"), day, time(9), time(18))
        found = selectors.free_slots_near(room, at(room, day, time(10)), timedelta(hours=1), count=2)
        next_day = open_day(room, ahead=(day - timezone.localdate(timezone=zone(room))).days + 1)
        assert [local(room, s) for s, _e in found] == [at(room, next_day, time(9)), at(room, next_day, time(10))]

    def test_a_pool_offers_only_times_with_enough_places(self, desks, demo_user):
        day = open_day(desks)
        add(desks, demo_user("resident"), day, time(9), time(12), units=3)
        found = selectors.free_slots_near(desks, at(desks, day, time(10)), timedelta(hours=1), units=2, count=5)
        assert all(local(desks, s).time() >= time(12) or local(desks, s).date() != day for s, _e in found)
        found_one = selectors.free_slots_near(desks, at(desks, day, time(10)), timedelta(hours=1), units=1)
        assert local(desks, found_one[0][0]) == at(desks, day, time(10))


class TestListsByScope:
    def test_overlapping_sees_only_bookings_that_hold_time(self, desks, demo_user):
        # A pool: PostgreSQL would refuse three holding bookings of one room at one time.
        day = open_day(desks)
        person = demo_user("resident")
        holding = [add(desks, person, day, time(9), time(10), status=s)
                   for s in (Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN)]
        for status in (Booking.Status.CANCELLED, Booking.Status.DECLINED, Booking.Status.EXPIRED,
                       Booking.Status.NO_SHOW):
            add(desks, person, day, time(9), time(10), status=status)
        add(desks, person, day, time(10), time(11))  # touches, does not overlap
        found = selectors.overlapping(desks, at(desks, day, time(9, 30)), at(desks, day, time(10)))
        assert sorted(b.pk for b in found) == sorted(b.pk for b in holding)
        assert selectors.overlapping(desks, at(desks, day, time(9)), at(desks, day, time(10)),
                                     exclude=holding[0].pk).count() == 2

    def test_staff_see_the_requests_of_their_park_only_while_they_hold(self, room, demo_user):
        day = open_day(room)
        waiting = add(room, demo_user("resident"), day, time(9), time(10), status=Booking.Status.PENDING,
                      hold_expires_at=timezone.now() + timedelta(hours=1))
        add(room, demo_user("resident"), day, time(10), time(11), status=Booking.Status.PENDING,
            hold_expires_at=timezone.now() - timedelta(minutes=1))
        assert list(selectors.pending_for(demo_user("it_staff")).filter(resource=room)) == [waiting]
        assert not selectors.pending_for(demo_user("kosonsoy_manager")).filter(resource=room).exists()
        assert not selectors.pending_for(demo_user("resident")).exists()

    def test_a_person_sees_their_own_bookings_and_staff_those_they_run(self, room, demo_user):
        day = open_day(room)
        mine = add(room, demo_user("resident"), day, time(9), time(10))
        theirs = add(room, demo_user("citizen"), day, time(10), time(11))
        assert list(selectors.bookings_of(demo_user("resident")).filter(resource=room)) == [mine]
        assert list(selectors.bookings_run_by(demo_user("it_manager")).filter(resource=room)) == [mine, theirs]
        assert list(selectors.bookings_run_by(demo_user("region_admin")).filter(resource=room)) == [mine, theirs]
        assert not selectors.bookings_run_by(demo_user("kosonsoy_manager")).filter(resource=room).exists()
        assert not selectors.bookings_run_by(demo_user("resident")).exists()

    def test_resources_run_by_the_parks_staff_and_the_region(self, room, demo_user):
        assert room in selectors.resources_run_by(demo_user("it_staff"))
        assert room in selectors.resources_run_by(demo_user("region_admin"))
        assert room not in selectors.resources_run_by(demo_user("chortoq_manager"))
        assert room in selectors.resource_list_for(viewer=demo_user("citizen"))


class TestUtilisation:
    """A hand-made week: a pool of two desks, open 9:00–18:00 Monday to Friday, one holiday."""

    MONDAY = date(2026, 11, 2)

    @pytest.fixture
    def week(self, park, demo_user):
        desks = make_resource(park, "Hisob stollari", kind=Resource.Kind.POOL, capacity=2)
        room = make_resource(park, "Hisob xonasi", open_weekdays=[0, 1, 2, 3, 4, 5])
        ClosedDay.objects.create(resource=desks, date=self.MONDAY + timedelta(days=2), reason="Bayram")
        person, monday = demo_user("resident"), self.MONDAY
        add(desks, person, monday, time(9), time(11), status=Booking.Status.CHECKED_IN, price=Decimal(10000))
        add(desks, person, monday, time(9), time(12), units=2, price=Decimal(30000))            # confirmed
        add(desks, person, monday + timedelta(days=1), time(10), time(11), status=Booking.Status.NO_SHOW,
            price=Decimal(5000))
        add(desks, person, monday + timedelta(days=3), time(9), time(13), status=Booking.Status.CANCELLED)
        add(desks, person, monday + timedelta(days=3), time(14), time(15), status=Booking.Status.PENDING)
        add(desks, person, monday + timedelta(days=4), time(9), time(18), units=2, is_block=True)
        add(desks, person, monday + timedelta(days=7), time(9), time(10))                        # next week
        add(room, person, monday + timedelta(days=5), time(10), time(13), status=Booking.Status.CHECKED_IN)
        return desks, room

    def test_open_booked_and_used_hours_on_a_hand_made_week(self, week, django_assert_max_num_queries):
        desks, room = week
        resources = Resource.objects.filter(pk__in=[desks.pk, room.pk]).select_related("facility__park__region")
        with django_assert_max_num_queries(3):
            usage = selectors.utilisation(resources, self.MONDAY, self.MONDAY + timedelta(days=6))
        # Desks: 4 open days (Wednesday is a holiday) × 9 hours × 2 desks = 72 desk-hours.
        # Booked: 2 (checked in) + 3 × 2 (confirmed) + 1 (no-show) = 9; used: the 2 checked-in hours.
        # Cancelled and pending requests, staff blocks and next week do not count.
        d = usage[desks.pk]
        assert (d.open_hours, d.booked_hours, d.used_hours, d.amount) == (72, 9, 2, Decimal(45000))
        assert (d.booked_share, d.used_share) == (Decimal("12.5"), Decimal("2.8"))
        # The room is open on Saturday too: 6 × 9 = 54 hours, 3 of them booked and used.
        r = usage[room.pk]
        assert (r.open_hours, r.booked_hours, r.used_hours) == (54, 3, 3)
        assert (r.booked_share, r.used_share) == (Decimal("5.6"), Decimal("5.6"))

    def test_a_facility_or_park_total_adds_up_its_resources(self, week):
        desks, room = week
        usage = selectors.utilisation(Resource.objects.filter(pk__in=[desks.pk, room.pk]), self.MONDAY,
                                      self.MONDAY + timedelta(days=6))
        total = selectors.Usage()
        for part in usage.values():
            total.add(part)
        assert (total.open_hours, total.booked_hours, total.used_hours) == (126, 12, 5)
        assert total.booked_share == Decimal("9.5")

    def test_the_query_count_does_not_grow_with_the_number_of_resources(self, park, django_assert_num_queries):
        for n in range(6):
            make_resource(park, f"Xona {n}")
        resources = Resource.objects.filter(facility__park=park).select_related("facility__park__region")
        with django_assert_num_queries(3):
            usage = selectors.utilisation(resources, self.MONDAY, self.MONDAY + timedelta(days=6))
        assert len(usage) >= 6

    def test_a_booking_counts_on_the_local_day_it_starts(self, park, demo_user):
        # 00:30 in Tashkent on Monday is still Sunday in UTC: it belongs to Monday's week.
        night = make_resource(park, "Tungi xona", opens_at=time(0), closes_at=time(23), slot_minutes=30,
                              min_minutes=30, open_weekdays=list(range(7)))
        add(night, demo_user("resident"), self.MONDAY, time(0, 30), time(1, 30))
        usage = selectors.utilisation(Resource.objects.filter(pk=night.pk), self.MONDAY,
                                      self.MONDAY + timedelta(days=6))
        assert usage[night.pk].booked_hours == 1
        assert datetime.combine(self.MONDAY, time(0, 30), tzinfo=zone(night)).astimezone(
            timezone.get_fixed_timezone(0)).date() == self.MONDAY - timedelta(days=1)


def test_services_and_selectors_agree_on_what_is_free(room, demo_user):
    """Every slot the calendar shows as free can be booked; every taken one is refused."""
    day = open_day(room)
    resident = demo_user("resident")
    Membership.objects.get_or_create(user=resident, role="resident", park=room.facility.park)
    services.booking_create(actor=resident, resource=room, starts_at=at(room, day, time(11)),
                            ends_at=at(room, day, time(13)))
    for slot in selectors.day_slots(room, day):
        if slot.free:
            services.booking_create(actor=resident, resource=room, starts_at=slot.starts_at, ends_at=slot.ends_at)
    assert all(not s.free for s in selectors.day_slots(room, day))
