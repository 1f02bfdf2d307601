"""Applications: the founder's draft, submission and status; staff return them for fixes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.files import download
from texnopark.core.models import AuditEntry
from texnopark.core.views import done, show_app_error
from texnopark.intake.forms.calls import ApplicationForm, ReturnForm
from texnopark.intake.models import Application, ApplicationDocument, Residency
from texnopark.intake.selectors import calls as selectors
from texnopark.intake.services import applications as services
from texnopark.intake.services.calls import TASHKENT
from texnopark.ventures.models import Idea

S = Application.Status
TIMELINE = {
    "intake.application.started": gettext_lazy("Started"),
    "intake.application.submitted": gettext_lazy("Submitted"),
    "intake.application.returned": gettext_lazy("Returned for fixes"),
    "intake.application.resubmitted": gettext_lazy("Submitted again after the fixes"),
    "intake.application.withdrawn": gettext_lazy("Withdrawn"),
}


def _visible(request, pk) -> Application:
    application = get_object_or_404(selectors.applications_visible_to(request.user).select_related(
        *selectors.APPLICATION_RELATED, "call__park__region"), pk=pk)
    if not request.user.has_perm("intake.view_application", application):
        raise Http404
    return application


def _own(request, pk) -> Application:
    application = _visible(request, pk)
    if not request.user.has_perm("intake.change_application", application):
        raise Http404
    return application


# --- Starting, editing and submitting -------------------------------------------------------------


@login_required
def apply(request, pk):
    """Start the person's draft for the call, or resume it."""
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    idea = None
    idea_pk = request.GET.get("idea", "")
    if idea_pk:
        idea = get_object_or_404(Idea.objects.filter(author=request.user), pk=idea_pk if idea_pk.isdigit() else 0)
    try:
        application = services.application_start(actor=request.user, call=call, idea=idea)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
        return redirect(call)
    if application.status in services.EDITABLE:
        return redirect("intake:application_edit", application.pk)
    messages.info(request, _("You have already applied to this call."))
    return redirect(application)


def _form(request, application: Application, data=None, files=None) -> ApplicationForm:
    call = application.call
    return ApplicationForm(data, files, application=application, questions=list(call.questions.all()),
                           requirements=list(call.documents.all()))


def _save(request, application: Application) -> tuple[ApplicationForm, Application]:
    """Store every valid field of the posted form; the form keeps what was typed and shows the errors.

    When the STIR has just linked a company the person runs, the form shows the fields filled in from it:
    what is on the screen is what the next save sends."""
    form = _form(request, application, request.POST, request.FILES)
    form.is_valid()
    before = application.company_id
    try:
        services.application_save(actor=request.user, application=application, fields=form.service_fields(),
                                  keep_valid=True)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        show_app_error(request, form, error)
        if error.fields:
            form.add_error(None, error.message)
    application = _visible(request, application.pk)
    if application.company_id and application.company_id != before:
        data = request.POST.copy()
        for name in services.FROM_COMPANY:
            value = getattr(application, name)
            data[name] = "" if value is None else str(getattr(value, "pk", value))
        errors = form.errors
        form = _form(request, application, data)
        form.is_valid()
        for name, msgs in errors.items():
            if name not in services.FROM_COMPANY and name not in form.errors:
                for msg in msgs:
                    form.add_error(name if name in form.fields else None, msg)
        form.linked_company = application.company
    return form, application


def _files(application: Application) -> dict:
    plan = application.business_plan
    return {"plan_name": plan.name.rsplit("/", 1)[-1] if plan else "",
            "plan_url": reverse("intake:application_file", args=[application.pk]) if plan else ""}


def _edit_context(application: Application, form: ApplicationForm) -> dict:
    documents = {d.requirement_id: d for d in application.documents.all()}
    rows = []
    for field, requirement in form.document_fields():
        stored = documents.get(requirement.pk)
        rows.append({"field": field, "requirement": requirement, "stored": stored, "name": str(stored or ""),
                     "url": reverse("intake:application_document", args=[stored.pk]) if stored else ""})
    return {"application": application, "call": application.call, "form": form, "tz": TASHKENT,
            "document_rows": rows,
            # A field shown with its own error (e.g. an 8-digit STIR) is not also listed as "missing".
            "problems": [problem.message for problem in services.problems_of(application)
                         if problem.field not in form.errors],
            "saved_at": timezone.localtime(application.updated_at, TASHKENT), **_files(application)}


def _no_longer_editable(request, application: Application):
    if application.status == S.SUBMITTED:
        messages.info(request, _("This application has already been submitted."))
    else:
        messages.info(request, _("This application is %(status)s: it can no longer change.") % {
            "status": application.get_status_display().lower()})
    return done(request, application)


@login_required
def edit(request, pk):
    application = _own(request, pk)
    if application.status not in services.EDITABLE:
        return _no_longer_editable(request, application)
    if request.method != "POST":
        return render(request, "intake/calls/application_edit.html", _edit_context(application, _form(request,
                                                                                                       application)))
    form, application = _save(request, application)
    if application.status not in services.EDITABLE:  # submitted meanwhile, from another tab
        return _no_longer_editable(request, application)
    context = _edit_context(application, form)
    if request.htmx:
        if getattr(form, "linked_company", None):
            response = render(request, "intake/calls/application_edit.html#form", context)
            response["HX-Retarget"], response["HX-Reswap"] = "#application-form", "outerHTML"
            return response
        # Only the file fields this save carried are redrawn: redrawing another would drop a file the
        # person chose while this save was on its way.
        context["uploaded"] = set(request.FILES)
        return render(request, "intake/calls/application_edit.html#autosave", context)
    if not form.errors:
        messages.success(request, _("Your draft is saved."))
        return redirect("intake:application_edit", application.pk)
    return render(request, "intake/calls/application_edit.html", context)


