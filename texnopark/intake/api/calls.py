"""Calls and applications over /api/v1/.

A thin door onto intake.services.calls and .applications: the same permissions as the pages (outside
the viewer's scope answers 404), the same error shape. Anyone reads opened calls; a park's staff also
their drafts and commission. Applicants see their own applications; staff those of their parks' calls.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from texnopark.accounts.selectors import person_by_email
from texnopark.api.auth import read_auth, write_auth
from texnopark.core.errors import AppError, NotFound
from texnopark.intake.api.calls_schemas import (
    ApplicationChange,
    ApplicationOut,
    CallChange,
    CallDetailOut,
    CallIn,
    CallOut,
    CloseIn,
    ReturnIn,
    StartIn,
    aware,
)
from texnopark.intake.models import Application, Call
from texnopark.intake.selectors import calls as selectors
from texnopark.intake.services import applications as app_services
from texnopark.intake.services import calls as services
from texnopark.network.models import District, Sector, Technopark
from texnopark.ventures.models import Idea

router = Router(tags=["calls"], auth=read_auth)


class CallFilter(Schema):
    park: str | None = None
    kind: Call.Kind | None = None
    status: Call.Status | None = None


class ApplicationFilter(Schema):
    call: int | None = None
    status: Application.Status | None = None


def _call(request, pk: int) -> Call:
    return get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)


def _application(request, pk: int) -> Application:
    application = get_object_or_404(selectors.applications_visible_to(request.user).select_related(
        *selectors.APPLICATION_RELATED), pk=pk)
    if not request.user.has_perm("intake.view_application", application):
        raise NotFound()
    return application


def _invalid(name: str, message) -> AppError:
    return AppError("invalid", message, {name: [message]}, status=422)


def _call_fields(payload: CallChange) -> dict:
    """The payload's fields as the services take them: sectors, people and local times resolved."""
    data = payload.dict(exclude_unset=True)
    data.pop("park", None)
    if "sectors" in data:
        slugs = data["sectors"] or []
        sectors = list(Sector.objects.filter(slug__in=slugs))
        if len(sectors) != len(set(slugs)):
            raise _invalid("sectors", _("Choose sectors from the list (their short names)."))
        data["sectors"] = sectors
    if data.get("closes_at") is not None:
        data["closes_at"] = aware(data["closes_at"], services.TASHKENT)
    if data.get("commission") is not None:
        members = []
        for member in data["commission"]:
            person = person_by_email(member["email"])
            if person is None:
                raise _invalid("commission", _("No one signs in with the e-mail %(email)s.") % {
                    "email": member["email"]})
            members.append({"user": person, "is_chair": member.get("is_chair", False)})
        data["commission"] = members
    for kind in ("criteria", "questions", "documents"):
        if data.get(kind) is not None:
            data[kind] = [{k: v for k, v in item.items() if not (k == "id" and v is None)} for item in data[kind]]
    for name in ("name_ru", "name_en", "name_ko", "description", "benefits", "obligations"):
        if name in data and data[name] is None:
            data[name] = ""
    return {name: value for name, value in data.items() if value is not None}


# --- Calls ----------------------------------------------------------------------------------------


@router.get("/calls", response=list[CallOut])
@paginate(PageNumberPagination)
def list_calls(request, filters: Query[CallFilter]):
    """Opened calls (open first, then past ones); a park's staff also see their drafts."""
    calls = selectors.calls_visible_to(request.user)
    if filters.park:
        calls = calls.filter(park__slug=filters.park)
    if filters.kind:
        calls = calls.filter(kind=filters.kind)
    if filters.status:
        calls = calls.filter(status=filters.status)
    return calls


@router.get("/calls/{pk}", response=CallDetailOut)
def get_call(request, pk: int):
    """A call with its rules: criteria and weights, questions, documents; the commission for its staff."""
    return _call(request, pk)


@router.post("/calls", response={201: CallDetailOut}, auth=write_auth)
def create_call(request, payload: CallIn):
    """A draft call of a park (its managers, the region's administrators)."""
    park = Technopark.objects.filter(slug=payload.park).first()
    if park is None or not request.user.has_perm("intake.add_call", park):
        raise NotFound()
    call = services.call_create(actor=request.user, park=park, **_call_fields(payload))
    return Status(201, _call(request, call.pk))


@router.patch("/calls/{pk}", response=CallDetailOut, auth=write_auth)
def change_call(request, pk: int, payload: CallChange):
    """Change a draft; once open, only the texts, the deadline and the commission (409 `call_open`)."""
    call = _call(request, pk)
    services.call_update(actor=request.user, call=call, **_call_fields(payload))
    return _call(request, pk)


