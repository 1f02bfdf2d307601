"""Reads for expert review and the commission. Each takes the viewer: outside their scope is "not found".

Blind review reaches every read: whoever still has their own review of an application open sees no
score of it (no mean, no spread, no ranking place), staff or not.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from texnopark.intake.models import (
    Application,
    Assignment,
    Attendance,
    Call,
    CommissionMember,
    Decision,
    Meeting,
    Vote,
)
from texnopark.intake.services.review import expert_pool
from texnopark.network.selectors import runs_parks_q

A = Assignment.Status
PLACES = Decimal("0.01")
# Applications that reached the experts, in the ranking.
RANKED = (Application.Status.SUBMITTED, Application.Status.RETURNED, Application.Status.WAITLISTED,
          Application.Status.ACCEPTED, Application.Status.REJECTED)
APPLICATION_RELATED = ("call", "call__park", "sector", "district")


def assignments_of(viewer) -> QuerySet[Assignment]:
    """The viewer's own reviews, newest first."""
    if not viewer.is_authenticated:
        return Assignment.objects.none()
    return (Assignment.objects.filter(expert=viewer)
            .select_related(*[f"application__{r}" for r in APPLICATION_RELATED])
            .annotate(criteria_count=Count("application__call__criteria", distinct=True),
                      scored_count=Count("scores", distinct=True))
            .order_by("-assigned_at", "-pk"))


def calls_run_by(viewer) -> QuerySet[Call]:
    """Calls of the parks the viewer runs (staff, managers), of their region (its administrators), or all."""
    qs = Call.objects.select_related("park", "park__region")
    scope = runs_parks_q(viewer)
    return qs if scope is None else qs.filter(scope)


def calls_of_commission(viewer) -> QuerySet[Call]:
    """Calls the viewer runs or sits on the commission of."""
    if not viewer.is_authenticated:
        return Call.objects.none()
    seats = Call.objects.filter(commission__user=viewer).values("pk")
    return Call.objects.select_related("park", "park__region").filter(
        Q(pk__in=calls_run_by(viewer).values("pk")) | Q(pk__in=seats))


def meetings_visible_to(viewer) -> QuerySet[Meeting]:
    return Meeting.objects.filter(call__in=calls_of_commission(viewer).values("pk")).select_related(
        "call", "call__park", "call__park__region")


def still_blind(viewer, application_ids) -> set[int]:
    """The applications among these whose review by the viewer is still open (none for the minutes: no viewer)."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    return set(Assignment.objects.filter(expert=viewer, status=A.ASSIGNED, application__in=application_ids)
               .values_list("application_id", flat=True))


@dataclass
class Standing:
    """An application's reviews: the mean of the submitted totals and their spread."""

    totals: list = field(default_factory=list)
    assigned: int = 0
    conflicts: int = 0
    hidden: bool = False

    @property
    def done(self) -> int:
        return len(self.totals)

    def _shown(self, compute) -> Decimal | None:
        if self.hidden or not self.totals:
            return None
        return Decimal(compute(self.totals)).quantize(PLACES)

    @property
    def mean(self) -> Decimal | None:
        return self._shown(lambda totals: sum(totals) / len(totals))

    @property
    def low(self) -> Decimal | None:
        return self._shown(min)

    @property
    def high(self) -> Decimal | None:
        return self._shown(max)

    @property
    def spread(self) -> Decimal | None:
        """The population standard deviation of the submitted totals."""
        return self._shown(statistics.pstdev)


def standings(viewer, application_ids) -> dict[int, Standing]:
    """Per application: submitted totals, reviews assigned (conflicts not counted) and conflicts. One query."""
    result = {pk: Standing() for pk in application_ids}
    for application_id, status, total in Assignment.objects.filter(application__in=application_ids).values_list(
            "application_id", "status", "total"):
        standing = result[application_id]
        if status == A.CONFLICT:
            standing.conflicts += 1
            continue
        standing.assigned += 1
        if status == A.SUBMITTED:
            standing.totals.append(total)
    for pk in still_blind(viewer, application_ids):
        result[pk].hidden = True
    return result


