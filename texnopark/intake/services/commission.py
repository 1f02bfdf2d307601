"""The commission: meetings, attendance and quorum, votes, decisions, residency agreements, the minutes.

Guards against two people at once: a decision locks the application row, so the same application is
decided once; numbering (residency agreements, minutes) locks the park row, so two acceptances never
take the same number. `settings.INTAKE_LOCKS = False` switches the locks off for the race tests.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.core import audit, notify
from texnopark.core.errors import AppError, NotFound
from texnopark.core.i18n import localized
from texnopark.core.services import apply_changes, validate_and_save
from texnopark.core.states import move
from texnopark.intake import minutes
from texnopark.intake.models import (
    Application,
    Attendance,
    Call,
    CommissionMember,
    Decision,
    Meeting,
    Residency,
    Vote,
)
from texnopark.intake.selectors.review import quorum, tally
from texnopark.intake.services.residents import sync_resident_roles
from texnopark.intake.services.review import lock, require
from texnopark.network.models import Technopark
from texnopark.ventures.models import Company, CompanyMember

M = Meeting.Status
# Applications a meeting may still vote on and decide.
DECIDABLE = (Application.Status.SUBMITTED, Application.Status.WAITLISTED)


def park_prefix(park: Technopark) -> str:
    """IT for namangan-it: the last word of the park's short name, in capitals."""
    word = park.slug.rsplit("-", 1)[-1]
    return re.sub(r"[^A-Za-z0-9]", "", word).upper()[:10] or str(park.pk)


def _next_in_sequence(numbers, prefix: str) -> int:
    tails = (n[len(prefix):] for n in numbers)
    return max((int(t) for t in tails if t.isdigit()), default=0) + 1


def next_residency_number(park: Technopark, year: int) -> str:
    """IT-2026-007: the park, the year, the sequence of the park's agreements that year. The caller holds the
    park row lock. Parks with the same last word share the sequence, so numbers stay unique."""
    prefix = f"{park_prefix(park)}-{year}-"
    numbers = Residency.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    return f"{prefix}{_next_in_sequence(numbers, prefix):03d}"


def next_minutes_number(park: Technopark, year: int) -> str:
    """IT/2026/03: the park's third minutes of the year. The caller holds the park row lock."""
    prefix = f"{park_prefix(park)}/{year}/"
    numbers = Meeting.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    return f"{prefix}{_next_in_sequence(numbers, prefix):02d}"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _check_in_session(meeting: Meeting) -> None:
    if meeting.status != M.OPEN:
        message = (_("The meeting is closed.") if meeting.status == M.CLOSED
                   else _("Record who is present first: the meeting opens with the attendance."))
        raise AppError("not_in_session", message, status=409)
    present, needed, members = quorum(meeting)
    if present < needed:
        raise AppError("no_quorum", _("No quorum: %(present)s of %(members)s members are present and %(needed)s "
                                      "are needed. Votes and decisions wait until enough members are present.")
                       % {"present": present, "members": members, "needed": needed}, status=409)


def _tell_commission(meeting: Meeting) -> None:
    when = timezone.localtime(meeting.held_at, ZoneInfo(meeting.call.park.region.timezone)).strftime("%d.%m.%Y %H:%M")

    def body():
        if meeting.place:
            return _("The commission meets on %(when)s, %(place)s.") % {"when": when, "place": meeting.place}
        return _("The commission meets on %(when)s.") % {"when": when}

    for member in meeting.call.commission.select_related("user"):
        notify.tell(member.user, lambda: _("Commission meeting: %(call)s") % {"call": localized(meeting.call, "name")},
                    body, url=meeting.get_absolute_url())


@transaction.atomic
def meeting_create(*, actor, call: Call, held_at: datetime, place: str = "", language: str = "uz") -> Meeting:
    require(actor, "intake.run_meeting", call)
    if call.status != Call.Status.REVIEW:
        raise AppError("call_not_in_review", _("A meeting is scheduled for a call under review."), status=409)
    meeting = Meeting(call=call, held_at=held_at, place=(place or "").strip(), language=language)
    validate_and_save(meeting)
    audit.record(actor=actor, action="intake.meeting.created", obj=meeting,
                 changes={"held_at": [None, held_at.isoformat()], "language": [None, language]})
    transaction.on_commit(lambda: _tell_commission(meeting))
    return meeting


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, present_member_ids) -> Meeting:
    """Who of the commission is present (everyone else is absent). The first record opens the meeting."""
    require(actor, "intake.run_meeting", meeting)
    meeting = lock(Meeting, meeting.pk, ("call__park",))
    if meeting.status == M.CLOSED:
        raise AppError("not_in_session", _("The meeting is closed."), status=409)
    members = set(meeting.call.commission.values_list("pk", flat=True))
    present = {int(pk) for pk in present_member_ids}
    if present - members:
        message = _("Choose members of this call's commission.")
        raise AppError("not_a_member", message, {"present": [message]})
    stored = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    changed = {}
    for member_id in members:
        now_present = member_id in present
        if stored.get(member_id) != now_present:
            Attendance.objects.update_or_create(meeting=meeting, member_id=member_id,
                                                defaults={"present": now_present})
            changed[str(member_id)] = [stored.get(member_id), now_present]
    if meeting.status == M.PLANNED:
        changed["status"] = [move(meeting, M.OPEN, Meeting.TRANSITIONS), M.OPEN]
        meeting.save(update_fields=["status"])
    audit.record(actor=actor, action="intake.meeting.attendance", obj=meeting, changes=changed)
    return meeting


