"""The certificate as a PDF: landscape A4, in the learner's language and script, with a QR code
to the public verification page.

The few words on the certificate live here, per language (Uzbek Cyrillic is the Latin text in
Cyrillic), so a certificate reads the same whatever the state of the interface catalogues.
Korean readers get English. Names come from the records under `translation.override`.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from texnopark.core import scripts
from texnopark.core.i18n import localized
from texnopark.training import services
from texnopark.training.models import Certificate, Lesson

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
INK = HexColor("#1f2d3d")
ACCENT = HexColor("#0b6e4f")
MUTED = HexColor("#5a6b7b")
REVOKED = HexColor("#b42318")

LABELS = {
    "en": {
        "title": "Certificate",
        "certifies": "This is to certify that",
        "completed": "has completed the training programme",
        "district": "District",
        "dates": "Studied",
        "hours": "Hours of study",
        "attendance": "Attendance",
        "issued": "Issued on",
        "valid_until": "Valid until",
        "no_expiry": "does not expire",
        "code": "Certificate code",
        "verify": "Check this certificate: scan the code or open",
        "revoked": "Revoked on",
    },
    "ru": {
        "title": "Сертификат",
        "certifies": "Настоящим подтверждается, что",
        "completed": "прошёл(ла) программу обучения",
        "district": "Район",
        "dates": "Срок обучения",
        "hours": "Часов обучения",
        "attendance": "Посещаемость",
        "issued": "Дата выдачи",
        "valid_until": "Действителен до",
        "no_expiry": "бессрочно",
        "code": "Код сертификата",
        "verify": "Проверить сертификат: отсканируйте код или откройте",
        "revoked": "Отозван",
    },
    "uz": {
        "title": "Sertifikat",
        "certifies": "Ushbu sertifikat bilan tasdiqlanadiki,",
        "completed": "quyidagi oʻquv dasturini tamomladi",
        "district": "Tuman",
        "dates": "Oʻqish muddati",
        "hours": "Oʻquv soatlari",
        "attendance": "Davomat",
        "issued": "Berilgan sana",
        "valid_until": "Amal qilish muddati",
        "no_expiry": "muddatsiz",
        "code": "Sertifikat kodi",
        "verify": "Sertifikatni tekshirish: kodni skanerlang yoki oching",
        "revoked": "Bekor qilingan sana",
    },
}


def certificate_language(language: str | None) -> str:
    """uz, uz-cyrl, ru or en: the languages a certificate is printed in (Korean and others: English)."""
    language = (language or "uz").lower()
    return language if language in ("uz", "uz-cyrl", "ru", "en") else "en"


def labels(language: str) -> dict[str, str]:
    if language == "uz-cyrl":
        return {key: scripts.to_script(text, scripts.CYRILLIC) for key, text in LABELS["uz"].items()}
    return LABELS[language]


_fonts_registered = False


def register_fonts() -> None:
    global _fonts_registered  # noqa: PLW0603 - registering twice is harmless, but costs a font parse
    if not _fonts_registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        _fonts_registered = True


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def _hours(certificate: Certificate) -> str:
    total = Lesson.objects.filter(session=certificate.enrolment.session).aggregate(
        t=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())))["t"] or timedelta()
    hours = total.total_seconds() / 3600
    return f"{hours:.0f}" if hours == int(hours) else f"{hours:.1f}"


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `text` fits in `width`."""
    while size > 8 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(canvas: Canvas, text: str, *, y: float, font: str, size: float, color=INK) -> None:
    width = landscape(A4)[0]
    canvas.setFillColor(color)
    canvas.setFont(font, _fit(canvas, text, font, size, width - 60 * mm))
    canvas.drawCentredString(width / 2, y, text)


def _facts(canvas: Canvas, rows: list[tuple[str, str]], *, x: float, y: float) -> None:
    """Label: value lines, the values in bold in a column of their own."""
    for label, value in rows:
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9)
        canvas.drawString(x, y, f"{label}:")
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, _fit(canvas, value, FONT_BOLD, 11, 55 * mm))
        canvas.drawString(x + 40 * mm, y, value)
        y -= 7 * mm


def _qr(canvas: Canvas, url: str, caption: str) -> None:
    """The QR code to the public verification page, bottom right, with the address under it."""
    width = landscape(A4)[0]
    size, right = 36 * mm, width - 26 * mm
    qr = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    x, y = right - size, 32 * mm
    renderPDF.draw(drawing, canvas, x, y)
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 7)
    canvas.drawRightString(right, y - 1 * mm, caption)
    canvas.setFont(FONT, _fit(canvas, url, FONT, 7, 110 * mm))
    canvas.drawRightString(right, y - 4.5 * mm, url)


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as PDF bytes. `verify_url` is the absolute address of its public page."""
    register_fonts()
    enrolment = certificate.enrolment
    session = enrolment.session
    programme = session.programme
    language = certificate_language(getattr(enrolment.person, "language", None))
    words = labels(language)
    with translation.override(language):
        programme_name = localized(programme, "name")
        centre_name = localized(programme.centre, "name")
        district_name = localized(programme.centre.district, "name")

    buffer = BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height))
    # The code in the document's properties too: readable without the fonts' glyph tables.
    canvas.setTitle(f"{words['title']} {certificate.code}")
    canvas.setSubject(certificate.code)
    canvas.setAuthor(centre_name)
    canvas.setCreator("Texnopark")

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(4)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    _centred(canvas, centre_name, y=height - 32 * mm, font=FONT_BOLD, size=13, color=MUTED)
    _centred(canvas, words["title"].upper(), y=height - 52 * mm, font=FONT_BOLD, size=40, color=ACCENT)
    _centred(canvas, words["certifies"], y=height - 68 * mm, font=FONT, size=14)
    _centred(canvas, enrolment.full_name, y=height - 86 * mm, font=FONT_BOLD, size=28)
    _centred(canvas, words["completed"], y=height - 100 * mm, font=FONT, size=14)
    _centred(canvas, f"«{programme_name}»", y=height - 116 * mm, font=FONT_BOLD, size=22, color=ACCENT)

    # Left: where and how long; middle: the certificate itself; right: the QR code.
    _facts(canvas, [
        (words["district"], district_name),
        (words["dates"], f"{_date(session.starts_on)} – {_date(session.ends_on)}"),
        (words["hours"], _hours(certificate)),
        (words["attendance"], f"{services.attendance_share(enrolment)} %"),
    ], x=28 * mm, y=66 * mm)
    _facts(canvas, [
        (words["issued"], _date(certificate.issued_on)),
        (words["valid_until"], _date(certificate.valid_until) if certificate.valid_until else words["no_expiry"]),
        (words["code"], certificate.code),
    ], x=128 * mm, y=66 * mm)
    if certificate.revoked_at:
        canvas.setFillColor(REVOKED)
        canvas.setFont(FONT_BOLD, 14)
        revoked_on = _date(timezone.localtime(certificate.revoked_at).date())
        canvas.drawString(128 * mm, 38 * mm, f"{words['revoked']}: {revoked_on}")
    _qr(canvas, verify_url, words["verify"])

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
