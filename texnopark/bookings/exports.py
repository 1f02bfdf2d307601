"""Usage with amounts, for billing: an XLSX workbook with one row per booking and a summary sheet."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from texnopark.core.i18n import localized

MONEY = "#,##0.00"
HOURS = "0.00"
SHARE = "0.0"
BAD_SHEET_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_title(text: str) -> str:
    return str(text).translate(BAD_SHEET_CHARACTERS)[:31]


def _header(sheet, titles: list[str], widths: list[int]) -> None:
    sheet.append([str(t) for t in titles])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"


def _number(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


def usage_workbook(*, bookings, tree, first: date, last: date) -> bytes:
    """`bookings` carry naive local times (`start`, `end`); `tree` is park → facility → resource usage."""
    book = Workbook()
    rows = book.active
    rows.title = _sheet_title(_("Bookings"))
    _header(rows, [_("Date"), _("Start"), _("End"), _("Park"), _("Facility"), _("Resource"), _("Person"),
                   _("E-mail"), _("Hours"), _("Places"), _("Status"), _("Amount, UZS")],
            [12, 8, 8, 28, 28, 28, 26, 28, 8, 8, 20, 14])
    for booking in bookings:
        resource = booking.resource
        rows.append([
            booking.start.date(), booking.start.strftime("%H:%M"), booking.end.strftime("%H:%M"),
            localized(resource.facility.park, "name"), localized(resource.facility, "name"),
            localized(resource, "name"), booking.booked_by.full_name or booking.booked_by.email,
            booking.booked_by.email, _number(booking.hours), booking.units, str(booking.get_status_display()),
            _number(booking.price),
        ])
        row = rows.max_row
        rows.cell(row, 1).number_format = "yyyy-mm-dd"
        rows.cell(row, 9).number_format = HOURS
        rows.cell(row, 12).number_format = MONEY

    summary = book.create_sheet(_sheet_title(_("Summary")))
    summary.append([_("Usage from %(first)s to %(last)s") % {"first": first.isoformat(), "last": last.isoformat()}])
    summary["A1"].font = Font(bold=True)
    summary.append([])
    titles = [_("Park"), _("Facility"), _("Resource"), _("Open hours"), _("Booked hours"), _("Used hours"),
              _("Booked share of open hours, per cent"), _("Used share of open hours, per cent"), _("Amount, UZS")]
    summary.append([str(t) for t in titles])
    for cell in summary[3]:
        cell.font = Font(bold=True)
    for i, width in enumerate([28, 28, 28, 12, 12, 12, 14, 14, 16], start=1):
        summary.column_dimensions[get_column_letter(i)].width = width

    def line(park, facility, resource, usage, bold=False):
        summary.append([park, facility, resource, _number(usage.open_hours), _number(usage.booked_hours),
                        _number(usage.used_hours), float(usage.booked_share), float(usage.used_share),
                        _number(usage.amount)])
        row = summary.max_row
        for column, fmt in ((4, HOURS), (5, HOURS), (6, HOURS), (7, SHARE), (8, SHARE), (9, MONEY)):
            summary.cell(row, column).number_format = fmt
        if bold:
            for cell in summary[row]:
                cell.font = Font(bold=True)

    for park in tree:
        park_name = localized(park["park"], "name")
        for facility in park["facilities"]:
            facility_name = localized(facility["facility"], "name")
            for item in facility["rows"]:
                line(park_name, facility_name, localized(item["resource"], "name"), item["usage"])
            line(park_name, facility_name, _("Facility total"), facility["total"], bold=True)
        line(park_name, _("Park total"), "", park["total"], bold=True)
    summary.freeze_panes = "A4"

    out = BytesIO()
    book.save(out)
    return out.getvalue()
