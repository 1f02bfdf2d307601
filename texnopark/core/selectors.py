from django.db.models import Q, QuerySet

from texnopark.accounts.scopes import scopes_of
from texnopark.core.models import AuditEntry


def audit_list_for(*, viewer, object_type: str = "", object_id: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """The platform administrator reads everything; a region administrator their regions' entries."""
    scopes = scopes_of(viewer)
    qs = AuditEntry.objects.select_related("actor")
    if not scopes.superuser:
        qs = qs.filter(region__in=scopes.admin_regions)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor))
    return qs
