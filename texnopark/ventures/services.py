"""Writes for ideas and companies. Keyword-only, one transaction each, the permission checked first
(outside the actor's scope: NotFound), every status change through `core.states.move`, every write audited.

Writes to a company's team, milestones, mentors, products and export deals are recorded on the
company itself (with the row's id in the changes): the company's history is then one list, and the
entry finds the company's region, so the region administrator reads it in the audit log.

Triaging or withdrawing an idea locks the idea's row and reads it again, so two staff deciding at once give
one decision and one notice; removing a member locks the company's admin rows while counting them, so two
admins removing each other at once leave one. `settings.INTAKE_LOCKS = False` switches these locks off: the
race tests use it to show the failure without them.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.core import audit, notify
from texnopark.core.errors import AppError, NotFound
from texnopark.core.i18n import localized
from texnopark.core.services import apply_changes, create_object, snapshot, validate_and_save
from texnopark.core.states import move
from texnopark.intake.models import Call
from texnopark.intake.services.residents import sync_resident_roles
from texnopark.network.selectors import parks_visible_to
from texnopark.ventures.models import (
    Company,
    CompanyMember,
    ExportDeal,
    Idea,
    IdeaAttachment,
    Mentorship,
    Milestone,
    Product,
)

MAX_ATTACHMENTS = 5
COMPANY_FIELDS = ("name", "oked", "legal_form", "district", "sector", "stage", "summary", "description", "founders",
                  "employees", "website", "founded_on")
MILESTONE_FIELDS = ("title", "due_on", "evidence_note")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def _field_error(field: str, message) -> AppError:
    return AppError("invalid", message, {field: [message]})


def _only(changes: dict, allowed) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise AppError("invalid", _("These fields cannot be changed here: %(names)s.") % {
            "names": ", ".join(sorted(unknown))})


def _not_future(field: str, day: date | None) -> None:
    if day and day > timezone.localdate():
        raise _field_error(field, _("The date cannot be in the future."))


# --- Ideas ------------------------------------------------------------------------------------


def _attach(idea: Idea, files) -> list[IdeaAttachment]:
    files = list(files or [])
    if idea.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise _field_error("attachments", _("At most %(n)s files can be attached to an idea.") % {
            "n": MAX_ATTACHMENTS})
    saved = []
    for upload in files:
        attachment = IdeaAttachment(idea=idea, file=upload, name=(getattr(upload, "name", "") or "")[:200])
        try:
            validate_and_save(attachment)
        except AppError as error:  # the file's own checks (type, size, content) go beside the upload field
            raise AppError(error.code, error.message,
                           {"attachments": error.fields.get("file", [error.message])}) from error
        saved.append(attachment)
    return saved


@transaction.atomic
def idea_submit(*, actor, park, title: str, problem: str, solution: str, sector, district, team: str = "",
                attachments=()) -> Idea:
    """Anyone signed in puts an idea to a park they can see."""
    if not actor.has_perm("ventures.add_idea") or not parks_visible_to(actor).filter(pk=park.pk).exists():
        raise NotFound()
    idea = create_object(Idea, {"author": actor, "park": park, "title": title.strip(), "problem": problem.strip(),
                                "solution": solution.strip(), "sector": sector, "district": district,
                                "team": team.strip()})
    files = _attach(idea, attachments)
    audit.record(actor=actor, action="ventures.idea.submitted", obj=idea,
                 changes={**snapshot(idea, {"park": park, "title": idea.title, "sector": sector,
                                            "district": district}),
                          "attachments": [None, [str(f) for f in files]]})
    return idea


def _for_update(qs):
    return qs.select_for_update(of=("self",)) if getattr(settings, "INTAKE_LOCKS", True) else qs


def _locked(idea: Idea) -> Idea:
    return _for_update(Idea.objects.select_related("park", "author")).get(pk=idea.pk)


@transaction.atomic
def idea_attach(*, actor, idea: Idea, files) -> list[IdeaAttachment]:
    """The author adds files while the idea waits for the park's answer."""
    if not actor.has_perm("ventures.change_idea", idea):
        raise NotFound()
    idea = _locked(idea)
    if idea.status != Idea.Status.SUBMITTED:
        raise AppError("idea_decided", _("The park has answered this idea: files can no longer be added."),
                       status=409)
    saved = _attach(idea, files)
    audit.record(actor=actor, action="ventures.idea.attached", obj=idea,
                 changes={"attachments": [None, [str(f) for f in saved]]})
    return saved


def _tell_author(idea: Idea, subject, body) -> None:
    transaction.on_commit(lambda: notify.tell(idea.author, subject, body, url=idea.get_absolute_url()))


