"""Reads of calls and applications. Each takes the viewer: what lies outside their scope is not found.

The public sees calls once opened, in parks it may see; a park's staff (and the region's administrators)
also see their drafts. Applicants see their own applications and those of the companies they run;
staff those of their parks' calls.
"""

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from texnopark.intake.models import Application, Call
from texnopark.network.selectors import parks_visible_to, runs_parks_q

CALL_RELATED = ("park", "park__region")
APPLICATION_RELATED = ("call", "call__park", "applicant", "district", "sector", "company")


def _open_first(qs: QuerySet[Call]) -> QuerySet[Call]:
    """Open calls first, the nearest deadline first; then drafts; then the others, the latest first."""
    return (qs.annotate(open_first=Case(When(status=Call.Status.OPEN, then=Value(0)),
                                        When(status=Call.Status.DRAFT, then=Value(1)), default=Value(2),
                                        output_field=IntegerField()),
                        open_deadline=Case(When(status=Call.Status.OPEN, then=F("closes_at"))))
            .order_by("open_first", F("open_deadline").asc(nulls_last=True), "-closes_at", "-pk"))


def calls_public(viewer=None) -> QuerySet[Call]:
    """Opened calls (open, under review, decided) in the parks the viewer may see."""
    return _open_first(Call.objects.filter(park__in=parks_visible_to(viewer)).exclude(status=Call.Status.DRAFT)
                       .select_related(*CALL_RELATED).prefetch_related("sectors"))


def calls_run_by(viewer) -> QuerySet[Call]:
    """Every call, drafts included, of the parks the viewer runs."""
    if not getattr(viewer, "is_authenticated", False):
        return Call.objects.none()
    scope = runs_parks_q(viewer)
    qs = Call.objects.select_related(*CALL_RELATED)
    return qs if scope is None else qs.filter(scope)


def calls_visible_to(viewer) -> QuerySet[Call]:
    """Opened calls, plus the drafts of the parks the viewer runs."""
    public = calls_public(viewer)
    if not getattr(viewer, "is_authenticated", False):
        return public
    scope = runs_parks_q(viewer)
    drafts = Q(status=Call.Status.DRAFT) if scope is None else Q(status=Call.Status.DRAFT) & scope
    return _open_first(Call.objects.filter(Q(pk__in=public.values("pk")) | drafts).select_related(*CALL_RELATED)
                       .prefetch_related("sectors"))


def with_status_counts(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Annotate `count_<status>` for every application status, and `count_all`, in the same query."""
    counts = {f"count_{status}": Count("applications", filter=Q(applications__status=status))
              for status in Application.Status.values}
    return calls.annotate(count_all=Count("applications"), **counts)


def applications_of(viewer) -> QuerySet[Application]:
    """The viewer's own applications and those of the companies they run on the platform."""
    if not getattr(viewer, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(
        Q(applicant=viewer) | Q(company__members__user=viewer, company__members__is_admin=True)).distinct()


def applications_run_by(viewer) -> QuerySet[Application]:
    """Applications to the calls of the parks the viewer runs, drafts excluded: a draft is the applicant's."""
    if not getattr(viewer, "is_authenticated", False):
        return Application.objects.none()
    scope = runs_parks_q(viewer, "call__park")
    qs = Application.objects.exclude(status=Application.Status.DRAFT)
    return qs if scope is None else qs.filter(scope)


def applications_visible_to(viewer) -> QuerySet[Application]:
    if not getattr(viewer, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(Q(pk__in=applications_of(viewer).values("pk"))
                                      | Q(pk__in=applications_run_by(viewer).values("pk")))


def applications_for_call(call: Call, status: str = "") -> QuerySet[Application]:
    """A call's applications for its staff (no drafts), newest submission first."""
    qs = (call.applications.exclude(status=Application.Status.DRAFT).select_related(*APPLICATION_RELATED)
          .order_by("-submitted_at", "-pk"))
    return qs.filter(status=status) if status else qs


def status_counts(call: Call) -> dict:
    """{status: number} of the call's applications, drafts included, in one query."""
    rows = call.applications.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    return dict(rows)
