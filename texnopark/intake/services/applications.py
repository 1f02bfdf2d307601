"""Applications: the founder's draft, kept as they go; one submission; one return for fixes; withdrawal.

Every status change locks the application row first (`select_for_update`), so a double click or two
tabs cannot submit (or return) twice: the second request waits, then finds the application submitted.
`settings.INTAKE_LOCKS = False` switches the lock off; the race tests use it to show the double submission.

Field errors are keyed by the form's names: model fields by their name, the eligibility answers as
`answer_<question id>`, the required documents as `document_<requirement id>`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from texnopark.core import audit, states
from texnopark.core.errors import AppError, NotFound
from texnopark.core.notify import tell
from texnopark.core.services import _jsonable, validate_and_save
from texnopark.intake.models import Application, ApplicationDocument, Call
from texnopark.intake.services.calls import deadline_text
from texnopark.ventures.models import Company, Idea

S = Application.Status
FIELDS = ("company_name", "stir", "oked", "legal_form", "district", "sector", "founders", "employees", "project",
          "business_plan")
EDITABLE = (S.DRAFT, S.RETURNED)
# Filled in from the company the STIR names, where they are still empty: application field -> company field.
FROM_COMPANY = {"company_name": "name", "oked": "oked", "legal_form": "legal_form", "district": "district",
                "sector": "sector", "founders": "founders", "employees": "employees"}


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def _lock(application: Application) -> Application:
    qs = Application.objects.select_related("call", "call__park", "call__park__region")
    if getattr(settings, "INTAKE_LOCKS", True):
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=application.pk)


def accepting(call: Call, now=None) -> bool:
    """Whether the call takes new applications now."""
    now = now or timezone.now()
    return (call.status == Call.Status.OPEN and call.opens_on <= timezone.localdate(now) and now <= call.closes_at)


def _not_accepting(call: Call, now) -> AppError:
    if call.status == Call.Status.DRAFT:
        return AppError("not_open", _("This call is not open yet."))
    if call.status == Call.Status.OPEN and call.opens_on > timezone.localdate(now):
        return AppError("not_open_yet", _("This call takes applications from %(day)s.") % {
            "day": call.opens_on.strftime("%d.%m.%Y")})
    return AppError("late", _("The deadline of this call was %(deadline)s (Tashkent time); it no longer takes "
                              "applications.") % {"deadline": deadline_text(call.closes_at)})


# --- What keeps an application from being submitted ---------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # late | incomplete | ineligible
    field: str
    message: str


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def problems_of(application: Application, now=None) -> list[Problem]:
    now = now or timezone.now()
    call = application.call
    found = []
    if application.status == S.RETURNED and application.fix_by and now > application.fix_by:
        found.append(Problem("late", "__all__", str(_(
            "The time to fix this application ended on %(fix_by)s (Tashkent time).") % {
            "fix_by": deadline_text(application.fix_by)})))
    elif application.status == S.DRAFT and not accepting(call, now):
        found.append(Problem("late", "__all__", str(_not_accepting(call, now).message)))
    for name in FIELDS:
        if getattr(application, name) in ("", None):
            label = capfirst(Application._meta.get_field(name).verbose_name)
            found.append(Problem("incomplete", name, str(_("“%(field)s” is missing.") % {"field": label})))
    sectors = list(call.sectors.all())
    if application.sector_id and sectors and application.sector_id not in {s.pk for s in sectors}:
        found.append(Problem("ineligible", "sector", str(_("This call is for the sectors %(sectors)s; choose one of "
                                                            "them.") % {"sectors": ", ".join(map(str, sectors))})))
    answers = application.answers or {}
    for question in call.questions.all():
        answer = answers.get(str(question.pk))
        field = f"answer_{question.pk}"
        if answer is None:
            found.append(Problem("incomplete", field, str(_("Answer the question “%(question)s”.") % {
                "question": question.text})))
        elif answer != question.required_answer:
            found.append(Problem("ineligible", field, str(_(
                "Your answer to “%(question)s” makes the application ineligible: this call is for applicants "
                "who answer “%(answer)s”.") % {"question": question.text,
                                               "answer": _yes_no(question.required_answer)})))
    uploaded = set(application.documents.values_list("requirement_id", flat=True))
    for requirement in call.documents.all():
        if requirement.is_required and requirement.pk not in uploaded:
            found.append(Problem("incomplete", f"document_{requirement.pk}", str(_(
                "The document “%(document)s” is missing.") % {"document": requirement.name})))
    return found


def submission_problems(application: Application) -> list[str]:
    """Everything that keeps the application from being submitted now, each said in full."""
    return [problem.message for problem in problems_of(application)]


def _problems_error(problems: list[Problem]) -> AppError:
    kinds = {p.kind for p in problems}
    code = "late" if "late" in kinds else "incomplete" if "incomplete" in kinds else "ineligible"
    fields: dict = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem.message)
    intro = {"late": _("This application can no longer be submitted."),
             "incomplete": _("The application is not complete yet."),
             "ineligible": _("The application does not meet the call's conditions.")}[code]
    message = problems[0].message if code == "late" else f"{intro} {' '.join(p.message for p in problems)}"
    return AppError(code, message, fields)


# --- Starting and saving a draft ------------------------------------------------------------------


def _from_idea(idea: Idea) -> dict:
    project = "\n\n".join(part for part in (idea.title, idea.problem, idea.solution) if part)
    return {"idea": idea, "project": project, "sector": idea.sector, "district": idea.district,
            "founders": idea.team}


def _live(actor, call: Call):
    return Application.objects.filter(call=call, applicant=actor, status__in=Application.LIVE).first()


@transaction.atomic
def application_start(*, actor, call: Call, idea: Idea | None = None, now=None) -> Application:
    """The person's live application for the call, or a new draft (prefilled from an idea invited to it)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    if idea is not None and idea.author_id != actor.pk:
        raise NotFound()
    existing = _live(actor, call)
    if existing:
        return existing
    now = now or timezone.now()
    if not accepting(call, now):
        raise _not_accepting(call, now)
    prefill = {}
    if idea is not None:
        if idea.status != Idea.Status.INVITED or idea.invited_to_id != call.pk:
            raise AppError("idea_not_invited", _("This idea was not invited to this call."))
        prefill = _from_idea(idea)
    application = Application(call=call, applicant=actor, **prefill)
    try:
        with transaction.atomic():
            validate_and_save(application)
    except (IntegrityError, AppError):  # the same person's other tab started it a moment earlier
        existing = _live(actor, call)
        if existing is None:
            raise
        return existing
    audit.record(actor=actor, action="intake.application.started", obj=application,
                 changes={"status": [None, application.status], **({"idea": [None, idea.pk]} if idea else {})})
    return application