def ranking(viewer, call: Call) -> list[tuple[Application, Standing]]:
    """The call's reviewed applications, best mean first; the unscored (and hidden) last."""
    applications = list(call.applications.filter(status__in=RANKED).select_related("sector", "district", "company"))
    marks = standings(viewer, [a.pk for a in applications])
    rows = [(a, marks[a.pk]) for a in applications]
    rows.sort(key=lambda row: (row[1].mean is None, -(row[1].mean or 0), row[0].submitted_at is None,
                               row[0].submitted_at, row[0].pk))
    return rows


def pool_with_load(call: Call):
    """The call's expert pool, each with `load`: the reviews they hold in this call (conflicts not counted)."""
    return expert_pool(call).annotate(load=Count(
        "assignments", filter=Q(assignments__application__call=call) & ~Q(assignments__status=A.CONFLICT),
        distinct=True))


# The commission


def quorum(meeting: Meeting) -> tuple[int, int, int]:
    """(members present, members needed, members of the commission)."""
    members = meeting.call.commission.count()
    present = Attendance.objects.filter(meeting=meeting, present=True).count()
    return present, meeting.call.quorum(members), members


def members_of(meeting: Meeting) -> list[CommissionMember]:
    """The commission, the chair first, each with `present` from the meeting's attendance."""
    present = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    members = list(meeting.call.commission.select_related("user"))
    for member in members:
        member.present = present.get(member.pk, False)
    return members


def tally(meeting: Meeting, application_ids) -> dict[int, dict[str, int]]:
    """Per application, the votes of the members present (a member marked absent after voting does not count)."""
    counts = {pk: dict.fromkeys(Vote.Choice.values, 0) for pk in application_ids}
    for application_id, choice in Vote.objects.filter(
            meeting=meeting, application__in=application_ids, member__attendance__meeting=meeting,
            member__attendance__present=True).values_list("application_id", "choice"):
        counts[application_id][choice] += 1
    return counts


@dataclass
class AgendaItem:
    application: Application
    standing: Standing
    votes: dict
    by_member: dict  # member id -> choice
    decision: Decision | None = None
    residency_number: str = ""


def agenda(viewer, meeting: Meeting, *, minutes: bool = False) -> list[AgendaItem]:
    """The applications before the meeting: those decided at it and, while it is not closed, those still
    awaiting a decision. For the minutes: those decided or voted on at it. Best mean first."""
    decided = Q(decisions__meeting=meeting)
    if minutes:
        chosen = decided | Q(votes__meeting=meeting)
    else:
        chosen = decided | (Q(status__in=[Application.Status.SUBMITTED, Application.Status.WAITLISTED])
                            if meeting.status != Meeting.Status.CLOSED else Q(pk__in=[]))
    applications = list(meeting.call.applications.filter(chosen).distinct().select_related("residency")
                        .prefetch_related(Prefetch("decisions", Decision.objects.filter(meeting=meeting),
                                                   to_attr="here")))
    ids = [a.pk for a in applications]
    marks, votes = standings(viewer, ids), tally(meeting, ids)
    cast: dict[int, dict] = {pk: {} for pk in ids}
    for application_id, member_id, choice in Vote.objects.filter(meeting=meeting, application__in=ids).values_list(
            "application_id", "member_id", "choice"):
        cast[application_id][member_id] = choice
    items = []
    for a in applications:
        residency = getattr(a, "residency", None)
        items.append(AgendaItem(application=a, standing=marks[a.pk], votes=votes[a.pk], by_member=cast[a.pk],
                                decision=a.here[0] if a.here else None,
                                residency_number=residency.number if residency else ""))
    items.sort(key=lambda i: (i.standing.mean is None, -(i.standing.mean or 0), i.application.pk))
    return items
