"""A park's results as an XLSX workbook: the funnel, the KPIs per quarter with totals, the overdue reports."""

from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from texnopark.core.i18n import localized
from texnopark.reports.selectors import FUNNEL, KPIS

# Employees are a headcount at the quarter's end: adding quarters up means nothing, so the total leaves it out.
STOCKS = {"employees"}


def _bold_row(sheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _widths(sheet, widths) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def park_workbook(*, park, funnel: dict, kpis: list, overdue: list, today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Funnel")[:31]
    sheet.append([localized(park, "name")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("As of %(date)s") % {"date": today.isoformat()}])
    sheet.append([])
    sheet.append([_("Stage"), _("Count")])
    _bold_row(sheet)
    for key, label in FUNNEL:
        sheet.append([str(label), funnel[key]])
    _widths(sheet, [32, 12])

    sheet = book.create_sheet(_("KPIs by quarter")[:31])
    sheet.append([_("Quarter"), _("Reports"), *[str(label) for _key, label in KPIS]])
    _bold_row(sheet)
    for row in kpis:
        sheet.append([str(row.quarter), row.reports, *[row.values[key] for key, _label in KPIS]])
    sheet.append([_("Total"), sum(row.reports for row in kpis),
                  *[None if key in STOCKS else sum(row.values[key] for row in kpis) for key, _label in KPIS]])
    _bold_row(sheet)
    sheet.append([_("Sums over submitted and accepted reports. Employees are a headcount, so they have no "
                    "total.")])
    sheet.freeze_panes = "B2"
    _widths(sheet, [12, 10, *[18] * len(KPIS)])

    sheet = book.create_sheet(_("Overdue reports")[:31])
    sheet.append([_("Company"), _("STIR"), _("Agreement number"), _("Quarters overdue")])
    _bold_row(sheet)
    for row in overdue:
        sheet.append([row.residency.company.name, row.residency.company.stir, row.residency.number, row.quarters])
    _widths(sheet, [32, 12, 18, 12])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