def _company_for(actor, stir: str):
    if not stir:
        return None
    return Company.objects.filter(stir=stir, members__user=actor, members__is_admin=True).first()


def _link_company(actor, application: Application) -> dict:
    """Set `application.company` from the STIR; from a newly linked company take its legal form and fill
    the fields that are still empty."""
    company = _company_for(actor, application.stir)
    if (company.pk if company else None) == application.company_id:
        return {}
    changed = {"company": [application.company_id, company.pk if company else None]}
    application.company = company
    if company is None:
        return changed
    for name, source in FROM_COMPANY.items():
        current, value = getattr(application, name), getattr(company, source)
        if (name == "legal_form" or current in ("", None)) and value not in ("", None) and value != current:
            changed[name] = [_jsonable(current), _jsonable(value)]
            setattr(application, name, value)
    return changed


def _clean_answers(call: Call, answers: dict, errors: dict) -> dict:
    """{question id: True/False/None} → the valid ones, keyed as stored; bad ones land in `errors`."""
    questions = {q.pk for q in call.questions.all()}
    valid = {}
    for key, value in answers.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in questions:
            errors.setdefault("answers", []).append(str(_("There is no question %(id)s in this call.") % {"id": key}))
        elif value is not None and not isinstance(value, bool):
            errors[f"answer_{pk}"] = [str(_("Answer yes or no."))]
        else:
            valid[str(pk)] = value
    return valid


def _save_documents(application: Application, uploads: dict, errors: dict, keep_valid: bool) -> dict:
    requirements = {r.pk: r for r in application.call.documents.all()}
    existing = {d.requirement_id: d for d in application.documents.all()}
    pending, changed = [], {}
    for key, upload in uploads.items():
        requirement = requirements.get(int(key)) if str(key).isdigit() else None
        field = f"document_{key}"
        if requirement is None:
            errors.setdefault("documents", []).append(str(_("There is no document %(id)s in this call.") % {
                "id": key}))
            continue
        document = existing.get(requirement.pk) or ApplicationDocument(application=application,
                                                                       requirement=requirement)
        old = document.file.name if document.pk else None
        document.file = upload
        try:
            document.full_clean(validate_constraints=False)
        except ValidationError as error:
            errors[field] = [m for msgs in error.message_dict.values() for m in msgs]
            continue
        pending.append((document, field, old))
    if errors and not keep_valid:
        return {}
    for document, field, old in pending:
        document.save()
        changed[field] = [old, document.file.name]
    return changed


def _set_fields(application: Application, fields: dict, errors: dict) -> dict:
    """Set and clean the model fields given; put the invalid ones back. Returns the changes."""
    for name in set(fields) - set(FIELDS):
        errors[name] = [str(_("There is no such field."))]
    fields = {name: value for name, value in fields.items() if name in FIELDS}
    stored = {name: getattr(application, name) for name in fields}
    for name, value in fields.items():
        setattr(application, name, value)
    try:
        application.clean_fields(exclude=[f.name for f in Application._meta.fields if f.name not in fields])
    except ValidationError as error:
        errors.update(error.message_dict)
    changed = {}
    for name, value in fields.items():
        if name in errors:
            setattr(application, name, stored[name])
        elif stored[name] != value:
            changed[name] = [_jsonable(stored[name]), _jsonable(value)]
    return changed


