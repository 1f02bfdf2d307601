"""Expert review: assignments, conflict declarations, blind scoring, the ranking and its export.

An assignment's pages open only to its expert (404 for anyone else, staff included: staff do not
score). The assignment and ranking pages of a call open to the staff who run its park.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.views import done, posted, show_app_error
from texnopark.intake import exports
from texnopark.intake.forms.review import AssignForm, AutoAssignForm, DeclareForm, ScoreForm
from texnopark.intake.models import Application, Assignment, Call
from texnopark.intake.selectors import review as selectors
from texnopark.intake.services import review as services

A = Assignment.Status


# --- The expert ---------------------------------------------------------------------------------


@login_required
def reviews_mine(request):
    assignments = list(selectors.assignments_of(request.user))
    return render(request, "intake/review/mine.html", {
        "to_do": [a for a in assignments if a.status == A.ASSIGNED],
        "done": [a for a in assignments if a.status == A.SUBMITTED],
        "conflicts": [a for a in assignments if a.status == A.CONFLICT],
    })


def _own(request, pk) -> Assignment:
    return get_object_or_404(selectors.assignments_of(request.user), pk=pk)


def _assignment_page(request, assignment, *, declare_form=None, score_form=None):
    application = assignment.application
    criteria = list(application.call.criteria.all())
    context = {"assignment": assignment, "application": application, "call": application.call,
               "criteria": criteria, "scoring_open": application.status == Application.Status.SUBMITTED,
               "documents": list(application.documents.select_related("requirement"))
               if assignment.status != A.CONFLICT else []}
    if assignment.status == A.ASSIGNED and assignment.no_conflict_at is None:
        context["declare_form"] = declare_form or DeclareForm()
    elif assignment.status == A.ASSIGNED:
        if score_form is None:
            stored = {s.criterion_id: s for s in assignment.scores.all()}
            initial = {}
            for cid, s in stored.items():
                initial[f"value_{cid}"], initial[f"comment_{cid}"] = s.value, s.comment
            score_form = ScoreForm(criteria=criteria, initial=initial)
        context["score_form"] = score_form
    elif assignment.status == A.SUBMITTED:
        reviews = services.visible_scores(request.user, application)
        context["mine"] = next((r for r in reviews if r.pk == assignment.pk), None)
        context["others"] = [r for r in reviews if r.pk != assignment.pk]
        context["standing"] = selectors.standings(request.user, [application.pk])[application.pk]
    return render(request, "intake/review/assignment.html", context)


@login_required
def assignment(request, pk):
    assignment = _own(request, pk)
    if request.method != "POST":
        return _assignment_page(request, assignment)
    submitting = "submit" in request.POST
    form = ScoreForm(request.POST, criteria=list(assignment.application.call.criteria.all()), submitting=submitting)
    if form.is_valid():
        try:
            services.score(actor=request.user, assignment=assignment, scores=form.scores(), submit=submitting)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
            assignment.refresh_from_db()
            if assignment.status != A.ASSIGNED or assignment.no_conflict_at is None:  # no form to show it on
                messages.error(request, error.message)
        else:
            messages.success(request, _("Your review is submitted. You now see the other experts' scores.")
                             if submitting else _("Your scores are saved. Submit them when you are done."))
            return done(request, reverse("intake:assignment", args=[assignment.pk]))
    return _assignment_page(request, assignment, score_form=form)


@login_required
@require_POST
def assignment_declare(request, pk):
    assignment = _own(request, pk)
    form = DeclareForm(request.POST)
    if form.is_valid():
        conflict = form.cleaned_data["conflict"]
        try:
            services.declare(actor=request.user, assignment=assignment, conflict=conflict,
                             note=form.cleaned_data["note"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            if conflict:
                messages.success(request, _("Noted: you do not review this application. The staff are told."))
                return done(request, reverse("intake:reviews_mine"))
            messages.success(request, _("Thank you. Now score the application."))
            return done(request, reverse("intake:assignment", args=[assignment.pk]))
    return _assignment_page(request, assignment, declare_form=form)


# --- The staff ----------------------------------------------------------------------------------


def run_call(request, pk) -> Call:
    call = get_object_or_404(selectors.calls_run_by(request.user), pk=pk)
    if not request.user.has_perm("intake.run_call", call):
        raise Http404
    return call


@login_required
def assign(request, pk):
    call = run_call(request, pk)
    submitted = call.applications.filter(status=Application.Status.SUBMITTED).order_by("submitted_at", "pk")
    pool = selectors.pool_with_load(call)
    action = request.POST.get("action") if request.method == "POST" else None
    manual = AssignForm(posted(request) if action == "assign" else None, applications=submitted, pool=pool)
    auto = AutoAssignForm(posted(request) if action == "auto" else None)
    back = reverse("intake:assign", args=[call.pk])
    try:
        if action == "auto" and auto.is_valid():
            made = services.auto_assign(actor=request.user, call=call,
                                        per_application=auto.cleaned_data["per_application"])
            messages.success(request, ngettext("%(n)s assignment made.", "%(n)s assignments made.", made) % {"n": made}
                             if made else _("Every application already has its reviewers: nothing to add."))
            return done(request, back)
        if action == "assign" and manual.is_valid():
            data = manual.cleaned_data
            services.assign(actor=request.user, application=data["application"], expert=data["expert"])
            messages.success(request, _("%(expert)s reviews %(company)s.") % {
                "expert": data["expert"], "company": data["application"].company_name})
            return done(request, back)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        show_app_error(request, auto if action == "auto" else manual, error)
    applications = list(submitted.prefetch_related(
        Prefetch("assignments", Assignment.objects.select_related("expert").order_by("assigned_at", "pk"))))
    for application in applications:
        held = list(application.assignments.all())
        application.held = held
        application.active = sum(1 for a in held if a.status != A.CONFLICT)
    return render(request, "intake/review/assign.html", {
        "call": call, "applications": applications, "pool": list(pool), "manual": manual, "auto": auto,
        "conflicts": sum(1 for a in applications for x in a.held if x.status == A.CONFLICT), "can_run": True,
    })


@login_required
@require_POST
def unassign(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("application__call__park", "expert").filter(
        application__call__in=selectors.calls_run_by(request.user).values("pk")), pk=pk)
    try:
        services.unassign(actor=request.user, assignment=assignment)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(expert)s no longer reviews this application.") % {"expert": assignment.expert})
    return redirect("intake:assign", assignment.application.call_id)


@login_required
def ranking(request, pk):
    call = run_call(request, pk)
    rows = selectors.ranking(request.user, call)
    return render(request, "intake/review/ranking.html", {
        "call": call, "rows": rows, "hidden": any(standing.hidden for _a, standing in rows), "can_run": True})


@login_required
def ranking_xlsx(request, pk):
    call = run_call(request, pk)
    body = exports.ranking_workbook(call=call, rows=selectors.ranking(request.user, call))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ranking-{call.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


urlpatterns = [
    path("reviews/", reviews_mine, name="reviews_mine"),
    path("reviews/<int:pk>/", assignment, name="assignment"),
    path("reviews/<int:pk>/declare/", assignment_declare, name="assignment_declare"),
    path("assignments/<int:pk>/unassign/", unassign, name="unassign"),
    path("calls/<int:pk>/assign/", assign, name="assign"),
    path("calls/<int:pk>/ranking/", ranking, name="ranking"),
    path("calls/<int:pk>/ranking.xlsx", ranking_xlsx, name="ranking_xlsx"),
]
