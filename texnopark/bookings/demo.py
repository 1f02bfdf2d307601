"""Demo resources in every facility of the demo parks, a month of past bookings with
check-ins and no-shows, and instrument trainings. Called by `manage.py load_demo`.

A facility gets demo resources only while it has none, so a rerun never duplicates
or overwrites what park staff set up.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.bookings.models import Booking, Resource, Training
from texnopark.bookings.rules import at, is_open_on
from texnopark.network.models import Facility
from texnopark.network.services import search_text_for

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
WORKDAYS = [0, 1, 2, 3, 4]
SATURDAY_TOO = [0, 1, 2, 3, 4, 5]

# facility kind -> resources: (Uzbek name, English name, kind, fields)
RESOURCES = {
    "coworking": [
        ("Ochiq ish joylari", "Open desks", "pool", {
            "capacity": 40, "audience": ["public"], "open_weekdays": SATURDAY_TOO, "slot_minutes": 60,
            "min_minutes": 60, "max_minutes": 540, "opens_at": time(9), "closes_at": time(21),
            "price_per_hour": Decimal(5000), "resident_price_per_hour": Decimal(0)}),
        ("Uchrashuvlar xonasi", "Meeting room", "room", {
            "audience": ["park_residents", "any_resident", "researchers"], "buffer_minutes": 10,
            "price_per_hour": Decimal(60000), "resident_price_per_hour": Decimal(20000)}),
    ],
    "incubator": [
        ("Inkubator ish joylari", "Incubator desks", "pool", {
            "capacity": 20, "audience": ["park_residents"], "slot_minutes": 60, "min_minutes": 60,
            "max_minutes": 540}),
    ],
    "rnd-centre": [
        ("Loyiha xonasi", "Project room", "room", {
            "audience": ["park_residents", "researchers"], "price_per_hour": Decimal(80000),
            "resident_price_per_hour": Decimal(30000)}),
    ],
    "event-hall": [
        ("Katta zal", "Main hall", "room", {
            "audience": ["public"], "needs_approval": True, "slot_minutes": 60, "min_minutes": 60,
            "opens_at": time(9), "closes_at": time(20), "buffer_minutes": 30, "cancel_hours_before": 48,
            "price_per_hour": Decimal(400000), "resident_price_per_hour": Decimal(150000)}),
    ],
    "testing-lab": [
        ("Spektr analizatori", "Spectrum analyser", "instrument", {
            "audience": ["park_residents", "researchers", "public"], "requires_training": True, "needs_approval": True,
            "price_per_hour": Decimal(120000), "resident_price_per_hour": Decimal(60000)}),
    ],
    "research-lab": [
        ("Laminar oqimli shkaf", "Laminar flow cabinet", "instrument", {
            "audience": ["park_residents", "researchers"], "requires_training": True,
            "price_per_hour": Decimal(90000), "resident_price_per_hour": Decimal(40000)}),
    ],
    "cleanroom": [
        ("Toza xona ish joyi", "Cleanroom bench", "room", {
            "audience": ["park_residents"], "requires_training": True, "needs_approval": True,
            "slot_minutes": 60, "min_minutes": 120, "price_per_hour": Decimal(250000),
            "resident_price_per_hour": Decimal(120000)}),
    ],
    "greenhouse": [
        ("Issiqxona boʻlmasi A", "Greenhouse bay A", "bay", {
            "audience": ["park_residents", "researchers"], "open_weekdays": EVERY_DAY, "slot_minutes": 60,
            "min_minutes": 60, "max_minutes": 600, "opens_at": time(7), "closes_at": time(19)}),
    ],
    "pilot-production": [
        ("Tajriba liniyasi smenasi", "Pilot line shift", "bay", {
            "audience": ["park_residents", "any_resident"], "needs_approval": True, "slot_minutes": 60,
            "min_minutes": 240, "max_minutes": 480, "price_per_hour": Decimal(300000),
            "resident_price_per_hour": Decimal(150000)}),
    ],
    "design-studio": [
        ("Dizayn studiyasi", "Design studio", "room", {
            "audience": ["park_residents", "any_resident", "public"], "price_per_hour": Decimal(50000),
            "resident_price_per_hour": Decimal(20000)}),
    ],
}


def load(*, accounts: dict[str, User]) -> None:
    rng = random.Random(1714)
    bookers = [accounts[k] for k in ("resident", "researcher", "it.staff", "citizen") if k in accounts]
    for facility in Facility.objects.select_related("kind", "park__region").order_by("pk"):
        if facility.resources.exists():
            continue
        for uz, en, kind, fields in RESOURCES.get(facility.kind.slug, []):
            resource = Resource(facility=facility, name=uz, name_en=en, kind=kind, **fields)
            resource.full_clean()
            resource.save()
            resource.search_text = search_text_for(resource)
            resource.save(update_fields=["search_text"])
            trainees = _train(resource, accounts) if resource.requires_training else []
            _past_month(resource, bookers if not resource.requires_training else trainees, rng)
            _coming_days(resource, trainees[0] if resource.requires_training and trainees else accounts.get("resident"))


def _train(resource: Resource, accounts: dict[str, User]) -> list[User]:
    today = timezone.localdate()
    trained = []
    for key, valid in (("resident", True), ("researcher", True), ("citizen", False)):
        person = accounts.get(key)
        if person is None:
            continue
        # The citizen's training has expired: the demo shows an instrument refused for that.
        until = today + timedelta(days=365) if valid else today - timedelta(days=10)
        Training.objects.create(resource=resource, person=person, trained_on=until - timedelta(days=380),
                                valid_until=until, recorded_by=accounts.get("lab"))
        if valid:
            trained.append(person)
    return trained


def _past_month(resource: Resource, bookers: list[User], rng: random.Random) -> None:
    """About a booking a day for the last 30 days: most checked in, some no-shows."""
    if not bookers:
        return
    today = timezone.localdate()
    step = timedelta(minutes=max(resource.slot_minutes, resource.min_minutes))
    rows = []
    for back in range(30, 0, -1):
        day: date = today - timedelta(days=back)
        if not is_open_on(resource, day, set()):
            continue
        taken_until = at(resource, day, resource.opens_at)
        close = at(resource, day, resource.closes_at)
        for _n in range(rng.randint(0, 3)):
            start = taken_until + timedelta(minutes=resource.slot_minutes * rng.randint(0, 4))
            end = start + step * rng.randint(1, 3)
            if end > close or (end - start).total_seconds() / 60 > resource.max_minutes:
                break
            person = rng.choice(bookers)
            status = rng.choices([Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW, Booking.Status.CANCELLED],
                                 [8, 1, 1])[0]
            units = rng.randint(1, 3) if resource.capacity > 1 else 1
            rows.append(Booking(
                resource=resource, booked_by=person, starts_at=start, ends_at=end,
                blocked_until=end + timedelta(minutes=resource.buffer_minutes), units=units,
                exclusive=resource.exclusive, status=status,
                checked_in_at=start + timedelta(minutes=rng.randint(0, 10)) if status == "checked_in" else None,
                price=_price(resource, end - start, units),
            ))
            taken_until = end + timedelta(minutes=resource.buffer_minutes)
    Booking.objects.bulk_create(rows)


def _coming_days(resource: Resource, person: User | None) -> None:
    """One upcoming booking: confirmed, or a request waiting for the staff where approval is needed."""
    if person is None or not person.has_perm("bookings.book_resource", resource):
        return
    day = timezone.localdate() + timedelta(days=1)
    while not is_open_on(resource, day, set()):
        day += timedelta(days=1)
    start = at(resource, day, resource.opens_at) + timedelta(hours=2)
    end = start + timedelta(minutes=max(resource.min_minutes, 60))
    pending = resource.needs_approval
    Booking.objects.create(
        resource=resource, booked_by=person, starts_at=start, ends_at=end,
        blocked_until=end + timedelta(minutes=resource.buffer_minutes), exclusive=resource.exclusive,
        status=Booking.Status.PENDING if pending else Booking.Status.CONFIRMED,
        hold_expires_at=timezone.now() + timedelta(hours=resource.approval_hold_hours) if pending else None,
        price=_price(resource, end - start, 1), purpose="Demo",
    )


def _price(resource: Resource, length: timedelta, units: int) -> Decimal:
    hours = Decimal(length.total_seconds()) / Decimal(3600)
    return (resource.resident_price_per_hour * hours * units).quantize(Decimal("0.01"))