@transaction.atomic
def idea_invite(*, actor, idea: Idea, call: Call | None) -> Idea:
    """Invite the author to an open call of the idea's park (for residency or a cohort)."""
    _require(actor, "ventures.triage_idea", idea)
    idea = _locked(idea)
    if call is None or call.park_id != idea.park_id or call.status != Call.Status.OPEN:
        raise _field_error("call", _("Choose an open call of this technopark."))
    if call.closes_at <= timezone.now():
        raise _field_error("call", _("This call's deadline has passed. Choose a call that is still open."))
    old = move(idea, Idea.Status.INVITED, Idea.TRANSITIONS)
    idea.invited_to, idea.reason = call, ""
    idea.decided_by, idea.decided_at = actor, timezone.now()
    validate_and_save(idea)
    audit.record(actor=actor, action="ventures.idea.invited", obj=idea,
                 changes={"status": [old, idea.status], "invited_to": [None, call.pk]})
    title = idea.title
    _tell_author(idea, lambda: _("Your idea “%(title)s”: you are invited to apply") % {"title": title},
                 lambda: _("The technopark invites you to apply to the call “%(call)s” with your idea “%(title)s”. "
                           "Open your idea to apply.") % {"call": localized(call, "name"), "title": title})
    return idea


@transaction.atomic
def idea_decline(*, actor, idea: Idea, reason: str) -> Idea:
    _require(actor, "ventures.triage_idea", idea)
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("Give the reason for declining: the author reads it."))
    idea = _locked(idea)
    old = move(idea, Idea.Status.DECLINED, Idea.TRANSITIONS)
    idea.reason, idea.decided_by, idea.decided_at = reason, actor, timezone.now()
    validate_and_save(idea)
    audit.record(actor=actor, action="ventures.idea.declined", obj=idea,
                 changes={"status": [old, idea.status], "reason": ["", reason]})
    title = idea.title
    _tell_author(idea, lambda: _("Your idea “%(title)s” was declined") % {"title": title},
                 lambda: _("The technopark declined your idea “%(title)s”. The reason:\n\n%(reason)s") % {
                     "title": title, "reason": reason})
    return idea


@transaction.atomic
def idea_withdraw(*, actor, idea: Idea) -> Idea:
    if not actor.has_perm("ventures.change_idea", idea):
        raise NotFound()
    idea = _locked(idea)
    old = move(idea, Idea.Status.WITHDRAWN, Idea.TRANSITIONS)
    idea.save(update_fields=["status"])
    audit.record(actor=actor, action="ventures.idea.withdrawn", obj=idea, changes={"status": [old, idea.status]})
    return idea


# --- Companies --------------------------------------------------------------------------------


def _record(actor, company: Company, action: str, changes: dict) -> None:
    audit.record(actor=actor, action=f"ventures.{action}", obj=company, changes=changes)


@transaction.atomic
def company_update(*, actor, company: Company, **changes) -> Company:
    _require(actor, "ventures.change_company", company)
    _only(changes, COMPANY_FIELDS)
    _not_future("founded_on", changes.get("founded_on"))
    changed = apply_changes(company, changes)
    if changed:
        _record(actor, company, "company.updated", changed)
    return company


@transaction.atomic
def member_add(*, actor, company: Company, email: str, role: str = CompanyMember.Role.OTHER, title: str = "",
               is_admin: bool = False) -> CompanyMember:
    """Someone with an account joins the team; an admin member may manage the company on the platform."""
    _require(actor, "ventures.change_company", company)
    person = person_by_email(email)
    if person is None:
        raise _field_error("email", _("No one signs in with this e-mail. Ask the person to sign up first."))
    already = _("This person is already in the team.")
    if CompanyMember.objects.filter(company=company, user=person).exists():
        raise _field_error("email", already)
    member = CompanyMember(company=company, user=person, role=role, title=title.strip(), is_admin=is_admin)
    try:
        member.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise AppError.from_validation(error) from error
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # the same person added by a second request, a moment earlier
        raise _field_error("email", already) from error
    _record(actor, company, "member.added", {"member": [None, member.pk], "user": [None, person.email],
                                             "role": [None, role], "is_admin": [None, is_admin]})
    sync_resident_roles(company, actor=actor)
    return member


