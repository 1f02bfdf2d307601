"""Expert review and the commission over /api/v1/.

The same services and selectors as the pages: an expert sees only their own reviews, and no other
expert's score of an application before submitting theirs; the park's staff assign, rank and run the
commission; commission members see the meetings and vote for themselves. Outside that: 404.
"""

from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from texnopark.accounts.models import User
from texnopark.api.auth import write_auth
from texnopark.core.errors import AppError, NotFound
from texnopark.intake import minutes
from texnopark.intake.api.review_schemas import (
    AssignIn,
    AssignmentDetailOut,
    AssignmentOut,
    AttendanceIn,
    AutoAssignIn,
    AutoAssignOut,
    DecisionIn,
    DecisionOut,
    DeclareIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    RankingRowOut,
    ReviewOut,
    ScoresIn,
    VoteIn,
)
from texnopark.intake.models import Application, Assignment, CommissionMember, Meeting
from texnopark.intake.selectors import review as selectors
from texnopark.intake.services import commission, review

router = Router(tags=["review"], auth=write_auth)


def _assignment(request, pk: int) -> Assignment:
    return get_object_or_404(selectors.assignments_of(request.user), pk=pk)


def _call(request, pk: int, perm: str = "intake.run_call"):
    call = get_object_or_404(selectors.calls_of_commission(request.user), pk=pk)
    if not request.user.has_perm(perm, call):
        raise NotFound()
    return call


def _meeting(request, pk: int) -> Meeting:
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    if not request.user.has_perm("intake.view_meeting", meeting):
        raise NotFound()
    return meeting


def _application_of(call_id: int, pk: int) -> Application:
    application = Application.objects.filter(call=call_id, pk=pk).first()
    if application is None:
        message = _("Choose an application of this call.")
        raise AppError("invalid", message, {"application_id": [message]}, status=422)
    return application


def _detail(request, assignment: Assignment) -> Assignment:
    """The assignment with its criteria, the viewer's scores and (once submitted) the others' reviews."""
    application = assignment.application
    assignment.others = None
    if assignment.status == Assignment.Status.SUBMITTED:
        assignment.others = [r for r in review.visible_scores(request.user, application) if r.pk != assignment.pk]
    assignment.criteria = list(application.call.criteria.all())
    assignment.my_scores = list(assignment.scores.select_related("criterion").order_by("criterion__position",
                                                                                         "criterion__id"))
    return assignment


# Reviews


@router.get("/reviews", response=list[AssignmentOut])
@paginate(PageNumberPagination)
def list_reviews(request):
    """The viewer's own reviews, newest first."""
    return selectors.assignments_of(request.user)


@router.get("/reviews/{pk}", response=AssignmentDetailOut)
def get_review(request, pk: int):
    """The application in brief, the criteria and the viewer's own scores; the other experts' reviews only
    once the viewer submitted theirs (`others` is null before)."""
    return _detail(request, _assignment(request, pk))


@router.post("/reviews/{pk}/declare", response=AssignmentDetailOut)
def declare(request, pk: int, payload: DeclareIn):
    """Before scoring: no conflict of interest, or a conflict with a `note` (status `conflict`: you are off)."""
    assignment = review.declare(actor=request.user, assignment=_assignment(request, pk), conflict=payload.conflict,
                                note=payload.note)
    return _detail(request, _assignment(request, assignment.pk))


@router.put("/reviews/{pk}/scores", response=AssignmentDetailOut)
def put_scores(request, pk: int, payload: ScoresIn):
    """Save scores (0–10, with a comment) per criterion; `submit: true` stores the weighted total and closes
    the review. 409 `declare_first`, `conflict` or `already_submitted`; 400 `incomplete` lists the criteria
    left (`value_<criterion id>`)."""
    scores = {s.criterion_id: (s.value, s.comment) for s in payload.scores}
    assignment = review.score(actor=request.user, assignment=_assignment(request, pk), scores=scores,
                              submit=payload.submit)
    return _detail(request, _assignment(request, assignment.pk))


@router.get("/applications/{pk}/scores", response=list[ReviewOut])
def application_scores(request, pk: int):
    """The submitted reviews of an application: for the park's staff, and for an expert once their own
    review of it is submitted (404 before)."""
    application = get_object_or_404(Application.objects.select_related("call__park"), pk=pk)
    return review.visible_scores(request.user, application)


# Assignment and ranking (the park's staff)


@router.post("/calls/{pk}/assignments", response={201: AssignmentOut})
def assign(request, pk: int, payload: AssignIn):
    call = _call(request, pk)
    expert = User.objects.filter(pk=payload.expert_id, is_active=True).first()
    if expert is None:
        message = _("Choose one of the park's experts or a member of the commission.")
        raise AppError("not_an_expert", message, {"expert_id": [message]}, status=422)
    assignment = review.assign(actor=request.user, application=_application_of(call.pk, payload.application_id),
                               expert=expert)
    return Status(201, selectors.assignments_of(assignment.expert).get(pk=assignment.pk))


@router.post("/calls/{pk}/auto-assign", response=AutoAssignOut)
def auto_assign(request, pk: int, payload: AutoAssignIn | None = None):
    """Give each submitted application `per_application` reviewers (default 2), the least loaded experts
    first; never the applicant, never someone who declared a conflict on it. A second run adds nothing."""
    per_application = payload.per_application if payload else 2
    return {"created": review.auto_assign(actor=request.user, call=_call(request, pk),
                                          per_application=per_application)}


