"""Helpers shared by the booking pages: local times, prefilled links, refused-slot alternatives."""

from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from texnopark.bookings.models import Booking, CalendarFeed, Resource
from texnopark.bookings.rules import local
from texnopark.core.errors import AppError
from texnopark.core.views import show_app_error

# Statuses a staff member still acts on for a day's list (check-in, no-show).

ON_THE_DAY = (*Booking.HOLDING, Booking.Status.NO_SHOW)


# --- Helpers --------------------------------------------------------------------------------


def park_zone(park) -> ZoneInfo:
    return ZoneInfo(park.region.timezone)


def with_local_times(bookings):
    """Naive wall-clock times in each booking's park, for lists that span parks."""
    for booking in bookings:
        booking.start = local(booking.resource, booking.starts_at).replace(tzinfo=None)
        booking.end = local(booking.resource, booking.ends_at).replace(tzinfo=None)
        if booking.hold_expires_at:
            booking.hold_until = local(booking.resource, booking.hold_expires_at).replace(tzinfo=None)
    return bookings


def describe(resources, user):
    """What a list shows beside each resource, computed without a query per row."""
    for resource in resources:
        resource.can_book = user.has_perm("bookings.book_resource", resource)
        resource.audience_labels = [Resource.Audience(a).label for a in resource.audience or []
                                    if a in Resource.Audience.values]
        resource.weekday_labels = [WEEKDAYS_ABBR[d] for d in sorted(resource.open_weekdays or [])
                                   if d in WEEKDAYS_ABBR]
    return resources


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def prefill(url: str, starts_at: datetime, ends_at: datetime, resource: Resource, **more) -> str:
    """A link that opens a form with this slot filled in (local wall-clock times)."""
    start, end = local(resource, starts_at), local(resource, ends_at)
    query = {"date": start.date().isoformat(), "starts_at": start.strftime("%H:%M"),
             "ends_at": end.strftime("%H:%M"), **{k: v for k, v in more.items() if v}}
    return f"{url}?{urlencode(query)}"


def show_slot_error(request, form, error: AppError, resource: Resource, url: str, **more) -> list[dict]:
    """Put a service's error beside the fields; for a taken slot, return the free ones nearby as links.

    The links replace the list of times in the service's message, so the message is shortened then.
    """
    found = alternatives(error, resource, url, **more) if error.code == "slot_taken" else []
    if found:
        short = _("This slot was just taken. Choose another time.")
        error = AppError(error.code, short, {"starts_at": [short]})
    show_app_error(request, form, error)
    return found


def alternatives(error: AppError, resource: Resource, url: str, **more) -> list[dict]:
    """The free slots near a taken one, as links that fill the form in again."""
    found = []
    for alt in error.extra.get("alternatives", []):
        starts_at, ends_at = datetime.fromisoformat(alt["starts_at"]), datetime.fromisoformat(alt["ends_at"])
        found.append({"start": local(resource, starts_at).replace(tzinfo=None),
                      "end": local(resource, ends_at).replace(tzinfo=None),
                      "href": prefill(url, starts_at, ends_at, resource, **more)})
    return found


def feed_address(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("bookings:ical", args=[feed.token]))


# --- Resources and calendars ----------------------------------------------------------------