def _on_agenda(meeting: Meeting, application: Application) -> None:
    if application.call_id != meeting.call_id:
        raise NotFound()
    if Decision.objects.filter(meeting=meeting, application=application).exists():
        raise AppError("already_decided", _("This application is already decided at this meeting."), status=409)


@transaction.atomic
def vote(*, actor, meeting: Meeting, application: Application, member: CommissionMember, choice: str) -> Vote:
    """A present member's vote, recorded by the staff or by the member themself; a new vote replaces theirs."""
    if not (actor.has_perm("intake.run_meeting", meeting)
            or (member.user_id == actor.pk and actor.has_perm("intake.vote", meeting))):
        raise NotFound()
    meeting = Meeting.objects.select_related("call__park").get(pk=meeting.pk)
    if member.call_id != meeting.call_id:
        raise NotFound()
    _check_in_session(meeting)
    _on_agenda(meeting, application)
    if application.status not in DECIDABLE:
        raise AppError("not_on_agenda", _("Only applications awaiting a decision are voted on."), status=409)
    if not Attendance.objects.filter(meeting=meeting, member=member, present=True).exists():
        message = _("%(name)s is not marked present: only members present vote.") % {"name": member.user}
        raise AppError("not_present", message, {"member": [message]}, status=409)
    if choice not in Vote.Choice.values:
        message = _("Choose for, against or abstain.")
        raise AppError("invalid", message, {"choice": [message]})
    old = Vote.objects.filter(meeting=meeting, application=application, member=member).values_list(
        "choice", flat=True).first()
    cast, _created = Vote.objects.update_or_create(meeting=meeting, application=application, member=member,
                                                   defaults={"choice": choice})
    audit.record(actor=actor, action="intake.vote.cast", obj=cast, changes={"choice": [old, choice]})
    return cast


def _tell_applicant(decision: Decision) -> None:
    application = decision.application
    outcome = decision.outcome

    def subject():
        call_name = localized(application.call, "name")
        return {Decision.Outcome.ACCEPTED: _("Accepted: %(call)s"),
                Decision.Outcome.REJECTED: _("Not accepted: %(call)s"),
                Decision.Outcome.WAITLISTED: _("On the waiting list: %(call)s")}[outcome] % {"call": call_name}

    def body():
        call_name = localized(application.call, "name")
        if outcome == Decision.Outcome.ACCEPTED:
            residency = getattr(application, "residency", None)
            return _("The commission accepted your application to “%(call)s”. Your residency agreement is "
                     "number %(number)s.") % {"call": call_name, "number": residency.number if residency else "—"}
        if outcome == Decision.Outcome.REJECTED:
            return _("The commission did not accept your application to “%(call)s”. The reason: %(reason)s") % {
                "call": call_name, "reason": decision.reason}
        return _("The commission put your application to “%(call)s” on the waiting list. We will write to you "
                 "when it is decided.") % {"call": call_name}

    notify.tell(application.applicant, subject, body, url=application.get_absolute_url())


@transaction.atomic
def decide(*, actor, meeting: Meeting, application: Application, outcome: str, reason: str = "",
           benefits: str | None = None, obligations: str | None = None) -> Decision:
    """Accepted (and a residency agreement), rejected with a reason, or waitlisted."""
    require(actor, "intake.run_meeting", meeting)
    meeting = Meeting.objects.select_related("call__park").get(pk=meeting.pk)
    _check_in_session(meeting)
    # The application row lock: two people deciding it at once produce one decision.
    application = lock(Application, application.pk, ("call__park", "applicant"))
    _on_agenda(meeting, application)
    if outcome not in Decision.Outcome.values:
        message = _("Choose accepted, rejected or waitlisted.")
        raise AppError("invalid", message, {"outcome": [message]})
    reason = (reason or "").strip()
    if outcome == Decision.Outcome.REJECTED and not reason:
        message = _("Give the reason for the rejection.")
        raise AppError("reason_needed", message, {"reason": [message]})
    old = move(application, outcome, Application.TRANSITIONS)
    application.save(update_fields=["status", "updated_at"])
    votes = tally(meeting, [application.pk])[application.pk]
    decision = Decision(meeting=meeting, application=application, outcome=outcome, reason=reason,
                        votes_for=votes[Vote.Choice.FOR], votes_against=votes[Vote.Choice.AGAINST],
                        votes_abstain=votes[Vote.Choice.ABSTAIN])
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as error:  # a decision at this meeting a moment earlier (without the lock)
        raise AppError("already_decided", _("This application is already decided at this meeting."),
                       status=409) from error
    audit.record(actor=actor, action="intake.decision.made", obj=decision,
                 changes={"status": [old, outcome], "reason": [None, reason]})
    if outcome == Decision.Outcome.ACCEPTED:
        create_residency(actor=actor, application=application, benefits=benefits, obligations=obligations)
    transaction.on_commit(lambda: _tell_applicant(decision))
    return decision


