"""Calls: the public list and page, opening and editing a call, its rubric and commission."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.views import posted, show_app_error
from texnopark.intake.forms.calls import (
    CallFilter,
    CallForm,
    CloseForm,
    CommissionFormSet,
    CriterionFormSet,
    DocumentFormSet,
    QuestionFormSet,
    items_of,
    typed_weights,
)
from texnopark.intake.models import SCORE_MAX, Application, Call
from texnopark.intake.selectors import calls as selectors
from texnopark.intake.services import calls as services
from texnopark.intake.services.applications import EDITABLE, accepting
from texnopark.network.selectors import parks_editable_by, parks_visible_to

FORMSETS = {"criteria": CriterionFormSet, "questions": QuestionFormSet, "documents": DocumentFormSet,
            "commission": CommissionFormSet}


def _run_call(request, pk, perm: str = "intake.run_call") -> Call:
    call = get_object_or_404(selectors.calls_run_by(request.user), pk=pk)
    if not request.user.has_perm(perm, call):
        raise Http404
    return call


# --- For everyone ---------------------------------------------------------------------------------


def call_list(request):
    parks = parks_visible_to(request.user).filter(calls__status__in=[Call.Status.OPEN, Call.Status.REVIEW,
                                                                     Call.Status.DECIDED]).distinct()
    form = CallFilter(request.GET or None, parks=parks.order_by("name"))
    filters = form.cleaned_data if form.is_valid() else {}
    calls = selectors.calls_public(request.user)
    if filters.get("park"):
        calls = calls.filter(park=filters["park"])
    if filters.get("kind"):
        calls = calls.filter(kind=filters["kind"])
    page = Paginator(calls, 20).get_page(request.GET.get("page"))
    now = timezone.now()
    for call in page.object_list:
        call.accepting = accepting(call, now)
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "intake/calls/list.html", {
        "form": form, "page": page, "query": query,
        "open_calls": [c for c in page.object_list if c.status == Call.Status.OPEN],
        "past_calls": [c for c in page.object_list if c.status != Call.Status.OPEN],
        "can_run": request.user.is_authenticated and request.user.has_perm("intake.run_call"),
        "tz": services.TASHKENT,
    })


def call_detail(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    user = request.user
    staff = user.is_authenticated and user.has_perm("intake.run_call", call)
    mine = None
    if user.is_authenticated:
        mine = Application.objects.filter(call=call, applicant=user, status__in=Application.LIVE).first()
    return render(request, "intake/calls/detail.html", {
        "call": call, "criteria": list(call.criteria.all()), "questions": list(call.questions.all()),
        "documents": list(call.documents.all()), "sectors": list(call.sectors.all()),
        "commission": list(call.commission.select_related("user")) if staff else [],
        "accepting": accepting(call), "mine": mine, "mine_editable": mine is not None and mine.status in EDITABLE,
        "staff": staff, "can_edit": user.is_authenticated and user.has_perm("intake.change_call", call),
        "problems": services.opening_problems(call) if staff and call.status == Call.Status.DRAFT else [],
        "before_deadline": timezone.now() < call.closes_at, "close_form": CloseForm(),
        "tz": services.TASHKENT, "score_max": SCORE_MAX,
    })


# --- For the park's staff -------------------------------------------------------------------------


@login_required
def calls_manage(request):
    if not request.user.has_perm("intake.run_call"):
        raise Http404
    calls = list(selectors.with_status_counts(selectors.calls_run_by(request.user))
                 .order_by("-closes_at", "-pk")[:200])
    for call in calls:
        call.counts = [(label, getattr(call, f"count_{status}")) for status, label in Application.Status.choices
                       if getattr(call, f"count_{status}")]
    return render(request, "intake/calls/manage.html", {
        "calls": calls, "parks": list(parks_editable_by(request.user).order_by("name")), "tz": services.TASHKENT,
    })


@login_required
def call_new(request):
    parks = parks_editable_by(request.user).order_by("name")
    slug = request.GET.get("park", "")
    if not slug:
        choices = list(parks[:2])
        if not choices:
            raise Http404
        if len(choices) > 1:
            return render(request, "intake/calls/park_choice.html", {"parks": parks})
        slug = choices[0].slug
    park = get_object_or_404(parks, slug=slug)
    if not request.user.has_perm("intake.add_call", park):
        raise Http404
    form = CallForm(posted(request), initial={"opens_on": timezone.localdate(),
                                              "return_days": 7, "quorum_percent": 67, "residency_years": 3})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CallForm.Meta.fields}
        try:
            call = services.call_create(actor=request.user, park=park, **data)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The draft is saved. Now add the criteria, questions, documents and the "
                                        "commission."))
            return redirect("intake:call_edit", call.pk)
    return render(request, "intake/calls/new.html", {"form": form, "park": park})


def _formsets(call: Call, data):
    initial = {
        "criteria": [{"id": c.pk, "name": c.name, "weight": c.weight, "description": c.description}
                     for c in call.criteria.all()],
        "questions": [{"id": q.pk, "text": q.text, "required_answer": "yes" if q.required_answer else "no"}
                      for q in call.questions.all()],
        "documents": [{"id": d.pk, "name": d.name, "is_required": d.is_required} for d in call.documents.all()],
        "commission": [{"id": m.pk, "email": m.user.email, "is_chair": m.is_chair}
                       for m in call.commission.select_related("user")],
    }
    return {kind: formset(data, prefix=kind, initial=initial[kind]) for kind, formset in FORMSETS.items()}


def _place_errors(request, form, formsets, error: AppError) -> None:
    """A line's problem under its list; the rest beside the call's fields or on top."""
    rest = {}
    for name, msgs in error.fields.items():
        if name in formsets:
            formsets[name]._non_form_errors = formsets[name].non_form_errors() + list(msgs)
        else:
            rest[name] = msgs
    if rest or not error.fields:
        show_app_error(request, form, AppError(error.code, error.message, rest))


@login_required
def call_edit(request, pk):
    call = _run_call(request, pk, "intake.change_call")
    draft = call.status == Call.Status.DRAFT
    editable = call.status in (Call.Status.DRAFT, Call.Status.OPEN)
    data = posted(request) if editable else None
    fixed = () if draft else [name for name in CallForm.Meta.fields if name not in services.OPEN_FIELDS or
                              not editable]
    form = CallForm(data, instance=call, fixed=fixed)
    formsets = _formsets(call, data)
    # Once open only the commission may still change among the lists.
    changeable = list(FORMSETS) if draft else ["commission"] if editable else []
    if request.method == "POST" and request.POST.get("preview") == "rubric":
        return render(request, "intake/calls/edit.html#rubric", {
            "weights_total": sum(typed_weights(formsets["criteria"])),
            "weights_problem": services.weights_problem(typed_weights(formsets["criteria"]))})
    if request.method == "POST" and editable:
        valid = form.is_valid() & all([formsets[kind].is_valid() for kind in changeable])
        if valid:
            lists = {kind: items_of(formsets[kind]) for kind in changeable}
            try:
                services.call_update(actor=request.user, call=call, **form.changes(), **lists)
            except NotFound as error:
                raise Http404 from error
            except AppError as error:
                _place_errors(request, form, formsets, error)
            else:
                messages.success(request, _("The call is saved."))
                return redirect("intake:call_edit", call.pk)
    weights = [c.weight for c in call.criteria.all()] if data is None else typed_weights(formsets["criteria"])
    return render(request, "intake/calls/edit.html", {
        "call": call, "form": form, "formsets": formsets, "draft": draft, "editable": editable,
        "changeable": changeable, "can": {kind: kind in changeable for kind in FORMSETS},
        "weights_total": sum(weights), "weights_problem": services.weights_problem(weights),
        "problems": services.opening_problems(call) if draft else [],
        "min_commission": settings.INTAKE_MIN_COMMISSION,
    })


@login_required
@require_POST
def call_open(request, pk):
    call = _run_call(request, pk, "intake.change_call")
    try:
        services.call_open(actor=request.user, call=call)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        for problem in error.fields.get("__all__") or [error.message]:
            messages.error(request, problem)
        return redirect("intake:call_edit", call.pk) if call.status == Call.Status.DRAFT else redirect(call)
    messages.success(request, _("The call is open: it is public and takes applications until its deadline."))
    return redirect(call)


@login_required
@require_POST
def call_close(request, pk):
    call = _run_call(request, pk)
    form = CloseForm(request.POST)
    early = form.is_valid() and form.cleaned_data["early"]
    try:
        services.call_close(actor=request.user, call=call, early=early)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The call is closed: its applications are now under review."))
    return redirect(call)


@login_required
def call_applications(request, pk):
    call = _run_call(request, pk)
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    page = Paginator(selectors.applications_for_call(call, status), 50).get_page(request.GET.get("page"))
    counts = selectors.status_counts(call)
    return render(request, "intake/calls/applications.html", {
        "call": call, "page": page, "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices
                     if value != Application.Status.DRAFT],
        "drafts": counts.get(Application.Status.DRAFT, 0), "total": sum(counts.values()),
        "list_url": reverse("intake:call_applications", args=[call.pk]), "tz": services.TASHKENT,
    })


urlpatterns = [
    path("calls/", call_list, name="calls"),
    path("calls/manage/", calls_manage, name="calls_manage"),
    path("calls/new/", call_new, name="call_new"),
    path("calls/<int:pk>/", call_detail, name="call"),
    path("calls/<int:pk>/edit/", call_edit, name="call_edit"),
    path("calls/<int:pk>/open/", call_open, name="call_open"),
    path("calls/<int:pk>/close/", call_close, name="call_close"),
    path("calls/<int:pk>/applications/", call_applications, name="call_applications"),
]
