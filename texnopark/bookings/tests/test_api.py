"""Bookings over /api/v1/: the same services and scopes as the pages, one error shape, times in the park's zone.

Sardor is a resident of the Namangan IT park; Aziza is a citizen; Anvar runs the Kosonsoy park and must see
nothing of the IT park's bookings; Malika and Jasur run the IT park.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.accounts.services import token_create
from texnopark.bookings.models import Booking, ClosedDay, Resource, Training
from texnopark.network.models import Facility, Technopark
from texnopark.network.services import search_text_for

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")
CONTRACT = {"id", "resource_id", "starts_at", "ends_at", "units", "status", "price", "purpose", "is_block",
            "series_id"}


# Helpers


def send(client, method, url, body=None, **extra):
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "fields"} <= set(body)
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def bearer(user) -> dict:
    _token, plain = token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def future_weekday(weeks: int = 1, weekday: int = 1) -> date:
    """A day `weeks` weeks ahead on the given weekday (Tuesday by default), well inside the booking horizon."""
    today = timezone.localdate(timezone=TASHKENT)
    day = today + timedelta(weeks=weeks)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, clock: str) -> str:
    """An ISO time on the day in Tashkent, as a client sends it."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TASHKENT).isoformat()


def slot(day: date, start: str, end: str, **more) -> dict:
    return {"starts_at": at(day, start), "ends_at": at(day, end), **more}


def make_resource(facility: Facility, name: str, **fields) -> Resource:
    fields.setdefault("audience", ["public"])
    resource = Resource(facility=facility, name=name, **fields)
    resource.full_clean()
    resource.save()
    resource.search_text = search_text_for(resource)
    resource.save(update_fields=["search_text"])
    return resource


def make_booking(resource: Resource, person, starts_at: datetime, minutes: int = 60, **fields) -> Booking:
    """A booking written straight to the table, e.g. one that started already (the API refuses the past)."""
    ends_at = starts_at + timedelta(minutes=minutes)
    fields.setdefault("status", Booking.Status.CONFIRMED)
    return Booking.objects.create(resource=resource, booked_by=person, starts_at=starts_at, ends_at=ends_at,
                                  blocked_until=ends_at + timedelta(minutes=resource.buffer_minutes),
                                  exclusive=resource.exclusive, **fields)


@pytest.fixture
def it_facility():
    return Facility.objects.get(park__slug="namangan-it", kind__slug="coworking")


@pytest.fixture
def room(it_facility):
    """A public room in the IT park: 09:00-18:00 on weekdays, 30-minute grid."""
    return make_resource(it_facility, "Sinov xonasi", name_en="Test room", price_per_hour=Decimal(60000),
                         resident_price_per_hour=Decimal(20000))


@pytest.fixture
def pool(it_facility):
    return make_resource(it_facility, "Sinov stollari", kind=Resource.Kind.POOL, capacity=2, slot_minutes=60,
                         min_minutes=60, audience=["park_residents", "researchers"], price_per_hour=Decimal(5000))


@pytest.fixture
def instrument():
    lab = Facility.objects.get(park__slug="namangan-it", kind__slug="testing-lab")
    return make_resource(lab, "Lazer stanogi", kind=Resource.Kind.INSTRUMENT, requires_training=True,
                         audience=["park_residents", "researchers"])


@pytest.fixture
def hall(it_facility):
    return make_resource(it_facility, "Sinov zali", needs_approval=True, audience=["public"])


@pytest.fixture
def chortoq_room():
    facility = Facility.objects.filter(park__slug="chortoq-agro").order_by("pk").first()
    return make_resource(facility, "Chortoq xonasi", audience=["park_residents"])


@pytest.fixture
def people(demo_user):
    return {name: demo_user(name) for name in (
        "resident", "researcher", "citizen", "it_manager", "it_staff", "kosonsoy_manager", "region_admin")}


@pytest.fixture
def chortoq_resident():
    user = User.objects.create_user("farmer@example.uz", "x", full_name="Chortoq rezidenti")
    Membership.objects.create(user=user, role=Role.RESIDENT, park=Technopark.objects.get(slug="chortoq-agro"))
    return user


@pytest.fixture
def api(client, demo_user):
    """api("resident") -> a client that sends that demo person's Bearer token; api("anonymous") sends none."""

    def as_(persona: str):
        client.logout()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if persona != "anonymous":
            client.defaults.update(bearer(demo_user(persona)))
        return client

    return as_


def book(client, resource, body, **extra):
    return send(client, "post", f"/api/v1/resources/{resource.pk}/bookings", body, **extra)


# Resources