@router.get("/calls/{pk}/ranking", response=list[RankingRowOut])
def ranking(request, pk: int):
    """Best mean of the submitted weighted totals first, with the spread and the reviews done."""
    rows, place = [], 0
    for application, s in selectors.ranking(request.user, _call(request, pk)):
        place += s.mean is not None
        rows.append({"place": place if s.mean is not None else None, "application_id": application.pk,
                     "company_name": application.company_name, "stir": application.stir,
                     "status": application.status, "hidden": s.hidden, "mean": s.mean, "low": s.low, "high": s.high,
                     "spread": s.spread, "reviews_done": s.done, "reviews_assigned": s.assigned,
                     "conflicts": s.conflicts})
    return rows


# The commission


def _meeting_detail(request, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_related("call__park").get(pk=meeting.pk)
    present, needed, total = selectors.quorum(meeting)
    agenda = []
    for item in selectors.agenda(request.user, meeting):
        decision = item.decision
        if decision is not None:
            decision.residency_number = item.residency_number or None
        agenda.append({"application_id": item.application.pk, "company_name": item.application.company_name,
                       "stir": item.application.stir, "status": item.application.status,
                       "mean_score": item.standing.mean, "votes_for": item.votes["for"],
                       "votes_against": item.votes["against"], "votes_abstain": item.votes["abstain"],
                       "ballots": [{"member_id": m, "choice": c} for m, c in item.by_member.items()],
                       "decision": decision})
    meeting.members = [{"id": m.pk, "user_id": m.user_id, "name": str(m.user), "is_chair": m.is_chair,
                        "present": m.present} for m in selectors.members_of(meeting)]
    meeting.members_total, meeting.present, meeting.quorum = total, present, needed
    meeting.quorum_met = present >= needed
    meeting.agenda = agenda
    return meeting


@router.post("/calls/{pk}/meetings", response={201: MeetingOut})
def create_meeting(request, pk: int, payload: MeetingIn):
    """Schedule a commission meeting for a call under review (409 `call_not_in_review` otherwise). A time
    without an offset is read in the park's region."""
    call = _call(request, pk, perm="intake.run_meeting")
    held_at = payload.held_at
    if timezone.is_naive(held_at):  # the wall-clock time of the park's region
        held_at = held_at.replace(tzinfo=ZoneInfo(call.park.region.timezone))
    meeting = commission.meeting_create(actor=request.user, call=call, held_at=held_at, place=payload.place,
                                        language=payload.language)
    return Status(201, meeting)


@router.get("/meetings/{pk}", response=MeetingDetailOut)
def get_meeting(request, pk: int):
    """Attendance and quorum, and the applications with their votes and decisions."""
    return _meeting_detail(request, _meeting(request, pk))


@router.post("/meetings/{pk}/attendance", response=MeetingDetailOut)
def record_attendance(request, pk: int, payload: AttendanceIn):
    """Who is present (the rest absent); the first record opens the meeting."""
    meeting = commission.record_attendance(actor=request.user, meeting=_meeting(request, pk),
                                           present_member_ids=payload.present)
    return _meeting_detail(request, meeting)


@router.post("/meetings/{pk}/votes", response=MeetingDetailOut)
def vote(request, pk: int, payload: VoteIn):
    """A present member's vote (staff for anyone, a member for themself). 409 `no_quorum`, `not_present`."""
    meeting = _meeting(request, pk)
    if payload.member_id is None:
        member = CommissionMember.objects.filter(call=meeting.call_id, user=request.user).first()
    else:
        member = CommissionMember.objects.filter(call=meeting.call_id, pk=payload.member_id).first()
    if member is None:
        raise NotFound()
    commission.vote(actor=request.user, meeting=meeting, application=_application_of(meeting.call_id,
                                                                                     payload.application_id),
                    member=member, choice=payload.choice)
    return _meeting_detail(request, meeting)


@router.post("/meetings/{pk}/decisions", response={201: DecisionOut})
def decide(request, pk: int, payload: DecisionIn):
    """Accepted (with the residency agreement), rejected with a reason, or waitlisted. 409 when there is no
    quorum or the application cannot take this decision (`forbidden_transition`, `already_decided`)."""
    meeting = _meeting(request, pk)
    decision = commission.decide(actor=request.user, meeting=meeting,
                                 application=_application_of(meeting.call_id, payload.application_id),
                                 outcome=payload.outcome, reason=payload.reason, benefits=payload.benefits,
                                 obligations=payload.obligations)
    residency = getattr(decision.application, "residency", None)
    decision.residency_number = residency.number if residency else None
    return Status(201, decision)


@router.post("/meetings/{pk}/close", response=MeetingOut)
def close(request, pk: int):
    """Close the meeting: the minutes get their number and their PDF."""
    return commission.close(actor=request.user, meeting=_meeting(request, pk))


@router.get("/meetings/{pk}/minutes.pdf")
def minutes_pdf(request, pk: int):
    """The minutes of a closed meeting (404 before it is closed)."""
    meeting = _meeting(request, pk)
    if meeting.status != Meeting.Status.CLOSED:
        raise NotFound()
    response = HttpResponse(minutes.stored_or_render(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{minutes.filename(meeting)}"'
    return response
