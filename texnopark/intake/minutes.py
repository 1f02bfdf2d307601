"""The minutes of a commission meeting (bayonnoma) as a PDF, wholly in the meeting's language.

As with the training certificates, the wording lives here per language (Uzbek Cyrillic is the Latin
text in Cyrillic), not in the interface catalogues; Korean meetings get English minutes. Names of the
park and the call come from the records under `translation.override`; people and companies as typed.
"""

import re
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from texnopark.core import scripts
from texnopark.core.i18n import localized
from texnopark.intake.models import Decision, Meeting
from texnopark.intake.selectors.review import agenda, members_of, quorum
from texnopark.training.certificates import FONT, FONT_BOLD, register_fonts

INK = HexColor("#1f2d3d")
MUTED = HexColor("#5a6b7b")
LINE = HexColor("#c9d3dd")

LABELS = {
    "en": {
        "title": "Minutes",
        "subtitle": "of the meeting of the selection commission",
        "park": "Technopark",
        "call": "Call",
        "date": "Date and time",
        "place": "Place",
        "present": "Members present",
        "absent": "Members absent",
        "chair": "chair",
        "nobody": "none",
        "quorum": "Quorum",
        "quorum_line": "%(needed)s of %(members)s members needed, %(present)s present",
        "quorum_met": "the quorum is present",
        "quorum_missing": "there is no quorum",
        "applications": "Applications considered",
        "company": "Company",
        "stir": "STIR",
        "score": "Mean expert score",
        "votes": "For / against / abstain",
        "decision": "Decision",
        "reason": "Reason",
        "residency": "Residency agreement",
        "accepted": "Accepted",
        "rejected": "Rejected",
        "waitlisted": "Waitlisted",
        "undecided": "Not decided",
        "none": "No applications were considered.",
        "signature": "Chair of the commission",
    },
    "ru": {
        "title": "Протокол",
        "subtitle": "заседания конкурсной комиссии",
        "park": "Технопарк",
        "call": "Конкурс",
        "date": "Дата и время",
        "place": "Место",
        "present": "Присутствовали",
        "absent": "Отсутствовали",
        "chair": "председатель",
        "nobody": "нет",
        "quorum": "Кворум",
        "quorum_line": "необходимо %(needed)s из %(members)s членов, присутствуют %(present)s",
        "quorum_met": "кворум имеется",
        "quorum_missing": "кворума нет",
        "applications": "Рассмотренные заявки",
        "company": "Компания",
        "stir": "ИНН",
        "score": "Средний балл экспертов",
        "votes": "За / против / воздержались",
        "decision": "Решение",
        "reason": "Основание",
        "residency": "Договор резидентства",
        "accepted": "Принята",
        "rejected": "Отклонена",
        "waitlisted": "Лист ожидания",
        "undecided": "Решение не принято",
        "none": "Заявки не рассматривались.",
        "signature": "Председатель комиссии",
    },
    "uz": {
        "title": "Bayonnoma",
        "subtitle": "tanlov komissiyasi yigʻilishining",
        "park": "Texnopark",
        "call": "Tanlov",
        "date": "Sana va vaqt",
        "place": "Joy",
        "present": "Ishtirok etgan aʼzolar",
        "absent": "Ishtirok etmagan aʼzolar",
        "chair": "rais",
        "nobody": "yoʻq",
        "quorum": "Kvorum",
        "quorum_line": "%(members)s nafar aʼzodan %(needed)s nafari kerak, %(present)s nafari ishtirok etdi",
        "quorum_met": "kvorum bor",
        "quorum_missing": "kvorum yoʻq",
        "applications": "Koʻrib chiqilgan arizalar",
        "company": "Korxona",
        "stir": "STIR",
        "score": "Ekspertlarning oʻrtacha bali",
        "votes": "Yoqlab / qarshi / betaraf",
        "decision": "Qaror",
        "reason": "Sabab",
        "residency": "Rezidentlik shartnomasi",
        "accepted": "Qabul qilindi",
        "rejected": "Rad etildi",
        "waitlisted": "Kutish roʻyxatida",
        "undecided": "Qaror qabul qilinmadi",
        "none": "Arizalar koʻrib chiqilmadi.",
        "signature": "Komissiya raisi",
    },
}

PLACEHOLDER = re.compile(r"(%\(\w+\)s)")


