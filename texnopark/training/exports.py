"""Reach of the district business centres as an XLSX workbook: one row per district and a total."""

from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from texnopark.core.i18n import localized
from texnopark.training.models import AgeGroup, Gender

# The columns of the mix, in a fixed order; "unknown" for people who did not say.
GENDERS = [*Gender.values, "unknown"]
AGES = [*AgeGroup.values, "unknown"]


def label(value: str, choices) -> str:
    return str(dict(choices).get(value, _("not said")))


def reach_workbook(*, rows, total, first: date | None, last: date | None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Reach")[:31]
    if first or last:
        period = _("Sessions from %(first)s to %(last)s") % {"first": first.isoformat() if first else "…",
                                                             "last": last.isoformat() if last else "…"}
    else:
        period = _("All sessions that have started")
    sheet.append([period])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    titles = [_("Region"), _("District"), _("Population, thousands"), _("People trained"), _("Completed"),
              _("Completion rate, %"), _("Certificates"), _("Businesses started"), _("Referrals to technopark calls"),
              _("Reach per 10,000 inhabitants")]
    titles += [label(g, Gender.choices) for g in GENDERS] + [label(a, AgeGroup.choices) for a in AGES]
    sheet.append([str(t) for t in titles])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    widths = [18, 22, 12, 10, 10, 10, 10, 10, 12, 12] + [9] * (len(GENDERS) + len(AGES))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width

    def line(region, district, r, bold=False):
        sheet.append([region, district, float(r.population_thousands) if r.population_thousands else None,
                      r.trained, r.completed, float(r.completion_rate), r.certificates, r.businesses, r.referrals,
                      float(r.per_10000) if r.per_10000 is not None else None,
                      *[r.by_gender.get(g, 0) for g in GENDERS], *[r.by_age.get(a, 0) for a in AGES]])
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)

    for row in rows:
        district = row["district"]
        line(localized(district.region, "name"), localized(district, "name"), row["reach"])
    line(_("Total"), "", total, bold=True)
    sheet.freeze_panes = "C4"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
