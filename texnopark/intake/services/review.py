"""Expert review: assignments (by hand or balanced), conflict declarations, blind scoring.

Every change to who reviews what locks the call row first (`select_for_update`), so two balancing runs
(or a run and a manual assignment) cannot both see an expert as free; `Assignment`'s unique constraint
is the backstop. `settings.INTAKE_LOCKS = False` switches the locks off: the race tests use it to show
what happens without them.

Scoring is blind: `visible_scores` answers "not found" to an expert who has not submitted yet.
"""

from collections import Counter, defaultdict
from decimal import Decimal

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from texnopark.accounts.models import Role, User
from texnopark.core import audit, notify
from texnopark.core.errors import AppError, NotFound
from texnopark.core.i18n import localized
from texnopark.core.states import move
from texnopark.intake.models import SCORE_MAX, Application, Assignment, Call, Score
from texnopark.ventures.models import CompanyMember

A = Assignment.Status
TOTAL_PLACES = Decimal("0.01")
MAX_PER_APPLICATION = 10
# Calls whose submitted applications may be given to experts.
REVIEWING = (Call.Status.OPEN, Call.Status.REVIEW)


def require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def require_expert(actor, assignment: Assignment) -> None:
    # rules directly: Django's has_perm answers yes to a superuser, and nobody scores for another.
    if not rules.has_perm("intake.review", actor, assignment):
        raise NotFound()


def lock(model, pk: int, related: tuple = ()):
    """The row, locked until the transaction ends (unless the race tests switched the locks off)."""
    qs = model.objects.select_related(*related)
    if getattr(settings, "INTAKE_LOCKS", True):
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=pk)


def park_staff(park) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__park=park,
                               memberships__role__in=[Role.PARK_MANAGER, Role.PARK_STAFF]).distinct()


def expert_pool(call: Call) -> QuerySet[User]:
    """The park's experts and the call's commission members."""
    return (User.objects.filter(Q(memberships__role=Role.EXPERT, memberships__park=call.park_id)
                                | Q(commission_seats__call=call), is_active=True)
            .distinct().order_by("full_name", "pk"))


def excluded_experts(application: Application) -> set[int]:
    """Who may never review it: the applicant and the people of the applying company."""
    excluded = {application.applicant_id}
    if application.company_id:
        excluded |= set(CompanyMember.objects.filter(company=application.company_id).values_list("user_id", flat=True))
    return excluded


def _check_reviewable(call: Call, application: Application) -> None:
    if call.status not in REVIEWING:
        raise AppError("call_closed", _("Experts are assigned while the call is open or under review."), status=409)
    if application.status != Application.Status.SUBMITTED:
        raise AppError("not_submitted", _("Only submitted applications go to the experts."), status=409)


def _tell_assigned(call: Call, counts: Counter) -> None:
    url = reverse("intake:reviews_mine")
    for expert in User.objects.filter(pk__in=list(counts)):
        n = counts[expert.pk]
        notify.tell(expert, lambda n=n: ngettext("An application to review", "%(n)s applications to review", n)
                    % {"n": n},
                    lambda n=n: ngettext("%(n)s application of the call “%(call)s” waits for your review.",
                                         "%(n)s applications of the call “%(call)s” wait for your review.", n)
                    % {"n": n, "call": localized(call, "name")}, url=url)


@transaction.atomic
def assign(*, actor, application: Application, expert: User) -> Assignment:
    require(actor, "intake.run_call", application)
    call = lock(Call, application.call_id, ("park",))
    application = Application.objects.get(pk=application.pk)
    _check_reviewable(call, application)
    if expert.pk in excluded_experts(application):
        message = _("The applicant and the company's own people do not review its application.")
        raise AppError("own_application", message, {"expert": [message]})
    if not expert_pool(call).filter(pk=expert.pk).exists():
        message = _("Choose one of the park's experts or a member of the commission.")
        raise AppError("not_an_expert", message, {"expert": [message]})
    if Assignment.objects.filter(application=application, expert=expert).exists():
        message = _("This expert already has this application (or declared a conflict on it).")
        raise AppError("already_assigned", message, {"expert": [message]}, status=409)
    assignment = Assignment.objects.create(application=application, expert=expert)
    audit.record(actor=actor, action="intake.assignment.created", obj=assignment,
                 changes={"expert": [None, expert.pk]})
    transaction.on_commit(lambda: _tell_assigned(call, Counter({expert.pk: 1})))
    return assignment


