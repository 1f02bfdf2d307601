"""Booking reads: availability, calendars, lists and utilisation, each for the viewer's scope."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from texnopark.bookings.models import Booking, ClosedDay, Resource
from texnopark.bookings.rules import at, is_open_on, slot_problem
from texnopark.network.selectors import facility_list_for, parks_run_by, runs_parks_q  # noqa: F401  (parks_run_by: the views use it from here)


def resource_list_for(*, viewer, park=None, facility=None) -> QuerySet[Resource]:
    qs = Resource.objects.select_related("facility", "facility__park", "facility__park__region").filter(
        facility__in=facility_list_for(viewer=viewer))
    if park is not None:
        qs = qs.filter(facility__park=park)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs


def resources_run_by(viewer) -> QuerySet[Resource]:
    qs = Resource.objects.select_related("facility", "facility__park", "facility__park__region")
    scope = runs_parks_q(viewer, "facility__park")
    return qs if scope is None else qs.filter(scope)


def overlapping(resource: Resource, starts_at: datetime, blocked_until: datetime,
                exclude: int | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(resource=resource, status__in=Booking.HOLDING, starts_at__lt=blocked_until,
                                blocked_until__gt=starts_at)
    return qs.exclude(pk=exclude) if exclude else qs


def bookings_between(resource: Resource, start: datetime, end: datetime) -> list[Booking]:
    return list(overlapping(resource, start, end).select_related("booked_by"))


def _busy_units(bookings: list[Booking], start: datetime, end: datetime) -> int:
    """The most units busy at one moment within [start, end)."""
    events = []
    for b in bookings:
        if b.starts_at < end and b.blocked_until > start:
            events += [(max(b.starts_at, start), b.units), (min(b.blocked_until, end), -b.units)]
    busy = peak = 0
    for _moment, change in sorted(events, key=lambda e: (e[0], e[1])):
        busy += change
        peak = max(peak, busy)
    return peak


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    free_units: int
    bookings: list = field(default_factory=list)
    past: bool = False

    @property
    def free(self) -> bool:
        return self.free_units > 0 and not self.past


def day_slots(resource: Resource, day: date, bookings: list[Booking] | None = None,
              closed_days: set[date] | None = None, now: datetime | None = None) -> list[Slot]:
    """The day cut into slot steps, each with how many units are free."""
    now = now or timezone.now()
    if not resource.in_service or not is_open_on(resource, day, closed_days):
        return []
    start, close = at(resource, day, resource.opens_at), at(resource, day, resource.closes_at)
    if bookings is None:
        bookings = bookings_between(resource, start, close)
    step = timedelta(minutes=resource.slot_minutes)
    slots, moment = [], start
    while moment + step <= close:
        end = moment + step
        inside = [b for b in bookings if b.starts_at < end and b.blocked_until > moment]
        slots.append(Slot(moment, end, resource.capacity - _busy_units(inside, moment, end), inside, end <= now))
        moment = end
    return slots


def week_slots(resource: Resource, monday: date) -> list[tuple[date, list[Slot]]]:
    """Seven days of slots in two queries (bookings, closed days)."""
    days = [monday + timedelta(days=i) for i in range(7)]
    start, end = at(resource, days[0], resource.opens_at), at(resource, days[-1], resource.closes_at)
    bookings = bookings_between(resource, start, end)
    closed = set(resource.closed_days.filter(date__range=(days[0], days[-1])).values_list("date", flat=True))
    return [(day, day_slots(resource, day, bookings, closed)) for day in days]


def free_slots_near(resource: Resource, around: datetime, length: timedelta, *, units: int = 1,
                    count: int = 3, days: int = 7) -> list[tuple[datetime, datetime]]:
    """Free times of the same length, the nearest first, within a week from the asked day."""
    first = timezone.localtime(around, at(resource, around.date(), resource.opens_at).tzinfo).date()
    last = first + timedelta(days=days - 1)
    # Two queries for the whole week: a refused request should not cost one per candidate slot.
    closed = set(resource.closed_days.filter(date__range=(first, last)).values_list("date", flat=True))
    bookings = bookings_between(resource, at(resource, first, resource.opens_at),
                                at(resource, last, resource.closes_at))
    found = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        slots = day_slots(resource, day, bookings, closed)
        for i, slot in enumerate(slots):
            end = slot.starts_at + length
            run = [s for s in slots[i:] if s.starts_at < end]
            if not run or run[-1].ends_at < end or any(s.free_units < units or s.past for s in run):
                continue
            if slot_problem(resource, slot.starts_at, end, closed_days=closed) is None:
                found.append((slot.starts_at, end))
        if len(found) >= count * 3:
            break
    found.sort(key=lambda se: abs((se[0] - around).total_seconds()))
    return found[:count]


def bookings_of(viewer) -> QuerySet[Booking]:
    return Booking.objects.filter(booked_by=viewer).select_related(
        "resource", "resource__facility", "resource__facility__park", "resource__facility__park__region")


def bookings_run_by(viewer) -> QuerySet[Booking]:
    return Booking.objects.filter(resource__in=resources_run_by(viewer)).select_related(
        "resource", "resource__facility", "resource__facility__park", "resource__facility__park__region",
        "booked_by")


def bookings_visible_to(viewer) -> QuerySet[Booking]:
    """A person's own bookings and those of the resources they run; nobody else's."""
    return Booking.objects.filter(Q(booked_by=viewer) | Q(resource__in=resources_run_by(viewer))).select_related(
        "resource", "resource__facility", "resource__facility__park", "resource__facility__park__region",
        "booked_by")


def pending_for(viewer) -> QuerySet[Booking]:
    return bookings_run_by(viewer).filter(status=Booking.Status.PENDING, hold_expires_at__gt=timezone.now())


@dataclass
class Usage:
    open_hours: Decimal = Decimal(0)
    booked_hours: Decimal = Decimal(0)
    used_hours: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def add(self, other: "Usage") -> None:
        self.open_hours += other.open_hours
        self.booked_hours += other.booked_hours
        self.used_hours += other.used_hours
        self.amount += other.amount

    @property
    def booked_share(self) -> Decimal:
        return (self.booked_hours / self.open_hours * 100).quantize(Decimal("0.1")) if self.open_hours else Decimal(0)

    @property
    def used_share(self) -> Decimal:
        return (self.used_hours / self.open_hours * 100).quantize(Decimal("0.1")) if self.open_hours else Decimal(0)


BOOKED = (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW)


def open_hours(resource: Resource, first: date, last: date, closed: set[date]) -> Decimal:
    per_day = Decimal((datetime.combine(first, resource.closes_at) - datetime.combine(first, resource.opens_at))
                      .total_seconds()) / Decimal(3600)
    days = sum(1 for i in range((last - first).days + 1) if is_open_on(resource, first + timedelta(days=i), closed))
    return per_day * days * resource.capacity


def utilisation(resources: QuerySet[Resource], first: date, last: date) -> dict[int, Usage]:
    """Per resource: open unit-hours, booked and used unit-hours (staff blocks excluded), amounts billed.

    Booked counts confirmed, checked-in and no-show bookings; used counts checked-in ones.
    Three queries whatever the number of resources.
    """
    resources = list(resources)
    usage = {r.pk: Usage() for r in resources}
    if not resources:
        return usage
    tz_resource = resources[0]
    start, end = at(tz_resource, first, datetime.min.time()), at(tz_resource, last + timedelta(days=1),
                                                                datetime.min.time())
    closed: dict[int, set[date]] = {}
    for resource_id, day in ClosedDay.objects.filter(
            resource__in=resources, date__range=(first, last)).values_list("resource_id", "date"):
        closed.setdefault(resource_id, set()).add(day)
    for r in resources:
        usage[r.pk].open_hours = open_hours(r, first, last, closed.get(r.pk, set()))
    rows = Booking.objects.filter(resource__in=resources, status__in=BOOKED, is_block=False,
                                  starts_at__gte=start, starts_at__lt=end).values_list(
        "resource_id", "starts_at", "ends_at", "units", "status", "price")
    for resource_id, starts_at, ends_at, units, status, price in rows:
        hours = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600) * units
        usage[resource_id].booked_hours += hours
        usage[resource_id].amount += price
        if status == Booking.Status.CHECKED_IN:
            usage[resource_id].used_hours += hours
    return usage
