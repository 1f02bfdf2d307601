"""Reads. Public lists show published records; editable lists follow the viewer's scope."""

from django.db.models import Count, Prefetch, Q, QuerySet

from texnopark.accounts.scopes import scopes_of
from texnopark.core.scripts import search_key
from texnopark.network.models import BusinessCentre, District, Facility, Region, Technopark, University


def matching(qs: QuerySet, query: str | None) -> QuerySet:
    """Any script, apostrophe or Russian form of a name finds the record."""
    if not query:
        return qs
    return qs.filter(search_text__contains=search_key(query))


def region_list() -> QuerySet[Region]:
    return Region.objects.annotate(park_count=Count("parks", filter=Q(parks__is_published=True), distinct=True))


def park_list_public(*, region: Region | None = None) -> QuerySet[Technopark]:
    qs = (
        Technopark.objects.filter(is_published=True)
        .select_related("district", "region")
        .prefetch_related("sectors")
        .annotate(facility_count=Count("facilities", filter=Q(facilities__is_published=True)))
    )
    return qs.filter(region=region) if region else qs


def parks_visible_to(viewer) -> QuerySet[Technopark]:
    """Published parks, plus unpublished ones the viewer runs."""
    scopes = scopes_of(viewer)
    if scopes.superuser:
        return Technopark.objects.all()
    return Technopark.objects.filter(
        Q(is_published=True) | Q(region__in=scopes.admin_regions) | Q(pk__in=scopes.staffed_parks)
    )


def runs_parks_q(viewer, path: str = "park") -> Q | None:
    """A filter on `path` (a park) for the parks the viewer runs: their parks as manager or staff, every park
    of the regions they administer. None for the platform administrator, who runs everything."""
    scopes = scopes_of(viewer)
    if scopes.superuser:
        return None
    region = "region__in" if path == "pk" else f"{path}__region__in"
    return Q(**{f"{path}__in": scopes.staffed_parks}) | Q(**{region: scopes.admin_regions})


def parks_run_by(viewer) -> QuerySet[Technopark]:
    qs = Technopark.objects.select_related("region")
    scope = runs_parks_q(viewer, "pk")
    return qs if scope is None else qs.filter(scope)


def parks_editable_by(viewer) -> QuerySet[Technopark]:
    scopes = scopes_of(viewer)
    if scopes.superuser:
        return Technopark.objects.all()
    return Technopark.objects.filter(Q(region__in=scopes.admin_regions) | Q(pk__in=scopes.managed_parks))


def facility_list_for(*, viewer, park: Technopark | None = None) -> QuerySet[Facility]:
    scopes = scopes_of(viewer)
    qs = Facility.objects.select_related("park", "kind").filter(park__in=parks_visible_to(viewer))
    if not scopes.superuser:
        qs = qs.filter(
            Q(is_published=True) | Q(park__region__in=scopes.admin_regions) | Q(park__in=scopes.staffed_parks)
        )
    return qs.filter(park=park) if park else qs


def facilities_editable_by(viewer) -> QuerySet[Facility]:
    return Facility.objects.select_related("park", "kind").filter(park__in=parks_editable_by(viewer))


def district_list(*, region: Region | None = None, include_retired: bool = False) -> QuerySet[District]:
    centres = BusinessCentre.objects.filter(is_published=True)
    qs = District.objects.select_related("region").prefetch_related(Prefetch("business_centres", queryset=centres))
    if not include_retired:
        qs = qs.filter(is_active=True)
    return qs.filter(region=region) if region else qs


def centre_list_public(*, region: Region | None = None) -> QuerySet[BusinessCentre]:
    qs = BusinessCentre.objects.filter(is_published=True).select_related("district", "district__region")
    return qs.filter(district__region=region) if region else qs


def centres_editable_by(viewer) -> QuerySet[BusinessCentre]:
    scopes = scopes_of(viewer)
    qs = BusinessCentre.objects.select_related("district", "district__region")
    if scopes.superuser:
        return qs
    return qs.filter(Q(district__region__in=scopes.admin_regions) | Q(district__in=scopes.centre_districts))


def university_list(*, region: Region | None = None) -> QuerySet[University]:
    qs = University.objects.select_related("region", "district")
    return qs.filter(region=region) if region else qs
