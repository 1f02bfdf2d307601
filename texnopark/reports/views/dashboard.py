"""The park view: funnel, KPI totals and trends per quarter, overdue reports, XLSX export; the network view."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from texnopark.accounts.scopes import scopes_of
from texnopark.network.models import Technopark
from texnopark.reports import exports, selectors

QUARTERS = 8


def _park(request, slug) -> Technopark:
    park = get_object_or_404(Technopark.objects.select_related("region"), slug=slug)
    if not request.user.has_perm("reports.view_park", park):
        raise Http404
    return park


def funnel_steps(counts: dict) -> list[dict]:
    """The funnel's stages; each bar is drawn against the largest stage (residents from before the platform
    can outnumber the applications)."""
    top = max(counts.values(), default=0)
    return [{"key": key, "label": label, "count": counts[key], "top": top}
            for key, label in selectors.FUNNEL]


@login_required
def park(request, slug):
    park = _park(request, slug)
    kpis = selectors.kpis_by_quarter(park=park, quarters=QUARTERS)
    return render(request, "reports/park.html", {
        "park": park, "funnel": funnel_steps(selectors.funnel(park=park)), "kpis": kpis,
        "series": selectors.kpi_series(kpis), "overdue": selectors.overdue(park=park),
    })


@login_required
def park_xlsx(request, slug):
    park = _park(request, slug)
    today = timezone.localdate()
    body = exports.park_workbook(park=park, funnel=selectors.funnel(park=park),
                                 kpis=selectors.kpis_by_quarter(park=park, quarters=QUARTERS, today=today),
                                 overdue=selectors.overdue(park=park, today=today), today=today)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{park.slug}-{today.isoformat()}.xlsx"'
    return response


@login_required
def network(request):
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.admin_regions):
        raise Http404
    region = None if scopes.superuser else scopes.admin_regions
    parks = list(selectors.parks_run_by(request.user).order_by("region__name", "name"))
    by_park = selectors.funnel_by_park(region=region)
    overdue = selectors.overdue(region=region)
    empty = dict.fromkeys(dict(selectors.FUNNEL), 0)
    rows = []
    for park in parks:
        late = [row for row in overdue if row.residency.park_id == park.pk]
        rows.append({"park": park, "funnel": by_park.get(park.pk, empty), "overdue": len(late),
                     "overdue_quarters": sum(row.quarters for row in late)})
    total = {key: sum(row["funnel"][key] for row in rows) for key in empty}
    kpis = selectors.kpis_by_quarter(region=region, quarters=QUARTERS)
    return render(request, "reports/network.html", {
        "rows": rows, "total": total, "funnel": funnel_steps(total), "kpis": kpis,
        "series": selectors.kpi_series(kpis), "overdue_total": len(overdue),
        "overdue_quarters": sum(row.quarters for row in overdue),
    })


urlpatterns = [
    path("parks/<slug:slug>/", park, name="park"),
    path("parks/<slug:slug>.xlsx", park_xlsx, name="park_xlsx"),
    path("network/", network, name="network"),
]
