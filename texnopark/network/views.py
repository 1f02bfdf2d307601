from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from texnopark.core.views import render_form, submit
from texnopark.network import selectors, services
from texnopark.network.forms import CentreForm, FacilityForm, ParkForm
from texnopark.network.models import Facility, Region
from texnopark.partners.selectors import partner_list


def home(request):
    regions = list(selectors.region_list())
    region = regions[0] if len(regions) == 1 else None
    parks = list(selectors.park_list_public(region=region))
    districts = selectors.district_list(region=region)
    figures = {
        "parks": len(parks),
        "facilities": sum(p.facility_count for p in parks),
        "districts": districts.count(),
        "centres": selectors.centre_list_public(region=region).count(),
        "universities": selectors.university_list(region=region).count(),
    }
    return render(request, "network/home.html", {
        "regions": regions, "region": region, "parks": parks, "figures": figures,
        "partners": partner_list(region=region),
    })


def park_detail(request, slug):
    park = get_object_or_404(selectors.parks_visible_to(request.user).select_related("district", "region"), slug=slug)
    facilities = selectors.facility_list_for(viewer=request.user, park=park)
    return render(request, "network/park_detail.html", {
        "park": park, "facilities": facilities,
        "can_edit": request.user.has_perm("network.change_technopark", park),
        "can_run": request.user.has_perm("intake.run_call", park),
    })


@login_required
def park_edit(request, slug):
    park = get_object_or_404(selectors.parks_editable_by(request.user), slug=slug)
    form = ParkForm(request.POST or None, instance=park)
    saved = submit(request, form, lambda data: services.park_update(actor=request.user, park=park, **data),
                   _("The park was saved."))
    return saved or render_form(request, "network/park_edit.html", {"park": park, "form": form})


def facility_detail(request, slug, pk):
    facility = get_object_or_404(selectors.facility_list_for(viewer=request.user), park__slug=slug, pk=pk)
    return render(request, "network/facility_detail.html", {
        "facility": facility, "park": facility.park,
        "can_edit": request.user.has_perm("network.change_facility", facility),
    })


@login_required
def facility_edit(request, slug, pk=None):
    park = get_object_or_404(selectors.parks_editable_by(request.user), slug=slug)
    facility = get_object_or_404(selectors.facilities_editable_by(request.user), park=park, pk=pk) if pk else None
    form = FacilityForm(request.POST or None, instance=facility or Facility(park=park))

    def save(data):
        if facility:
            return services.facility_update(actor=request.user, facility=facility, **data)
        return services.facility_create(actor=request.user, park=park, **data)

    saved = submit(request, form, save, _("The facility was saved."))
    context = {"park": park, "facility": facility, "form": form}
    return saved or render_form(request, "network/facility_edit.html", context)


def district_list(request):
    query = request.GET.get("q", "").strip()
    districts = selectors.matching(selectors.district_list(), query)
    template = "network/district_list.html#results" if request.htmx else "network/district_list.html"
    return render(request, template, {"districts": districts, "query": query})


def district_detail(request, pk):
    district = get_object_or_404(selectors.district_list(include_retired=True), pk=pk)
    return render(request, "network/district_detail.html", {
        "district": district,
        "parks": selectors.park_list_public().filter(district=district),
        "universities": selectors.university_list().filter(district=district),
        "editable_centres": set(
            selectors.centres_editable_by(request.user).filter(district=district).values_list("pk", flat=True)
        ),
    })


@login_required
def centre_edit(request, pk):
    centre = get_object_or_404(selectors.centres_editable_by(request.user), pk=pk)
    form = CentreForm(request.POST or None, instance=centre)
    saved = submit(request, form, lambda data: services.centre_update(actor=request.user, centre=centre, **data),
                   _("The business centre was saved."))
    return saved or render_form(request, "network/centre_edit.html", {"centre": centre, "form": form})


def university_list(request):
    return render(request, "network/university_list.html", {"universities": selectors.university_list()})


def region_detail(request, code):
    region = get_object_or_404(Region.objects.annotate(
        park_count=Count("parks", filter=Q(parks__is_published=True), distinct=True)), code=code)
    return render(request, "network/region_detail.html", {
        "region": region,
        "parks": selectors.park_list_public(region=region),
        "districts": selectors.district_list(region=region),
        "universities": selectors.university_list(region=region),
    })
