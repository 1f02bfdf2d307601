"""Booking writes. The integrity rules live here and in the database:

- a single resource (capacity 1): PostgreSQL's exclusion constraint refuses an overlapping
  row (migration 0002); the service turns that refusal into "this slot was just taken";
- a pool of N units: the resource row is locked (`select_for_update().get()`), then the
  overlapping bookings are counted, so two requests cannot both take the last place;
- SQLite: every transaction begins IMMEDIATE (settings), so writers are serialised.

`settings.BOOKING_LOCKS = False` switches the pool lock off: the race tests use it to show
the double booking that happens without it.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy as ngettext

from texnopark.accounts.models import Role
from texnopark.accounts.scopes import scopes_of
from texnopark.bookings import notify
from texnopark.bookings.models import Booking, BookingSeries, CalendarFeed, Resource, Training
from texnopark.bookings.rules import check_slot, check_training, local
from texnopark.bookings.selectors import free_slots_near, overlapping
from texnopark.core import audit
from texnopark.core.errors import AppError, NotFound
from texnopark.core.services import validate_and_save

NO_OVERLAP_CONSTRAINT = "booking_single_resource_no_overlap"


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def slot_taken(resource: Resource, starts_at: datetime, ends_at: datetime, units: int) -> AppError:
    free = free_slots_near(resource, starts_at, ends_at - starts_at, units=units)
    message = _("This slot was just taken. Choose another time.")
    if free:
        times = ", ".join(f"{local(resource, s):%d.%m %H:%M}–{local(resource, e):%H:%M}" for s, e in free)
        message = _("This slot was just taken. Free nearby: %(times)s.") % {"times": times}
    return AppError("slot_taken", message, {"starts_at": [message]}, status=409,
                    extra={"alternatives": [{"starts_at": s.isoformat(), "ends_at": e.isoformat()} for s, e in free]})


def release_stale(resource: Resource, now: datetime | None = None) -> None:
    """Requests past their hold expire; confirmed bookings without check-in are released."""
    now = now or timezone.now()
    Booking.objects.filter(resource=resource, status=Booking.Status.PENDING, hold_expires_at__lt=now).update(
        status=Booking.Status.EXPIRED)
    Booking.objects.filter(
        resource=resource, status=Booking.Status.CONFIRMED, is_block=False, checked_in_at__isnull=True,
        starts_at__lt=now - timedelta(minutes=resource.no_show_minutes),
    ).update(status=Booking.Status.NO_SHOW)


def _ensure_room(resource: Resource, starts_at: datetime, blocked_until: datetime, units: int,
                 exclude: int | None = None) -> None:
    """Refuse when the new booking would make more units busy at any moment than the resource has."""
    events = []
    for booking in overlapping(resource, starts_at, blocked_until, exclude=exclude):
        events += [(max(booking.starts_at, starts_at), booking.units), (booking.blocked_until, -booking.units)]
    busy = peak = 0
    for _moment, change in sorted(events, key=lambda e: (e[0], e[1])):
        busy += change
        peak = max(peak, busy)
    if peak + units > resource.capacity:
        raise slot_taken(resource, starts_at, blocked_until - timedelta(minutes=resource.buffer_minutes), units)


def price_for(resource: Resource, person, starts_at: datetime, ends_at: datetime, units: int = 1) -> Decimal:
    hours = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600) * units
    resident = resource.facility.park_id in scopes_of(person).ids(Role.RESIDENT)
    rate = resource.resident_price_per_hour if resident else resource.price_per_hour
    return (rate * hours).quantize(Decimal("0.01"))


def _lock(resource: Resource) -> Resource:
    """Lock the resource row for the length of the booking's transaction, and read it.

    A pool: FOR UPDATE, so that counting its bookings and inserting one is one step.
    A single resource on PostgreSQL: FOR SHARE. Bookings of one room do not wait for each
    other (the exclusion constraint decides between them), but taking the room out of
    service (FOR UPDATE) waits for bookings in flight, which then see it out of service.
    """
    qs = Resource.objects.select_related("facility__park__region")
    if not getattr(settings, "BOOKING_LOCKS", True):
        return qs.get(pk=resource.pk)
    if not resource.exclusive:
        return qs.select_for_update(of=("self",)).get(pk=resource.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM bookings_resource WHERE id = %s FOR SHARE", [resource.pk])
    return qs.get(pk=resource.pk)


def _save_guarded(booking: Booking) -> None:
    """Save; PostgreSQL's exclusion constraint may still refuse a row that raced ours."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if NO_OVERLAP_CONSTRAINT in str(error):
            raise slot_taken(booking.resource, booking.starts_at, booking.ends_at, booking.units) from error
        raise


