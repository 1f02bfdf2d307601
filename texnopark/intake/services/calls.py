"""Calls: a park's call for residents or for a cohort. Edited as a draft, opened when its rubric and
commission are valid, closed for review at the deadline (or earlier, with a confirmation).

The criteria, questions, documents and commission are given as whole lists (`criteria=[{...}, ...]`):
rows whose `id` is given are kept and changed, new ones are added, the missing ones are deleted.
Once a call is open the rules applicants apply under stay fixed: only its texts, its deadline and
its commission may change. `settings.INTAKE_LOCKS` switches the call row lock off for the race tests.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from texnopark.core import audit, states
from texnopark.core.errors import AppError, NotFound
from texnopark.core.notify import tell
from texnopark.core.services import apply_changes, create_object, snapshot
from texnopark.intake.models import Call, CommissionMember, Criterion, Question, RequiredDocument
from texnopark.network.services import search_text_for

TASHKENT = ZoneInfo("Asia/Tashkent")
FIELDS = ("name", "name_ru", "name_en", "name_ko", "kind", "description", "sectors", "opens_on", "closes_at",
          "quorum_percent", "return_days", "residency_years", "benefits", "obligations")
OPEN_FIELDS = ("name", "name_ru", "name_en", "name_ko", "description", "benefits", "obligations", "closes_at")
# The structure lists: (model, related name, fields an item may give)
ITEMS = {
    "criteria": (Criterion, "criteria", ("name", "description", "weight")),
    "questions": (Question, "questions", ("text", "required_answer")),
    "documents": (RequiredDocument, "documents", ("name", "is_required")),
}


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def _lock(call: Call) -> Call:
    qs = Call.objects.select_related("park", "park__region")
    if getattr(settings, "INTAKE_LOCKS", True):
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=call.pk)


def deadline_text(moment) -> str:
    """A moment as applicants read it: Tashkent wall-clock time, whatever the server's zone."""
    return timezone.localtime(moment, TASHKENT).strftime("%d.%m.%Y %H:%M")


# --- What keeps a call from opening ---------------------------------------------------------------


def weights_problem(weights: list[int]) -> str | None:
    """The rubric rule on a list of weights (saved or still on the edit page)."""
    if not weights:
        return str(_("Add the criteria the experts score, with weights that add up to 100%."))
    total = sum(weights)
    if total != 100:
        return str(_("The weights of the criteria add up to %(total)s%%; they must add up to 100%%.")
                   % {"total": total})
    return None


def rubric_problems(call: Call) -> list[str]:
    problem = weights_problem(list(call.criteria.values_list("weight", flat=True)))
    return [problem] if problem else []


def commission_size_problem(size: int) -> str | None:
    least = settings.INTAKE_MIN_COMMISSION
    if size < least:
        return ngettext("The commission has %(n)s member; at least %(least)s are needed.",
                        "The commission has %(n)s members; at least %(least)s are needed.", size) % {
            "n": size, "least": least}
    if size % 2 == 0:
        return _("The commission has %(n)s members; it needs an odd number, so that a vote cannot tie.") % {
            "n": size}
    return None


def commission_problems(call: Call) -> list[str]:
    problem = commission_size_problem(call.commission.count())
    return [str(problem)] if problem else []


def opening_problems(call: Call, now=None) -> list[str]:
    problems = rubric_problems(call) + commission_problems(call)
    if call.closes_at <= (now or timezone.now()):
        problems.append(str(_("The deadline has already passed: move it to a later time.")))
    return problems


# --- The structure lists --------------------------------------------------------------------------


def _item_errors(kind: str, position: int, error: ValidationError) -> dict:
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {kind: [_("Line %(n)s: %(message)s") % {"n": position, "message": m}
                   for msgs in messages.values() for m in msgs]}


