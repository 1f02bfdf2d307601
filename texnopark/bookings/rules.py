"""The booking rules of a resource: opening hours, slot step, lengths, how far ahead, training.

Pure checks on a proposed slot; they read the database only for closed days and training.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy as ngettext

from texnopark.bookings.models import Resource, Training
from texnopark.core.errors import AppError


def zone(resource: Resource) -> ZoneInfo:
    return ZoneInfo(resource.facility.park.region.timezone)


def local(resource: Resource, moment: datetime) -> datetime:
    return timezone.localtime(moment, zone(resource))


def at(resource: Resource, day: date, clock: time) -> datetime:
    """A wall-clock time on a day in the park's time zone, as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=zone(resource))


def is_open_on(resource: Resource, day: date, closed_days: set[date] | None = None) -> bool:
    if day.weekday() not in (resource.open_weekdays or []):
        return False
    if closed_days is None:
        return not resource.closed_days.filter(date=day).exists()
    return day not in closed_days


def slot_problem(resource: Resource, starts_at: datetime, ends_at: datetime, *, now: datetime | None = None,
                 is_block: bool = False, closed_days: set[date] | None = None):
    """The first rule the slot breaks, as (field, message), or None."""
    now = now or timezone.now()
    start, end = local(resource, starts_at), local(resource, ends_at)
    minutes = (ends_at - starts_at).total_seconds() / 60
    if not resource.in_service:
        return "resource", _("This resource is out of service.")
    if ends_at <= starts_at:
        return "ends_at", _("A booking must end after it starts.")
    if starts_at < now:
        return "starts_at", _("This time has already passed.")
    if not is_block and starts_at > now + timedelta(days=resource.book_ahead_days):
        return "starts_at", ngettext("This resource can be booked at most %(days)s day ahead.",
                                     "This resource can be booked at most %(days)s days ahead.",
                                     resource.book_ahead_days) % {
            "days": resource.book_ahead_days}
    if start.date() != end.date():
        return "ends_at", _("A booking starts and ends on the same day.")
    if not is_open_on(resource, start.date(), closed_days):
        return "starts_at", _("The resource is closed on that day.")
    if start.time() < resource.opens_at or end.time() > resource.closes_at:
        return "starts_at", _("The resource is open from %(opens)s to %(closes)s.") % {
            "opens": resource.opens_at.strftime("%H:%M"), "closes": resource.closes_at.strftime("%H:%M")}
    if not is_block:
        offset = (datetime.combine(start.date(), start.time()) -
                  datetime.combine(start.date(), resource.opens_at)).total_seconds() / 60
        if offset % resource.slot_minutes or minutes % resource.slot_minutes:
            return "starts_at", _("Bookings start and end on the %(step)s-minute grid.") % {
                "step": resource.slot_minutes}
        if minutes < resource.min_minutes:
            return "ends_at", ngettext("The shortest booking is %(minutes)s minute.",
                                       "The shortest booking is %(minutes)s minutes.",
                                       resource.min_minutes) % {"minutes": resource.min_minutes}
        if minutes > resource.max_minutes:
            return "ends_at", ngettext("The longest booking is %(minutes)s minute.",
                                       "The longest booking is %(minutes)s minutes.",
                                       resource.max_minutes) % {"minutes": resource.max_minutes}
    return None


def check_slot(resource: Resource, starts_at: datetime, ends_at: datetime, **kwargs) -> None:
    problem = slot_problem(resource, starts_at, ends_at, **kwargs)
    if problem:
        field, message = problem
        raise AppError("slot_not_allowed", message, {field: [message]})


def has_valid_training(resource: Resource, person, day: date) -> bool:
    return Training.objects.filter(resource=resource, person=person, trained_on__lte=day,
                                   valid_until__gte=day).exists()


def check_training(resource: Resource, person, starts_at: datetime) -> None:
    if resource.requires_training and not has_valid_training(resource, person, local(resource, starts_at).date()):
        raise AppError("training_required", _(
            "This instrument needs training. Ask the laboratory staff to record your training first."))
