"""Companies are run by their admin members; park staff run their park's residents and ideas;
region administrators everything in their region. Outside that, a company is only its public page."""

import rules

from texnopark.accounts.scopes import scopes_of


def member_role(user, company) -> tuple[bool, bool]:
    """(is a member, is an admin member) of the company, one query cached per request."""
    if not user.is_authenticated or company is None:
        return False, False
    cache = user.__dict__.setdefault("_company_roles", None)
    if cache is None:
        cache = dict(user.company_memberships.values_list("company_id", "is_admin"))
        user.__dict__["_company_roles"] = cache
    return company.pk in cache, bool(cache.get(company.pk))


def park_ids_of(company) -> set:
    """The parks the company is (or was) a resident of."""
    return set(company.residencies.values_list("park_id", flat=True))


@rules.predicate
def runs_company(user, company):
    """Staff of a park where the company is a resident or has applied, its region's admin, the platform."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if company is None:
        return bool(scopes.staffed_parks or scopes.admin_regions)
    if company.district.region_id in scopes.admin_regions:
        return True
    parks = park_ids_of(company) | set(company.applications.values_list("call__park_id", flat=True))
    return bool(parks & scopes.staffed_parks)


@rules.predicate
def admin_of_company(user, company):
    return member_role(user, company)[1]


@rules.predicate
def member_of_company(user, company):
    return member_role(user, company)[0]


@rules.predicate
def runs_park_of_idea(user, idea):
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if idea is None:
        return bool(scopes.staffed_parks or scopes.admin_regions)
    return idea.park_id in scopes.staffed_parks or idea.park.region_id in scopes.admin_regions


@rules.predicate
def wrote_idea(user, idea):
    return idea is not None and user.is_authenticated and idea.author_id == user.pk


rules.add_perm("ventures.view_company", member_of_company | runs_company)
rules.add_perm("ventures.change_company", admin_of_company | runs_company)
rules.add_perm("ventures.triage_idea", runs_park_of_idea)
rules.add_perm("ventures.view_idea", wrote_idea | runs_park_of_idea)
rules.add_perm("ventures.change_idea", wrote_idea)
# Anyone signed in may put an idea to a park.
rules.add_perm("ventures.add_idea", rules.is_authenticated)
