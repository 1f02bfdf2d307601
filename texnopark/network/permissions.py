"""Who may change what in the network. Tested as a role × URL table."""

import rules

from texnopark.accounts.scopes import scopes_of


@rules.predicate
def is_superuser(user):
    return user.is_superuser


@rules.predicate
def administers_region_of(user, obj):
    if obj is None:
        return bool(scopes_of(user).admin_regions)
    region_id = getattr(obj, "region_id", None)
    if region_id is None and hasattr(obj, "park"):
        region_id = obj.park.region_id
    if region_id is None and hasattr(obj, "district"):
        region_id = obj.district.region_id
    if region_id is None and obj.__class__.__name__ == "Region":
        region_id = obj.pk
    return region_id in scopes_of(user).admin_regions


@rules.predicate
def manages_park(user, obj):
    if obj is None:
        return bool(scopes_of(user).managed_parks)
    park_id = obj.pk if obj.__class__.__name__ == "Technopark" else getattr(obj, "park_id", None)
    return park_id in scopes_of(user).managed_parks


@rules.predicate
def staffs_centre(user, obj):
    if obj is None:
        return bool(scopes_of(user).centre_districts)
    return getattr(obj, "district_id", None) in scopes_of(user).centre_districts


region_admin = is_superuser | administers_region_of

rules.add_perm("network.change_region", region_admin)
rules.add_perm("network.change_district", region_admin)
rules.add_perm("network.add_district", region_admin)
rules.add_perm("network.add_technopark", region_admin)
rules.add_perm("network.change_technopark", region_admin | manages_park)
rules.add_perm("network.add_facility", region_admin | manages_park)
rules.add_perm("network.change_facility", region_admin | manages_park)
rules.add_perm("network.delete_facility", region_admin | manages_park)
rules.add_perm("network.add_businesscentre", region_admin)
rules.add_perm("network.change_businesscentre", region_admin | staffs_centre)
rules.add_perm("network.add_university", region_admin)
rules.add_perm("network.change_university", region_admin)
rules.add_perm("accounts.manage_memberships", region_admin)
rules.add_perm("core.view_audit", region_admin)
rules.add_perm("network.add_sector", region_admin)
rules.add_perm("network.change_sector", region_admin)
rules.add_perm("network.add_facilitykind", region_admin)
rules.add_perm("network.change_facilitykind", region_admin)
rules.add_perm("partners.add_partnerorganisation", region_admin)
rules.add_perm("partners.change_partnerorganisation", region_admin)
