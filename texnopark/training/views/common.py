"""Helpers shared by the training pages: certificate links, attendance shares, waiting positions."""


from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from texnopark.core.errors import AppError, NotFound
from texnopark.training import selectors
from texnopark.training.models import Attendance, Enrolment, Lesson, Session

ATTENDED = (Attendance.Mark.PRESENT, Attendance.Mark.LATE)
# Session columns every list needs, so no row fetches its programme, centre or district.
SESSION_RELATED = ("programme", "programme__centre", "programme__centre__district")


# --- Helpers --------------------------------------------------------------------------------


def posted(request):
    return request.POST if request.method == "POST" else None


def certificate_link(certificate) -> str:
    """The public verification page, once the certificates module has added its route."""
    try:
        return reverse("training:verify", args=[certificate.code])
    except NoReverseMatch:
        return ""


def certificate_pdf_link(certificate) -> str:
    try:
        return reverse("training:certificate_pdf", args=[certificate.code])
    except NoReverseMatch:
        return ""


def with_shares(enrolments: list[Enrolment]) -> list[Enrolment]:
    """Each enrolment's attendance share (as `services.attendance_share`), in two grouped queries."""
    if not enrolments:
        return enrolments
    now = timezone.now()
    held = dict(Lesson.objects.filter(session__in={e.session_id for e in enrolments}, starts_at__lte=now)
                .order_by().values("session").annotate(n=Count("pk")).values_list("session", "n"))
    attended = dict(Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], mark__in=ATTENDED)
                    .order_by().values("enrolment").annotate(n=Count("pk")).values_list("enrolment", "n"))
    for e in enrolments:
        lessons = held.get(e.session_id, 0)
        e.lessons_held = lessons
        e.attended = attended.get(e.pk, 0)
        e.share = round(e.attended * 100 / lessons) if lessons else 0
    return enrolments


def with_positions(enrolments: list[Enrolment]) -> list[Enrolment]:
    """The place in line of each waiting enrolment: one query over the lines of their sessions."""
    waiting = [e for e in enrolments if e.status == Enrolment.Status.WAITING]
    if not waiting:
        return enrolments
    lines: dict[int, list[int]] = {}
    for session_id, pk in (Enrolment.objects.filter(session__in={e.session_id for e in waiting},
                                                    status=Enrolment.Status.WAITING)
                           .order_by("queued_at", "id").values_list("session", "pk")):
        lines.setdefault(session_id, []).append(pk)
    for e in waiting:
        line = lines.get(e.session_id, [])
        e.position = line.index(e.pk) + 1 if e.pk in line else None
    return enrolments


def completion_of(enrolment: Enrolment) -> bool:
    """Whether the programme's rule is met, from the share computed by `with_shares`."""
    programme = enrolment.session.programme
    return (enrolment.status == Enrolment.Status.ENROLLED and enrolment.share >= programme.min_attendance_percent
            and (enrolment.project_accepted or not programme.requires_project))


def run_session(request, pk, perm: str = "training.take_attendance") -> Session:
    session = get_object_or_404(selectors.sessions_run_by(request.user), pk=pk)
    if not request.user.has_perm(perm, session):
        raise Http404
    return session


def call(request, action, success: str, failure_prefix: str = "") -> bool:
    """Run one service for a button without a form: a message either way; outside the scope, 404."""
    try:
        action()
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, f"{failure_prefix}{error.message}")
        return False
    messages.success(request, success)
    return True


