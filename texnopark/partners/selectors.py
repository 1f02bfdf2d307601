from django.db.models import QuerySet

from texnopark.network.models import Region
from texnopark.partners.models import PartnerOrganisation


def partner_list(*, region: Region | None = None) -> QuerySet[PartnerOrganisation]:
    qs = PartnerOrganisation.objects.select_related("region")
    return qs.filter(region=region) if region else qs