def _save(actor, application: Application, fields: dict, keep_valid: bool) -> tuple[Application, dict]:
    _require(actor, "intake.change_application", application)
    application = _lock(application)
    if application.status not in EDITABLE:
        raise AppError("not_editable", _("This application is %(status)s: it can no longer change.") % {
            "status": application.get_status_display().lower()}, status=409)
    fields = dict(fields)
    answers, uploads = fields.pop("answers", None) or {}, fields.pop("documents", None) or {}
    errors: dict = {}
    changed = _set_fields(application, fields, errors)
    valid_answers = _clean_answers(application.call, answers, errors)
    if errors and not keep_valid:
        raise AppError("invalid", _("Please correct the errors below."), errors)
    if valid_answers:
        merged = {**(application.answers or {}), **valid_answers}
        merged = {key: value for key, value in merged.items() if value is not None}
        if merged != application.answers:
            changed["answers"] = [application.answers, merged]
            application.answers = merged
    if "stir" in changed:
        changed.update(_link_company(actor, application))
    changed.update(_save_documents(application, uploads, errors, keep_valid))
    if errors and not keep_valid:
        raise AppError("invalid", _("Please correct the errors below."), errors)
    # Each field given was cleaned above; the others were valid when they were stored.
    application.save()
    if changed:
        audit.record(actor=actor, action="intake.application.saved", obj=application, changes=changed)
    return application, errors


def application_save(*, actor, application: Application, fields: dict, keep_valid: bool = False) -> Application:
    """Store the draft's fields: the model's, `answers` ({question id: bool or None}) and `documents`
    ({requirement id: file}). A STIR of a company the applicant runs links it and fills the empty fields.

    `keep_valid=False`: all or nothing (an AppError lists the invalid fields). `keep_valid=True` (the edit
    page's save and autosave): every valid field is stored, then an AppError lists the others."""
    with transaction.atomic():
        application, errors = _save(actor, application, fields, keep_valid)
    if errors:
        raise AppError("invalid", _("Your draft is saved, except the fields marked below."), errors)
    return application


# --- Status changes -------------------------------------------------------------------------------


def _notify_applicant(application: Application, subject, body) -> None:
    person, url = application.applicant, application.get_absolute_url()
    transaction.on_commit(lambda: tell(person, subject, body, url=url))


@transaction.atomic
def application_submit(*, actor, application: Application, now=None) -> Application:
    """DRAFT (or RETURNED, before `fix_by`) → SUBMITTED, once: the row is locked while it is checked."""
    _require(actor, "intake.change_application", application)
    application = _lock(application)
    now = now or timezone.now()
    if application.status == S.SUBMITTED:
        raise AppError("already_submitted", _("This application has already been submitted."), status=409)
    problems = problems_of(application, now)
    old = states.move(application, S.SUBMITTED, Application.TRANSITIONS)
    if problems:
        raise _problems_error(problems)
    application.submitted_at = now
    message = _("This company has already applied to this call.")
    try:
        application.validate_constraints()
        with transaction.atomic():
            application.save()
    except (ValidationError, IntegrityError) as error:  # IntegrityError: the other one came a moment earlier
        raise AppError("company_applied", message, {"stir": [message]}, status=409) from error
    action = "intake.application.resubmitted" if old == S.RETURNED else "intake.application.submitted"
    audit.record(actor=actor, action=action, obj=application, changes={"status": [old, application.status]})
    call = application.call
    _notify_applicant(application, lambda: _("Your application to “%(call)s” is submitted") % {"call": call},
                      lambda: _("We have received your application to “%(call)s”. You can follow its status on the "
                                "site.") % {"call": call})
    return application


@transaction.atomic
def application_return(*, actor, application: Application, note: str, now=None) -> Application:
    """SUBMITTED → RETURNED by the park's staff, once, with what to fix; the applicant has `call.return_days`."""
    _require(actor, "intake.run_call", application)
    note = (note or "").strip()
    if not note:
        message = _("Say what the applicant should fix.")
        raise AppError("note_needed", message, {"note": [message]})
    application = _lock(application)
    if application.returned_at is not None:
        raise AppError("returned_once", _("This application was already returned once; it cannot be returned "
                                          "again."), status=409)
    old = states.move(application, S.RETURNED, Application.TRANSITIONS)
    now = now or timezone.now()
    application.returned_at, application.return_note = now, note
    application.fix_by = now + timedelta(days=application.call.return_days)
    application.save(update_fields=["status", "returned_at", "return_note", "fix_by", "updated_at"])
    audit.record(actor=actor, action="intake.application.returned", obj=application,
                 changes={"status": [old, application.status], "fix_by": [None, application.fix_by.isoformat()]})
    call, fix_by = application.call, deadline_text(application.fix_by)
    _notify_applicant(application, lambda: _("Your application to “%(call)s” needs fixes") % {"call": call},
                      lambda: _("Please fix your application and submit it again by %(fix_by)s (Tashkent time). "
                                "What to fix: %(note)s") % {"fix_by": fix_by, "note": note})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    _require(actor, "intake.change_application", application)
    application = _lock(application)
    old = states.move(application, S.WITHDRAWN, Application.TRANSITIONS)
    application.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="intake.application.withdrawn", obj=application,
                 changes={"status": [old, application.status]})
    return application
