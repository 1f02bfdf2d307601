"""Training in a district business centre: a citizen on a phone finds a course in Ўзбекча and enrols, checks
herself in with the code the trainer shows in the room, gets a certificate, and anyone can verify it.

The demo has no lesson happening right now, so the test sets one up through the models and services: a
programme of Chust's business centre (80 % attendance, no project: one lesson of one attended is enough),
a session of today with free seats, and a lesson that started five minutes ago. Names of programmes and
districts are shown in the page's language and script (`shown`); the interface's own words come from the
page's catalogue (`t`). The verification page is what the certificate's QR code encodes
(`Certificate.get_absolute_url()`, made absolute); it is opened signed out, in a fresh browser context.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.pages import (
    PHONE,
    by_label,
    demo_email,
    expect_assets_loaded,
    horizontal_overflow,
    page_language,
    shot,
    sign_in,
    t,
    unlabelled_controls,
)
from texnopark.accounts.models import User
from texnopark.core.i18n import localized
from texnopark.network.models import BusinessCentre
from texnopark.training import services
from texnopark.training.models import Attendance, Certificate, Enrolment, Lesson, Programme, Session

pytestmark = pytest.mark.browser

CHUST_SOATO = "1714237"
TRAINER = "chust.centre"
PHONE_TYPED = "90 123 45 67"  # she types it without +998: the form completes it


def person(persona: str) -> User:
    return User.objects.get(email=demo_email(persona))


def shown(page, obj, field: str = "name") -> str:
    """A programme's or district's name as the page shows it (its language, its script)."""
    with translation.override(page_language(page)):
        return localized(obj, field)


def a_lesson_now() -> Lesson:
    """Chust's centre: a programme (80 %, no project), today's session with seats, a lesson under way."""
    centre = BusinessCentre.objects.select_related("district").get(district__soato=CHUST_SOATO)
    trainer = person(TRAINER)
    programme = Programme.objects.create(
        centre=centre, topic=Programme.Topic.MARKETING, language="uz-cyrl",
        name="Onlayn doʻkon: birinchi qadam", name_ru="Интернет-магазин: первый шаг",
        name_en="An online shop: the first step", description="Telegram va Instagramda sotuv.",
        min_attendance_percent=80, requires_project=False, certificate_valid_years=2)
    today = timezone.localdate()
    session = Session.objects.create(programme=programme, starts_on=today, ends_on=today, capacity=12,
                                     room="2-xona", trainer=trainer)
    now = timezone.now()
    return services.lesson_create(actor=trainer, session=session, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=1), topic="Telegram-kanal")


# --- 1. The citizen finds the course and enrols ------------------------------------------------------


def find_the_course(page, session: Session):
    """The catalogue, filtered by the district (htmx; the address follows): the session's card."""
    district = session.programme.centre.district
    page.goto("/training/")
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")  # her profile says Ўзбекча
    expect_assets_loaded(page)
    filters = page.locator("details.filters")
    filters.locator("summary").click()
    filters.get_by_label(t(page, "District"), exact=True).select_option(label=shown(page, district))
    expect(page).to_have_url(re.compile(rf"[?&]district={district.pk}\b"))
    name = shown(page, session.programme)
    card = page.locator("#results").get_by_role("article").filter(
        has=page.get_by_role("heading", name=name, exact=True))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(shown(page, district))
    expect(card.locator(".badge-ok")).to_contain_text("12")  # 12 seats left
    assert horizontal_overflow(page) == 0, "the catalogue makes the phone page scroll sideways"
    # Every card of the filtered list is the district's.
    for other in page.locator("#results article.session-card").all():
        expect(other).to_contain_text(shown(page, district))
    shot(page, "60-training-catalogue-chust-uz-cyrl")
    return card