def _sync_items(call: Call, kind: str, items: list[dict]) -> dict:
    """Make the call's criteria (questions, documents) exactly `items`; return the audit changes."""
    model, related, allowed = ITEMS[kind]
    existing = {obj.pk: obj for obj in getattr(call, related).all()}
    before = [_describe(kind, obj) for obj in existing.values()]
    kept = set()
    for position, item in enumerate(items, start=1):
        pk = item.get("id")
        obj = existing.get(pk) if pk else None
        if pk and obj is None:
            raise AppError("invalid", _("Please correct the errors below."),
                           {kind: [_("Line %(n)s belongs to another call.") % {"n": position}]})
        obj = obj or model(call=call)
        for name in allowed:
            if name in item:
                setattr(obj, name, item[name])
        obj.position = position
        try:
            obj.full_clean()
        except ValidationError as error:
            raise AppError("invalid", _("Please correct the errors below."),
                           _item_errors(kind, position, error)) from error
        obj.save()
        kept.add(obj.pk)
    gone = [pk for pk in existing if pk not in kept]
    if gone:
        model.objects.filter(pk__in=gone).delete()
    after = [_describe(kind, obj) for obj in getattr(call, related).all()]
    return {kind: [before, after]} if before != after else {}


def _describe(kind: str, obj) -> str:
    if kind == "criteria":
        return f"{obj.name} ({obj.weight}%)"
    if kind == "questions":
        return f"{obj.text} [{'yes' if obj.required_answer else 'no'}]"
    return f"{obj.name}{'' if obj.is_required else ' (optional)'}"


def _sync_commission(call: Call, members: list) -> dict:
    """`members`: people, or {"user": person, "is_chair": bool}."""
    wanted: dict = {}
    for position, member in enumerate(members, start=1):
        user, chair = (member["user"], bool(member.get("is_chair"))) if isinstance(member, dict) else (member, False)
        if user is None or not user.is_active:
            raise AppError("invalid", _("Please correct the errors below."),
                           {"commission": [_("Line %(n)s: choose a person who signs in.") % {"n": position}]})
        if user.pk in wanted:
            raise AppError("invalid", _("Please correct the errors below."),
                           {"commission": [_("%(person)s is listed twice.") % {"person": user}]})
        wanted[user.pk] = chair
    if sum(wanted.values()) > 1:
        raise AppError("invalid", _("Please correct the errors below."),
                       {"commission": [_("The commission has one chair.")]})
    before = sorted((m.user_id, m.is_chair) for m in call.commission.all())
    call.commission.exclude(user_id__in=list(wanted)).delete()
    # Chairs last: the one-chair constraint must never see two at once.
    call.commission.filter(is_chair=True).exclude(user_id__in=[pk for pk, c in wanted.items() if c]).update(
        is_chair=False)
    for user_id, chair in sorted(wanted.items(), key=lambda item: item[1]):
        CommissionMember.objects.update_or_create(call=call, user_id=user_id, defaults={"is_chair": chair})
    after = sorted(wanted.items())
    return {"commission": [before, after]} if before != after else {}


def _check_dates(call: Call) -> None:
    if call.opens_on and call.closes_at and timezone.localtime(call.closes_at, TASHKENT).date() < call.opens_on:
        message = _("The deadline must not come before the opening day.")
        raise AppError("invalid", message, {"closes_at": [message]})


def _save_structure(call: Call, criteria, questions, documents, commission) -> dict:
    changed = {}
    for kind, items in (("criteria", criteria), ("questions", questions), ("documents", documents)):
        if items is not None:
            changed.update(_sync_items(call, kind, items))
    if commission is not None:
        changed.update(_sync_commission(call, commission))
    return changed


def _refresh_search_text(call: Call) -> None:
    text = search_text_for(call)
    if text != call.search_text:
        call.search_text = text
        call.save(update_fields=["search_text"])


# --- Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def call_create(*, actor, park, criteria=None, questions=None, documents=None, commission=None, **fields) -> Call:
    """A draft call of `park` (its managers, the region's administrators)."""
    _require(actor, "intake.add_call", park)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    fields.setdefault("return_days", settings.INTAKE_RETURN_DAYS)
    logged = snapshot(Call(), fields)
    call = create_object(Call, {**fields, "park": park, "created_by": actor, "status": Call.Status.DRAFT})
    _check_dates(call)
    _refresh_search_text(call)
    logged.update(_save_structure(call, criteria, questions, documents, commission))
    audit.record(actor=actor, action="intake.call.created", obj=call, changes=logged)
    return call


