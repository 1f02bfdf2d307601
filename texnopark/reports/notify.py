"""Messages to a resident's admin members, on the site and by e-mail, in each person's language.
Called after commit."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from texnopark.accounts.models import User
from texnopark.core.notify import tell


def admins_of(company) -> list[User]:
    return list(User.objects.filter(company_memberships__company=company, company_memberships__is_admin=True,
                                    is_active=True))


def report_due(residency, quarter) -> None:
    url = reverse("reports:file", args=[residency.pk, quarter.year, quarter.quarter])
    for person in admins_of(residency.company):
        tell(person,
             lambda: _("Quarterly report due: %(company)s, %(quarter)s") % {
                 "company": residency.company.name, "quarter": quarter},
             lambda: _("The report for %(quarter)s is due on %(date)s. File it on the platform; a report "
                       "filed after the deadline is marked late.") % {
                 "quarter": quarter, "date": date_format(quarter.due_on)},
             url=url)


def report_reviewed(report) -> None:
    url = reverse("reports:report", args=[report.pk])
    accepted = report.status == report.Status.ACCEPTED
    for person in admins_of(report.residency.company):
        tell(person,
             lambda: (_("Report accepted: %(company)s, %(year)s Q%(quarter)s") if accepted else
                      _("Report returned for fixes: %(company)s, %(year)s Q%(quarter)s")) % {
                 "company": report.residency.company.name, "year": report.year, "quarter": report.quarter},
             lambda: (_("The park has accepted the report.") if accepted else
                      _("The park asks you to fix the report and submit it again: %(note)s") % {
                          "note": report.review_note}),
             url=url)


def compliance_decided(decision) -> None:
    residency = decision.residency
    url = reverse("reports:compliance", args=[residency.pk])
    for person in admins_of(residency.company):
        tell(person,
             lambda: _("Residency %(number)s: %(step)s") % {"number": residency.number,
                                                           "step": decision.get_step_display()},
             lambda: _("From %(date)s the residency of %(company)s is “%(status)s”. Reason: %(reason)s") % {
                 "date": date_format(decision.effective_on), "company": residency.company.name,
                 "status": decision.get_to_status_display(), "reason": decision.reason},
             url=url)
