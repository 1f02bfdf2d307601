from django.contrib import admin
from django.db.models import Q

from texnopark.accounts.scopes import scopes_of
from texnopark.core.admin import ScopedAdmin
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

NAMES = ("name", "name_ru", "name_en", "name_ko")
DESCRIPTIONS = ("description", "description_ru", "description_en", "description_ko")


def regions_of(viewer):
    scopes = scopes_of(viewer)
    return Region.objects.all() if scopes.superuser else Region.objects.filter(pk__in=scopes.admin_regions)


class NetworkAdmin(ScopedAdmin):
    """Writes through the network services, which also keep the search text of every spelling."""

    search_fields = ["name", "name_ru", "name_en", "search_text"]
    # field name -> queryset of allowed choices for the viewer
    choices = {}

    def update(self, actor, obj, changes):
        return services.record_update(actor=actor, obj=obj, perm=self.perm("change"), changes=changes)

    def create(self, actor, fields):
        scope = fields.get("region") or fields.get("park") or fields.get("district")
        return services.record_create(actor=actor, model=self.model, perm=self.perm("add"), scope=scope,
                                      fields=fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.choices:
            kwargs["queryset"] = self.choices[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(NetworkAdmin):
    list_display = ["name", "code", "soato", "population_thousands"]
    fields = [*NAMES, "code", "soato", "timezone", "population_thousands", "area_km2"]

    def scoped(self, viewer):
        return regions_of(viewer)

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(District)
class DistrictAdmin(NetworkAdmin):
    list_display = ["name", "name_ru", "soato", "centre", "population_thousands", "is_active"]
    list_filter = ["region", "is_active", "is_city"]
    fields = ["region", *NAMES, "soato", "is_city", "centre", "population_thousands", "is_active"]
    choices = {"region": regions_of}

    def scoped(self, viewer):
        return District.objects.filter(region__in=regions_of(viewer)).select_related("region")


class GlobalListAdmin(NetworkAdmin):
    """Sectors and facility kinds: shared vocabulary every region administrator may extend."""

    list_display = ["name", "name_ru", "name_en", "slug"]
    fields = ["slug", *NAMES]

    def scoped(self, viewer):
        return self.model.objects.all()

    def create(self, actor, fields):
        return services.record_create(actor=actor, model=self.model, perm=self.perm("add"), fields=fields)


admin.site.register(Sector, GlobalListAdmin)
admin.site.register(FacilityKind, GlobalListAdmin)


@admin.register(Technopark)
class TechnoparkAdmin(NetworkAdmin):
    list_display = ["name", "district", "is_published"]
    list_filter = ["region", "is_published"]
    fields = ["region", "district", "slug", *NAMES, *DESCRIPTIONS, "sectors", "address", "phone", "email",
              "website", "founded", "area_ha", "planned_jobs", "is_published"]
    filter_horizontal = ["sectors"]
    choices = {
        "region": regions_of,
        "district": lambda viewer: District.objects.filter(region__in=regions_of(viewer)),
    }

    def scoped(self, viewer):
        return selectors.parks_editable_by(viewer).select_related("district")

    def get_readonly_fields(self, request, obj=None):
        # A park manager edits their park, not where it belongs.
        if obj and not request.user.has_perm("network.add_technopark", obj.region):
            return ["region", "district", "slug"]
        return []


@admin.register(Facility)
class FacilityAdmin(NetworkAdmin):
    list_display = ["name", "park", "kind", "area_m2", "capacity", "is_published"]
    list_filter = ["park", "kind", "is_published"]
    fields = ["park", "kind", *NAMES, *DESCRIPTIONS, "area_m2", "capacity", "is_published"]
    choices = {"park": selectors.parks_editable_by}

    def scoped(self, viewer):
        return selectors.facilities_editable_by(viewer)

    def has_add_permission(self, request):
        return request.user.has_perm("network.add_facility")


@admin.register(BusinessCentre)
class BusinessCentreAdmin(NetworkAdmin):
    list_display = ["name", "district", "phone", "is_published"]
    list_filter = ["district__region", "is_published"]
    fields = ["district", *NAMES, *DESCRIPTIONS, "address", "phone", "email", "opened", "is_published"]
    choices = {"district": lambda viewer: District.objects.filter(region__in=regions_of(viewer))}

    def scoped(self, viewer):
        return selectors.centres_editable_by(viewer)

    def get_readonly_fields(self, request, obj=None):
        if obj and not request.user.has_perm("network.add_businesscentre", obj.district.region):
            return ["district"]
        return []


@admin.register(University)
class UniversityAdmin(NetworkAdmin):
    list_display = ["name", "name_en", "founded_year", "district"]
    fields = ["region", "district", *NAMES, "founded_year", "website", "focus"]
    choices = {
        "region": regions_of,
        "district": lambda viewer: District.objects.filter(region__in=regions_of(viewer)),
    }

    def scoped(self, viewer):
        return University.objects.filter(region__in=regions_of(viewer)).select_related("district")


def memberships_in_regions(viewer, qs):
    regions = regions_of(viewer)
    return qs.filter(Q(region__in=regions) | Q(park__region__in=regions) | Q(district__region__in=regions))