def _differs(call: Call, name: str, value) -> bool:
    if call._meta.get_field(name).many_to_many:
        return {getattr(v, "pk", v) for v in value} != set(getattr(call, name).values_list("pk", flat=True))
    return getattr(call, name) != value


@transaction.atomic
def call_update(*, actor, call: Call, criteria=None, questions=None, documents=None, commission=None,
                **changes) -> Call:
    _require(actor, "intake.change_call", call)
    call = _lock(call)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    if call.status not in (Call.Status.DRAFT, Call.Status.OPEN):
        raise AppError("call_closed", _("This call is closed for review: it can no longer change."), status=409)
    if call.status == Call.Status.OPEN:
        fixed = [name for name, value in changes.items() if name not in OPEN_FIELDS and _differs(call, name, value)]
        fixed += [kind for kind, items in (("criteria", criteria), ("questions", questions),
                                           ("documents", documents)) if items is not None]
        if fixed:
            message = _("Once a call is open, only its texts, its deadline and its commission may change.")
            raise AppError("call_open", message, dict.fromkeys(fixed, [message]), status=409)
    changed = apply_changes(call, changes)
    _check_dates(call)
    _refresh_search_text(call)
    changed.update(_save_structure(call, criteria, questions, documents, commission))
    if call.status == Call.Status.OPEN and "commission" in changed:
        problems = commission_problems(call)
        if problems:
            raise AppError("invalid", problems[0], {"commission": problems})
    if changed:
        audit.record(actor=actor, action="intake.call.updated", obj=call, changes=changed)
    return call


@transaction.atomic
def call_open(*, actor, call: Call, now=None) -> Call:
    """DRAFT → OPEN, when the weights add up to 100 and the commission is valid."""
    _require(actor, "intake.change_call", call)
    call = _lock(call)
    old = states.move(call, Call.Status.OPEN, Call.TRANSITIONS)
    problems = opening_problems(call, now)
    if problems:
        raise AppError("not_ready", _("The call cannot open yet: %(problems)s") % {"problems": " ".join(problems)},
                       {"__all__": problems})
    call.save(update_fields=["status"])
    audit.record(actor=actor, action="intake.call.opened", obj=call, changes={"status": [old, call.status]})
    members = [m.user for m in call.commission.select_related("user")]
    url = call.get_absolute_url()
    for person in members:
        transaction.on_commit(lambda p=person: tell(
            p, lambda: _("You sit on the commission of “%(call)s”") % {"call": call},
            lambda: _("The call “%(call)s” is open until %(deadline)s (Tashkent time). You are a member of its "
                      "commission.") % {"call": call, "deadline": deadline_text(call.closes_at)}, url=url))
    return call


@transaction.atomic
def call_close(*, actor, call: Call, early: bool = False, now=None) -> Call:
    """OPEN → REVIEW, by the park's staff: at or after the deadline, or earlier when `early` confirms it
    (the deadline then becomes now, so the public page tells the truth)."""
    _require(actor, "intake.run_call", call)
    call = _lock(call)
    now = now or timezone.now()
    old = states.move(call, Call.Status.REVIEW, Call.TRANSITIONS)
    changes = {"status": [old, call.status]}
    if now < call.closes_at:
        if not early:
            raise AppError("confirm_early", _("The deadline is %(deadline)s (Tashkent time) and has not passed yet. "
                                              "Confirm to close the call early.") % {
                "deadline": deadline_text(call.closes_at)})
        changes["closes_at"] = [call.closes_at.isoformat(), now.isoformat()]
        call.closes_at = now
    call.save(update_fields=["status", "closes_at"])
    audit.record(actor=actor, action="intake.call.closed", obj=call, changes=changes)
    return call
