"""The commission: meetings, attendance and quorum, votes, decisions, the minutes PDF.

Meetings open to the staff who run the call's park and to the call's commission members; only the
staff schedule, record attendance, decide and close. A member may vote for themself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.views import done, posted, show_app_error
from texnopark.intake import minutes
from texnopark.intake.forms.review import AttendanceForm, DecisionForm, MeetingForm, VoteForm
from texnopark.intake.models import Call, CommissionMember, Meeting, Vote
from texnopark.intake.selectors import review as selectors
from texnopark.intake.services import commission as services

M = Meeting.Status


def _call(request, pk) -> Call:
    call = get_object_or_404(selectors.calls_of_commission(request.user), pk=pk)
    if not request.user.has_perm("intake.view_meeting", call):
        raise Http404
    return call


def _meeting(request, pk) -> Meeting:
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    if not request.user.has_perm("intake.view_meeting", meeting):
        raise Http404
    return meeting


def _staff(request, meeting: Meeting) -> None:
    if not request.user.has_perm("intake.run_meeting", meeting):
        raise Http404


def _seat(request, meeting: Meeting) -> CommissionMember | None:
    return CommissionMember.objects.filter(call=meeting.call_id, user=request.user).first()


@login_required
def meetings(request, pk):
    call = _call(request, pk)
    can_run = request.user.has_perm("intake.run_meeting", call)
    form = MeetingForm(posted(request) if can_run else None)
    if request.method == "POST":
        if not can_run:
            raise Http404
        if form.is_valid():
            try:
                meeting = services.meeting_create(actor=request.user, call=call, **form.cleaned_data)
            except NotFound as error:
                raise Http404 from error
            except AppError as error:
                show_app_error(request, form, error)
            else:
                messages.success(request, _("The meeting is scheduled; the commission members are told."))
                return done(request, reverse("intake:meeting", args=[meeting.pk]))
    return render(request, "intake/review/meetings.html", {
        "call": call, "meetings": list(call.meetings.order_by("-held_at", "-pk")), "form": form,
        "can_schedule": can_run and call.status == Call.Status.REVIEW, "can_run": can_run,
    })


def _meeting_page(request, meeting: Meeting, bound: dict | None = None, status: int = 200):
    """The meeting with its forms; `bound` holds a form that failed, keyed by its kind and application."""
    bound = bound or {}
    can_run = request.user.has_perm("intake.run_meeting", meeting)
    seat = _seat(request, meeting)
    members = selectors.members_of(meeting)
    present, needed, total = selectors.quorum(meeting)
    in_session = meeting.status == M.OPEN
    present_members = meeting.call.commission.filter(attendance__meeting=meeting,
                                                      attendance__present=True).select_related("user")
    items = selectors.agenda(request.user, meeting)
    seat_present = seat is not None and any(m.pk == seat.pk and m.present for m in members)
    names, labels = {m.pk: str(m.user) for m in members}, dict(Vote.Choice.choices)
    for item in items:
        pk = item.application.pk
        item.ballots = [(names.get(member_id, "—"), labels[choice]) for member_id, choice in item.by_member.items()]
        item.my_vote = labels[item.by_member[seat.pk]] if seat and seat.pk in item.by_member else ""
        item.open = in_session and item.decision is None
        if not item.open:
            continue
        if can_run:
            item.vote_form = bound.get(("vote", pk)) or VoteForm(members=present_members, prefix=f"v{pk}")
            item.decision_form = bound.get(("decide", pk)) or DecisionForm(prefix=f"d{pk}", initial={
                "benefits": meeting.call.benefits, "obligations": meeting.call.obligations})
        elif seat_present:
            item.vote_form = bound.get(("vote", pk)) or VoteForm(prefix=f"v{pk}",
                                                                 initial={"choice": item.by_member.get(seat.pk)})
    shown = {("vote", i.application.pk) for i in items if getattr(i, "vote_form", None)}
    shown |= {("decide", i.application.pk) for i in items if getattr(i, "decision_form", None)}
    for key, form in bound.items():
        if key != "attendance" and key not in shown:  # e.g. decided a moment ago by someone else
            for error in form.non_field_errors():
                messages.error(request, error)
    attendance_form = None
    if can_run and meeting.status != M.CLOSED:
        attendance_form = bound.get("attendance") or AttendanceForm(
            members=meeting.call.commission.select_related("user"),
            initial={"present": [m.pk for m in members if m.present]})
    return render(request, "intake/review/meeting.html", {
        "meeting": meeting, "call": meeting.call, "members": members, "present": present, "needed": needed,
        "total": total, "quorum_met": present >= needed, "items": items, "can_run": can_run, "seat": seat,
        "attendance_form": attendance_form, "in_session": in_session, "seat_present": seat_present,
    }, status=status)


@login_required
def meeting(request, pk):
    return _meeting_page(request, _meeting(request, pk))


@login_required
@require_POST
def meeting_attendance(request, pk):
    meeting = _meeting(request, pk)
    _staff(request, meeting)
    form = AttendanceForm(request.POST, members=meeting.call.commission.select_related("user"))
    if form.is_valid():
        try:
            services.record_attendance(actor=request.user, meeting=meeting,
                                       present_member_ids=[m.pk for m in form.cleaned_data["present"]])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return done(request, reverse("intake:meeting", args=[meeting.pk]))
    return _meeting_page(request, meeting, {"attendance": form})


def _application(request, meeting: Meeting):
    """The application named in the POST, of the meeting's call; None (with a message) when missing."""
    value = request.POST.get("application", "")
    application = meeting.call.applications.filter(pk=value).first() if value.isdigit() else None
    if application is None:
        messages.error(request, _("Choose an application of this call."))
    return application


