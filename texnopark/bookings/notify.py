"""E-mails about bookings, in the booker's language and the park's time zone. Called after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from texnopark.bookings.rules import local
from texnopark.core.i18n import localized


def _send(booking, subject: str, body: str) -> None:
    person = booking.booked_by
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=True)


def _when(booking) -> str:
    start, end = local(booking.resource, booking.starts_at), local(booking.resource, booking.ends_at)
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


def _about(booking, subject, line):
    with translation.override(booking.booked_by.language):
        name = localized(booking.resource, "name")
        _send(booking, f"{subject(name)}", f"{line(name)}\n{_when(booking)}\n")


def booking_received(booking) -> None:
    pending = booking.status == "pending"
    _about(booking,
           lambda name: (_("Request received: %(name)s") if pending else _("Booking confirmed: %(name)s")) % {
               "name": name},
           lambda name: (_("Your request for %(name)s waits for the park staff's approval.") if pending
                         else _("Your booking of %(name)s is confirmed.")) % {"name": name})


def booking_decided(booking) -> None:
    approved = booking.status == "confirmed"
    _about(booking,
           lambda name: (_("Request approved: %(name)s") if approved else _("Request declined: %(name)s")) % {
               "name": name},
           lambda name: booking.decision_note or (_("Approved.") if approved else _("Declined.")))


def booking_cancelled(booking) -> None:
    _about(booking, lambda name: _("Booking cancelled: %(name)s") % {"name": name},
           lambda name: booking.decision_note or _("The park staff cancelled your booking."))


def resource_out_of_service(booking, reason: str) -> None:
    _about(booking, lambda name: _("%(name)s is out of service") % {"name": name},
           lambda name: _("Your booking was cancelled because the resource is out of service: %(reason)s") % {
               "reason": reason})


def booking_reminder(booking) -> None:
    _about(booking, lambda name: _("Reminder: %(name)s") % {"name": name},
           lambda name: _("Your booking of %(name)s starts soon.") % {"name": name})