@transaction.atomic
def booking_create(*, actor, resource: Resource, starts_at: datetime, ends_at: datetime, units: int = 1,
                   purpose: str = "", series: BookingSeries | None = None) -> Booking:
    _require(actor, "bookings.book_resource", resource)
    resource = _lock(resource)
    release_stale(resource)
    check_slot(resource, starts_at, ends_at)
    check_training(resource, actor, starts_at)
    if units < 1 or units > resource.capacity:
        message = ngettext("Choose between 1 and %(n)s place.", "Choose between 1 and %(n)s places.",
                           resource.capacity) % {"n": resource.capacity}
        raise AppError("bad_units", message, {"units": [message]})
    blocked_until = ends_at + timedelta(minutes=resource.buffer_minutes)
    _ensure_room(resource, starts_at, blocked_until, units)
    staff = actor.has_perm("bookings.manage_resource", resource)
    pending = resource.needs_approval and not staff
    booking = Booking(
        resource=resource, booked_by=actor, series=series, starts_at=starts_at, ends_at=ends_at,
        blocked_until=blocked_until, units=units, exclusive=resource.exclusive, purpose=purpose,
        status=Booking.Status.PENDING if pending else Booking.Status.CONFIRMED,
        hold_expires_at=timezone.now() + timedelta(hours=resource.approval_hold_hours) if pending else None,
        price=price_for(resource, actor, starts_at, ends_at, units),
    )
    booking.full_clean(validate_constraints=False)
    _save_guarded(booking)
    audit.record(actor=actor, action="bookings.booking.created", obj=booking, changes={
        "starts_at": [None, starts_at.isoformat()], "ends_at": [None, ends_at.isoformat()],
        "status": [None, booking.status], "units": [None, units]})
    transaction.on_commit(lambda: notify.booking_received(booking))
    return booking


@dataclass
class Occurrence:
    starts_at: datetime
    ends_at: datetime
    booking: Booking | None = None
    error: AppError | None = None


def weekly(starts_at: datetime, ends_at: datetime, *, count: int | None = None, until: date | None = None,
           resource: Resource) -> list[tuple[datetime, datetime]]:
    """The same wall-clock time every week (a DST change keeps the local time)."""
    if not count and not until:
        raise AppError("series_open_ended", _("Say how many times, or until which date."))
    first_start, first_end = local(resource, starts_at), local(resource, ends_at)
    dates, n = [], 0
    while (count and n < count) or (not count and (first_start + timedelta(weeks=n)).date() <= until):
        if n >= 104:
            break
        day = first_start.date() + timedelta(weeks=n)
        start = first_start.replace(year=day.year, month=day.month, day=day.day)
        end = first_end.replace(year=day.year, month=day.month, day=day.day)
        dates.append((start, end))
        n += 1
    return dates


def series_create(*, actor, resource: Resource, starts_at: datetime, ends_at: datetime, count: int | None = None,
                  until: date | None = None, units: int = 1, purpose: str = "",
                  skip_conflicts: bool = False) -> tuple[BookingSeries | None, list[Occurrence]]:
    """Book every week. With skip_conflicts the free dates are booked and the rest reported;
    without it, one conflict books nothing. Either way each date says what happened."""
    _require(actor, "bookings.book_resource", resource)
    occurrences = [Occurrence(s, e) for s, e in weekly(starts_at, ends_at, count=count, until=until,
                                                        resource=resource)]
    with transaction.atomic():
        series = BookingSeries.objects.create(resource=resource, booked_by=actor)
        for occurrence in occurrences:
            try:
                with transaction.atomic():
                    occurrence.booking = booking_create(
                        actor=actor, resource=resource, starts_at=occurrence.starts_at,
                        ends_at=occurrence.ends_at, units=units, purpose=purpose, series=series)
            except AppError as error:
                occurrence.error = error
        failed = [o for o in occurrences if o.error]
        if (failed and not skip_conflicts) or len(failed) == len(occurrences):
            transaction.set_rollback(True)
            for occurrence in occurrences:
                occurrence.booking = None
            return None, occurrences
    return series, occurrences


