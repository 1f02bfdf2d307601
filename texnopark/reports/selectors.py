"""Reports reads: the quarters each residency owes, what is overdue, the funnel from idea to export, and the
KPIs per quarter. Counts and sums are made in the database, a fixed handful of queries whatever the size."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.intake.models import Application, Residency
from texnopark.network.models import Technopark
from texnopark.network.selectors import parks_run_by
from texnopark.reports import services
from texnopark.reports.models import QuarterlyReport
from texnopark.reports.quarters import Quarter, between, last_past_deadline, overdue_count, owed, recent
from texnopark.ventures.models import Company, ExportDeal, Idea

R = QuarterlyReport.Status
# Reports counted in the KPIs: the resident stands behind the figures (submitted) or the park has accepted them.
COUNTED = (R.SUBMITTED, R.ACCEPTED)
# The KPIs of the park view, in order; patents and other IP count together.
KPIS = [
    ("revenue_uzs", _("Revenue, UZS")),
    ("exports_usd", _("Exports, USD")),
    ("employees", _("Employees")),
    ("new_jobs", _("New jobs")),
    ("investment_uzs", _("Investment attracted, UZS")),
    ("rnd_uzs", _("R&D spending, UZS")),
    ("ip", _("Patents and other IP")),
    ("products_launched", _("Products launched")),
]


# --- Scope ---------------------------------------------------------------------------------------


def _companies_of(viewer) -> QuerySet[Company]:
    return Company.objects.filter(members__user=viewer) if viewer.is_authenticated else Company.objects.none()


def residencies_of_member(viewer) -> QuerySet[Residency]:
    return Residency.objects.filter(company__in=_companies_of(viewer)).select_related("company", "park")


def residencies_visible_to(viewer) -> QuerySet[Residency]:
    """The viewer's companies' residencies, and those of the parks they run."""
    return Residency.objects.filter(Q(company__in=_companies_of(viewer)) | Q(park__in=parks_run_by(viewer))
                                    ).select_related("company", "park", "park__region")


def reports_visible_to(viewer) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.filter(
        Q(residency__company__in=_companies_of(viewer)) | Q(residency__park__in=parks_run_by(viewer))
    ).select_related("residency__company", "residency__park")


def reports_to_review(viewer, park: Technopark | None = None) -> QuerySet[QuarterlyReport]:
    qs = (QuarterlyReport.objects.filter(status=R.SUBMITTED, residency__park__in=parks_run_by(viewer))
          .select_related("residency__company", "residency__park", "submitted_by")
          .order_by("submitted_at", "pk"))
    return qs.filter(residency__park=park) if park is not None else qs


def _scoped(qs: QuerySet, path: str, park=None, region=None) -> QuerySet:
    """Limit to one park, or to a region (a Region, its id, or several ids)."""
    if park is not None:
        qs = qs.filter(**{path: park})
    if region is not None:
        many = isinstance(region, Iterable) and not isinstance(region, str)
        qs = qs.filter(**{f"{path}__region__in" if many else f"{path}__region": region})
    return qs


# --- The quarters a residency owes --------------------------------------------------------------


@dataclass
class QuarterState:
    quarter: Quarter
    report: QuarterlyReport | None
    overdue: bool = False
    late: bool = False
    editable: bool = True

    @property
    def due_on(self) -> date:
        return self.quarter.due_on

    @property
    def state(self) -> str:
        """missing, draft, submitted, returned or accepted."""
        return self.report.status if self.report is not None else "missing"


def quarter_states(residencies: list[Residency], today: date | None = None) -> dict[int, list[QuarterState]]:
    """Each residency's owed quarters, newest first, with their report and state: one query for all."""
    today = today or timezone.localdate()
    reports = {(r.residency_id, r.year, r.quarter): r
               for r in QuarterlyReport.objects.filter(residency__in=[r.pk for r in residencies]).order_by()}
    states = {}
    for residency in residencies:
        rows = []
        for quarter in reversed(owed(residency.starts_on, residency.ends_on, today)):
            report = reports.get((residency.pk, *quarter))
            filed = report is not None and report.status in services.FILED
            rows.append(QuarterState(
                quarter=quarter, report=report, overdue=not filed and today > quarter.due_on,
                late=report is not None and services.is_late(report),
                editable=residency.status in Residency.CURRENT and (
                    report is None or services.editable(report, today))))
        states[residency.pk] = rows
    return states


def due_quarters(residency: Residency, today: date | None = None) -> list[QuarterState]:
    return quarter_states([residency], today)[residency.pk]


# --- Overdue -------------------------------------------------------------------------------------


@dataclass
class Overdue:
    residency: Residency
    quarters: int