def test_the_resource_list_filters_by_park_facility_kind_and_a_query_in_any_script(client, room, instrument):
    def ids(**params):
        response = client.get("/api/v1/resources", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert {room.pk, instrument.pk} <= ids(park="namangan-it")
    assert not {room.pk, instrument.pk} & ids(park="chortoq-agro")
    assert room.pk in ids(facility=room.facility_id) and instrument.pk not in ids(facility=room.facility_id)
    assert instrument.pk in ids(kind="instrument") and room.pk not in ids(kind="instrument")
    for q in ("Lazer stanogi", "Лазер станоги", "lazer"):
        assert ids(q=q) == {instrument.pk}
    assert client.get("/api/v1/resources", {"kind": "spaceship"}).status_code == 422
    listed = {r["id"]: r["can_book"] for r in client.get("/api/v1/resources", {"park": "namangan-it"}).json()["items"]}
    assert (listed[room.pk], listed[instrument.pk]) == (False, False)  # nobody signed in
    client.force_login(User.objects.get(email="resident@demo.texnopark.uz"))
    listed = {r["id"]: r["can_book"] for r in client.get("/api/v1/resources", {"park": "namangan-it"}).json()["items"]}
    assert (listed[room.pk], listed[instrument.pk]) == (True, True)


def test_a_resource_shows_its_rules_and_whether_the_viewer_may_book_it(api, instrument):
    ClosedDay.objects.create(resource=instrument, date=future_weekday(), reason="Kalibrlash")
    ClosedDay.objects.create(resource=instrument, date=date(2020, 1, 1), reason="O'tgan")
    body = api("resident").get(f"/api/v1/resources/{instrument.pk}").json()
    assert body["kind"] == "instrument" and body["park_slug"] == "namangan-it"
    assert body["timezone"] == "Asia/Tashkent"
    assert (body["opens_at"], body["closes_at"], body["open_weekdays"]) == ("09:00", "18:00", [0, 1, 2, 3, 4])
    assert (body["slot_minutes"], body["min_minutes"], body["max_minutes"]) == (30, 30, 480)
    assert (body["book_ahead_days"], body["buffer_minutes"], body["cancel_hours_before"]) == (60, 0, 2)
    assert body["audience"] == ["park_residents", "researchers"]
    assert body["requires_training"] is True and body["needs_approval"] is False and body["in_service"] is True
    assert body["price_per_hour"] == "0.00"
    assert body["closed_days"] == [{"date": future_weekday().isoformat(), "reason": "Kalibrlash"}]
    assert (body["can_book"], body["trained"], body["can_manage"]) == (True, False, False)
    citizen = api("citizen").get(f"/api/v1/resources/{instrument.pk}").json()
    assert citizen["can_book"] is False
    manager = api("it_manager").get(f"/api/v1/resources/{instrument.pk}").json()
    assert manager["can_book"] is True and manager["can_manage"] is True
    anonymous = api("anonymous").get(f"/api/v1/resources/{instrument.pk}").json()
    assert (anonymous["can_book"], anonymous["trained"], anonymous["can_manage"]) == (False, None, False)


def test_a_resource_in_an_unpublished_facility_is_seen_only_by_its_park(api, room):
    Facility.objects.filter(pk=room.facility_id).update(is_published=False)
    for persona in ("anonymous", "citizen", "resident", "kosonsoy_manager"):
        error_shape(api(persona).get(f"/api/v1/resources/{room.pk}"), 404, "not_found")
        assert room.pk not in {r["id"] for r in api(persona).get("/api/v1/resources").json()["items"]}
        assert api(persona).get(f"/api/v1/resources/{room.pk}/availability").status_code == 404
    assert api("it_staff").get(f"/api/v1/resources/{room.pk}").status_code == 200
    assert api("region_admin").get(f"/api/v1/resources/{room.pk}").status_code == 200


# Availability


def test_a_days_availability_has_every_slot_with_free_units_in_the_parks_offset(api, room, people):
    day = future_weekday()
    assert book(api("resident"), room, slot(day, "10:00", "11:00")).status_code == 201
    body = api("resident").get(f"/api/v1/resources/{room.pk}/availability", {"date": day.isoformat()}).json()
    assert (body["resource_id"], body["capacity"], body["timezone"]) == (room.pk, 1, "Asia/Tashkent")
    [only] = body["days"]
    assert only["date"] == day.isoformat() and only["open"] is True
    slots = only["slots"]
    assert len(slots) == 18  # 09:00-18:00 in 30 minutes
    assert slots[0]["starts_at"] == at(day, "09:00") and slots[-1]["ends_at"] == at(day, "18:00")
    assert all(s["starts_at"].endswith("+05:00") for s in slots)
    taken = [s for s in slots if s["free_units"] == 0]
    assert [s["starts_at"] for s in taken] == [at(day, "10:00"), at(day, "10:30")]
    assert all(s["mine"] and not s["free"] for s in taken)
    # Another person sees the slot taken, not whose it is.
    other = api("citizen").get(f"/api/v1/resources/{room.pk}/availability", {"date": day.isoformat()}).json()
    assert [s["mine"] for s in other["days"][0]["slots"] if s["free_units"] == 0] == [False, False]
    assert "booked_by" not in json.dumps(other)


def test_a_weeks_availability_has_seven_days_from_monday_with_the_weekend_closed(api, room):
    wednesday = future_weekday(weekday=2)
    body = api("anonymous").get(f"/api/v1/resources/{room.pk}/availability", {"week": wednesday.isoformat()}).json()
    monday = wednesday - timedelta(days=2)
    assert [d["date"] for d in body["days"]] == [(monday + timedelta(days=i)).isoformat() for i in range(7)]
    assert [d["open"] for d in body["days"]] == [True] * 5 + [False] * 2
    assert [len(d["slots"]) for d in body["days"]] == [18] * 5 + [0, 0]


def test_availability_asks_for_a_date_or_a_week_not_both(client, room):
    url = f"/api/v1/resources/{room.pk}/availability"
    error_shape(client.get(url, {"date": "2026-12-01", "week": "2026-12-01"}), 422, "invalid")
    body = error_shape(client.get(url, {"date": "first of december"}), 422, "invalid")
    assert list(body["fields"]) == ["date"]
    assert client.get(url).status_code == 200  # today


# Booking


def test_a_resident_books_a_room_and_gets_the_booking_in_the_parks_time(api, room, people):
    day = future_weekday()
    response = book(api("resident"), room, slot(day, "10:00", "11:30", purpose="Uchrashuv"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert CONTRACT <= set(body)
    assert (body["resource_id"], body["units"], body["status"], body["purpose"]) == (room.pk, 1, "confirmed",
                                                                                     "Uchrashuv")
    assert (body["starts_at"], body["ends_at"]) == (at(day, "10:00"), at(day, "11:30"))
    assert body["is_block"] is False and body["series_id"] is None
    assert Decimal(body["price"]) == Decimal(30000)  # 1.5 hours at the rate for the park's residents
    booking = Booking.objects.get(pk=body["id"])
    assert booking.booked_by == people["resident"]
    assert booking.starts_at == datetime.combine(day, time(5), tzinfo=ZoneInfo("UTC"))


def test_a_time_sent_without_an_offset_is_the_parks_wall_clock_time(api, room):
    day = future_weekday()
    response = book(api("citizen"), room, {"starts_at": f"{day}T14:00:00", "ends_at": f"{day}T15:00:00"})
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] == at(day, "14:00")


def test_a_taken_slot_is_a_409_with_free_slots_nearby(api, room):
    day = future_weekday()
    assert book(api("resident"), room, slot(day, "10:00", "11:00")).status_code == 201
    response = book(api("citizen"), room, slot(day, "10:30", "11:30"))
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"code", "message", "fields", "alternatives"}
    assert body["code"] == "slot_taken" and body["message"] and body["fields"]["starts_at"]
    assert 1 <= len(body["alternatives"]) <= 3
    for alternative in body["alternatives"]:
        assert set(alternative) == {"starts_at", "ends_at"}
        start, end = datetime.fromisoformat(alternative["starts_at"]), datetime.fromisoformat(alternative["ends_at"])
        assert end - start == timedelta(hours=1)
        # Each alternative really is free: booking it works.
    first = body["alternatives"][0]
    assert book(api("citizen"), room, first).status_code == 201
    assert Booking.objects.filter(resource=room).count() == 2


def test_a_pool_of_two_desks_takes_two_bookings_at_once_and_refuses_a_third(api, pool):
    day = future_weekday()
    assert book(api("resident"), pool, slot(day, "10:00", "12:00")).status_code == 201
    assert book(api("researcher"), pool, slot(day, "11:00", "12:00")).status_code == 201
    error_shape(book(api("resident"), pool, slot(day, "11:00", "13:00")), 409, "slot_taken")
    two = book(api("researcher"), pool, slot(day, "12:00", "14:00", units=2)).json()
    assert (two["units"], Decimal(two["price"])) == (2, Decimal(20000))  # 2 desks × 2 hours × 5 000
    error_shape(book(api("resident"), pool, slot(day, "14:00", "15:00", units=3)), 400, "bad_units")


@pytest.mark.parametrize("body, code, field", [
    (lambda d: slot(d, "10:10", "11:10"), "slot_not_allowed", "starts_at"),      # off the 30-minute grid
    (lambda d: slot(d, "17:00", "19:00"), "slot_not_allowed", "starts_at"),      # after closing
    (lambda d: slot(d + timedelta(days=4), "10:00", "11:00"), "slot_not_allowed", "starts_at"),  # Saturday
    (lambda d: slot(d, "10:00", "10:00"), "slot_not_allowed", "ends_at"),
    (lambda d: slot(d, "09:00", "18:00"), "slot_not_allowed", "ends_at"),        # longer than 8 hours
    (lambda d: slot(d + timedelta(days=70), "10:00", "11:00"), "slot_not_allowed", "starts_at"),  # too far ahead
    (lambda d: slot(date(2020, 1, 7), "10:00", "11:00"), "slot_not_allowed", "starts_at"),  # past
])
def test_a_slot_against_the_rules_is_a_400_with_its_code_and_field(api, room, body, code, field):
    response = book(api("resident"), room, body(future_weekday()))
    assert list(error_shape(response, 400, code)["fields"]) == [field]
    assert not Booking.objects.filter(resource=room).exists()


def test_an_instrument_is_refused_without_valid_training_and_booked_with_it(api, instrument, people):
    day = future_weekday()
    error_shape(book(api("researcher"), instrument, slot(day, "10:00", "11:00")), 400, "training_required")
    Training.objects.create(resource=instrument, person=people["researcher"], trained_on=date(2025, 1, 1),
                            valid_until=day - timedelta(days=1))
    error_shape(book(api("researcher"), instrument, slot(day, "10:00", "11:00")), 400, "training_required")
    Training.objects.create(resource=instrument, person=people["researcher"], trained_on=date(2025, 1, 1),
                            valid_until=day + timedelta(days=30))
    assert book(api("researcher"), instrument, slot(day, "10:00", "11:00")).status_code == 201


def test_bad_json_is_refused_in_the_error_shape_and_books_nothing(api, room):
    client = api("resident")
    body = error_shape(book(client, room, {"starts_at": "tomorrow at ten", "ends_at": at(future_weekday(), "11:00")}),
                       422, "invalid")
    assert list(body["fields"]) == ["starts_at"]
    body = error_shape(book(client, room, {"starts_at": at(future_weekday(), "10:00")}), 422, "invalid")
    assert list(body["fields"]) == ["ends_at"]
    body = error_shape(book(client, room, slot(future_weekday(), "10:00", "11:00", units="two")), 422, "invalid")
    assert list(body["fields"]) == ["units"]
    # Not JSON at all: the API-wide handler answers (400 today) in the same shape.
    response = client.post(f"/api/v1/resources/{room.pk}/bookings", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert {"code", "message", "fields"} == set(response.json())
    assert not Booking.objects.filter(resource=room).exists()


@pytest.mark.parametrize("persona", ["resident", "citizen", "kosonsoy_manager"])
def test_a_residents_only_resource_of_another_park_cannot_be_booked(api, chortoq_room, persona):
    error_shape(book(api(persona), chortoq_room, slot(future_weekday(), "10:00", "11:00")), 404, "not_found")
    assert not Booking.objects.filter(resource=chortoq_room).exists()


def test_a_resident_of_the_park_books_its_residents_only_resource(client, chortoq_room, chortoq_resident):
    response = book(client, chortoq_room, slot(future_weekday(), "10:00", "11:00"), **bearer(chortoq_resident))
    assert response.status_code == 201, response.content


def test_booking_needs_a_signed_in_person_and_a_csrf_token_with_the_session(client, room, demo_user):
    error_shape(book(client, room, slot(future_weekday(), "10:00", "11:00")), 401, "unauthorized")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(demo_user("resident"))
    error_shape(book(strict, room, slot(future_weekday(), "10:00", "11:00")), 403, "forbidden")
    assert not Booking.objects.filter(resource=room).exists()
    # The session with its CSRF token books.
    strict.get("/accounts/profile/")
    response = book(strict, room, slot(future_weekday(), "10:00", "11:00"),
                    HTTP_X_CSRFTOKEN=strict.cookies["csrftoken"].value)
    assert response.status_code == 201, response.content


def test_a_request_for_an_approval_resource_waits_and_holds_its_slot(api, hall):
    day = future_weekday()
    body = book(api("resident"), hall, slot(day, "10:00", "11:00")).json()
    assert body["status"] == "pending" and body["hold_expires_at"]
    error_shape(book(api("citizen"), hall, slot(day, "10:00", "11:00")), 409, "slot_taken")


# My bookings, and the bookings staff run


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_a_person_lists_their_own_bookings_only(api, room, pool, people):
    day = future_weekday()
    mine = book(api("resident"), room, slot(day, "10:00", "11:00")).json()["id"]
    theirs = book(api("citizen"), room, slot(day, "12:00", "13:00")).json()["id"]
    now = timezone.now()
    resident_ids = _ids(api("resident").get("/api/v1/bookings", {"after": now.isoformat()}))
    assert mine in resident_ids and theirs not in resident_ids
    assert set(resident_ids) == set(Booking.objects.filter(booked_by=people["resident"], ends_at__gt=now)
                                    .values_list("pk", flat=True))
    everything = api("resident").get("/api/v1/bookings", {"page_size": 200}).json()
    assert everything["count"] == Booking.objects.filter(booked_by=people["resident"]).count()
    assert {b["booked_by"]["id"] for b in everything["items"]} == {people["resident"].pk}
    citizen_ids = _ids(api("citizen").get("/api/v1/bookings", {"resource": room.pk}))
    assert citizen_ids == [theirs]
    # Filters: status and time.
    assert _ids(api("resident").get("/api/v1/bookings", {"status": "cancelled", "resource": room.pk})) == []
    upcoming = _ids(api("resident").get("/api/v1/bookings", {"after": timezone.now().isoformat()}))
    assert mine in upcoming and all(
        b.ends_at > timezone.now() for b in Booking.objects.filter(pk__in=upcoming))
    error_shape(api("resident").get("/api/v1/bookings", {"status": "lost"}), 422, "invalid")
    error_shape(api("anonymous").get("/api/v1/bookings"), 401, "unauthorized")


def test_staff_list_the_bookings_of_what_they_run_and_nothing_else(api, room, chortoq_room, chortoq_resident):
    day = future_weekday()
    a = book(api("resident"), room, slot(day, "10:00", "11:00")).json()["id"]
    b = book(api("citizen"), room, slot(day, "12:00", "13:00")).json()["id"]
    c = book(Client(), chortoq_room, slot(day, "10:00", "11:00"), **bearer(chortoq_resident)).json()["id"]
    assert _ids(api("it_staff").get("/api/v1/bookings", {"resource": room.pk})) == [a, b]
    park = _ids(api("it_manager").get("/api/v1/bookings", {"park": "namangan-it", "after": at(day, "00:00")}))
    assert {a, b} <= set(park) and c not in park
    assert c not in _ids(api("it_manager").get("/api/v1/bookings", {"run": "true"}))
    assert a in _ids(api("it_manager").get("/api/v1/bookings", {"run": "true", "status": "confirmed"}))
    assert _ids(api("region_admin").get("/api/v1/bookings", {"resource": chortoq_room.pk})) == [c]
    # Anvar runs Kosonsoy: the IT park's bookings are not his to see, by filter or by id.
    assert _ids(api("kosonsoy_manager").get("/api/v1/bookings", {"resource": room.pk})) == []
    assert _ids(api("kosonsoy_manager").get("/api/v1/bookings", {"park": "namangan-it"})) == []
    assert _ids(api("kosonsoy_manager").get("/api/v1/bookings", {"run": "true", "resource": room.pk})) == []


@pytest.mark.parametrize("persona, status", [("resident", 200), ("it_manager", 200), ("it_staff", 200),
                                             ("region_admin", 200), ("citizen", 404), ("researcher", 404),
                                             ("kosonsoy_manager", 404), ("anonymous", 401)])
def test_a_booking_is_read_by_its_person_and_the_staff_who_run_it(api, room, persona, status):
    pk = book(api("resident"), room, slot(future_weekday(), "10:00", "11:00")).json()["id"]
    response = api(persona).get(f"/api/v1/bookings/{pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["booked_by"]["email"] == "resident@demo.texnopark.uz"
        assert body["starts_at"].endswith("+05:00")
    else:
        assert "resident@demo" not in response.content.decode()


# Changing a booking


def test_a_person_cancels_their_booking_and_the_slot_is_free_again(api, room):
    day = future_weekday()
    pk = book(api("resident"), room, slot(day, "10:00", "11:00")).json()["id"]
    error_shape(send(api("citizen"), "post", f"/api/v1/bookings/{pk}/cancel"), 404, "not_found")
    error_shape(send(api("kosonsoy_manager"), "post", f"/api/v1/bookings/{pk}/cancel", {}), 404, "not_found")
    response = send(api("resident"), "post", f"/api/v1/bookings/{pk}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    error_shape(send(api("resident"), "post", f"/api/v1/bookings/{pk}/cancel", {}), 400, "not_cancellable")
    assert book(api("citizen"), room, slot(day, "10:00", "11:00")).status_code == 201


def test_staff_cancel_a_booking_with_a_reason_even_after_the_deadline(api, it_facility, people):
    everyday = make_resource(it_facility, "Har kungi xona", open_weekdays=[0, 1, 2, 3, 4, 5, 6],
                             opens_at=time(0), closes_at=time(23, 30), cancel_hours_before=48)
    soon = timezone.localtime(timezone.now(), TASHKENT).replace(second=0, microsecond=0) + timedelta(hours=26)
    soon = soon.replace(minute=0) if soon.minute < 30 else soon.replace(minute=30)
    booking = make_booking(everyday, people["resident"], soon, minutes=30)
    error_shape(send(api("resident"), "post", f"/api/v1/bookings/{booking.pk}/cancel", {}), 400, "too_late_to_cancel")
    response = send(api("it_staff"), "post", f"/api/v1/bookings/{booking.pk}/cancel", {"reason": "Ta'mir"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("cancelled", "Ta'mir")


def test_a_booking_is_moved_to_a_free_time_and_keeps_its_length(api, room):
    day = future_weekday()
    pk = book(api("resident"), room, slot(day, "10:00", "11:30")).json()["id"]
    book(api("citizen"), room, slot(day, "14:00", "15:00"))
    response = send(api("resident"), "patch", f"/api/v1/bookings/{pk}", {"starts_at": at(day, "12:00")})
    assert response.status_code == 200, response.content
    assert (response.json()["starts_at"], response.json()["ends_at"]) == (at(day, "12:00"), at(day, "13:30"))
    error_shape(send(api("resident"), "patch", f"/api/v1/bookings/{pk}", {"starts_at": at(day, "13:30")}),
                409, "slot_taken")
    error_shape(send(api("resident"), "patch", f"/api/v1/bookings/{pk}", {"ends_at": at(day, "12:10")}),
                400, "slot_not_allowed")
    error_shape(send(api("resident"), "patch", f"/api/v1/bookings/{pk}", {}), 422, "invalid")
    error_shape(send(api("citizen"), "patch", f"/api/v1/bookings/{pk}", {"starts_at": at(day, "16:00")}),
                404, "not_found")
    error_shape(send(api("kosonsoy_manager"), "patch", f"/api/v1/bookings/{pk}", {"starts_at": at(day, "16:00")}),
                404, "not_found")
    assert Booking.objects.get(pk=pk).starts_at == datetime.fromisoformat(at(day, "12:00"))


def test_staff_approve_or_decline_a_request_and_nobody_else_may(api, hall):
    day = future_weekday()
    first = book(api("resident"), hall, slot(day, "10:00", "11:00")).json()["id"]
    second = book(api("citizen"), hall, slot(day, "12:00", "13:00")).json()["id"]
    for persona in ("resident", "citizen", "kosonsoy_manager"):
        error_shape(send(api(persona), "post", f"/api/v1/bookings/{first}/decision", {"approve": True}),
                    404, "not_found")
    response = send(api("it_manager"), "post", f"/api/v1/bookings/{first}/decision", {"approve": True, "note": "OK"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("confirmed", "OK")
    declined = send(api("it_staff"), "post", f"/api/v1/bookings/{second}/decision", {"approve": False}).json()
    assert declined["status"] == "declined"
    error_shape(send(api("it_manager"), "post", f"/api/v1/bookings/{first}/decision", {"approve": False}),
                400, "already_decided")
    error_shape(send(api("it_manager"), "post", f"/api/v1/bookings/{first}/decision", {}), 422, "invalid")
    # The declined request no longer holds its slot.
    assert book(api("researcher"), hall, slot(day, "12:00", "13:00")).status_code == 201


def test_staff_check_a_person_in_from_half_an_hour_before_the_start(api, room, people):
    now = timezone.now()
    started = make_booking(room, people["resident"], now - timedelta(minutes=5), minutes=60)
    later = make_booking(room, people["resident"], now + timedelta(hours=3), minutes=30)
    for persona in ("resident", "kosonsoy_manager"):
        error_shape(send(api(persona), "post", f"/api/v1/bookings/{started.pk}/check-in"), 404, "not_found")
    response = send(api("it_staff"), "post", f"/api/v1/bookings/{started.pk}/check-in")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "checked_in" and response.json()["checked_in_at"].endswith("+05:00")
    error_shape(send(api("it_staff"), "post", f"/api/v1/bookings/{started.pk}/check-in"), 400, "not_checkable")
    error_shape(send(api("it_staff"), "post", f"/api/v1/bookings/{later.pk}/check-in"), 400, "not_now")


# Series


def test_a_weekly_series_books_every_date(api, room):
    day = future_weekday()
    response = send(api("resident"), "post", f"/api/v1/resources/{room.pk}/series",
                    slot(day, "10:00", "11:00", count=3, purpose="Haftalik"))
    assert response.status_code == 201, response.content
    results = response.json()
    assert [r["starts_at"] for r in results] == [at(day + timedelta(weeks=n), "10:00") for n in range(3)]
    assert all(r["booked"] and r["booking_id"] and r["error"] is None for r in results)
    bookings = Booking.objects.filter(pk__in=[r["booking_id"] for r in results])
    assert len({b.series_id for b in bookings}) == 1 and bookings.first().series_id
    one = api("resident").get(f"/api/v1/bookings/{results[0]['booking_id']}").json()
    assert one["series_id"] == bookings.first().series_id


def test_a_series_with_a_conflict_books_nothing_unless_told_to_skip_it(api, room):
    day = future_weekday()
    book(api("citizen"), room, slot(day + timedelta(weeks=1), "10:00", "11:00"))
    url = f"/api/v1/resources/{room.pk}/series"
    response = send(api("resident"), "post", url, slot(day, "10:00", "11:00", until=str(day + timedelta(weeks=2))))
    body = error_shape(response, 409, "series_not_booked")
    assert [(r["booked"], r["error"] and r["error"]["code"]) for r in body["results"]] == [
        (False, None), (False, "slot_taken"), (False, None)]
    assert not Booking.objects.filter(resource=room, booked_by__email="resident@demo.texnopark.uz").exists()
    response = send(api("resident"), "post", url, slot(day, "10:00", "11:00", count=3, skip_conflicts=True))
    assert response.status_code == 201
    assert [(r["booked"], r["error"] and r["error"]["code"]) for r in response.json()] == [
        (True, None), (False, "slot_taken"), (True, None)]
    assert response.json()[1]["error"]["message"]


def test_a_series_needs_an_end_and_the_right_to_book(api, room, chortoq_room):
    day = future_weekday()
    error_shape(send(api("resident"), "post", f"/api/v1/resources/{room.pk}/series", slot(day, "10:00", "11:00")),
                400, "series_open_ended")
    error_shape(send(api("resident"), "post", f"/api/v1/resources/{room.pk}/series",
                     slot(day, "10:00", "11:00", count=500)), 422, "invalid")
    error_shape(send(api("resident"), "post", f"/api/v1/resources/{chortoq_room.pk}/series",
                     slot(day, "10:00", "11:00", count=2)), 404, "not_found")


# Staff tools


def test_staff_block_time_for_maintenance_and_the_slot_is_then_taken(api, room):
    day = future_weekday()
    url = f"/api/v1/resources/{room.pk}/blocks"
    for persona in ("resident", "kosonsoy_manager"):
        error_shape(send(api(persona), "post", url, slot(day, "09:00", "12:00", reason="Ta'mir")), 404, "not_found")
    response = send(api("it_staff"), "post", url, slot(day, "09:00", "12:00", reason="Ta'mir"))
    assert response.status_code == 201, response.content
    assert response.json()["is_block"] is True and response.json()["purpose"] == "Ta'mir"
    error_shape(book(api("resident"), room, slot(day, "10:00", "11:00")), 409, "slot_taken")
    blocked = api("resident").get(f"/api/v1/resources/{room.pk}/availability", {"date": day.isoformat()}).json()
    assert [s["blocked"] for s in blocked["days"][0]["slots"]][:7] == [True] * 6 + [False]
    error_shape(send(api("it_staff"), "post", url, slot(day, "11:00", "13:00")), 409, "slot_taken")


def test_out_of_service_cancels_future_bookings_and_refuses_new_ones(api, room, people):
    day = future_weekday()
    pk = book(api("resident"), room, slot(day, "10:00", "11:00")).json()["id"]
    url = f"/api/v1/resources/{room.pk}/service"
    for persona in ("resident", "kosonsoy_manager"):
        error_shape(send(api(persona), "post", url, {"in_service": False, "reason": "Buzilgan"}), 404, "not_found")
    response = send(api("it_manager"), "post", url, {"in_service": False, "reason": "Buzilgan"})
    assert response.json() == {"in_service": False, "reason": "Buzilgan", "cancelled": 1}
    assert Booking.objects.get(pk=pk).status == "cancelled"
    error_shape(book(api("resident"), room, slot(day, "10:00", "11:00")), 400, "slot_not_allowed")
    assert api("resident").get(f"/api/v1/resources/{room.pk}").json()["out_of_service_reason"] == "Buzilgan"
    assert send(api("it_manager"), "post", url, {"in_service": True}).json()["cancelled"] == 0
    assert book(api("resident"), room, slot(day, "10:00", "11:00")).status_code == 201


def test_staff_record_instrument_training_and_the_person_may_then_book(api, instrument, people):
    url = f"/api/v1/resources/{instrument.pk}/trainings"
    today = timezone.localdate()
    body = {"person_email": "Researcher@demo.texnopark.uz", "trained_on": str(today),
            "valid_until": str(today + timedelta(days=365))}
    for persona in ("resident", "kosonsoy_manager"):
        error_shape(send(api(persona), "post", url, body), 404, "not_found")
        # An outsider learns nothing about which e-mails exist.
        error_shape(send(api(persona), "post", url, {**body, "person_email": "nobody@example.uz"}), 404, "not_found")
        error_shape(api(persona).get(url), 404, "not_found")
    response = send(api("it_staff"), "post", url, body)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["email"] == "researcher@demo.texnopark.uz"
    assert [t["person"]["id"] for t in api("it_manager").get(url).json()] == [people["researcher"].pk]
    assert book(api("researcher"), instrument, slot(future_weekday(), "10:00", "11:00")).status_code == 201
    refused = error_shape(send(api("it_staff"), "post", url, {**body, "person_email": "nobody@example.uz"}),
                          400, "unknown_person")
    assert list(refused["fields"]) == ["person_email"]
    error_shape(send(api("it_staff"), "post", url, {**body, "person_email": "citizen@demo.texnopark.uz",
                                                    "valid_until": "2020-01-01"}), 400, "invalid")


def test_utilisation_per_resource_facility_and_park_for_the_parks_staff(api, room, pool, people):
    yesterday = timezone.localdate(timezone=TASHKENT) - timedelta(days=1)
    ten = datetime.combine(yesterday, time(10), tzinfo=TASHKENT)
    make_booking(room, people["resident"], ten, minutes=120, status=Booking.Status.CHECKED_IN, checked_in_at=ten,
                 price=Decimal(40000))
    make_booking(room, people["citizen"], ten + timedelta(hours=3), minutes=60, status=Booking.Status.NO_SHOW,
                 price=Decimal(60000))
    make_booking(room, people["citizen"], ten + timedelta(hours=5), minutes=60, status=Booking.Status.CANCELLED)
    params = {"from": str(yesterday), "to": str(yesterday)}
    response = api("it_manager").get("/api/v1/parks/namangan-it/utilisation", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["park"], body["first_day"], body["last_day"]) == ("namangan-it", str(yesterday), str(yesterday))
    row = next(r for r in body["resources"] if r["id"] == room.pk)
    open_hours = "9.00" if yesterday.weekday() < 5 else "0.00"
    assert (row["open_hours"], row["booked_hours"], row["used_hours"], row["amount"]) == (
        open_hours, "3.00", "2.00", "100000.00")
    if yesterday.weekday() < 5:
        assert (row["booked_share"], row["used_share"]) == ("33.3", "22.2")
    facility = next(f for f in body["facilities"] if f["id"] == room.facility_id)
    same_facility = [r for r in body["resources"] if r["facility_id"] == room.facility_id]
    assert Decimal(facility["booked_hours"]) == sum(Decimal(r["booked_hours"]) for r in same_facility)
    assert Decimal(body["total"]["amount"]) == sum(Decimal(r["amount"]) for r in body["resources"])
    assert Resource.objects.filter(facility__park__slug="namangan-it").count() == len(body["resources"])
    assert api("region_admin").get("/api/v1/parks/namangan-it/utilisation", params).status_code == 200
    for persona in ("resident", "citizen", "kosonsoy_manager"):
        error_shape(api(persona).get("/api/v1/parks/namangan-it/utilisation"), 404, "not_found")
    error_shape(api("it_manager").get("/api/v1/parks/namangan-it/utilisation", {"from": "2026-02-01",
                                                                               "to": "2026-01-01"}),
                400, "bad_period")
    default = api("it_manager").get("/api/v1/parks/namangan-it/utilisation").json()
    assert default["last_day"] == str(timezone.localdate())


# Query counts: no query per row


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_the_list_endpoints_do_not_query_per_row(api, it_facility, people, django_assert_max_num_queries):
    resources = [make_resource(it_facility, f"Xona {n}") for n in range(2)]
    day = future_weekday()
    client = api("it_manager")  # a token: one more query than the session, the same for every list
    for resource in resources:
        book(client, resource, slot(day, "10:00", "11:00"))
    after = at(day, "00:00")
    urls = [("/api/v1/resources", {"facility": it_facility.pk}),
            ("/api/v1/bookings", {}),
            ("/api/v1/bookings", {"park": "namangan-it", "after": after}),
            ("/api/v1/bookings", {"run": "true", "after": after}),
            (f"/api/v1/resources/{resources[0].pk}/availability", {"week": str(day)}),
            ("/api/v1/parks/namangan-it/utilisation", {})]
    before = [_count(client, url, params) for url, params in urls]
    nine = datetime.combine(day + timedelta(days=1), time(9), tzinfo=TASHKENT)
    for n in range(6):
        resource = make_resource(it_facility, f"Xona {n + 2}")
        for i, hour in enumerate((10, 12, 14)):
            assert book(client, resource, slot(day, f"{hour}:00", f"{hour + 1}:00")).status_code == 201
            start = nine + timedelta(minutes=30 * (n * 3 + i))
            assert book(client, resources[0], {"starts_at": start.isoformat(),
                                               "ends_at": (start + timedelta(minutes=30)).isoformat()}
                        ).status_code == 201
    assert [_count(client, url, params) for url, params in urls] == before
    for url, params in urls:
        with django_assert_max_num_queries(8):
            client.get(url, params)


# The description


def test_openapi_lists_the_booking_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/resources": {"get"},
        "/api/v1/resources/{pk}": {"get"},
        "/api/v1/resources/{pk}/availability": {"get"},
        "/api/v1/resources/{pk}/bookings": {"post"},
        "/api/v1/resources/{pk}/series": {"post"},
        "/api/v1/resources/{pk}/blocks": {"post"},
        "/api/v1/resources/{pk}/service": {"post"},
        "/api/v1/resources/{pk}/trainings": {"get", "post"},
        "/api/v1/bookings": {"get"},
        "/api/v1/bookings/{pk}": {"get", "patch"},
        "/api/v1/bookings/{pk}/cancel": {"post"},
        "/api/v1/bookings/{pk}/decision": {"post"},
        "/api/v1/bookings/{pk}/check-in": {"post"},
        "/api/v1/parks/{slug}/utilisation": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path
    assert "409" in paths["/api/v1/resources/{pk}/series"]["post"]["responses"]