@transaction.atomic
def block_create(*, actor, resource: Resource, starts_at: datetime, ends_at: datetime, reason: str) -> Booking:
    """Staff take the whole resource for maintenance; it must be free then."""
    _require(actor, "bookings.manage_resource", resource)
    resource = _lock(resource)
    release_stale(resource)
    if ends_at <= starts_at:
        raise AppError("slot_not_allowed", _("A booking must end after it starts."))
    _ensure_room(resource, starts_at, ends_at, resource.capacity)
    booking = Booking(resource=resource, booked_by=actor, starts_at=starts_at, ends_at=ends_at,
                      blocked_until=ends_at, units=resource.capacity, exclusive=resource.exclusive, is_block=True,
                      status=Booking.Status.CONFIRMED, purpose=reason)
    booking.full_clean(validate_constraints=False)
    _save_guarded(booking)
    audit.record(actor=actor, action="bookings.block.created", obj=booking,
                 changes={"starts_at": [None, starts_at.isoformat()], "reason": [None, reason]})
    return booking


def cancel_deadline(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(hours=booking.resource.cancel_hours_before)


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str = "") -> Booking:
    _require(actor, "bookings.change_booking", booking)
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if not booking.holds_time:
        raise AppError("not_cancellable", _("This booking is no longer active."))
    staff = actor.has_perm("bookings.manage_resource", booking.resource)
    if not staff and booking.status != Booking.Status.PENDING and timezone.now() > cancel_deadline(booking):
        hours = booking.resource.cancel_hours_before
        raise AppError("too_late_to_cancel", ngettext(
            "Bookings of this resource can be cancelled up to %(hours)s hour before they start. Ask the park staff.",
            "Bookings of this resource can be cancelled up to %(hours)s hours before they start. Ask the park staff.",
            hours) % {"hours": hours})
    old = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.decision_note = reason
    booking.save(update_fields=["status", "decision_note"])
    audit.record(actor=actor, action="bookings.booking.cancelled", obj=booking,
                 changes={"status": [old, booking.status], "reason": [None, reason]})
    if booking.booked_by_id != actor.pk:
        transaction.on_commit(lambda: notify.booking_cancelled(booking))
    return booking


@transaction.atomic
def booking_reschedule(*, actor, booking: Booking, starts_at: datetime, ends_at: datetime) -> Booking:
    _require(actor, "bookings.change_booking", booking)
    resource = _lock(booking.resource)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.holds_time or booking.is_block:
        raise AppError("not_changeable", _("This booking can no longer be changed."))
    if not actor.has_perm("bookings.manage_resource", resource) and timezone.now() > cancel_deadline(booking):
        raise AppError("too_late_to_change", _("It is too late to change this booking. Ask the park staff."))
    release_stale(resource)
    check_slot(resource, starts_at, ends_at)
    check_training(resource, booking.booked_by, starts_at)
    blocked_until = ends_at + timedelta(minutes=resource.buffer_minutes)
    _ensure_room(resource, starts_at, blocked_until, booking.units, exclude=booking.pk)
    changes = {"starts_at": [booking.starts_at.isoformat(), starts_at.isoformat()],
               "ends_at": [booking.ends_at.isoformat(), ends_at.isoformat()]}
    booking.starts_at, booking.ends_at, booking.blocked_until = starts_at, ends_at, blocked_until
    booking.price = price_for(resource, booking.booked_by, starts_at, ends_at, booking.units)
    _save_guarded(booking)
    audit.record(actor=actor, action="bookings.booking.rescheduled", obj=booking, changes=changes)
    return booking


@transaction.atomic
def booking_decide(*, actor, booking: Booking, approve: bool, note: str = "") -> Booking:
    _require(actor, "bookings.decide_booking", booking)
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    release_stale(booking.resource)
    booking.refresh_from_db()
    if booking.status != Booking.Status.PENDING:
        raise AppError("already_decided", _("This request was already decided or has expired."))
    booking.status = Booking.Status.CONFIRMED if approve else Booking.Status.DECLINED
    booking.decided_by, booking.decision_note, booking.hold_expires_at = actor, note, None
    booking.save(update_fields=["status", "decided_by", "decision_note", "hold_expires_at"])
    audit.record(actor=actor, action="bookings.booking.decided", obj=booking,
                 changes={"status": [Booking.Status.PENDING, booking.status], "note": [None, note]})
    transaction.on_commit(lambda: notify.booking_decided(booking))
    return booking