@login_required
@require_POST
def submit(request, pk):
    application = _own(request, pk)
    form = None
    if application.status in services.EDITABLE and request.POST.get("from_form"):
        form, application = _save(request, application)  # what is on the screen is what gets submitted
        if application.status not in services.EDITABLE:  # a double click: the first one submitted it
            return _no_longer_editable(request, application)
        if form.errors:
            form.add_error(None, _("Correct the marked fields, then submit."))
            return render(request, "intake/calls/application_edit.html", _edit_context(application, form))
    try:
        application = services.application_submit(actor=request.user, application=application)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        if error.code == "already_submitted":
            messages.info(request, error.message)
            return redirect(application)
        if form is None:
            messages.error(request, error.message)
            return redirect("intake:application_edit" if application.status in services.EDITABLE
                            else "intake:application", application.pk)
        show_app_error(request, form, error)
        return render(request, "intake/calls/application_edit.html", _edit_context(application, form))
    messages.success(request, _("Your application is submitted. We will write to you when it moves on."))
    return redirect(application)


@login_required
@require_POST
def withdraw(request, pk):
    application = _own(request, pk)
    try:
        services.application_withdraw(actor=request.user, application=application)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application)


# --- Reading --------------------------------------------------------------------------------------


def _timeline(application: Application) -> list[dict]:
    entries = AuditEntry.objects.filter(object_type="intake.application", object_id=str(application.pk)).filter(
        Q(action__in=list(TIMELINE)) | Q(changes__has_key="status")).order_by("created_at", "pk")
    labels = dict(S.choices)
    timeline = []
    for entry in entries:
        label = TIMELINE.get(entry.action)
        if label is None:
            label = labels.get((entry.changes.get("status") or [None, None])[1], entry.action)
        timeline.append({"at": entry.created_at, "label": label})
    return timeline


def _detail_context(request, application: Application, return_form=None) -> dict:
    user = request.user
    own = user.has_perm("intake.change_application", application)
    staff = user.has_perm("intake.run_call", application)
    call = application.call
    answers = application.answers or {}
    questions = [(q, answers.get(str(q.pk))) for q in call.questions.all()]
    can_return = staff and application.status == S.SUBMITTED and application.returned_at is None
    decisions = list(application.decisions.select_related("meeting").order_by("decided_at", "pk"))
    timeline = sorted(_timeline(application) + [{"at": d.decided_at, "label": d.get_outcome_display()}
                                                for d in decisions], key=lambda step: step["at"])
    return {
        "decision": decisions[-1] if decisions else None,
        "residency": Residency.objects.filter(application=application).select_related("company").first(),
        "application": application, "call": call, "own": own, "staff": staff, "tz": TASHKENT,
        "timeline": timeline, "questions": questions,
        "documents": list(application.documents.select_related("requirement")),
        "editable": own and application.status in services.EDITABLE,
        "can_withdraw": own and application.status in (S.DRAFT, S.SUBMITTED, S.RETURNED),
        "problems": services.submission_problems(application) if own and application.status in services.EDITABLE
        else [],
        "fix_over": application.fix_by is not None and timezone.now() > application.fix_by,
        "return_form": (return_form or ReturnForm()) if can_return else None, **_files(application),
    }


@login_required
def detail(request, pk):
    application = _visible(request, pk)
    return render(request, "intake/calls/application.html", _detail_context(request, application))


@login_required
@require_POST
def return_for_fixes(request, pk):
    application = _visible(request, pk)
    if not request.user.has_perm("intake.run_call", application):
        raise Http404
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.application_return(actor=request.user, application=application, note=form.cleaned_data["note"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            if not error.fields:  # returned once already, or no longer submitted: nothing to correct here
                messages.error(request, error.message)
                return redirect(application)
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The application is returned to the applicant, who is told what to fix."))
            return redirect(application)
    return render(request, "intake/calls/application.html", _detail_context(request, application, form))


@login_required
def mine(request):
    applications = (selectors.applications_of(request.user).select_related(*selectors.APPLICATION_RELATED)
                    .order_by("-created_at", "-pk"))
    return render(request, "intake/calls/mine.html", {"applications": applications, "tz": TASHKENT,
                                                      "editable": services.EDITABLE})


# --- Private downloads ----------------------------------------------------------------------------


def _download(request, application: Application, stored) -> FileResponse:
    if not stored or not request.user.has_perm("intake.download_application", application):
        raise Http404
    # A draft is the applicant's alone.
    if application.status == S.DRAFT and not request.user.has_perm("intake.change_application", application):
        raise Http404
    return download(stored)


@login_required
def business_plan(request, pk):
    application = get_object_or_404(Application.objects.select_related("call__park", "company"), pk=pk)
    return _download(request, application, application.business_plan)


@login_required
def document(request, pk):
    upload = get_object_or_404(ApplicationDocument.objects.select_related(
        "application__call__park", "application__company"), pk=pk)
    return _download(request, upload.application, upload.file)


urlpatterns = [
    path("calls/<int:pk>/apply/", apply, name="apply"),
    path("applications/mine/", mine, name="applications_mine"),
    path("applications/documents/<int:pk>/", document, name="application_document"),
    path("applications/<int:pk>/", detail, name="application"),
    path("applications/<int:pk>/edit/", edit, name="application_edit"),
    path("applications/<int:pk>/submit/", submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", withdraw, name="application_withdraw"),
    path("applications/<int:pk>/return/", return_for_fixes, name="application_return"),
    path("applications/<int:pk>/business-plan/", business_plan, name="application_file"),
]
