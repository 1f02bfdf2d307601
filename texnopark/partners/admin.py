from django.contrib import admin

from texnopark.network.admin import DESCRIPTIONS, NAMES, NetworkAdmin, regions_of
from texnopark.partners.models import PartnerOrganisation


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(NetworkAdmin):
    list_display = ["name", "name_ko", "kind", "country"]
    list_filter = ["kind", "country"]
    fields = ["region", "kind", "country", "city", "website", *NAMES, *DESCRIPTIONS]
    choices = {"region": regions_of}

    def scoped(self, viewer):
        return PartnerOrganisation.objects.filter(region__in=regions_of(viewer))