@transaction.atomic
def booking_check_in(*, actor, booking: Booking, now: datetime | None = None) -> Booking:
    _require(actor, "bookings.manage_resource", booking)
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED or booking.is_block:
        raise AppError("not_checkable", _("Only a confirmed booking can be checked in."))
    if not booking.starts_at - timedelta(minutes=30) <= now <= booking.ends_at:
        raise AppError("not_now", _("Check-in opens 30 minutes before the start and closes at the end."))
    booking.status, booking.checked_in_at = Booking.Status.CHECKED_IN, now
    booking.save(update_fields=["status", "checked_in_at"])
    audit.record(actor=actor, action="bookings.booking.checked_in", obj=booking,
                 changes={"status": [Booking.Status.CONFIRMED, booking.status]})
    return booking


@transaction.atomic
def resource_set_in_service(*, actor, resource: Resource, in_service: bool, reason: str = "") -> int:
    """Out of service: future bookings are cancelled and their people told. Returns how many."""
    _require(actor, "bookings.manage_resource", resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    cancelled = []
    if not in_service:
        cancelled = list(Booking.objects.filter(resource=resource, status__in=Booking.HOLDING, is_block=False,
                                                starts_at__gte=timezone.now()))
        Booking.objects.filter(pk__in=[b.pk for b in cancelled]).update(
            status=Booking.Status.CANCELLED, decision_note=reason)
    old = resource.in_service
    resource.in_service, resource.out_of_service_reason = in_service, "" if in_service else reason
    resource.save(update_fields=["in_service", "out_of_service_reason"])
    audit.record(actor=actor, action="bookings.resource.service_changed", obj=resource,
                 changes={"in_service": [old, in_service], "reason": [None, reason],
                          "cancelled": [None, len(cancelled)]})
    for booking in cancelled:
        transaction.on_commit(lambda b=booking: notify.resource_out_of_service(b, reason))
    return len(cancelled)


@transaction.atomic
def training_record(*, actor, resource: Resource, person, trained_on: date, valid_until: date) -> Training:
    _require(actor, "bookings.add_training", resource)
    training = Training(resource=resource, person=person, trained_on=trained_on, valid_until=valid_until,
                        recorded_by=actor)
    validate_and_save(training)
    audit.record(actor=actor, action="bookings.training.recorded", obj=training,
                 changes={"person": [None, person.pk], "valid_until": [None, valid_until.isoformat()]})
    return training


@transaction.atomic
def feed_regenerate(*, actor, person=None, resource: Resource | None = None) -> CalendarFeed:
    """A new secret address for an iCal feed; the old address stops working."""
    if resource is not None:
        _require(actor, "bookings.manage_resource", resource)
        feed, _created = CalendarFeed.objects.get_or_create(resource=resource, defaults={"token": ""})
    else:
        if person is None or person.pk != actor.pk:
            raise NotFound()
        feed, _created = CalendarFeed.objects.get_or_create(person=person, defaults={"token": ""})
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed


def feed_for(*, person=None, resource: Resource | None = None) -> CalendarFeed:
    existing = CalendarFeed.objects.filter(person=person, resource=resource).first() if (person or resource) else None
    if existing:
        return existing
    return CalendarFeed.objects.create(person=person, resource=resource, token=secrets.token_urlsafe(32))


def housekeeping(now: datetime | None = None) -> dict:
    """Expire held requests, release no-shows, send reminders (run every few minutes from cron)."""
    now = now or timezone.now()
    expired = Booking.objects.filter(status=Booking.Status.PENDING, hold_expires_at__lt=now).update(
        status=Booking.Status.EXPIRED)
    released = 0
    for resource in Resource.objects.filter(bookings__status=Booking.Status.CONFIRMED,
                                            bookings__starts_at__lt=now).distinct():
        released += Booking.objects.filter(
            resource=resource, status=Booking.Status.CONFIRMED, is_block=False, checked_in_at__isnull=True,
            starts_at__lt=now - timedelta(minutes=resource.no_show_minutes),
        ).update(status=Booking.Status.NO_SHOW)
    due = Booking.objects.filter(status=Booking.Status.CONFIRMED, is_block=False, reminded_at__isnull=True,
                                 starts_at__gt=now, starts_at__lte=now + timedelta(hours=24))
    reminded = list(due.select_related("resource", "booked_by"))
    Booking.objects.filter(pk__in=[b.pk for b in reminded]).update(reminded_at=now)
    for booking in reminded:
        notify.booking_reminder(booking)
    return {"expired": expired, "released": released, "reminded": len(reminded)}
