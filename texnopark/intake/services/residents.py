"""The park's resident role (booking as a resident, the resident rate) follows residency: every member of a
company with a current residency in a park holds it there; someone whose companies are no longer current
residents of a park loses it. Called after acceptance, team changes and compliance steps."""

from texnopark.accounts.models import Membership, Role
from texnopark.core import audit
from texnopark.intake.models import Residency
from texnopark.ventures.models import CompanyMember


def sync_resident_roles(company, *, actor, former_user_ids=()) -> None:
    """`former_user_ids`: people who just left the company's team (they are no longer its members).
    Each role given or taken is in the audit log."""
    user_ids = set(company.members.values_list("user_id", flat=True)) | set(former_user_ids)
    parks = set(company.residencies.values_list("park_id", flat=True))
    if not user_ids or not parks:
        return
    wanted = set(CompanyMember.objects.filter(
        user_id__in=user_ids, company__residencies__park_id__in=parks,
        company__residencies__status__in=Residency.CURRENT).values_list("user_id", "company__residencies__park_id"))
    held = set(Membership.objects.filter(role=Role.RESIDENT, user_id__in=user_ids, park_id__in=parks)
               .values_list("user_id", "park_id"))
    for user_id, park_id in sorted(wanted - held):
        role = Membership.objects.create(user_id=user_id, role=Role.RESIDENT, park_id=park_id)
        audit.record(actor=actor, action="accounts.membership.created", obj=role, changes={"role": [None, role.role]})
    for role in Membership.objects.filter(role=Role.RESIDENT, user_id__in=user_ids, park_id__in=parks):
        if (role.user_id, role.park_id) not in wanted:
            audit.record(actor=actor, action="accounts.membership.deleted", obj=role,
                         changes={"role": [role.role, None]})
            role.delete()