@transaction.atomic
def auto_assign(*, actor, call: Call, per_application: int = 2) -> int:
    """Give every submitted application `per_application` reviewers, each time the least loaded expert of
    the pool (load: reviews in this call, conflicts not counted). Returns how many assignments were made;
    a second run makes none."""
    require(actor, "intake.run_call", call)
    if not 1 <= per_application <= MAX_PER_APPLICATION:
        message = _("From 1 to %(n)s experts per application.") % {"n": MAX_PER_APPLICATION}
        raise AppError("invalid", message, {"per_application": [message]})
    call = lock(Call, call.pk, ("park",))
    if call.status not in REVIEWING:
        raise AppError("call_closed", _("Experts are assigned while the call is open or under review."), status=409)
    experts = {person.pk: person for person in expert_pool(call)}
    pool = list(experts)
    if not pool:
        raise AppError("no_experts", _("The park has no experts and the call no commission yet: nobody to assign."))
    held: dict[int, dict[int, str]] = defaultdict(dict)
    load = Counter(dict.fromkeys(pool, 0))
    for application_id, expert_id, status in Assignment.objects.filter(application__call=call).values_list(
            "application_id", "expert_id", "status"):
        held[application_id][expert_id] = status
        if status != A.CONFLICT and expert_id in load:
            load[expert_id] += 1
    applications = list(call.applications.filter(status=Application.Status.SUBMITTED).order_by("submitted_at", "pk"))
    team: dict[int, set] = defaultdict(set)
    for company_id, user_id in CompanyMember.objects.filter(
            company__in={a.company_id for a in applications if a.company_id}).values_list("company_id", "user_id"):
        team[company_id].add(user_id)
    made = []
    for application in applications:
        application.call = call  # for the audit entries' descriptions
        taken = held[application.pk]
        need = per_application - sum(1 for status in taken.values() if status != A.CONFLICT)
        if need <= 0:
            continue
        excluded = set(taken) | {application.applicant_id} | team[application.company_id]
        for expert_id in sorted((e for e in pool if e not in excluded), key=lambda e: (load[e], e))[:need]:
            made.append(Assignment(application=application, expert=experts[expert_id]))
            load[expert_id] += 1
    Assignment.objects.bulk_create(made)
    for assignment in made:
        audit.record(actor=actor, action="intake.assignment.created", obj=assignment,
                     changes={"expert": [None, assignment.expert_id], "balanced": [None, True]})
    if made:
        transaction.on_commit(lambda: _tell_assigned(call, Counter(a.expert_id for a in made)))
    return len(made)


@transaction.atomic
def unassign(*, actor, assignment: Assignment) -> None:
    """Take an application back from an expert who has neither scored it nor declared a conflict."""
    require(actor, "intake.run_call", assignment.application)
    lock(Call, assignment.application.call_id)
    assignment = Assignment.objects.filter(pk=assignment.pk).select_related("application").first()
    if assignment is None:
        raise NotFound()
    if assignment.status != A.ASSIGNED:
        raise AppError("not_assigned", _("A submitted review or a declared conflict stays on record."), status=409)
    audit.record(actor=actor, action="intake.assignment.removed", obj=assignment,
                 changes={"expert": [assignment.expert_id, None]})
    assignment.delete()


def _tell_staff_of_conflict(assignment: Assignment) -> None:
    application = assignment.application
    url = reverse("intake:assign", args=[application.call_id])
    for person in park_staff(application.call.park):
        notify.tell(person, lambda: _("An expert declared a conflict of interest"),
                    lambda: _("%(expert)s will not review “%(application)s”: %(note)s. Assign someone else.") % {
                        "expert": assignment.expert, "application": application.company_name or application.pk,
                        "note": assignment.conflict_note}, url=url)


@transaction.atomic
def declare(*, actor, assignment: Assignment, conflict: bool, note: str = "") -> Assignment:
    """Before scoring: "no conflict", or a conflict (with what it is), which takes the expert off."""
    require_expert(actor, assignment)
    assignment = lock(Assignment, assignment.pk, ("application__call__park", "expert"))
    if assignment.status != A.ASSIGNED:
        raise AppError("declared", _("This review is already closed: scored, or off for a conflict."), status=409)
    note = (note or "").strip()
    if conflict:
        if not note:
            message = _("Describe the conflict, so that the staff can assign someone else.")
            raise AppError("note_needed", message, {"note": [message]})
        old = move(assignment, A.CONFLICT, Assignment.TRANSITIONS)
        assignment.conflict_note = note
        assignment.save(update_fields=["status", "conflict_note"])
        audit.record(actor=actor, action="intake.assignment.conflict", obj=assignment,
                     changes={"status": [old, A.CONFLICT], "conflict_note": ["", note]})
        transaction.on_commit(lambda: _tell_staff_of_conflict(assignment))
    elif assignment.no_conflict_at is None:
        assignment.no_conflict_at = timezone.now()
        assignment.save(update_fields=["no_conflict_at"])
        audit.record(actor=actor, action="intake.assignment.no_conflict", obj=assignment,
                     changes={"no_conflict_at": [None, assignment.no_conflict_at.isoformat()]})
    return assignment


