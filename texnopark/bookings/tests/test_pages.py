"""The booking pages: a resident books through the form, staff run the day, feeds and exports work.

Resources are made here (the demo's bookings may change); they open every day from 09:00 to 18:00
in the IT park, so the tests do not depend on the weekday they run on.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import icalendar
import openpyxl
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from texnopark.bookings import services
from texnopark.bookings.models import Booking, CalendarFeed, Resource, Training
from texnopark.bookings.rules import at, local
from texnopark.core.scripts import search_key
from texnopark.network.models import Facility

pytestmark = pytest.mark.django_db

EVERY_DAY = list(range(7))
# A generous ceiling for a page: session, person, memberships, permissions, then a few reads.
CEILING = 20


def it_facility():
    return Facility.objects.filter(park__slug="namangan-it", is_published=True).order_by("pk").first()


def make_resource(name="Sinov xonasi", **fields) -> Resource:
    defaults = {"facility": it_facility(), "open_weekdays": EVERY_DAY, "audience": ["park_residents", "researchers"],
                "price_per_hour": Decimal(100000), "resident_price_per_hour": Decimal(40000)}
    return Resource.objects.create(name=name, **{**defaults, **fields})


@pytest.fixture
def room():
    return make_resource()


@pytest.fixture
def desks():
    return make_resource("Sinov ish joylari", kind=Resource.Kind.POOL, capacity=5, audience=["public"])


def tomorrow(resource) -> str:
    return (timezone.localdate(timezone=local(resource, timezone.now()).tzinfo) + timedelta(days=1)).isoformat()


def slot(resource, day: str, start: int, end: int) -> dict:
    return {"date": day, "starts_at": f"{start:02d}:00", "ends_at": f"{end:02d}:00"}


def book_directly(resource, person, day, start, end, **fields) -> Booking:
    """A booking written without the rules, e.g. in the past; the pages must show any state."""
    starts_at = at(resource, datetime.fromisoformat(day).date() if isinstance(day, str) else day, time(start))
    ends_at = at(resource, starts_at.date(), time(end))
    return Booking.objects.create(resource=resource, booked_by=person, starts_at=starts_at, ends_at=ends_at,
                                  blocked_until=ends_at, exclusive=resource.exclusive, **fields)


# --- Booking through the page --------------------------------------------------------------------


def test_a_resident_books_a_room_at_the_parks_local_time_and_pays_the_resident_rate(personas, demo_user, room):
    client = personas("resident")
    day = tomorrow(room)
    response = client.post(reverse("bookings:book", args=[room.pk]), {**slot(room, day, 10, 11), "purpose": "Demo"})
    booking = Booking.objects.get(resource=room)
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.booked_by == demo_user("resident") and booking.status == Booking.Status.CONFIRMED
    # Asia/Tashkent is UTC+5: 10:00 in the park is 05:00 UTC.
    assert booking.starts_at.astimezone(UTC).time() == time(5, 0)
    assert booking.price == Decimal("40000.00")
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "10:00–11:00" in page and "Demo" in page


def test_the_calendar_links_a_free_slot_to_a_filled_in_form(personas, room):
    client = personas("resident")
    day = tomorrow(room)
    response = client.get(reverse("bookings:resource", args=[room.pk]), {"day": day})
    html = response.content.decode()
    prefilled = f'{reverse("bookings:book", args=[room.pk])}?date={day}&amp;starts_at=10%3A00&amp;ends_at=10%3A30'
    assert prefilled in html
    form = client.get(reverse("bookings:book", args=[room.pk]), {"date": day, "starts_at": "10:00",
                                                                  "ends_at": "10:30"}).content.decode()
    assert '<option value="10:00" selected>' in form and '<option value="10:30" selected>' in form


def test_a_pool_shows_how_many_places_are_free(personas, demo_user, desks):
    day = tomorrow(desks)
    book_directly(desks, demo_user("researcher"), day, 10, 12, units=3)
    html = personas("resident").get(reverse("bookings:resource", args=[desks.pk]), {"day": day}).content.decode()
    assert "2 of 5 free" in html and "5 of 5 free" in html


def test_a_taken_slot_says_so_offers_free_slots_nearby_and_keeps_what_was_typed(personas, demo_user, room):
    day = tomorrow(room)
    services.booking_create(actor=demo_user("researcher"), resource=room, starts_at=at(room, datetime.fromisoformat(
        day).date(), time(10)), ends_at=at(room, datetime.fromisoformat(day).date(), time(11)))
    client = personas("resident")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(reverse("bookings:book", args=[room.pk]),
                               {**slot(room, day, 10, 11), "purpose": "Investorlar bilan uchrashuv"}, **headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert "This slot was just taken. Choose another time." in html
        assert 'value="Investorlar bilan uchrashuv"' in html  # the purpose is kept
        assert "purpose=Investorlar+bilan+uchrashuv" in html  # ... and carried by the links to free slots
        assert "starts_at=11%3A00&amp;ends_at=12%3A00" in html or "starts_at=09%3A00&amp;ends_at=10%3A00" in html
        assert ("<html" in html) == (not headers)  # htmx gets the form alone
    assert Booking.objects.filter(resource=room).count() == 1


def test_an_instrument_without_training_is_refused_with_a_clear_message(personas, demo_user):
    instrument = make_resource("Sinov mikroskopi", kind=Resource.Kind.INSTRUMENT, requires_training=True)
    client = personas("resident")
    day = tomorrow(instrument)
    page = client.get(reverse("bookings:book", args=[instrument.pk])).content.decode()
    assert "This instrument needs training" in page  # told before trying
    response = client.post(reverse("bookings:book", args=[instrument.pk]), slot(instrument, day, 10, 11))
    assert response.status_code == 200
    assert "Ask the laboratory staff to record your training first." in response.content.decode()
    assert not Booking.objects.filter(resource=instrument).exists()
    today = timezone.localdate()
    Training.objects.create(resource=instrument, person=demo_user("resident"), trained_on=today,
                            valid_until=today + timedelta(days=30))
    assert client.post(reverse("bookings:book", args=[instrument.pk]), slot(instrument, day, 10, 11)).status_code == 302


def test_a_weekly_series_reports_each_date_and_skips_the_taken_one(personas, demo_user, room):
    day = tomorrow(room)
    second_week = datetime.fromisoformat(day).date() + timedelta(weeks=1)
    book_directly(room, demo_user("researcher"), second_week, 10, 11)
    client = personas("resident")
    form = {**slot(room, day, 10, 11), "repeat": "on", "repeat_count": "3"}
    refused = client.post(reverse("bookings:book", args=[room.pk]), form).content.decode()
    assert "Nothing was booked: 1 date is taken." in refused and "Taken by someone else" in refused
    assert not Booking.objects.filter(resource=room, booked_by=demo_user("resident")).exists()
    done = client.post(reverse("bookings:book", args=[room.pk]), {**form, "skip_conflicts": "on"}).content.decode()
    assert "2 of 3 dates booked" in done
    assert Booking.objects.filter(resource=room, booked_by=demo_user("resident"), series__isnull=False).count() == 2


def test_a_person_outside_the_audience_cannot_open_the_form(personas, room):
    assert personas("citizen").get(reverse("bookings:book", args=[room.pk])).status_code == 404
    assert personas("citizen").post(reverse("bookings:book", args=[room.pk]),
                                    slot(room, tomorrow(room), 10, 11)).status_code == 404
    assert not Booking.objects.filter(resource=room).exists()


# --- My bookings -----------------------------------------------------------------------------


def test_my_bookings_lists_upcoming_ones_and_cancels_and_moves_them(personas, demo_user, room):
    client = personas("resident")
    day = datetime.fromisoformat(tomorrow(room)).date()
    booking = services.booking_create(actor=demo_user("resident"), resource=room, starts_at=at(room, day, time(10)),
                                      ends_at=at(room, day, time(11)))
    page = client.get(reverse("bookings:mine")).content.decode()
    assert booking.get_absolute_url() in page and "10:00–11:00" in page and "40" in page
    moved = client.post(reverse("bookings:change", args=[booking.pk]), slot(room, day.isoformat(), 14, 16))
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert local(room, booking.starts_at).time() == time(14) and booking.price == Decimal("80000.00")
    client.post(reverse("bookings:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_someone_elses_booking_is_not_found(personas, demo_user, room):
    day = datetime.fromisoformat(tomorrow(room)).date()
    booking = services.booking_create(actor=demo_user("resident"), resource=room, starts_at=at(room, day, time(10)),
                                      ends_at=at(room, day, time(11)))
    client = personas("researcher")
    assert client.get(booking.get_absolute_url()).status_code == 404
    assert client.post(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# --- iCal ------------------------------------------------------------------------------------


def test_my_ical_feed_parses_in_utc_and_a_new_address_kills_the_old_one(personas, demo_user, room, client):
    resident = demo_user("resident")
    day = datetime.fromisoformat(tomorrow(room)).date()
    booking = services.booking_create(actor=resident, resource=room, starts_at=at(room, day, time(10)),
                                      ends_at=at(room, day, time(11)))
    personas("resident").get(reverse("bookings:mine"))
    old = CalendarFeed.objects.get(person=resident).token
    client.logout()
    response = client.get(reverse("bookings:ical", args=[old]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"booking-{booking.pk}@testserver"]
    assert event.decoded("DTSTART") == booking.starts_at.astimezone(UTC)
    assert event.decoded("DTSTART").tzinfo is not None and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content  # written as UTC, not a local zone
    assert str(event["SUMMARY"]) == "Sinov xonasi"

    personas("resident").post(reverse("bookings:feed_regenerate"))
    new = CalendarFeed.objects.get(person=resident).token
    client.logout()
    assert new != old
    assert client.get(reverse("bookings:ical", args=[old])).status_code == 404
    assert client.get(reverse("bookings:ical", args=[new])).status_code == 200


def test_a_resources_feed_shows_every_booking_and_its_address_can_be_renewed(personas, demo_user, room, client):
    day = datetime.fromisoformat(tomorrow(room)).date()
    services.booking_create(actor=demo_user("resident"), resource=room, starts_at=at(room, day, time(10)),
                            ends_at=at(room, day, time(11)))
    services.booking_create(actor=demo_user("researcher"), resource=room, starts_at=at(room, day, time(12)),
                            ends_at=at(room, day, time(13)))
    staff = personas("it_staff")
    assert staff.get(reverse("bookings:resource_staff", args=[room.pk])).status_code == 200
    old = CalendarFeed.objects.get(resource=room).token
    client.logout()
    calendar = icalendar.Calendar.from_ical(client.get(reverse("bookings:ical", args=[old])).content)
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Sardor Alimov", "Dr. Gulnora Mirzayeva"}
    personas("it_staff").post(reverse("bookings:resource_feed", args=[room.pk]))
    client.logout()
    assert client.get(reverse("bookings:ical", args=[old])).status_code == 404


# --- Staff -----------------------------------------------------------------------------------


def test_staff_approve_a_request_from_the_queue_and_the_person_is_told(
        personas, demo_user, django_capture_on_commit_callbacks):
    hall = make_resource("Sinov zali", needs_approval=True)
    day = datetime.fromisoformat(tomorrow(hall)).date()
    request = services.booking_create(actor=demo_user("resident"), resource=hall, starts_at=at(hall, day, time(10)),
                                      ends_at=at(hall, day, time(11)))
    client = personas("it_staff")
    queue = client.get(reverse("bookings:queue", args=["namangan-it"])).content.decode()
    assert reverse("bookings:decide", args=[request.pk]) in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:decide", args=[request.pk]), {"approve": "1", "note": "Xush kelibsiz"},
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Approved: the person was told." in response.content.decode()
    request.refresh_from_db()
    assert request.status == Booking.Status.CONFIRMED and request.decision_note == "Xush kelibsiz"
    assert [m.to for m in mail.outbox] == [["resident@demo.texnopark.uz"]]
    again = client.post(reverse("bookings:decide", args=[request.pk]), {"approve": "0"})
    assert again.status_code == 302  # already decided: a message, no change
    request.refresh_from_db()
    assert request.status == Booking.Status.CONFIRMED


def test_staff_check_people_in_on_the_days_page(personas, demo_user, room):
    now = timezone.now()
    starts_at, ends_at = now - timedelta(minutes=5), now + timedelta(minutes=55)
    booking = Booking.objects.create(resource=room, booked_by=demo_user("resident"), starts_at=starts_at,
                                     ends_at=ends_at, blocked_until=ends_at)
    client = personas("it_manager")
    day = local(room, booking.starts_at).date().isoformat()
    page = client.get(reverse("bookings:today", args=["namangan-it"]), {"day": day}).content.decode()
    assert reverse("bookings:check_in", args=[booking.pk]) in page
    response = client.post(reverse("bookings:check_in", args=[booking.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Checked in." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_staff_block_time_and_a_taken_time_cannot_be_blocked(personas, demo_user, room):
    day = datetime.fromisoformat(tomorrow(room)).date()
    services.booking_create(actor=demo_user("resident"), resource=room, starts_at=at(room, day, time(10)),
                            ends_at=at(room, day, time(11)))
    client = personas("it_staff")
    url = reverse("bookings:block", args=[room.pk])
    refused = client.post(url, {"date": day.isoformat(), "starts_at": "09:30", "ends_at": "12:00",
                                "reason": "Taʼmirlash"})
    assert refused.status_code == 200 and "Bookings hold part of this time." in refused.content.decode()
    assert client.post(url, {"date": day.isoformat(), "starts_at": "13:00", "ends_at": "15:00",
                             "reason": "Taʼmirlash"}).status_code == 302
    block = Booking.objects.get(resource=room, is_block=True)
    assert local(room, block.starts_at).time() == time(13) and block.purpose == "Taʼmirlash"
    html = personas("resident").get(reverse("bookings:resource", args=[room.pk]), {"day": day}).content.decode()
    assert "blocked by staff" in html


def test_taking_a_resource_out_of_service_tells_how_many_were_told(personas, demo_user, room,
                                                                   django_capture_on_commit_callbacks):
    day = datetime.fromisoformat(tomorrow(room)).date()
    for person, hour in (("resident", 10), ("researcher", 12)):
        services.booking_create(actor=demo_user(person), resource=room, starts_at=at(room, day, time(hour)),
                                ends_at=at(room, day, time(hour + 1)))
    client = personas("it_manager")
    url = reverse("bookings:service", args=[room.pk])
    assert "2 future bookings will be cancelled" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Konditsioner buzildi"}, follow=True)
    assert "2 future bookings were cancelled and their holders told by e-mail." in response.content.decode()
    room.refresh_from_db()
    assert not room.in_service and room.out_of_service_reason == "Konditsioner buzildi"
    assert len(mail.outbox) == 2
    assert client.post(url, follow=True).status_code == 200
    room.refresh_from_db()
    assert room.in_service


def test_staff_record_a_training_by_e_mail(personas, demo_user):
    instrument = make_resource("Sinov mikroskopi", kind=Resource.Kind.INSTRUMENT, requires_training=True)
    client = personas("it_staff")
    url = reverse("bookings:training", args=[instrument.pk])
    unknown = client.post(url, {"email": "nobody@example.com", "trained_on": "2026-01-10",
                                "valid_until": "2027-01-10"})
    assert "No one signs in with this e-mail." in unknown.content.decode()
    assert client.post(url, {"email": "RESIDENT@demo.texnopark.uz", "trained_on": "2026-01-10",
                             "valid_until": "2027-01-10"}).status_code == 302
    training = Training.objects.get(resource=instrument)
    assert training.person == demo_user("resident") and training.recorded_by == demo_user("it_staff")


@pytest.mark.parametrize("name", ["resource_staff", "block", "service", "training"])
def test_another_parks_manager_finds_no_staff_page(personas, room, name):
    assert personas("kosonsoy_manager").get(reverse(f"bookings:{name}", args=[room.pk])).status_code == 404
    assert personas("resident").get(reverse(f"bookings:{name}", args=[room.pk])).status_code == 404


def test_another_parks_manager_cannot_decide_or_check_in(personas, demo_user, room):
    day = datetime.fromisoformat(tomorrow(room)).date()
    booking = services.booking_create(actor=demo_user("resident"), resource=room, starts_at=at(room, day, time(10)),
                                      ends_at=at(room, day, time(11)))
    client = personas("kosonsoy_manager")
    assert client.post(reverse("bookings:decide", args=[booking.pk]), {"approve": "0"}).status_code == 404
    assert client.post(reverse("bookings:check_in", args=[booking.pk])).status_code == 404
    assert client.get(reverse("bookings:queue", args=["namangan-it"])).status_code == 404


# --- Utilisation and the billing export -----------------------------------------------------


def test_utilisation_and_the_xlsx_export_show_the_bookings_with_amounts(personas, demo_user, room):
    first = timezone.localdate() - timedelta(days=10)
    used = book_directly(room, demo_user("resident"), first + timedelta(days=1), 10, 12,
                         status=Booking.Status.CHECKED_IN, price=Decimal("80000"))
    book_directly(room, demo_user("researcher"), first + timedelta(days=2), 9, 10,
                  status=Booking.Status.NO_SHOW, price=Decimal("100000"))
    book_directly(room, demo_user("researcher"), first + timedelta(days=3), 9, 10,
                  status=Booking.Status.CANCELLED, price=Decimal("100000"))
    client = personas("it_manager")
    params = {"park": "namangan-it", "first": first.isoformat(), "last": (first + timedelta(days=4)).isoformat()}
    page = client.get(reverse("bookings:usage"), params)
    row = next(r for f in page.context["tree"][0]["facilities"] for r in f["rows"] if r["resource"] == room)
    # Open 9 hours a day for 5 days: 45 hours; 3 booked (2 used, 1 no-show), 2 used.
    assert row["usage"].open_hours == 45 and row["usage"].booked_hours == 3 and row["usage"].used_hours == 2
    assert row["usage"].amount == Decimal("180000")

    response = client.get(reverse("bookings:usage_xlsx"), params)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(BytesIO(response.content))
    rows = [r for r in book.worksheets[0].iter_rows(min_row=2, values_only=True) if r[5] == "Sinov xonasi"]
    assert len(rows) == 2  # the cancelled booking is not billed
    mine = next(r for r in rows if r[7] == "resident@demo.texnopark.uz")
    assert mine[0].date() == local(room, used.starts_at).date()
    assert mine[1:3] == ("10:00", "12:00") and mine[8] == 2 and mine[9] == 1 and mine[11] == 80000
    summary = [r for r in book.worksheets[1].iter_rows(values_only=True) if r and r[2] == "Sinov xonasi"]
    assert summary and summary[0][3] == 45 and summary[0][4] == 3 and summary[0][8] == 180000


def test_a_person_who_runs_no_park_has_no_utilisation(personas):
    assert personas("resident").get(reverse("bookings:usage")).status_code == 404
    assert personas("resident").get(reverse("bookings:usage_xlsx")).status_code == 404


def test_a_report_period_must_be_sensible(personas):
    response = personas("it_manager").get(reverse("bookings:usage"), {"first": "2026-03-01", "last": "2026-02-01"})
    assert "The end of the period must not be before its start." in response.content.decode()


# --- Back office ---------------------------------------------------------------------------


def test_the_back_office_shows_a_park_only_its_resources_and_facilities(personas, room):
    make_resource("Kosonsoy sinov xonasi", facility=Facility.objects.filter(park__slug="kosonsoy-medical").first())
    client = personas("it_manager")
    listed = list(client.get(reverse("admin:bookings_resource_changelist")).context["cl"].queryset)
    assert room in listed and {r.facility.park.slug for r in listed} == {"namangan-it"}
    form = client.get(reverse("admin:bookings_resource_add")).context["adminform"].form
    assert {f.park.slug for f in form.fields["facility"].queryset} == {"namangan-it"}


# --- No query per row ------------------------------------------------------------------------


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm up
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["anonymous", "resident", "it_manager"])
def test_the_resource_list_runs_the_same_queries_with_more_resources(personas, persona,
                                                                     django_assert_max_num_queries):
    client = personas(persona)
    url = reverse("bookings:park", args=["namangan-it"])
    before = queries(client, url)
    for i in range(15):
        make_resource(f"Qoʻshimcha xona {i}", facility=Facility.objects.filter(park__slug="namangan-it")[i % 3])
    assert queries(client, url) == before
    with django_assert_max_num_queries(CEILING):
        client.get(url)


@pytest.mark.parametrize("view", ["day", "week"])
def test_the_calendar_runs_the_same_queries_with_more_bookings(personas, demo_user, desks, view,
                                                               django_assert_max_num_queries):
    client = personas("resident")
    day = datetime.fromisoformat(tomorrow(desks)).date()
    url, params = reverse("bookings:resource", args=[desks.pk]), {view: day.isoformat()}
    before = queries(client, url, params)
    for hour in range(9, 17):
        book_directly(desks, demo_user("researcher"), day, hour, hour + 1)
        book_directly(desks, demo_user("resident"), day, hour, hour + 1, units=2)
    desks.closed_days.create(date=day + timedelta(days=1), reason="Bayram")
    assert queries(client, url, params) == before
    with django_assert_max_num_queries(CEILING):
        client.get(url, params)
    with django_assert_max_num_queries(CEILING):
        client.get(url, params, HTTP_HX_REQUEST="true")


def test_my_bookings_runs_the_same_queries_with_more_bookings(personas, demo_user, room, desks,
                                                              django_assert_max_num_queries):
    client = personas("resident")
    url = reverse("bookings:mine")
    before = queries(client, url)
    day = datetime.fromisoformat(tomorrow(room)).date()
    for i in range(8):
        book_directly(room, demo_user("resident"), day + timedelta(days=i), 10, 11)
        book_directly(desks, demo_user("resident"), day - timedelta(days=i + 3), 10, 11,
                      status=Booking.Status.CHECKED_IN)
    assert queries(client, url) == before
    with django_assert_max_num_queries(CEILING):
        client.get(url)


@pytest.mark.parametrize("name", ["queue", "today"])
def test_the_staff_lists_run_the_same_queries_with_more_bookings(personas, demo_user, name):
    hall = make_resource("Sinov zali", needs_approval=True)
    client = personas("it_manager")
    day = datetime.fromisoformat(tomorrow(hall)).date()
    url, params = reverse(f"bookings:{name}", args=["namangan-it"]), {"day": day.isoformat()}
    services.booking_create(actor=demo_user("resident"), resource=hall, starts_at=at(hall, day, time(9)),
                            ends_at=at(hall, day, time(10)))
    before = queries(client, url, params)
    for hour in range(10, 16):
        services.booking_create(actor=demo_user("researcher"), resource=hall, starts_at=at(hall, day, time(hour)),
                                ends_at=at(hall, day, time(hour + 1)))
    assert queries(client, url, params) == before


def test_park_staff_define_a_resource_with_a_closed_day_in_the_back_office(personas):
    facility = it_facility()
    client = personas("it_staff")
    response = client.post(reverse("admin:bookings_resource_add"), {
        "facility": facility.pk, "kind": "pool", "name": "Yangi ish joylari", "name_ru": "Новые рабочие места",
        "name_en": "New desks", "name_ko": "", "description": "", "capacity": "12",
        "opens_at": "08:00", "closes_at": "20:00", "open_weekdays": ["0", "1", "2", "3", "4", "5"],
        "slot_minutes": "60", "min_minutes": "60", "max_minutes": "480", "book_ahead_days": "30",
        "buffer_minutes": "0", "audience": ["park_residents", "public"], "approval_hold_hours": "48",
        "cancel_hours_before": "2", "no_show_minutes": "15", "price_per_hour": "5000",
        "resident_price_per_hour": "0",
        "closed_days-TOTAL_FORMS": "1", "closed_days-INITIAL_FORMS": "0", "closed_days-MIN_NUM_FORMS": "0",
        "closed_days-MAX_NUM_FORMS": "1000", "closed_days-0-date": "2027-01-01", "closed_days-0-reason": "Yangi yil",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(name="Yangi ish joylari")
    assert resource.audience == ["park_residents", "public"] and resource.open_weekdays == [0, 1, 2, 3, 4, 5]
    assert resource.capacity == 12
    assert search_key("Новые рабочие места") in resource.search_text  # found in any spelling, like the network
    assert list(resource.closed_days.values_list("reason", flat=True)) == ["Yangi yil"]
    other = Facility.objects.filter(park__slug="kosonsoy-medical").first()
    refused = client.post(reverse("admin:bookings_resource_add"), {"facility": other.pk, "name": "Begona"})
    assert refused.status_code == 200 and not Resource.objects.filter(name="Begona").exists()


def test_park_staff_record_a_training_in_the_back_office_by_e_mail(personas, demo_user):
    instrument = make_resource("Sinov mikroskopi", kind=Resource.Kind.INSTRUMENT, requires_training=True)
    client = personas("it_staff")
    response = client.post(reverse("admin:bookings_training_add"), {
        "resource": instrument.pk, "person_email": "researcher@demo.texnopark.uz",
        "trained_on": "2026-01-10", "valid_until": "2027-01-10"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    training = Training.objects.get(resource=instrument)
    assert training.person == demo_user("researcher") and training.recorded_by == demo_user("it_staff")
    assert [t.pk for t in client.get(reverse("admin:bookings_training_changelist")).context["cl"].queryset
            if t.resource_id == instrument.pk] == [training.pk]
    assert personas("kosonsoy_manager").get(
        reverse("admin:bookings_training_change", args=[training.pk])).status_code == 302  # not theirs
