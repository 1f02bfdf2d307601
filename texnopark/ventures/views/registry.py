"""The public residents registry, of each park and of the whole network, and each resident's public page.

A resident is a company with a current residency (active, warned or suspended) in a park the reader can
see; suspended residents stay listed with their status shown. The list is one query a page.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from texnopark.network.selectors import parks_visible_to
from texnopark.ventures import selectors
from texnopark.ventures.countries import country_name
from texnopark.ventures.forms import RegistryFilter
from texnopark.ventures.models import Company

PAGE_SIZE = 25


def _registry(request, park=None):
    form = RegistryFilter(request.GET or None)
    companies = selectors.residents(request.user, park=park, **form.filters())
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    for company in page.object_list:
        company.listed_park = selectors.park_of(company)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {"form": form, "page": page, "park": park, "query": urlencode(query), "filtered": bool(query)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "ventures/residents.html#results", context)
    return render(request, "ventures/residents.html", context)


def residents(request):
    return _registry(request)


def park_residents(request, slug):
    return _registry(request, get_object_or_404(parks_visible_to(request.user), slug=slug))


def resident_detail(request, pk):
    try:
        company = selectors.resident(pk, request.user)
    except Company.DoesNotExist as error:
        raise Http404 from error
    profile = selectors.public_profile(company, request.user)
    for row in profile["exports"]:
        row["name"] = country_name(row["country"])
    return render(request, "ventures/resident.html", {"company": company, "stages": selectors.stage_ladder(company),
                                                      **profile})


urlpatterns = [
    path("residents/", residents, name="residents"),
    path("residents/<int:pk>/", resident_detail, name="resident"),
    path("parks/<slug:slug>/residents/", park_residents, name="park_residents"),
]