@login_required
@require_POST
def meeting_vote(request, pk):
    meeting = _meeting(request, pk)
    can_run = request.user.has_perm("intake.run_meeting", meeting)
    seat = _seat(request, meeting)
    if not can_run and seat is None:
        raise Http404
    application = _application(request, meeting)
    if application is None:
        return redirect("intake:meeting", meeting.pk)
    members = meeting.call.commission.filter(attendance__meeting=meeting,
                                             attendance__present=True).select_related("user")
    form = VoteForm(request.POST, members=members if can_run else None, prefix=f"v{application.pk}")
    if form.is_valid():
        member = form.cleaned_data["member"] if can_run else seat
        try:
            services.vote(actor=request.user, meeting=meeting, application=application, member=member,
                          choice=form.cleaned_data["choice"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The vote of %(member)s is recorded.") % {"member": member.user})
            return done(request, reverse("intake:meeting", args=[meeting.pk]) + f"#a-{application.pk}")
    return _meeting_page(request, meeting, {("vote", application.pk): form})


@login_required
@require_POST
def meeting_decide(request, pk):
    meeting = _meeting(request, pk)
    _staff(request, meeting)
    application = _application(request, meeting)
    if application is None:
        return redirect("intake:meeting", meeting.pk)
    form = DecisionForm(request.POST, prefix=f"d{application.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decide(actor=request.user, meeting=meeting, application=application, **data)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            residency = getattr(decision.application, "residency", None)
            if residency is not None:
                messages.success(request, _("Accepted. Residency agreement %(number)s is made; the applicant is "
                                            "told.") % {"number": residency.number})
            else:
                messages.success(request, _("Decided: %(outcome)s. The applicant is told.") % {
                    "outcome": decision.get_outcome_display()})
            return done(request, reverse("intake:meeting", args=[meeting.pk]) + f"#a-{application.pk}")
    return _meeting_page(request, meeting, {("decide", application.pk): form})


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = _meeting(request, pk)
    _staff(request, meeting)
    try:
        closed = services.close(actor=request.user, meeting=meeting)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting is closed; minutes %(number)s are ready.") % {
            "number": closed.number})
    return redirect("intake:meeting", meeting.pk)


@login_required
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status != M.CLOSED:
        raise Http404
    response = HttpResponse(minutes.stored_or_render(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{minutes.filename(meeting)}"'
    return response


urlpatterns = [
    path("calls/<int:pk>/meetings/", meetings, name="meetings"),
    path("meetings/<int:pk>/", meeting, name="meeting"),
    path("meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/vote/", meeting_vote, name="meeting_vote"),
    path("meetings/<int:pk>/decide/", meeting_decide, name="meeting_decide"),
    path("meetings/<int:pk>/close/", meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
]
