"""E-mails to learners, in their language. Called after commit."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from texnopark.core.i18n import localized


def _send(person, subject_line, body_line) -> None:
    with translation.override(person.language):
        send_mail(subject_line(), body_line(), settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=True)


def _local(moment, centre) -> str:
    """A time in the centre's region's time zone."""
    return timezone.localtime(moment, ZoneInfo(centre.district.region.timezone)).strftime("%d.%m.%Y %H:%M")


def _name(enrolment) -> str:
    return localized(enrolment.session.programme, "name")


def enrolled(enrolment) -> None:
    seated = enrolment.status == "enrolled"
    _send(enrolment.person,
          lambda: (_("Enrolled: %(name)s") if seated else _("On the waiting list: %(name)s")) % {
              "name": _name(enrolment)},
          lambda: (_("You have a seat. The session starts on %(date)s.") if seated else
                   _("The session is full; you are on the waiting list and will be told when a seat frees.")) % {
              "date": enrolment.session.starts_on.strftime("%d.%m.%Y")})


def seat_offered(enrolment) -> None:
    _send(enrolment.person, lambda: _("A seat is free for you: %(name)s") % {"name": _name(enrolment)},
          lambda: _("Confirm it on the site before %(time)s, or it passes to the next person.") % {
              "time": _local(enrolment.offer_expires_at, enrolment.session.programme.centre)})


def certificate_issued(certificate) -> None:
    enrolment = certificate.enrolment
    _send(enrolment.person, lambda: _("Your certificate: %(name)s") % {"name": _name(enrolment)},
          lambda: _("Congratulations! Your certificate code is %(code)s.") % {"code": certificate.code})


def consultation_booked(slot) -> None:
    _send(slot.booked_by, lambda: _("Consultation booked"),
          lambda: _("Your consultation is on %(time)s.") % {"time": _local(slot.starts_at, slot.centre)})