def enrol_with_the_short_profile(page, card, session: Session) -> Enrolment:
    card.get_by_role("button", name=t(page, "Enrol"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/training/sessions/{session.pk}/enrol/$"))
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")
    form = page.locator("main form.narrow-form")
    by_label(form, t(page, "Full name")).fill("Азиза Каримова")
    by_label(form, t(page, "Phone")).fill(PHONE_TYPED)
    by_label(form, t(page, "Your district")).select_option(str(session.programme.centre.district_id))
    by_label(form, t(page, "Age group")).select_option("25_34")
    by_label(form, t(page, "Gender")).select_option("female")
    by_label(form, t(page, "Occupation")).fill("Тикувчи")
    assert unlabelled_controls(page) == []
    assert horizontal_overflow(page) == 0, "the enrolment form makes the phone page scroll sideways"
    shot(page, "61-training-enrol-form-uz-cyrl")
    form.get_by_role("button", name=t(page, "Enrol"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/training/mine/#enrolment-\d+$"))
    enrolment = Enrolment.objects.get(pk=int(page.url.rsplit("-", 1)[1]))
    expect(page.get_by_role("status")).to_have_text(
        t(page, "You have a seat. A confirmation is on its way to your e-mail."))
    return enrolment


def see_the_seat_in_my_learning(page, enrolment: Enrolment) -> None:
    card = page.locator("section[aria-labelledby=now-h]").locator(f"article#enrolment-{enrolment.pk}")
    expect(card.get_by_role("heading", name=shown(page, enrolment.session.programme), exact=True)).to_be_visible()
    expect(card.locator(".badge.status-enrolled")).to_have_text(t(page, "Enrolled"))
    assert horizontal_overflow(page) == 0, "My learning makes the phone page scroll sideways"
    shot(page, "62-training-my-seat-uz-cyrl")


# --- 2. The code in the room, the check-in, the attendance list, the certificate -----------------------


def open_the_roster(page, session: Session) -> None:
    page.goto("/training/staff/")  # under "Current and coming", or "Past" once the day is over
    page.get_by_role("main").get_by_role("link", name=shown(page, session.programme), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/training/sessions/{session.pk}/roster/$"))


def the_code_in_the_room(page, lesson: Lesson) -> tuple[str, str]:
    """The trainer's screen: the six digits (and the address to type them at) for the lesson under way."""
    open_the_roster(page, lesson.session)
    lessons = page.locator("section[aria-labelledby=lessons-h]")
    lessons.locator(f'a[href="/training/lessons/{lesson.pk}/code/"]').click()
    expect(page).to_have_url(re.compile(rf"/training/lessons/{lesson.pk}/code/$"))
    code = page.locator(".checkin-code")
    expect(code).to_have_text(re.compile(r"^\d{3}\s*\d{3}$"))
    expect(page.locator("#code-panel svg.qr")).to_be_visible()
    shot(page, "63-training-checkin-code-trainer")
    typed_url = page.locator("#code-panel code.url").inner_text().strip()
    return re.sub(r"\D", "", code.inner_text()), typed_url


def check_in_with_the_code(page, lesson: Lesson, code: str, typed_url: str) -> None:
    assert typed_url.endswith(f"/training/checkin/{lesson.pk}/"), typed_url
    page.goto(typed_url)
    by_label(page.locator("#checkin-area"), t(page, "Code shown in the room")).fill(code)
    page.get_by_role("button", name=t(page, "Check me in"), exact=True).click()
    expect(page.locator("#checkin-area").get_by_role("status")).to_have_text(t(page, "You are checked in. Welcome!"))
    assert horizontal_overflow(page) == 0, "the check-in page makes the phone page scroll sideways"
    shot(page, "64-training-checked-in-uz-cyrl")


def the_attendance_list_shows_her_present(page, lesson: Lesson, enrolment: Enrolment) -> None:
    page.goto(f"/training/lessons/{lesson.pk}/code/")
    page.get_by_role("link", name=t(page, "Attendance list of this lesson"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/training/lessons/{lesson.pk}/attendance/$"))
    her = page.get_by_role("group", name=re.compile(re.escape(enrolment.full_name)))
    expect(her).to_contain_text(t(page, "checked in with the code"))
    present = her.get_by_role("radio", name=t(page, "present"), exact=True)
    expect(present).to_be_checked()
    page.get_by_role("button", name=t(page, "Save the attendance"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1")  # "1 mark saved."
    expect(page.get_by_role("group", name=re.compile(re.escape(enrolment.full_name))).get_by_role(
        "radio", name=t(page, "present"), exact=True)).to_be_checked()
    shot(page, "65-training-attendance-trainer")


def issue_the_certificate(page, enrolment: Enrolment) -> Certificate:
    open_the_roster(page, enrolment.session)
    row = page.locator(f"tr#e-{enrolment.pk}")
    expect(row.locator("td.num")).to_have_text("100%")
    row.get_by_role("button", name=t(page, "Issue the certificate"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/roster/#e-{enrolment.pk}$"))
    expect(page.get_by_role("status")).to_have_text(
        t(page, "A certificate is issued to %(name)s.") % {"name": enrolment.full_name})
    certificate = Certificate.objects.get(enrolment=enrolment)
    link = page.locator(f"tr#e-{enrolment.pk}").get_by_role("link", name=certificate.code, exact=True)
    expect(link).to_have_attribute("href", certificate.get_absolute_url())
    shot(page, "66-training-certificate-issued-trainer")
    return certificate


# --- 3. The certificate: hers, and checked by anyone -----------------------------------------------------


def see_the_certificate_in_my_learning(page, certificate: Certificate) -> str:
    """The card with the code, the verification link (what the QR encodes) and the PDF. Returns the link."""
    page.goto("/training/mine/")
    card = page.locator(f"article#enrolment-{certificate.enrolment_id}")
    expect(card.locator("code")).to_have_text(certificate.code)
    verify = card.get_by_role("link", name=t(page, "Verification page"), exact=True)
    expect(verify).to_have_attribute("href", certificate.get_absolute_url())
    pdf = page.request.get(card.get_by_role("link", name=t(page, "Download PDF"), exact=True).get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf", (pdf.status, pdf.headers)
    assert pdf.body().startswith(b"%PDF")
    shot(page, "67-training-my-certificate-uz-cyrl")
    return verify.get_attribute("href")


def verified(page, url: str, certificate: Certificate, status: str, tag: str) -> None:
    """The public page and the JSON endpoint, signed out."""
    page.goto(url)
    check = page.locator("article.certificate-check")
    expect(check).to_have_attribute("data-status", status)
    enrolment = certificate.enrolment
    facts = check.locator("dl")
    expect(facts).to_contain_text(enrolment.full_name)
    expect(facts).to_contain_text(shown(page, enrolment.session.programme))
    expect(facts).to_contain_text(certificate.code)
    if status == "valid":
        expect(check.get_by_role("status")).to_have_text(
            t(page, "Valid: this certificate was issued and is in force."))
    assert horizontal_overflow(page) == 0, "the verification page makes the phone page scroll sideways"
    shot(page, f"68-training-verify-{tag}")
    answer = page.request.get(f"/api/v1/certificates/{certificate.code}")
    assert answer.status == 200, answer.text()
    body = answer.json()
    assert (body["status"], body["code"], body["holder"]) == (status, certificate.code, enrolment.full_name)


def revoke_it(page, certificate: Certificate) -> None:
    open_the_roster(page, certificate.enrolment.session)
    row = page.locator(f"tr#e-{certificate.enrolment_id}")
    row.get_by_role("link", name=t(page, "Revoke"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/training/certificates/{certificate.pk}/revoke/$"))
    by_label(page.locator("main form"), t(page, "Why is it revoked?")).fill("Davomat qayd etishda xato")
    page.get_by_role("button", name=t(page, "Revoke the certificate"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/roster/#e-{certificate.enrolment_id}$"))
    expect(page.get_by_role("status")).to_have_text(
        t(page, "The certificate is revoked. Its verification page now says so."))
    expect(page.locator(f"tr#e-{certificate.enrolment_id} .badge-full")).to_have_text(t(page, "revoked"))


def test_a_citizen_on_a_phone_enrols_in_uzbek_cyrillic_checks_in_gets_a_certificate_that_anyone_can_verify(
        open_page, mailoutbox):
    lesson = a_lesson_now()
    session = lesson.session
    citizen = open_page(viewport=PHONE)
    sign_in(citizen, "citizen")
    card = find_the_course(citizen, session)
    enrolment = enrol_with_the_short_profile(citizen, card, session)
    assert (enrolment.session, enrolment.person, enrolment.status) == (session, person("citizen"),
                                                                       Enrolment.Status.ENROLLED)
    assert (enrolment.phone, enrolment.age_group, enrolment.gender) == ("+998901234567", "25_34", "female")
    assert demo_email("citizen") in [address for message in mailoutbox for address in message.to]
    see_the_seat_in_my_learning(citizen, enrolment)

    trainer = open_page()
    sign_in(trainer, TRAINER)
    code, typed_url = the_code_in_the_room(trainer, lesson)
    check_in_with_the_code(citizen, lesson, code, typed_url)
    attendance = Attendance.objects.get(lesson=lesson, enrolment=enrolment)
    assert (attendance.mark, attendance.self_checked_in) == (Attendance.Mark.PRESENT, True)
    the_attendance_list_shows_her_present(trainer, lesson, enrolment)
    certificate = issue_the_certificate(trainer, enrolment)
    assert certificate.valid_until == certificate.issued_on.replace(year=certificate.issued_on.year + 2)

    # The next day the course is over: her card moves to "Finished" (see the xfail below for the same day).
    Session.objects.filter(pk=session.pk).update(starts_on=session.starts_on - timedelta(days=1),
                                                 ends_on=session.ends_on - timedelta(days=1))
    link = see_the_certificate_in_my_learning(citizen, certificate)
    qr_url = trainer.url.split("/training/")[0] + certificate.get_absolute_url()  # as the PDF's QR has it
    assert link == certificate.get_absolute_url()

    anyone = open_page(viewport=PHONE)
    verified(anyone, qr_url, certificate, "valid", "valid")
    revoke_it(trainer, certificate)
    verified(anyone, qr_url, certificate, "revoked", "revoked")
    expect(anyone.get_by_role("status")).not_to_contain_text("Davomat")  # the reason stays private


def test_a_certificate_issued_on_the_last_day_shows_in_my_learning_the_same_day(open_page):
    lesson = a_lesson_now()
    trainer = person(TRAINER)
    enrolment = services.enrol(actor=person("citizen"), session=lesson.session, full_name="Азиза Каримова")
    services.attendance_mark(actor=trainer, lesson=lesson, marks={enrolment.pk: Attendance.Mark.PRESENT})
    certificate = services.certificate_issue(actor=trainer, enrolment=enrolment)
    page = open_page(viewport=PHONE)
    sign_in(page, "citizen")
    page.goto("/training/mine/")
    expect(page.locator(f"article#enrolment-{enrolment.pk} code")).to_have_text(certificate.code, timeout=2_000)
