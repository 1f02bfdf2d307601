"""What a person may see and manage, from their memberships (one query per request)."""

from dataclasses import dataclass, field

from texnopark.accounts.models import Membership, Role


@dataclass(frozen=True)
class Scopes:
    superuser: bool = False
    roles: frozenset = frozenset()
    # role -> set of ids of the scope object (region, park or district)
    by_role: dict = field(default_factory=dict)

    def ids(self, *roles) -> set:
        return set().union(*(self.by_role.get(role, set()) for role in roles))

    @property
    def admin_regions(self) -> set:
        return self.ids(Role.REGION_ADMIN)

    @property
    def managed_parks(self) -> set:
        return self.ids(Role.PARK_MANAGER)

    @property
    def staffed_parks(self) -> set:
        return self.ids(Role.PARK_MANAGER, Role.PARK_STAFF)

    @property
    def centre_districts(self) -> set:
        return self.ids(Role.CENTRE_STAFF)

    @property
    def is_back_office(self) -> bool:
        return self.superuser or bool(self.admin_regions or self.staffed_parks or self.centre_districts)


def scopes_of(user) -> Scopes:
    if not getattr(user, "is_authenticated", False):
        return Scopes()
    cached = getattr(user, "_scopes", None)
    if cached is None:
        by_role: dict = {}
        rows = Membership.objects.filter(user=user).values_list("role", "region_id", "park_id", "district_id")
        for role, region_id, park_id, district_id in rows:
            by_role.setdefault(role, set()).add(region_id or park_id or district_id)
        cached = Scopes(superuser=user.is_superuser, roles=frozenset(by_role), by_role=by_role)
        user._scopes = cached
    return cached


def forget_scopes(user) -> None:
    user.__dict__.pop("_scopes", None)