def overdue(viewer=None, park: Technopark | None = None, today: date | None = None, region=None) -> list[Overdue]:
    """Current residents with reports past their deadline and not filed, most quarters first (one query)."""
    today = today or timezone.localdate()
    last = last_past_deadline(today)
    qs = Residency.objects.filter(status__in=Residency.CURRENT, starts_on__lte=last.last_day)
    if viewer is not None:
        qs = qs.filter(park__in=parks_run_by(viewer))
    qs = _scoped(qs, "park", park, region)
    upto = Q(reports__year__lt=last.year) | Q(reports__year=last.year, reports__quarter__lte=last.quarter)
    qs = qs.annotate(filed=Count("reports", filter=Q(reports__status__in=services.FILED) & upto)).select_related(
        "company", "park")
    rows = [Overdue(r, overdue_count(r.starts_on, r.ends_on, today, r.filed)) for r in qs]
    return sorted((row for row in rows if row.quarters), key=lambda row: (-row.quarters, row.residency.company.name))


# --- Funnel --------------------------------------------------------------------------------------

FUNNEL = [
    ("ideas", _("Ideas")),
    ("applications", _("Applications submitted")),
    ("accepted", _("Applications accepted")),
    ("residents", _("Residents")),
    ("exporters", _("Exporters")),
]


def _funnel_queries(park, region):
    """(queryset, its park column, counts) for ideas, applications and residencies."""
    A = Application.Status
    submitted = ~Q(status=A.DRAFT) & ~Q(status=A.WITHDRAWN, submitted_at__isnull=True)
    exporting = Exists(ExportDeal.objects.filter(company=OuterRef("company")))
    current = Q(status__in=Residency.CURRENT)
    return [
        (_scoped(Idea.objects.all(), "park", park, region), "park", {"ideas": Count("pk")}),
        (_scoped(Application.objects.all(), "call__park", park, region), "call__park",
         {"applications": Count("pk", filter=submitted), "accepted": Count("pk", filter=Q(status=A.ACCEPTED))}),
        (_scoped(Residency.objects.all(), "park", park, region), "park",
         {"residents": Count("pk", filter=current), "exporters": Count("pk", filter=current & Q(exporting))}),
    ]


def funnel(park: Technopark | None = None, region=None) -> dict[str, int]:
    """Ideas → applications submitted → accepted → current residents → residents with an export deal."""
    counts = {}
    for qs, _column, measures in _funnel_queries(park, region):
        counts.update(qs.order_by().aggregate(**measures))
    return counts


def funnel_by_park(region=None) -> dict[int, dict[str, int]]:
    """The funnel of every park (of the region), three grouped queries in all."""
    rows: dict[int, dict[str, int]] = {}
    for qs, column, measures in _funnel_queries(None, region):
        for row in qs.order_by().values(column).annotate(**measures):
            counts = rows.setdefault(row.pop(column), dict.fromkeys(dict(FUNNEL), 0))
            counts.update(row)
    return rows


# --- KPIs per quarter ----------------------------------------------------------------------------


@dataclass
class KpiQuarter:
    quarter: Quarter
    reports: int = 0
    values: dict = field(default_factory=lambda: {key: Decimal(0) for key, _label in KPIS})


def kpis_by_quarter(park: Technopark | None = None, region=None, quarters: int = 8,
                    today: date | None = None) -> list[KpiQuarter]:
    """Sums over submitted and accepted reports for each of the last `quarters` finished quarters, oldest
    first; a quarter nobody reported on has zeros. One grouped query; every value a Decimal."""
    period = recent(today or timezone.localdate(), quarters)
    first, last = period[0], period[-1]
    qs = _scoped(QuarterlyReport.objects.filter(status__in=COUNTED), "residency__park", park, region).filter(
        Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.quarter),
        Q(year__lt=last.year) | Q(year=last.year, quarter__lte=last.quarter))
    sums = {(row.pop("year"), row.pop("quarter")): row for row in qs.order_by().values("year", "quarter").annotate(
        n=Count("pk"), **{name: Sum(name) for name in QuarterlyReport.FIGURES})}
    rows = []
    for quarter in between(first, last):
        row = KpiQuarter(quarter)
        found = sums.get(tuple(quarter))
        if found:
            row.reports = found["n"]
            for key, _label in KPIS:
                value = found["patents"] + found["other_ip"] if key == "ip" else found[key]
                row.values[key] = Decimal(value or 0)
        rows.append(row)
    return rows


@dataclass
class Series:
    key: str
    label: str
    points: list  # (quarter, value, share of the largest value in %)
    latest: Decimal
    previous: Decimal | None


def _share(value: Decimal, top: Decimal) -> int:
    """A bar's height in % of the tallest; a value above zero always shows."""
    return max(1, int(value * 100 / top)) if value > 0 else 0


def kpi_series(rows: list[KpiQuarter]) -> list[Series]:
    """Each KPI across the quarters, with bar heights for a small chart."""
    series = []
    for key, label in KPIS:
        values = [row.values[key] for row in rows]
        top = max(values, default=Decimal(0))
        points = [(row.quarter, row.values[key], _share(row.values[key], top)) for row in rows]
        series.append(Series(key, label, points, values[-1] if values else Decimal(0),
                             values[-2] if len(values) > 1 else None))
    return series
