"""Booking shared infrastructure: a desk booked on a phone and cancelled, an instrument refused without training.

Times are the park's (Asia/Tashkent), whatever the browser's clock says: the browsers here run in
New York time. Names of parks and resources come from the demo data, in the page's language and script;
the interface's own words come from the page's catalogue (`t`), so the tests follow the translations
as they are being completed. Slots are found by their links (`?date=…&starts_at=…`) and form fields by id.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.pages import (
    PHONE,
    demo_email,
    expect_assets_loaded,
    horizontal_overflow,
    open_menu,
    page_language,
    shot,
    sign_in,
    switch_language,
    t,
    unlabelled_controls,
)
from texnopark.accounts.models import User
from texnopark.bookings import selectors, services
from texnopark.bookings.models import Booking, Resource, Training
from texnopark.bookings.rules import is_open_on
from texnopark.core.i18n import localized
from texnopark.network.models import Technopark

pytestmark = pytest.mark.browser

TASHKENT = ZoneInfo("Asia/Tashkent")
ELSEWHERE = "America/New_York"  # the browser's clock: the pages must still show Tashkent times
PARK = "namangan-it"
INSTRUMENT_PURPOSE = "E2E: spectrum of a 5G filter prototype"


# --- The demo data -------------------------------------------------------------------------------


def demo_resource(name_en: str) -> Resource:
    return Resource.objects.select_related("facility__park__region").get(facility__park__slug=PARK, name_en=name_en)


def person(persona: str) -> User:
    return User.objects.get(email=demo_email(persona))


@dataclass(frozen=True)
class Slot:
    """A time of one resource, in the park's wall-clock time."""

    resource: Resource
    day: date
    start: time
    minutes: int

    @classmethod
    def ahead(cls, resource: Resource, days: int, start: time, minutes: int) -> "Slot":
        """On the first day at least `days` ahead (park time) on which the resource is open."""
        day = timezone.localdate(timezone=TASHKENT) + timedelta(days=days)
        while not is_open_on(resource, day):
            day += timedelta(days=1)
        return cls(resource, day, start, minutes)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.start, tzinfo=TASHKENT)

    @property
    def end(self) -> time:
        return (self.starts_at + timedelta(minutes=self.minutes)).time()

    @property
    def times(self) -> str:
        """As the pages write it: 14:00–15:00."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def link(self) -> str:
        """The selector of the link that opens the booking form with this slot (`?date=…&starts_at=14%3A00…`)."""
        return f'a[href*="date={self.day.isoformat()}&starts_at={self.start:%H}%3A{self.start:%M}"]'


def shown(page, obj) -> str:
    """A park's or resource's name as the page shows it (its language, its script)."""
    with translation.override(page_language(page)):
        return localized(obj, "name")


# --- Pages ---------------------------------------------------------------------------------------


def expect_language(page, lang: str | None) -> None:
    if lang:
        expect(page.locator("html")).to_have_attribute("lang", lang)


def open_the_resource(page, resource: Resource, lang: str | None = None) -> None:
    """From the header: Bookings → the park → the resource's card → its page with the calendar."""
    park = Technopark.objects.get(slug=PARK)
    page.get_by_role("navigation", name=t(page, "Main")).locator('a[href="/bookings/"]').click()
    expect(page).to_have_url(re.compile(r"/bookings/$"))
    expect_language(page, lang)
    parks = page.locator("section[aria-labelledby=parks-h]")
    parks.get_by_role("link", name=shown(page, park), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookings/parks/{PARK}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(shown(page, park))
    name = shown(page, resource)
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=name, exact=True))
    card.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookings/resources/{resource.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect_language(page, lang)


def calendar(page):
    return page.locator("section#calendar")


def show_the_week_of(page, day: date) -> None:
    """From this week, page the calendar (htmx; the address follows) forward to the week with `day` in it."""
    monday = day - timedelta(days=day.weekday())
    shown_monday = timezone.localdate(timezone=TASHKENT)
    shown_monday -= timedelta(days=shown_monday.weekday())
    while shown_monday < monday:
        shown_monday += timedelta(days=7)
        calendar(page).locator(f'nav a[href="?week={shown_monday.isoformat()}"]').click()
        expect(page).to_have_url(re.compile(rf"\?week={shown_monday.isoformat()}$"))
    expect(calendar(page).locator("table.week")).to_be_visible()


def week_cell(page, day: date, clock: time):
    """The week calendar's cell for a day and a start time (by the row's time and the day's column)."""
    row = calendar(page).locator("table.week tbody tr").filter(
        has=page.get_by_role("rowheader", name=f"{clock:%H:%M}", exact=True))
    return row.locator("td").nth(day.weekday())


def free_places(cell):
    """What a pool's week cell shows: the number of free places."""
    return cell.locator("[aria-hidden=true]")


def show_the_day(page, day: date) -> None:
    """From the week calendar to the day's list of slots, by the day's column heading."""
    calendar(page).get_by_role("columnheader").locator(f'a[href="?day={day.isoformat()}"]').click()
    expect(page).to_have_url(re.compile(rf"\?day={day.isoformat()}$"))
    expect(calendar(page).locator("ul.day-slots")).to_be_visible()


def day_slot(page, slot: Slot):
    return calendar(page).locator("ul.day-slots > li").filter(has_text=slot.times)


def pick_in_the_day_view(page, slot: Slot, form: bool = True) -> None:
    """Day view → the slot's "Book" button → the booking form, filled in with that slot."""
    show_the_day(page, slot.day)
    row = day_slot(page, slot)
    expect(row).to_have_class(re.compile(r"\bslot-free\b"))
    row.get_by_role("button").and_(page.locator(slot.link)).click()
    expect(page).to_have_url(re.compile(
        rf"/bookings/resources/{slot.resource.pk}/book/\?date={slot.day.isoformat()}&"))
    if not form:
        return
    expect(page.locator("#id_date")).to_have_value(slot.day.isoformat())
    expect(page.locator("#id_starts_at")).to_have_value(f"{slot.start:%H:%M}")
    expect(page.locator("#id_ends_at")).to_have_value(f"{slot.end:%H:%M}")


def submit_the_booking_form(page) -> None:
    page.locator("#booking-area form").get_by_role("button").and_(page.locator("button[type=submit]")).click()


def booked_page(page) -> Booking:
    """After a booking: its own page (/bookings/<pk>/), reached by htmx's redirect."""
    expect(page).to_have_url(re.compile(r"/bookings/\d+/$"))
    pk = int(re.search(r"/bookings/(\d+)/$", page.url).group(1))
    return Booking.objects.select_related("resource").get(pk=pk)


def my_bookings(page):
    """My bookings, from the header's "Mine" menu."""
    open_menu(page, "Mine").get_by_role("link", name=t(page, "My bookings"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/bookings/mine/$"))


def coming_up(page, booking: Booking):
    """The booking's card under "Coming up" in My bookings."""
    return page.locator("section[aria-labelledby=upcoming-h]").get_by_role("article").filter(
        has=page.locator(f'a[href="/bookings/{booking.pk}/"]'))


# --- 1 and 4: a desk on a phone ------------------------------------------------------------------


def book_a_desk(page, slot: Slot, lang: str | None, tag: str) -> Booking:
    """The week calendar shows 40 free places; the day view's slot opens the form; the booking is confirmed."""
    desks = slot.resource
    open_the_resource(page, desks, lang)
    expect_assets_loaded(page)
    show_the_week_of(page, slot.day)
    cell = week_cell(page, slot.day, slot.start)
    expect(cell).to_have_class(re.compile(r"\bslot-free\b"))
    expect(free_places(cell)).to_have_text("40")
    assert horizontal_overflow(page) == 0, "the week calendar makes the phone page scroll sideways"
    shot(page, f"40-desks-week-{tag}")

    pick_in_the_day_view(page, slot)
    expect_language(page, lang)
    expect(page.locator("#id_units")).to_have_value("1")
    assert unlabelled_controls(page) == []
    assert horizontal_overflow(page) == 0, "the booking form makes the phone page scroll sideways"
    page.locator("#id_purpose").fill("E2E: a quiet desk for the afternoon")
    shot(page, f"41-desk-form-{tag}")
    submit_the_booking_form(page)

    # The confirmation, on the booking's own page.
    booking = booked_page(page)
    expect(page.get_by_role("status")).to_have_text(t(page, "Booked. A confirmation is on its way to your e-mail."))
    expect(page.locator(".status")).to_have_text(t(page, "Confirmed"))
    title = page.get_by_role("heading", level=1)
    expect(title.get_by_role("link", name=shown(page, desks), exact=True)).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(slot.times)
    expect_language(page, lang)
    shot(page, f"42-desk-booked-{tag}")
    return booking


def see_it_in_my_bookings_and_the_calendar(page, booking: Booking, slot: Slot, tag: str) -> None:
    desks = slot.resource
    my_bookings(page)
    card = coming_up(page, booking)
    expect(card).to_have_count(1)
    expect(card.locator(".when")).to_contain_text(slot.times)
    expect(card.locator(".when")).to_contain_text(str(slot.day.year))
    expect(card.locator(".status")).to_have_text(t(page, "Confirmed"))
    assert horizontal_overflow(page) == 0, "My bookings makes the phone page scroll sideways"

    # From the card to the booking, from the booking to the resource's calendar.
    card.get_by_role("link", name=shown(page, desks), exact=True).click()
    page.get_by_role("heading", level=1).get_by_role("link", name=shown(page, desks), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookings/resources/{desks.pk}/$"))
    show_the_week_of(page, slot.day)
    cell = week_cell(page, slot.day, slot.start)
    expect(free_places(cell)).to_have_text("39")  # one place fewer ...
    expect(cell).to_have_class(re.compile(r"\bslot-mine\b"))  # ... and it is the resident's
    expect(free_places(week_cell(page, slot.day, slot.end))).to_have_text("40")  # the next hour: untouched
    shot(page, f"43-desks-week-booked-{tag}")


def cancel_it_from_my_bookings(page, booking: Booking, tag: str) -> None:
    """The question first (saying no keeps the booking), then the message and the booking among the past."""
    my_bookings(page)
    cancel = coming_up(page, booking).locator("form").get_by_role("button")
    page.once("dialog", lambda dialog: dialog.dismiss())
    cancel.click()
    expect(coming_up(page, booking)).to_have_count(1)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    cancel.click()
    expect(page.get_by_role("status")).to_have_text(t(page, "The booking was cancelled."))
    expect(coming_up(page, booking)).to_have_count(0)
    assert questions == [t(page, "Cancel this booking?")]
    past = page.locator("section[aria-labelledby=past-h]").get_by_role("row").filter(
        has=page.locator(f'a[href="/bookings/{booking.pk}/"]'))
    expect(past.locator(".status")).to_have_text(t(page, "Cancelled"))
    shot(page, f"44-desk-cancelled-{tag}")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def see_the_place_free_again(page, slot: Slot, tag: str) -> None:
    page.goto(f"/bookings/resources/{slot.resource.pk}/?week={slot.day.isoformat()}")
    cell = week_cell(page, slot.day, slot.start)
    expect(free_places(cell)).to_have_text("40")
    expect(cell).not_to_have_class(re.compile(r"\bslot-mine\b"))
    show_the_day(page, slot.day)
    row = day_slot(page, slot)
    expect(row).not_to_have_class(re.compile(r"\bslot-mine\b"))
    expect(row.locator(slot.link)).to_be_visible()
    assert horizontal_overflow(page) == 0, "the day view makes the phone page scroll sideways"
    shot(page, f"45-desks-day-free-again-{tag}")


@pytest.mark.parametrize("language", [None, "Ўзбекча"], ids=["own-language", "uz-cyrl"])
def test_a_resident_books_a_desk_on_a_phone_sees_it_in_the_calendar_and_cancels_it(open_page, mailoutbox,
                                                                                   language):
    desks = demo_resource("Open desks")
    assert desks.capacity == 40
    slot = Slot.ahead(desks, 3, time(14, 0), 60)
    lang, tag = ("uz-Cyrl", "uz-cyrl") if language else (None, "own")
    page = open_page(viewport=PHONE, timezone_id=ELSEWHERE)
    sign_in(page, "resident")
    expect_language(page, "uz-Latn")  # his profile says Oʻzbekcha
    if language:
        switch_language(page, language)  # the switcher in the header

    booking = book_a_desk(page, slot, lang, tag)
    # Stored in UTC for 14:00 in Tashkent (UTC+5), though the browser's clock is New York's.
    assert (booking.resource, booking.units, booking.status) == (desks, 1, Booking.Status.CONFIRMED)
    assert booking.starts_at == slot.starts_at
    assert booking.starts_at.astimezone(ZoneInfo("UTC")).time() == time(9, 0)
    assert [m.to for m in mailoutbox] == [[demo_email("resident")]]

    see_it_in_my_bookings_and_the_calendar(page, booking, slot, tag)
    expect_language(page, lang)
    cancel_it_from_my_bookings(page, booking, tag)
    expect_language(page, lang)
    see_the_place_free_again(page, slot, tag)
    expect_language(page, lang)


# --- 2: an instrument that needs training ---------------------------------------------------------


def analyser_slot() -> Slot:
    analyser = demo_resource("Spectrum analyser")
    assert analyser.requires_training and analyser.needs_approval
    return Slot.ahead(analyser, 4, time(10, 0), 30)


def the_citizen_is_refused(page, slot: Slot) -> None:
    """The instrument is open to her: she is told that her training expired, and offered no form."""
    analyser = slot.resource
    refusal = t(page, "This instrument needs training. Ask the laboratory staff to record your training first.")
    page.goto(f"/bookings/resources/{analyser.pk}/")
    expect(page.locator("main p.notice-warn")).to_have_text(refusal)
    show_the_week_of(page, slot.day)
    pick_in_the_day_view(page, slot, form=False)
    expired = Training.objects.filter(person=person("citizen"), resource=analyser).latest("valid_until")
    expect(page.get_by_role("alert")).to_contain_text(expired.valid_until.strftime("%d.%m.%Y"))
    expect(page.locator("#id_purpose")).to_have_count(0)  # a form that could never succeed is not offered
    shot(page, "50-instrument-refused-citizen")
    assert not Booking.objects.filter(booked_by=person("citizen"), resource=analyser).exists()
    my_bookings(page)
    expect(page.locator("section[aria-labelledby=upcoming-h] a").filter(
        has_text=shown(page, analyser))).to_have_count(0)


def the_resident_requests_it(page, slot: Slot) -> Booking:
    analyser = slot.resource
    open_the_resource(page, analyser)
    trained = t(page, "Your training for this instrument is valid.")
    expect(page.locator("main p.notice-ok")).to_have_text(trained)
    show_the_week_of(page, slot.day)
    pick_in_the_day_view(page, slot)
    page.locator("#id_purpose").fill(INSTRUMENT_PURPOSE)
    submit_the_booking_form(page)
    request = booked_page(page)
    expect(page.get_by_role("status")).to_have_text(
        t(page, "Your request was sent. The park staff will approve or decline it."))
    expect(page.locator(".status")).to_have_text(t(page, "Waiting for approval"))
    shot(page, "51-instrument-requested-resident")
    my_bookings(page)
    expect(coming_up(page, request).locator(".status")).to_have_text(t(page, "Waiting for approval"))
    return request


def test_the_citizen_whose_training_expired_is_refused_an_instrument_and_a_trained_resident_requests_it(
        open_page, mailoutbox):
    slot = analyser_slot()
    analyser = slot.resource
    citizen = open_page(timezone_id=ELSEWHERE)
    sign_in(citizen, "citizen")
    expect_language(citizen, "uz-Cyrl")  # her profile says Ўзбекча

    # The demo opens the analyser to the public: her training (expired ten days ago) is what stops her.
    assert "public" in analyser.audience
    the_citizen_is_refused(citizen, slot)
    assert mailoutbox == []

    # The resident is trained: the same slot becomes a request waiting for the park staff.
    resident = open_page(timezone_id=ELSEWHERE)
    sign_in(resident, "resident")
    request = the_resident_requests_it(resident, slot)
    assert (request.status, request.starts_at) == (Booking.Status.PENDING, slot.starts_at)
    assert [m.to for m in mailoutbox] == [[demo_email("resident")]]

    # The request holds the slot: the citizen's calendar shows it taken, with nothing to press.
    citizen.goto(f"/bookings/resources/{analyser.pk}/?day={slot.day.isoformat()}")
    expect(day_slot(citizen, slot)).to_have_class(re.compile(r"\bslot-taken\b"))
    expect(day_slot(citizen, slot).locator("a")).to_have_count(0)


# --- 3: the park staff decide ---------------------------------------------------------------------


def test_the_park_staff_approve_the_residents_instrument_request(open_page, mailoutbox):
    slot = analyser_slot()
    analyser = slot.resource
    request = services.booking_create(
        actor=person("resident"), resource=analyser, starts_at=slot.starts_at,
        ends_at=slot.starts_at + timedelta(minutes=slot.minutes), purpose=INSTRUMENT_PURPOSE)
    assert request.status == Booking.Status.PENDING
    mailoutbox.clear()  # the "request received" e-mail
    waiting = selectors.pending_for(person("it.staff")).filter(resource__facility__park__slug=PARK).count()
    assert waiting >= 1

    page = open_page(timezone_id=ELSEWHERE)
    sign_in(page, "it.staff")
    page.get_by_role("navigation", name=t(page, "Main")).locator('a[href="/bookings/"]').click()
    park_row = page.locator("section[aria-labelledby=staff-h]").get_by_role("row").filter(
        has=page.get_by_role("link", name=shown(page, Technopark.objects.get(slug=PARK)), exact=True))
    expect(park_row.locator("mark")).to_have_text(str(waiting))
    park_row.get_by_role("link", name=t(page, "Requests"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookings/parks/{PARK}/requests/$"))

    item = page.locator(f"article#request-{request.pk}")
    expect(item).to_contain_text(INSTRUMENT_PURPOSE)
    expect(item.get_by_role("heading", name=shown(page, analyser), exact=True)).to_be_visible()
    expect(item).to_contain_text(person("resident").email)
    expect(item).to_contain_text(slot.times)  # Tashkent time, not the browser's
    shot(page, "52-requests-queue-staff")
    item.get_by_role("button", name=t(page, "Approve"), exact=True).click()
    expect(item.get_by_role("status")).to_have_text(t(page, "Approved: the person was told."))
    expect(item.locator(".status")).to_have_text(t(page, "Confirmed"))
    expect(item.get_by_role("button")).to_have_count(0)
    shot(page, "53-request-approved-staff")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (Booking.Status.CONFIRMED, person("it.staff"))
    assert [m.to for m in mailoutbox] == [[demo_email("resident")]]

    # The queue has one request fewer; the resident sees the booking confirmed.
    page.reload()
    expect(page.locator(f"article#request-{request.pk}")).to_have_count(0)
    expect(page.locator("article.request")).to_have_count(waiting - 1)
    resident = open_page(timezone_id=ELSEWHERE)
    sign_in(resident, "resident")
    my_bookings(resident)
    expect(coming_up(resident, request).locator(".status")).to_have_text(t(resident, "Confirmed"))