@transaction.atomic
def member_remove(*, actor, member: CompanyMember) -> None:
    company = member.company
    _require(actor, "ventures.change_company", company)
    # The team's admin rows stay locked while counted: two removals at once cannot leave the company without one.
    admins = _for_update(CompanyMember.objects.filter(company=company, is_admin=True))
    admins = list(admins.values_list("pk", flat=True))
    if admins == [member.pk]:
        raise AppError("last_admin", _("A company keeps at least one member who manages it. Make someone else "
                                       "an admin first."), status=409)
    _record(actor, company, "member.removed", {"member": [member.pk, None], "user": [member.user.email, None]})
    member.delete()
    sync_resident_roles(company, actor=actor, former_user_ids=[member.user_id])


@transaction.atomic
def milestone_create(*, actor, company: Company, title: str, due_on: date, evidence_note: str = "") -> Milestone:
    _require(actor, "ventures.change_company", company)
    milestone = create_object(Milestone, {"company": company, "title": title.strip(), "due_on": due_on,
                                          "evidence_note": evidence_note.strip()})
    _record(actor, company, "milestone.created", {"milestone": [None, milestone.pk],
                                                  **snapshot(milestone, {"title": milestone.title,
                                                                         "due_on": due_on})})
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, status: str | None = None, done_on: date | None = None,
                     evidence=None, **changes) -> Milestone:
    """Change the title, due date or note; mark it done (on a date, with evidence: a file or a note), missed,
    or planned again."""
    _require(actor, "ventures.change_company", milestone.company)
    _only(changes, MILESTONE_FIELDS)
    milestone = _for_update(Milestone.objects.select_related("company__district")).get(pk=milestone.pk)
    company = milestone.company
    fields = dict(changes)
    if evidence:
        fields["evidence"] = evidence
    if status and status != milestone.status:
        fields["status"] = status
        move(milestone, status, Milestone.TRANSITIONS)
    if milestone.status == Milestone.Status.DONE:
        done_on = done_on or milestone.done_on or timezone.localdate()
        _not_future("done_on", done_on)
        note = fields.get("evidence_note", milestone.evidence_note)
        if not (evidence or milestone.evidence or (note or "").strip()):
            message = _("Show that it is done: attach a file or write a note.")
            raise AppError("evidence_needed", message, {"evidence_note": [message]})
        fields["done_on"] = done_on
    else:
        fields["done_on"] = None
    changed = apply_changes(milestone, fields)
    if changed:
        _record(actor, company, "milestone.updated", {"milestone": [milestone.pk, milestone.pk], **changed})
    return milestone


@transaction.atomic
def mentor_add(*, actor, company: Company, name: str = "", area: str = "", since: date | None = None,
               email: str = "") -> Mentorship:
    """A mentor by name; with the e-mail of an account, linked to that person."""
    _require(actor, "ventures.change_company", company)
    person = None
    if email:
        person = person_by_email(email)
        if person is None:
            raise _field_error("email", _("No one signs in with this e-mail. Leave it empty to give only a name."))
    name = name.strip() or (person.full_name if person else "")
    if not name:
        raise _field_error("name", _("Give the mentor's name."))
    _not_future("since", since)
    mentor = create_object(Mentorship, {"company": company, "mentor": person, "name": name, "area": area.strip(),
                                        "since": since})
    _record(actor, company, "mentor.added", {"mentor": [None, mentor.pk], "name": [None, name]})
    return mentor


@transaction.atomic
def product_create(*, actor, company: Company, name: str, description: str = "", launched_on: date | None = None,
                   is_public: bool = True) -> Product:
    _require(actor, "ventures.change_company", company)
    _not_future("launched_on", launched_on)
    product = create_object(Product, {"company": company, "name": name.strip(), "description": description.strip(),
                                      "launched_on": launched_on, "is_public": is_public})
    _record(actor, company, "product.created", {"product": [None, product.pk], "name": [None, product.name],
                                                "is_public": [None, is_public]})
    return product


@transaction.atomic
def deal_create(*, actor, company: Company, country: str, buyer: str, value_usd, signed_on: date, product=None,
                document=None) -> ExportDeal:
    _require(actor, "ventures.change_company", company)
    if product is not None and product.company_id != company.pk:
        raise _field_error("product", _("Choose one of this company's products."))
    _not_future("signed_on", signed_on)
    fields = {"company": company, "product": product, "country": (country or "").strip().upper(),
              "buyer": buyer.strip(), "value_usd": value_usd, "signed_on": signed_on}
    if document:
        fields["document"] = document
    deal = create_object(ExportDeal, fields)
    _record(actor, company, "deal.created", {"deal": [None, deal.pk], **snapshot(deal, {
        "country": deal.country, "buyer": deal.buyer, "value_usd": deal.value_usd, "signed_on": signed_on})})
    return deal
