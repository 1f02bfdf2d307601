"""A call's ranking as an XLSX workbook: one row per application, best mean first."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from texnopark.core.i18n import localized


def _number(value):
    return float(value) if value is not None else None


def ranking_workbook(*, call, rows) -> bytes:
    """`rows` as `selectors.review.ranking` gives them: (application, standing)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")[:31]
    sheet.append([f"{localized(call.park, 'name')} · {localized(call, 'name')}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    titles = [_("Place"), _("Company"), _("STIR"), _("Sector"), _("Status"), _("Mean score"), _("Lowest"),
              _("Highest"), _("Standard deviation"), _("Reviews done"), _("Reviews assigned"), _("Conflicts")]
    sheet.append([str(t) for t in titles])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for i, width in enumerate([7, 32, 12, 20, 14, 10, 10, 10, 12, 10, 10, 10], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    place = 0
    for application, standing in rows:
        place += standing.mean is not None
        sheet.append([place if standing.mean is not None else None, application.company_name, application.stir,
                      localized(application.sector, "name") if application.sector else "",
                      application.get_status_display(), _number(standing.mean), _number(standing.low),
                      _number(standing.high), _number(standing.spread), standing.done, standing.assigned,
                      standing.conflicts])
    sheet.freeze_panes = "C4"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