def _company_for(actor, application: Application) -> Company:
    values = {"name": application.company_name.strip(), "oked": application.oked,
              "legal_form": application.legal_form, "district": application.district,
              "sector": application.sector, "founders": application.founders, "employees": application.employees}
    values = {k: v for k, v in values.items() if v not in (None, "")}
    company = Company.objects.select_for_update().filter(stir=application.stir).first() if application.stir else None
    if company is not None:
        changed = apply_changes(company, values)
        if changed:
            audit.record(actor=actor, action="ventures.company.updated_from_application", obj=company,
                         changes=changed)
        return company
    if not (application.stir and values.get("name") and values.get("oked") and values.get("district")):
        raise AppError("incomplete_company", _("The application lacks the company's name, STIR, OKED code or "
                                               "district: return it for fixes before accepting it."), status=409)
    company = Company(stir=application.stir, **values)
    try:
        with transaction.atomic():
            validate_and_save(company)
    except IntegrityError:  # created from another acceptance a moment ago
        company = Company.objects.get(stir=application.stir)
    else:
        audit.record(actor=actor, action="ventures.company.created", obj=company,
                     changes={"stir": [None, company.stir], "application": [None, application.pk]})
    return company


@transaction.atomic
def create_residency(*, actor, application: Application, benefits: str | None = None,
                     obligations: str | None = None, today: date | None = None) -> Residency:
    """The accepted application becomes a residency: the company (by STIR), its founder as an admin member,
    the agreement with its number and term, and the resident role in the park."""
    require(actor, "intake.run_call", application)
    if application.status != Application.Status.ACCEPTED:
        raise AppError("not_accepted", _("Only an accepted application becomes a residency."), status=409)
    call = application.call
    company = _company_for(actor, application)
    if application.company_id != company.pk:
        application.company = company
        application.save(update_fields=["company", "updated_at"])
    member, created = CompanyMember.objects.get_or_create(
        company=company, user=application.applicant,
        defaults={"role": CompanyMember.Role.FOUNDER, "is_admin": True})
    if created or not member.is_admin:
        if not member.is_admin:
            member.is_admin = True
            member.save(update_fields=["is_admin"])
        audit.record(actor=actor, action="ventures.member.admin", obj=member, changes={"is_admin": [None, True]})
    if Residency.objects.filter(company=company, park=call.park, status__in=Residency.CURRENT).exists():
        raise AppError("already_resident", _("This company is already a resident of this park."), status=409)
    park = lock(Technopark, call.park_id)
    today = today or timezone.localdate()
    residency = Residency(
        company=company, park=park, application=application, number=next_residency_number(park, today.year),
        starts_on=today, ends_on=add_years(today, call.residency_years), status_since=today,
        benefits=call.benefits if benefits is None else benefits,
        obligations=call.obligations if obligations is None else obligations)
    validate_and_save(residency)
    audit.record(actor=actor, action="intake.residency.created", obj=residency,
                 changes={"number": [None, residency.number], "ends_on": [None, residency.ends_on.isoformat()]})
    sync_resident_roles(company, actor=actor)
    return residency


def _finish_call(actor, call: Call) -> None:
    """The call is decided once none of its applications waits for a decision or a fix."""
    call = lock(Call, call.pk)
    waiting = call.applications.filter(status__in=[Application.Status.SUBMITTED, Application.Status.RETURNED])
    if call.status == Call.Status.REVIEW and not waiting.exists():
        old = move(call, Call.Status.DECIDED, Call.TRANSITIONS)
        call.save(update_fields=["status"])
        audit.record(actor=actor, action="intake.call.decided", obj=call, changes={"status": [old, call.status]})


@transaction.atomic
def close(*, actor, meeting: Meeting) -> Meeting:
    """Close the meeting: it gets its number and its minutes (PDF, in the meeting's language)."""
    require(actor, "intake.run_meeting", meeting)
    meeting = lock(Meeting, meeting.pk, ("call__park__region",))
    old = move(meeting, M.CLOSED, Meeting.TRANSITIONS)
    park = lock(Technopark, meeting.call.park_id)
    meeting.closed_at = timezone.now()
    meeting.number = next_minutes_number(park, timezone.localdate().year)
    meeting.save(update_fields=["status", "closed_at", "number"])
    meeting.minutes.save(minutes.filename(meeting), ContentFile(minutes.render(meeting)), save=False)
    meeting.save(update_fields=["minutes"])
    audit.record(actor=actor, action="intake.meeting.closed", obj=meeting,
                 changes={"status": [old, M.CLOSED], "number": ["", meeting.number]})
    _finish_call(actor, meeting.call)
    return meeting
