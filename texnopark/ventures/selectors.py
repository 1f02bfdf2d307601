"""Reads for ideas, companies and the residents registry. Each takes the viewer: what lies outside
their scope is simply not in the result."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from texnopark.accounts.scopes import scopes_of
from texnopark.core import scripts
from texnopark.intake.models import Call, Residency
from texnopark.network.models import Technopark
from texnopark.network.selectors import parks_run_by, parks_visible_to, runs_parks_q
from texnopark.reports.models import ComplianceDecision
from texnopark.ventures.models import Company, CompanyMember, ExportDeal, Idea, Stage

PARK_FIELDS = ("id", "slug", "name", "name_ru", "name_en", "name_ko")
MONEY = DecimalField(max_digits=18, decimal_places=2)


# --- Ideas ------------------------------------------------------------------------------------


def ideas_for(viewer, status=None, park=None, *, triage: bool = False) -> QuerySet[Idea]:
    """The viewer's own ideas and those of the parks they run (staff: their parks; region administrators:
    their region's). With `triage`, only the ones they run."""
    if not getattr(viewer, "is_authenticated", False):
        return Idea.objects.none()
    scopes = scopes_of(viewer)
    qs = (Idea.objects.select_related("park", "sector", "district", "author", "invited_to")
          .annotate(attachment_count=Count("attachments")))
    if not scopes.superuser:
        scope = runs_parks_q(viewer)
        if not triage:
            scope |= Q(author=viewer)
        qs = qs.filter(scope)
    if status:
        qs = qs.filter(status=status)
    if park is not None:
        qs = qs.filter(park=park)
    return qs


def ideas_of(person) -> QuerySet[Idea]:
    return Idea.objects.filter(author=person).select_related("park", "sector", "district", "invited_to")


def triage_parks(viewer) -> QuerySet[Technopark]:
    """The parks whose ideas the viewer answers."""
    return parks_run_by(viewer)


def open_calls(park) -> QuerySet[Call]:
    """Calls an idea of this park may be invited to: open, the deadline still ahead."""
    return Call.objects.filter(park=park, status=Call.Status.OPEN, closes_at__gt=timezone.now()).order_by(
        "closes_at", "pk")


# --- Companies --------------------------------------------------------------------------------


def companies_of(person) -> QuerySet[Company]:
    """The companies the person works in, each with their `my_role` and `i_manage`."""
    if not getattr(person, "is_authenticated", False):
        return Company.objects.none()
    mine = CompanyMember.objects.filter(company=OuterRef("pk"), user=person)
    return (Company.objects.filter(Exists(mine)).select_related("district", "sector")
            .annotate(my_role=Subquery(mine.values("role")[:1]), i_manage=Subquery(mine.values("is_admin")[:1]))
            .prefetch_related(Prefetch("residencies", queryset=Residency.objects.select_related("park")
                                       .order_by("-starts_on"))))


def companies_run_by(viewer) -> QuerySet[Company]:
    """Companies the viewer runs as staff: residents and applicants of their parks; their region's; all."""
    scopes = scopes_of(viewer)
    if scopes.superuser:
        return Company.objects.all()
    staffed = scopes.staffed_parks
    return Company.objects.filter(
        Q(district__region__in=scopes.admin_regions)
        | Q(pk__in=Residency.objects.filter(park__in=staffed).values("company_id"))
        | Q(applications__call__park__in=staffed)).distinct()


def dashboard(company: Company) -> dict:
    """Everything the company's private page shows, a query per kind of row."""
    decisions = ComplianceDecision.objects.select_related("decided_by").order_by("-decided_at", "-id")
    return {
        "members": list(company.members.select_related("user")),
        "milestones": list(company.milestones.all()),
        "mentors": list(company.mentors.select_related("mentor")),
        "products": list(company.products.all()),
        "deals": list(company.export_deals.select_related("product")),
        "residencies": list(company.residencies.select_related("park", "application__call").prefetch_related(
            Prefetch("compliance_decisions", queryset=decisions)).order_by("-starts_on", "-pk")),
    }


# --- The residents registry -------------------------------------------------------------------


def _current(park=None, viewer=None) -> QuerySet[Residency]:
    qs = Residency.objects.filter(company=OuterRef("pk"), status__in=Residency.CURRENT,
                                  park__in=parks_visible_to(viewer))
    return qs.filter(park=park) if park is not None else qs


def residents(viewer=None, *, park=None, sector=None, district=None, stage=None, exporter=None, q=None
              ) -> QuerySet[Company]:
    """Current residents (active, warned, suspended) of visible parks, one row per company, in one query:
    each with its park (`park_*`: the earliest current residency, or the one in `park`), `residency_status`,
    `export_total` (USD) and `deal_count`."""
    current = _current(park, viewer)
    first = current.order_by("starts_on", "pk")
    deals = ExportDeal.objects.filter(company=OuterRef("pk")).order_by().values("company")
    qs = (Company.objects.filter(Exists(current)).select_related("district", "sector")
          .annotate(residency_status=Subquery(first.values("status")[:1]),
                    export_total=Coalesce(Subquery(deals.annotate(s=Sum("value_usd")).values("s"), output_field=MONEY),
                                          Value(Decimal(0)), output_field=MONEY),
                    deal_count=Coalesce(Subquery(deals.annotate(n=Count("pk")).values("n"),
                                                 output_field=IntegerField()), 0),
                    **{f"park_{name}": Subquery(first.values(f"park__{name}")[:1]) for name in PARK_FIELDS})
          .order_by("name", "pk"))
    if sector is not None:
        qs = qs.filter(sector=sector)
    if district is not None:
        qs = qs.filter(district=district)
    if stage:
        qs = qs.filter(stage=stage)
    if exporter is not None:
        has_deal = Exists(ExportDeal.objects.filter(company=OuterRef("pk")))
        qs = qs.filter(has_deal if exporter else ~has_deal)
    if q:
        qs = qs.filter(_search(q))
    return qs


def _search(q: str) -> Q:
    """By the name as typed or in the other Uzbek script, or by (part of) the STIR."""
    q = q.strip()
    found = Q()
    for text in {q, scripts.to_script(q, scripts.LATIN), scripts.to_script(q, scripts.CYRILLIC)}:
        found |= Q(name__icontains=text)
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) == len(q.replace(" ", "")):
        found |= Q(stir__contains=digits)
    return found


def park_of(company: Company) -> Technopark:
    """The park a `residents()` row is listed under, built from its annotations (no query)."""
    return Technopark(**{name: getattr(company, f"park_{name}") for name in PARK_FIELDS})


def resident(pk, viewer=None) -> Company:
    """A current resident for its public page (Company.DoesNotExist otherwise)."""
    return residents(viewer).get(pk=pk)


def public_profile(company: Company, viewer=None) -> dict:
    """The public page's parts: the parks it is a resident of, public products, export totals by country."""
    return {
        "residencies": list(Residency.objects.filter(company=company, status__in=Residency.CURRENT,
                                                     park__in=parks_visible_to(viewer))
                            .select_related("park").order_by("starts_on", "pk")),
        "products": list(company.products.filter(is_public=True)),
        "exports": list(company.export_deals.order_by().values("country")
                        .annotate(total=Sum("value_usd"), deals=Count("pk")).order_by("-total", "country")),
    }


def stage_ladder(company: Company) -> list[dict]:
    """Idea → … → exporting, each step marked passed, current or ahead."""
    values = list(Stage.values)
    at = values.index(company.stage)
    return [{"label": label, "state": "passed" if n < at else "current" if n == at else "ahead"}
            for n, (_value, label) in enumerate(Stage.choices)]