def weighted_total(values: dict[int, int], weights: dict[int, int]) -> Decimal:
    """sum(score / 10 × weight), two places: 0–100 when the weights add up to 100."""
    total = sum((Decimal(value) / SCORE_MAX * weights[cid] for cid, value in values.items()), Decimal(0))
    return total.quantize(TOTAL_PLACES)


def _clean_scores(scores: dict, criteria: dict) -> dict[int, tuple[int | None, str]]:
    errors, clean = {}, {}
    for key, (value, comment) in scores.items():
        cid = int(key) if str(key).isdigit() else None
        if cid not in criteria:
            errors.setdefault("scores", []).append(_("Score only the criteria of this call."))
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= SCORE_MAX):
            errors[f"value_{cid}"] = [_("A score is a whole number from 0 to %(max)s.") % {"max": SCORE_MAX}]
            continue
        clean[cid] = (value, (comment or "").strip())
    if errors:
        raise AppError("invalid", _("Please correct the errors below."), errors)
    return clean


@transaction.atomic
def score(*, actor, assignment: Assignment, scores: dict, submit: bool) -> Assignment:
    """Save the expert's scores {criterion id: (0–10 or None, comment)}; with `submit`, every criterion
    needs a score, the weighted total is stored and the review can no longer change."""
    require_expert(actor, assignment)
    assignment = lock(Assignment, assignment.pk, ("application__call",))
    if assignment.status == A.CONFLICT:
        raise AppError("conflict", _("You declared a conflict of interest: you do not score this application."),
                       status=409)
    if assignment.status == A.SUBMITTED:
        raise AppError("already_submitted", _("Your review is submitted and can no longer change."), status=409)
    if assignment.no_conflict_at is None:
        raise AppError("declare_first", _("First declare that you have no conflict of interest."), status=409)
    if assignment.application.status != Application.Status.SUBMITTED:
        raise AppError("not_under_review", _("This application is no longer under review."), status=409)
    criteria = {c.pk: c for c in assignment.application.call.criteria.all()}
    clean = _clean_scores(scores, criteria)
    stored = {s.criterion_id: s for s in assignment.scores.all()}
    changed = {}
    for cid, (value, comment) in clean.items():
        old = stored.get(cid)
        if value is None:
            if old is not None:
                old.delete()
                del stored[cid]
                changed[str(cid)] = [old.value, None]
        elif old is None:
            stored[cid] = Score.objects.create(assignment=assignment, criterion_id=cid, value=value, comment=comment)
            changed[str(cid)] = [None, value]
        elif (old.value, old.comment) != (value, comment):
            changed[str(cid)] = [old.value, value]
            old.value, old.comment = value, comment
            old.save(update_fields=["value", "comment"])
    if submit:
        if not criteria:
            raise AppError("no_criteria", _("The call has no criteria to score yet."), status=409)
        missing = [cid for cid in criteria if cid not in stored]
        if missing:
            message = _("Give a score from 0 to %(max)s before submitting.") % {"max": SCORE_MAX}
            raise AppError("incomplete", _("Score every criterion before submitting."),
                           {f"value_{cid}": [message] for cid in missing})
        old = move(assignment, A.SUBMITTED, Assignment.TRANSITIONS)
        assignment.total = weighted_total({cid: s.value for cid, s in stored.items()},
                                          {cid: c.weight for cid, c in criteria.items()})
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["status", "total", "submitted_at"])
        changed["status"] = [old, A.SUBMITTED]
        changed["total"] = [None, str(assignment.total)]
    audit.record(actor=actor, action="intake.assignment.submitted" if submit else "intake.assignment.scored",
                 obj=assignment, changes=changed)
    return assignment


def scored_reviews(application_ids) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(application__in=application_ids, status=A.SUBMITTED)
            .select_related("expert")
            .prefetch_related(Prefetch("scores", Score.objects.select_related("criterion")
                                       .order_by("criterion__position", "criterion__id")))
            .order_by("submitted_at", "pk"))


def sees_scores(viewer, application: Application) -> bool:
    """Blind review: staff of the park, and an expert once their own review of it is submitted.
    Someone whose own review of it is still open sees nothing, staff or not."""
    mine = set(Assignment.objects.filter(application=application, expert=viewer).values_list("status", flat=True))
    if A.ASSIGNED in mine:
        return False
    return A.SUBMITTED in mine or viewer.has_perm("intake.run_call", application)


def visible_scores(viewer, application: Application) -> list[Assignment]:
    """The submitted reviews of an application, with their scores; NotFound for anyone who may not see them."""
    if not viewer.is_authenticated or not sees_scores(viewer, application):
        raise NotFound()
    return list(scored_reviews([application.pk]))
