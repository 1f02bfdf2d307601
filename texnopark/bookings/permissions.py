"""Who may book a resource, and who runs it."""

import rules

from texnopark.accounts.models import Role
from texnopark.accounts.scopes import scopes_of


def _park_of(obj):
    resource = getattr(obj, "resource", obj)
    return resource.facility.park


@rules.predicate
def runs_resource(user, obj):
    """Park manager or staff of the resource's park, its region's administrator, or the platform."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if obj is None:
        return bool(scopes.staffed_parks or scopes.admin_regions)
    park = _park_of(obj)
    return park.pk in scopes.staffed_parks or park.region_id in scopes.admin_regions


@rules.predicate
def in_audience(user, resource):
    if resource is None or not user.is_authenticated:
        return False
    scopes = scopes_of(user)
    audience = set(resource.audience or [])
    resident_parks = scopes.ids(Role.RESIDENT)
    return (
        "public" in audience
        or ("park_residents" in audience and resource.facility.park_id in resident_parks)
        or ("any_resident" in audience and bool(resident_parks))
        or ("researchers" in audience and Role.RESEARCHER in scopes.roles)
    )


@rules.predicate
def owns_booking(user, booking):
    return booking is not None and booking.booked_by_id == user.pk


rules.add_perm("bookings.book_resource", runs_resource | in_audience)
rules.add_perm("bookings.manage_resource", runs_resource)
rules.add_perm("bookings.add_resource", runs_resource)
rules.add_perm("bookings.change_resource", runs_resource)
rules.add_perm("bookings.change_booking", owns_booking | runs_resource)
rules.add_perm("bookings.decide_booking", runs_resource)
rules.add_perm("bookings.add_training", runs_resource)
rules.add_perm("bookings.change_training", runs_resource)
rules.add_perm("bookings.add_closedday", runs_resource)
rules.add_perm("bookings.change_closedday", runs_resource)
