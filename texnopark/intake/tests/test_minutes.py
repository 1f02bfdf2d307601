"""The minutes PDF: one wording table with every language and key, a PDF in each language (Korean
meetings get English), long agendas over several pages, and the number and title in the document."""

import re

import pytest
from django.utils import timezone

from texnopark.intake import minutes
from texnopark.intake.models import Meeting
from texnopark.intake.services import commission
from texnopark.intake.tests.test_review_services import make_world, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_wording_table_has_every_language_and_every_key():
    assert set(minutes.LABELS) == {"uz", "uz-cyrl", "ru", "en"}
    keys = set(minutes.LABELS["en"])
    for language, words in minutes.LABELS.items():
        assert set(words) == keys, language
        assert all(text.strip() for text in words.values()), language
        assert set(re.findall(r"%\(\w+\)s", words["quorum_line"])) == {"%(needed)s", "%(members)s",
                                                                         "%(present)s"}, language
    assert (minutes.LABELS["uz"]["title"], minutes.LABELS["uz-cyrl"]["title"], minutes.LABELS["ru"]["title"],
            minutes.LABELS["en"]["title"]) == ("Bayonnoma", "Баённома", "Протокол", "Minutes")
    assert not re.search("[A-Za-z]", minutes.LABELS["uz-cyrl"]["signature"])


def test_the_language_of_the_minutes():
    assert [minutes.minutes_language(x) for x in ("uz", "uz-cyrl", "ru", "en", "ko", None, "UZ")] == [
        "uz", "uz-cyrl", "ru", "en", "en", "uz", "uz"]


def a_full_meeting(code: str, language: str, applications: int = 4) -> tuple[dict, Meeting]:
    """Attendance with one member absent, reviews, votes, and every kind of decision."""
    world = make_world(code, applications=applications)
    first, second, absent = world["commission"]
    meeting = commission.meeting_create(actor=world["staff"], call=world["call"], held_at=timezone.now(),
                                        place="Majlislar zali & <kichik>", language=language)
    commission.record_attendance(actor=world["staff"], meeting=meeting, present_member_ids=[first.pk, second.pk])
    apps = world["applications"]
    reviewed(world, world["experts"][0], apps[0], 9, 8, 7)
    reviewed(world, world["experts"][1], apps[0], 6, 6, 6)
    for application in apps:
        for member, choice in ((first, "for"), (second, "against")):
            commission.vote(actor=world["staff"], meeting=meeting, application=application, member=member,
                            choice=choice)
    outcomes = [("accepted", ""), ("rejected", "Bozor juda kichik"), ("waitlisted", "")]
    for application, (outcome, reason) in zip(apps, outcomes, strict=False):
        commission.decide(actor=world["staff"], meeting=meeting, application=application, outcome=outcome,
                          reason=reason)
    return world, meeting


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en", "ko"])
def test_a_pdf_in_each_language(language):
    world, meeting = a_full_meeting(f"mn{language.replace('-', '')}", language)
    closed = commission.close(actor=world["staff"], meeting=meeting)
    pdf = minutes.stored_or_render(closed)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf == closed.minutes.open("rb").read()
    if language in ("en", "ko"):  # the document's title: the English word and the number
        assert f"(Minutes {closed.number})".encode() in pdf


def test_a_long_agenda_runs_over_several_pages():
    _world, meeting = a_full_meeting("mnlong", "en", applications=40)
    pdf = minutes.render(meeting)
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", pdf)) >= 2


def test_a_meeting_without_anything_decided_still_has_minutes():
    world = make_world("mnempty", applications=0)
    meeting = commission.meeting_create(actor=world["staff"], call=world["call"], held_at=timezone.now(),
                                        language="ru")
    assert minutes.render(meeting).startswith(b"%PDF-")
    assert minutes.filename(meeting) == f"minutes-{meeting.pk}.pdf"