@router.post("/calls/{pk}/open", response=CallDetailOut, auth=write_auth)
def open_call(request, pk: int):
    """DRAFT → OPEN. 400 `not_ready` lists what is missing (weights adding up to 100, an odd commission of at
    least the minimum, a deadline to come); 409 `forbidden_transition` for a call that is not a draft."""
    services.call_open(actor=request.user, call=_call(request, pk))
    return _call(request, pk)


@router.post("/calls/{pk}/close", response=CallDetailOut, auth=write_auth)
def close_call(request, pk: int, payload: CloseIn | None = None):
    """OPEN → REVIEW (the park's staff). Before the deadline 400 `confirm_early`, unless `early` is true."""
    services.call_close(actor=request.user, call=_call(request, pk), early=bool(payload and payload.early))
    return _call(request, pk)


# --- Applications ---------------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut], auth=write_auth)
@paginate(PageNumberPagination)
def list_applications(request, filters: Query[ApplicationFilter]):
    """The viewer's own applications; with `call` (one the viewer's park runs), all its submitted ones."""
    user = request.user
    if filters.call is not None:
        call = selectors.calls_run_by(user).filter(pk=filters.call).first()
        if call is not None and user.has_perm("intake.run_call", call):
            qs = selectors.applications_for_call(call)
        else:
            qs = selectors.applications_of(user).filter(call_id=filters.call)
    else:
        qs = selectors.applications_of(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return (qs.select_related(*selectors.APPLICATION_RELATED).prefetch_related("documents__requirement")
            .order_by("-submitted_at", "-pk"))


@router.post("/calls/{pk}/applications", response={200: ApplicationOut, 201: ApplicationOut}, auth=write_auth)
def start_application(request, pk: int, payload: StartIn | None = None):
    """Start a draft (201), or get the one the viewer already has for the call (200)."""
    call = _call(request, pk)
    idea = None
    if payload and payload.idea is not None:
        idea = Idea.objects.filter(pk=payload.idea, author=request.user).first()
        if idea is None:
            raise NotFound()
    existing = Application.objects.filter(call=call, applicant=request.user, status__in=Application.LIVE).exists()
    application = app_services.application_start(actor=request.user, call=call, idea=idea)
    return Status(200 if existing else 201, _application(request, application.pk))


@router.get("/applications/{pk}", response=ApplicationOut, auth=write_auth)
def get_application(request, pk: int):
    return _application(request, pk)


@router.patch("/applications/{pk}", response=ApplicationOut, auth=write_auth)
def change_application(request, pk: int, payload: ApplicationChange):
    """Save the draft: all or nothing (400 lists the fields to correct). Files: POST …/files."""
    application = _application(request, pk)
    data = payload.dict(exclude_unset=True)
    for name, model in (("district", District), ("sector", Sector)):
        if f"{name}_id" in data:
            pk_value = data.pop(f"{name}_id")
            data[name] = model.objects.filter(pk=pk_value).first() if pk_value is not None else None
            if pk_value is not None and data[name] is None:
                raise _invalid(f"{name}_id", _("Choose from the list."))
    for name in ("company_name", "stir", "oked", "founders", "project"):
        if name in data and data[name] is None:
            data[name] = ""
    app_services.application_save(actor=request.user, application=application, fields=data)
    return _application(request, pk)


@router.post("/applications/{pk}/files", response=ApplicationOut, auth=write_auth)
def upload_files(request, pk: int):
    """Multipart upload: `business_plan`, and `document_<requirement id>` for the call's documents."""
    application = _application(request, pk)
    fields: dict = {}
    for key, upload in request.FILES.items():
        if key == "business_plan":
            fields["business_plan"] = upload
        elif key.startswith("document_") and key[9:].isdigit():
            fields.setdefault("documents", {})[int(key[9:])] = upload
        else:
            raise _invalid(key, _("There is no such file field."))
    app_services.application_save(actor=request.user, application=application, fields=fields)
    return _application(request, pk)


@router.post("/applications/{pk}/submit", response=ApplicationOut, auth=write_auth)
def submit_application(request, pk: int):
    """Submit once: 409 `already_submitted` for the second time; 400 `late`, `incomplete` or `ineligible`
    with every problem named in `fields`."""
    application = app_services.application_submit(actor=request.user, application=_application(request, pk))
    return _application(request, application.pk)


@router.post("/applications/{pk}/return", response=ApplicationOut, auth=write_auth)
def return_application(request, pk: int, payload: ReturnIn):
    """The park's staff return a submitted application once, with what to fix (409 `returned_once`)."""
    application = app_services.application_return(actor=request.user, application=_application(request, pk),
                                                  note=payload.note)
    return _application(request, application.pk)


@router.post("/applications/{pk}/withdraw", response=ApplicationOut, auth=write_auth)
def withdraw_application(request, pk: int):
    application = app_services.application_withdraw(actor=request.user, application=_application(request, pk))
    return _application(request, application.pk)
