"""Park managers open calls; park staff run them; applicants see their own applications;
experts only the applications assigned to them; commission members their meetings."""

import rules

from texnopark.accounts.scopes import scopes_of
from texnopark.ventures.permissions import admin_of_company


def park_of(obj):
    for path in ("park", "call.park", "application.call.park", "meeting.call.park"):
        value = obj
        for attr in path.split("."):
            value = getattr(value, attr, None)
        if value is not None:
            return value
    return obj  # a Technopark itself


def _park_scope(user, obj, park_ids) -> bool:
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if obj is None:
        return bool(park_ids(scopes) or scopes.admin_regions)
    park = park_of(obj)
    return park.pk in park_ids(scopes) or park.region_id in scopes.admin_regions


@rules.predicate
def manages_park(user, obj):
    return _park_scope(user, obj, lambda scopes: scopes.managed_parks)


@rules.predicate
def runs_park(user, obj):
    return _park_scope(user, obj, lambda scopes: scopes.staffed_parks)


@rules.predicate
def is_applicant(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.applicant_id == user.pk or (
        application.company_id is not None and admin_of_company(user, application.company))


@rules.predicate
def is_assigned_expert(user, assignment):
    return assignment is not None and user.is_authenticated and assignment.expert_id == user.pk


@rules.predicate
def sits_on_commission(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    call = getattr(obj, "call", obj)
    return call.commission.filter(user=user).exists()


rules.add_perm("intake.add_call", manages_park)
rules.add_perm("intake.change_call", manages_park)
rules.add_perm("intake.run_call", runs_park)
rules.add_perm("intake.view_application", is_applicant | runs_park)
rules.add_perm("intake.change_application", is_applicant)
rules.add_perm("intake.review", is_assigned_expert)
rules.add_perm("intake.view_meeting", sits_on_commission | runs_park)
rules.add_perm("intake.vote", sits_on_commission)
rules.add_perm("intake.run_meeting", runs_park)


@rules.predicate
def reviews_application(user, application):
    """An expert assigned to the application who has not declared a conflict of interest."""
    if application is None or not user.is_authenticated:
        return False
    return application.assignments.filter(expert=user).exclude(status="conflict").exists()


# The business plan and documents: the applicant, the park's staff, and the experts reviewing it.
rules.add_perm("intake.download_application", is_applicant | runs_park | reviews_application)
