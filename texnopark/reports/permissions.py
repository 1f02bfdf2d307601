"""A resident's admin members file its reports; park staff review them; compliance steps are
decided by the park's manager or the region's administrator."""

import rules

from texnopark.intake.permissions import manages_park, runs_park
from texnopark.ventures.permissions import admin_of_company, member_of_company


def _residency(obj):
    return getattr(obj, "residency", obj)


@rules.predicate
def files_for(user, obj):
    return obj is not None and admin_of_company(user, _residency(obj).company)


@rules.predicate
def works_for(user, obj):
    return obj is not None and member_of_company(user, _residency(obj).company)


@rules.predicate
def runs_residency_park(user, obj):
    return runs_park(user, _residency(obj) if obj is not None else None)


@rules.predicate
def manages_residency_park(user, obj):
    return manages_park(user, _residency(obj) if obj is not None else None)


rules.add_perm("reports.view_report", works_for | runs_residency_park)
rules.add_perm("reports.file_report", files_for)
rules.add_perm("reports.review_report", runs_residency_park)
rules.add_perm("reports.decide_compliance", manages_residency_park)
# The park view (funnel, KPIs, overdue): the park's staff, the region's administrator. `obj` is a Technopark.
rules.add_perm("reports.view_park", runs_park)
