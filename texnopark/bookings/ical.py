"""iCal feeds behind a secret address: a person's bookings, or one resource's.

Events are written in UTC (calendar programs show them in their own zone) with a UID that stays
the same while a booking moves, so a rescheduled booking updates the event instead of adding one.
"""

from datetime import UTC, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from texnopark.bookings import selectors
from texnopark.bookings.models import Booking, CalendarFeed
from texnopark.core.i18n import localized

# How far back a feed reaches: calendar programs keep what they already have.
HISTORY = timedelta(days=90)
AHEAD = timedelta(days=400)


def _event(booking: Booking, domain: str, *, summary: str, now) -> Event:
    resource = booking.resource
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{domain}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("created", booking.created_at.astimezone(UTC))
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", f"{localized(resource, 'name')}, {localized(resource.facility, 'name')}, "
                          f"{localized(resource.facility.park, 'name')}")
    event.add("status", "TENTATIVE" if booking.status == Booking.Status.PENDING else "CONFIRMED")
    if booking.purpose:
        event.add("description", booking.purpose)
    return event


def feed_calendar(feed: CalendarFeed, *, domain: str) -> bytes:
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Texnopark//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if feed.person is not None:
        with translation.override(feed.person.language):
            calendar.add("x-wr-calname", _("My bookings · Texnopark"))
            bookings = (selectors.bookings_of(feed.person)
                        .filter(is_block=False, status__in=Booking.HOLDING,
                                ends_at__gte=now - HISTORY, starts_at__lt=now + AHEAD).order_by("starts_at"))
            for booking in bookings:
                summary = localized(booking.resource, "name")
                if booking.status == Booking.Status.PENDING:
                    summary = _("%(name)s (waiting for approval)") % {"name": summary}
                calendar.add_component(_event(booking, domain, summary=summary, now=now))
    else:
        resource = feed.resource
        calendar.add("x-wr-calname", localized(resource, "name"))
        bookings = (selectors.overlapping(resource, now - HISTORY, now + AHEAD)
                    .select_related("booked_by", "resource__facility__park").order_by("starts_at"))
        for booking in bookings:
            if booking.is_block:
                summary = _("Blocked: %(reason)s") % {"reason": booking.purpose or "—"}
            else:
                summary = str(booking.booked_by)
                if booking.units > 1:
                    summary = ngettext("%(person)s, %(n)s place", "%(person)s, %(n)s places", booking.units) % {
                        "person": summary, "n": booking.units}
                if booking.status == Booking.Status.PENDING:
                    summary = _("%(name)s (waiting for approval)") % {"name": summary}
            calendar.add_component(_event(booking, domain, summary=summary, now=now))
    return calendar.to_ical()
