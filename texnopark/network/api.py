from datetime import date
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from texnopark.api.auth import read_auth, write_auth
from texnopark.core.i18n import localized
from texnopark.core.scripts import search_key
from texnopark.network import selectors, services
from texnopark.network.models import (
    BusinessCentre,
    District,
    Facility,
    FacilityKind,
    Region,
    Sector,
    Technopark,
    University,
)

router = Router(tags=["network"], auth=read_auth)
NAMES = ["id", "name", "name_ru", "name_en", "name_ko"]
DESCRIPTIONS = ["description", "description_ru", "description_en", "description_ko"]


class Localized(Schema):
    display_name: str = ""

    @staticmethod
    def resolve_display_name(obj):
        return localized(obj, "name")


class RegionOut(Localized, ModelSchema):
    class Meta:
        model = Region
        fields = [*NAMES, "code", "soato", "timezone", "population_thousands", "area_km2"]


class DistrictOut(Localized, ModelSchema):
    region_id: int

    class Meta:
        model = District
        fields = [*NAMES, "soato", "is_city", "centre", "population_thousands", "is_active"]


class KindOut(Localized, ModelSchema):
    class Meta:
        model = FacilityKind
        fields = [*NAMES, "slug"]


class SectorOut(Localized, Schema):
    id: int
    slug: str
    name: str


class ParkOut(Localized, ModelSchema):
    region_id: int
    district_id: int
    sectors: list[SectorOut]

    class Meta:
        model = Technopark
        fields = [*NAMES, *DESCRIPTIONS, "slug", "address", "website", "email", "phone", "founded", "area_ha",
                  "planned_jobs", "is_published"]


class FacilityOut(Localized, ModelSchema):
    park_id: int
    kind: KindOut

    class Meta:
        model = Facility
        fields = [*NAMES, *DESCRIPTIONS, "area_m2", "capacity", "is_published"]


class CentreOut(Localized, ModelSchema):
    district_id: int

    class Meta:
        model = BusinessCentre
        fields = [*NAMES, *DESCRIPTIONS, "address", "phone", "email", "opened", "is_published"]


class UniversityOut(Localized, ModelSchema):
    region_id: int
    district_id: int | None

    class Meta:
        model = University
        fields = [*NAMES, "founded_year", "website", "focus"]


class NamesPatch(Schema):
    name: str | None = None
    name_ru: str | None = None
    name_en: str | None = None
    name_ko: str | None = None
    description: str | None = None
    description_ru: str | None = None
    description_en: str | None = None
    description_ko: str | None = None


class ParkPatch(NamesPatch):
    address: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    founded: date | None = None
    area_ha: Decimal | None = None
    planned_jobs: int | None = None
    is_published: bool | None = None
    sector_ids: list[int] | None = None


class FacilityIn(NamesPatch):
    name: str
    kind_id: int
    area_m2: int | None = None
    capacity: int | None = None
    is_published: bool = True


class FacilityPatch(NamesPatch):
    kind_id: int | None = None
    area_m2: int | None = None
    capacity: int | None = None
    is_published: bool | None = None


class CentrePatch(NamesPatch):
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    opened: date | None = None
    is_published: bool | None = None


class Search(FilterSchema):
    q: str | None = Field(None, description="Any script, apostrophe or Russian form of the name")

    def filter_q(self, value):
        return Q(search_text__contains=search_key(value)) if value else Q()


class DistrictFilter(Search):
    region: Annotated[int | None, FilterLookup("region_id")] = None
    is_city: bool | None = None


class ParkFilter(Search):
    region: Annotated[int | None, FilterLookup("region_id")] = None
    district: Annotated[int | None, FilterLookup("district_id")] = None
    sector: Annotated[str | None, FilterLookup("sectors__slug")] = None


class FacilityFilter(Search):
    park: Annotated[str | None, FilterLookup("park__slug")] = None
    kind: Annotated[str | None, FilterLookup("kind__slug")] = None


class RegionFilter(Search):
    region: Annotated[int | None, FilterLookup("region_id")] = None


class CentreFilter(Search):
    region: Annotated[int | None, FilterLookup("district__region_id")] = None
    district: Annotated[int | None, FilterLookup("district_id")] = None