def _cyrillic(text: str) -> str:
    """The Uzbek Latin wording in Cyrillic, its %(placeholders)s left as they are."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else scripts.to_script(part, scripts.CYRILLIC)
                   for part in PLACEHOLDER.split(text))


LABELS["uz-cyrl"] = {key: _cyrillic(text) for key, text in LABELS["uz"].items()}


def minutes_language(language: str | None) -> str:
    """uz, uz-cyrl, ru or en: the languages minutes are written in (Korean and others: English)."""
    language = (language or "uz").lower()
    return language if language in LABELS else "en"


def filename(meeting: Meeting) -> str:
    return f"minutes-{(meeting.number or str(meeting.pk)).replace('/', '-')}.pdf"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=18, leading=22, alignment=1),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, alignment=1, textColor=MUTED, spaceAfter=8),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, fontSize=12, spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=9, leading=11),
    }


def _names(members, words) -> str:
    names = [escape(f"{m.user}" + (f" ({words['chair']})" if m.is_chair else "")) for m in members]
    return ", ".join(names) or words["nobody"]


def render(meeting: Meeting) -> bytes:
    register_fonts()
    meeting = Meeting.objects.select_related("call__park__region").get(pk=meeting.pk)
    call, park = meeting.call, meeting.call.park
    language = minutes_language(meeting.language)
    words = LABELS[language]
    with translation.override(language):
        park_name, call_name = localized(park, "name"), localized(call, "name")
    held = timezone.localtime(meeting.held_at, ZoneInfo(park.region.timezone))
    members = members_of(meeting)
    present, needed, total = quorum(meeting)
    styles = _styles()
    p = styles["base"]

    story = [
        Paragraph(escape(f"{words['title']} № {meeting.number}" if meeting.number else words["title"]),
                  styles["title"]),
        Paragraph(escape(words["subtitle"]), styles["subtitle"]),
    ]
    facts = [(words["park"], park_name), (words["call"], call_name), (words["date"], held.strftime("%d.%m.%Y %H:%M")),
             (words["place"], meeting.place or "—")]
    story += [Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", p) for label, value in facts]
    story.append(Paragraph(escape(words["quorum"]), styles["heading"]))
    story.append(Paragraph(f"<b>{escape(words['present'])}:</b> {_names([m for m in members if m.present], words)}",
                           p))
    story.append(Paragraph(f"<b>{escape(words['absent'])}:</b> "
                           f"{_names([m for m in members if not m.present], words)}", p))
    state = words["quorum_met"] if present >= needed else words["quorum_missing"]
    story.append(Paragraph(f"<b>{escape(words['quorum'])}:</b> "
                           f"{escape(words['quorum_line'] % {'needed': needed, 'members': total, 'present': present})}"
                           f" — {escape(state)}", p))

    story.append(Paragraph(escape(words["applications"]), styles["heading"]))
    items = agenda(None, meeting, minutes=True)
    if not items:
        story.append(Paragraph(escape(words["none"]), p))
    else:
        story.append(_table(items, words, styles))

    chair = next((str(m.user) for m in members if m.is_chair), "")
    story += [Spacer(1, 18 * mm), Paragraph(f"{escape(words['signature'])}: ______________________ {escape(chair)}", p)]
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=f"{words['title']} {meeting.number}".strip(),
                                 author=park_name, subject=call_name, creator="Texnopark")
    document.build(story)
    return buffer.getvalue()


def _table(items, words, styles) -> Table:
    cell, head = styles["cell"], styles["head"]
    outcomes = {Decision.Outcome.ACCEPTED: words["accepted"], Decision.Outcome.REJECTED: words["rejected"],
                Decision.Outcome.WAITLISTED: words["waitlisted"]}
    rows = [[Paragraph(escape(text), head) for text in (words["company"], words["score"], words["votes"],
                                                          words["decision"])]]
    for item in items:
        application, decision = item.application, item.decision
        if decision is not None:
            votes = (decision.votes_for, decision.votes_against, decision.votes_abstain)
        else:
            votes = (item.votes["for"], item.votes["against"], item.votes["abstain"])
        verdict = escape(outcomes[decision.outcome] if decision else words["undecided"])
        if decision is not None and decision.reason:
            verdict += f"<br/>{escape(words['reason'])}: {escape(decision.reason)}"
        if decision is not None and decision.outcome == Decision.Outcome.ACCEPTED and item.residency_number:
            verdict += f"<br/>{escape(words['residency'])}: {escape(item.residency_number)}"
        mean = item.standing.mean
        rows.append([
            Paragraph(f"{escape(application.company_name or '—')}<br/>{escape(words['stir'])}: "
                      f"{escape(application.stir or '—')}", cell),
            Paragraph(f"{mean}" if mean is not None else "—", cell),
            Paragraph(" / ".join(str(n) for n in votes), cell),
            Paragraph(verdict, cell),
        ])
    table = Table(rows, colWidths=[60 * mm, 26 * mm, 30 * mm, 58 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eef2f6")),
    ]))
    return table


def stored_or_render(meeting: Meeting) -> bytes:
    """The stored minutes of a closed meeting, or (none stored, e.g. demo data) rendered now."""
    if meeting.minutes:
        try:
            with meeting.minutes.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    return render(meeting)
