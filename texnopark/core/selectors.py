from django.db.models import Q, QuerySet

from texnopark.accounts.scopes import scopes_of
from texnopark.core.models import AuditEntry


def audit_list_for(*, viewer, object_type: str = "", object_id: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """The log of the viewer's regions: entries by people of the region or about its objects."""
    scopes = scopes_of(viewer)
    qs = AuditEntry.objects.select_related("actor")
    if not scopes.superuser:
        if not scopes.admin_regions:
            return qs.none()
        from texnopark.network.models import Technopark  # noqa: PLC0415  (audit knows no domain at import)

        regions = scopes.admin_regions
        park_ids = [str(pk) for pk in Technopark.objects.filter(region__in=regions).values_list("pk", flat=True)]
        qs = qs.filter(
            Q(actor__memberships__region__in=regions)
            | Q(actor__memberships__park__region__in=regions)
            | Q(actor__memberships__district__region__in=regions)
            | Q(object_type="network.technopark", object_id__in=park_ids)
        ).distinct()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor))
    return qs