@router.get("/regions", response=list[RegionOut])
@paginate(PageNumberPagination)
def list_regions(request, filters: Query[Search]):
    return filters.filter(Region.objects.all())


@router.get("/regions/{pk}", response=RegionOut)
def get_region(request, pk: int):
    return get_object_or_404(Region, pk=pk)


@router.get("/districts", response=list[DistrictOut])
@paginate(PageNumberPagination)
def list_districts(request, filters: Query[DistrictFilter]):
    return filters.filter(selectors.district_list())


@router.get("/districts/{pk}", response=DistrictOut)
def get_district(request, pk: int):
    return get_object_or_404(selectors.district_list(include_retired=True), pk=pk)


@router.get("/parks", response=list[ParkOut])
@paginate(PageNumberPagination)
def list_parks(request, filters: Query[ParkFilter]):
    qs = selectors.parks_visible_to(request.user).prefetch_related("sectors").distinct()
    return filters.filter(qs)


@router.get("/parks/{slug}", response=ParkOut)
def get_park(request, slug: str):
    return get_object_or_404(selectors.parks_visible_to(request.user).prefetch_related("sectors"), slug=slug)


@router.patch("/parks/{slug}", response=ParkOut, auth=write_auth)
def update_park(request, slug: str, payload: ParkPatch):
    park = get_object_or_404(selectors.parks_editable_by(request.user), slug=slug)
    changes = payload.dict(exclude_unset=True)
    if "sector_ids" in changes:
        changes["sectors"] = list(Sector.objects.filter(pk__in=changes.pop("sector_ids")))
    return services.park_update(actor=request.user, park=park, **changes)


@router.get("/facility-kinds", response=list[KindOut])
def list_facility_kinds(request):
    return FacilityKind.objects.all()


@router.get("/facilities", response=list[FacilityOut])
@paginate(PageNumberPagination)
def list_facilities(request, filters: Query[FacilityFilter]):
    return filters.filter(selectors.facility_list_for(viewer=request.user))


@router.get("/facilities/{pk}", response=FacilityOut)
def get_facility(request, pk: int):
    return get_object_or_404(selectors.facility_list_for(viewer=request.user), pk=pk)


@router.post("/parks/{slug}/facilities", response={201: FacilityOut}, auth=write_auth)
def create_facility(request, slug: str, payload: FacilityIn):
    park = get_object_or_404(selectors.parks_editable_by(request.user), slug=slug)
    fields = payload.dict()
    fields["kind"] = get_object_or_404(FacilityKind, pk=fields.pop("kind_id"))
    fields = {k: ("" if v is None and k.startswith(("name_", "description")) else v) for k, v in fields.items()}
    return Status(201, services.facility_create(actor=request.user, park=park, **fields))


@router.patch("/facilities/{pk}", response=FacilityOut, auth=write_auth)
def update_facility(request, pk: int, payload: FacilityPatch):
    facility = get_object_or_404(selectors.facilities_editable_by(request.user), pk=pk)
    changes = payload.dict(exclude_unset=True)
    if "kind_id" in changes:
        changes["kind"] = get_object_or_404(FacilityKind, pk=changes.pop("kind_id"))
    return services.facility_update(actor=request.user, facility=facility, **changes)


@router.get("/business-centres", response=list[CentreOut])
@paginate(PageNumberPagination)
def list_centres(request, filters: Query[CentreFilter]):
    return filters.filter(selectors.centre_list_public())


@router.get("/business-centres/{pk}", response=CentreOut)
def get_centre(request, pk: int):
    return get_object_or_404(selectors.centre_list_public(), pk=pk)


@router.patch("/business-centres/{pk}", response=CentreOut, auth=write_auth)
def update_centre(request, pk: int, payload: CentrePatch):
    centre = get_object_or_404(selectors.centres_editable_by(request.user), pk=pk)
    return services.centre_update(actor=request.user, centre=centre, **payload.dict(exclude_unset=True))


@router.get("/universities", response=list[UniversityOut])
@paginate(PageNumberPagination)
def list_universities(request, filters: Query[RegionFilter]):
    return filters.filter(selectors.university_list())


@router.get("/universities/{pk}", response=UniversityOut)
def get_university(request, pk: int):
    return get_object_or_404(selectors.university_list(), pk=pk)
