"""Training over /api/v1/: the same services and scopes as the pages, one error shape.

The Chust business centre (SOATO 1714237) runs "Start your business"; its staff (the chust_centre persona)
manage it; the staff of another district's centre must see nothing of it; Aziza, Bobur and Dilnoza are
learners who may see only their own enrolments and certificates.
"""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.accounts.services import token_create
from texnopark.network.models import District, Region
from texnopark.training import selectors, services
from texnopark.training.models import Attendance, Certificate, ConsultationSlot, Enrolment, Programme, Session

pytestmark = pytest.mark.django_db

CHUST = "1714237"
PROFILE = {"full_name": "Aziza Karimova", "phone": "+998901234567", "age_group": "25_34", "gender": "female",
           "occupation": "teacher"}


# Helpers


def send(client, method, url, body=None):
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json")


def error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "fields"} <= set(body)
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def api(user) -> Client:
    """A client that authenticates with a personal token, as an app would."""
    _token, plain = token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})


def person(name: str) -> User:
    return User.objects.create_user(f"{name.lower()}@example.uz", "pw", full_name=f"{name} Test")


def enrol(client, session, **profile):
    return send(client, "post", f"/api/v1/training/sessions/{session.pk}/enrolments", {**PROFILE, **profile})


@pytest.fixture
def chust():
    return District.objects.get(soato=CHUST)


@pytest.fixture
def centre(chust):
    return chust.business_centres.get()


@pytest.fixture
def staff(demo_user):
    return demo_user("chust_centre")


@pytest.fixture
def outsider(chust):
    """Staff of another district's centre."""
    user = person("Outsider")
    other = District.objects.filter(region=chust.region, is_active=True).exclude(pk=chust.pk).first()
    Membership.objects.create(user=user, role=Role.CENTRE_STAFF, district=other)
    return user


@pytest.fixture
def programme(centre):
    return Programme.objects.create(centre=centre, name="Biznesingizni boshlang API", name_en="Start your business",
                                    topic=Programme.Topic.START, language="uz", modules="Idea\nPlan\nMoney",
                                    min_attendance_percent=50, requires_project=True, certificate_valid_years=3)


def make_session(programme, capacity=2, starts=0, days=30, **fields) -> Session:
    today = timezone.localdate()
    return Session.objects.create(programme=programme, starts_on=today + timedelta(days=starts),
                                  ends_on=today + timedelta(days=starts + days), capacity=capacity,
                                  trainer_name="Rustam Aliyev", room="101", **fields)


@pytest.fixture
def session(programme):
    return make_session(programme)


@pytest.fixture
def lesson_now(staff, session):
    now = timezone.now()
    return services.lesson_create(actor=staff, session=session, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=1), topic="Idea")


@pytest.fixture
def learners():
    return [person(name) for name in ("Aziza", "Bobur", "Dilnoza")]


# Catalogue


def test_the_public_catalogue_lists_coming_sessions_with_seats_and_the_line(client, programme, chust, learners):
    coming = make_session(programme, capacity=1, starts=7)
    make_session(programme, starts=-60, days=10)  # over
    make_session(programme, starts=3, is_cancelled=True)
    hidden = Programme.objects.create(centre=programme.centre, name="Yashirin", is_published=False)
    make_session(hidden, starts=3)
    for learner in learners[:2]:
        services.enrol(actor=learner, session=coming, full_name=learner.full_name)

    response = client.get("/api/v1/training/sessions", {"district": chust.pk})
    assert response.status_code == 200
    body = response.json()
    rows = [row for row in body["items"] if row["programme_id"] in (programme.pk, hidden.pk)]
    assert [row["id"] for row in rows] == [coming.pk]
    row = rows[0]
    assert row["seats_left"] == 0 and row["waiting"] == 1 and row["full"] is True
    assert row["district_id"] == chust.pk and row["topic"] == "start" and row["language"] == "uz"
    assert row["trainer_name"] == "Rustam Aliyev"
    assert body["count"] >= 1

    def ids(**params):
        items = client.get("/api/v1/training/sessions", {"district": chust.pk, **params}).json()["items"]
        return {item["id"] for item in items}

    assert coming.pk in ids(topic="start", language="uz")
    assert coming.pk not in ids(topic="export")
    assert coming.pk not in ids(language="ru")
    assert coming.pk in ids(**{"from": str(timezone.localdate() + timedelta(days=7))})
    assert coming.pk not in ids(**{"from": str(timezone.localdate() + timedelta(days=8))})
    other = District.objects.exclude(pk=chust.pk).filter(is_active=True).first()
    assert coming.pk not in {i["id"] for i in client.get("/api/v1/training/sessions",
                                                          {"district": other.pk}).json()["items"]}

    detail = client.get(f"/api/v1/training/sessions/{coming.pk}").json()
    assert detail["programme"]["modules"] == ["Idea", "Plan", "Money"]
    assert detail["seats_left"] == 0 and detail["my_enrolment_id"] is None and detail["can_manage"] is False
    error_shape(client.get("/api/v1/training/sessions/999999"), 404, "not_found")
    error_shape(client.get(f"/api/v1/training/programmes/{hidden.pk}"), 404, "not_found")

    programmes = client.get("/api/v1/training/programmes", {"centre": programme.centre_id}).json()["items"]
    assert programme.pk in {p["id"] for p in programmes} and hidden.pk not in {p["id"] for p in programmes}
    one = client.get(f"/api/v1/training/programmes/{programme.pk}").json()
    assert one["requires_project"] is True and one["certificate_valid_years"] == 3
    assert [s["id"] for s in one["sessions"]] == [coming.pk]


# Enrolment and the waiting line


def test_enrolment_gives_a_seat_then_a_place_in_line_and_a_freed_seat_is_offered_in_turn(programme, learners):
    session = make_session(programme, capacity=1)
    aziza, bobur, dilnoza = (api(learner) for learner in learners)

    first = enrol(aziza, session)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "enrolled" and first.json()["waiting_position"] is None
    assert first.json()["full_name"] == "Aziza Karimova" and first.json()["gender"] == "female"
    error_shape(enrol(aziza, session), 400, "already_enrolled")

    second = enrol(bobur, session, full_name="Bobur Toshev", gender=None)
    third = enrol(dilnoza, session, full_name="Dilnoza Yusupova")
    assert (second.json()["status"], second.json()["waiting_position"]) == ("waiting", 1)
    assert (third.json()["status"], third.json()["waiting_position"]) == ("waiting", 2)
    listed = Client().get(f"/api/v1/training/sessions/{session.pk}").json()
    assert (listed["seats_left"], listed["waiting"]) == (0, 2)

    # Aziza cancels: Bobur, first in line, is offered the seat; Dilnoza moves up.
    cancelled = send(aziza, "post", f"/api/v1/training/enrolments/{first.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    mine = bobur.get("/api/v1/training/enrolments").json()["items"]
    assert [(e["id"], e["status"]) for e in mine] == [(second.json()["id"], "offered")]
    assert mine[0]["offer_expires_at"] is not None
    assert dilnoza.get(f"/api/v1/training/enrolments/{third.json()['id']}").json()["waiting_position"] == 1
    error_shape(send(dilnoza, "post", f"/api/v1/training/enrolments/{third.json()['id']}/confirm"), 400,
                "no_offer")

    confirmed = send(bobur, "post", f"/api/v1/training/enrolments/{second.json()['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "enrolled"

    # Bobur leaves; Dilnoza is offered the seat but lets the time pass: the offer expires.
    send(bobur, "post", f"/api/v1/training/enrolments/{second.json()['id']}/cancel")
    offered = Enrolment.objects.get(pk=third.json()["id"])
    assert offered.status == Enrolment.Status.OFFERED
    Enrolment.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    error_shape(send(dilnoza, "post", f"/api/v1/training/enrolments/{offered.pk}/confirm"), 400, "offer_expired")
    assert dilnoza.get(f"/api/v1/training/enrolments/{offered.pk}").json()["status"] == "offer_expired"
    # Cancelled before: she may enrol again and takes the free seat.
    assert enrol(aziza, session).json()["status"] == "enrolled"


def test_enrolment_errors_have_one_shape(client, session, learners, chust):
    aziza = api(learners[0])
    error_shape(enrol(client, session), 401, "unauthorized")
    body = error_shape(enrol(aziza, session, phone="12345"), 422, "invalid")
    assert "phone" in body["fields"]
    body = error_shape(enrol(aziza, session, age_group="old"), 422, "invalid")
    assert "age_group" in body["fields"]
    body = error_shape(enrol(aziza, session, district_id=999999), 422, "invalid")
    assert "district_id" in body["fields"]
    error_shape(enrol(aziza, Session(pk=999999)), 404, "not_found")
    over = make_session(session.programme, starts=-40, days=10)
    error_shape(enrol(aziza, over), 400, "session_over")
    response = enrol(aziza, session, district_id=chust.pk, gender=None, age_group=None, phone="")
    assert response.status_code == 201 and response.json()["district_id"] == chust.pk
    assert response.json()["gender"] == "" and response.json()["age_group"] == ""


def test_a_learner_sees_and_changes_only_their_own_enrolments(session, learners, staff, outsider):
    aziza, bobur = api(learners[0]), api(learners[1])
    mine = enrol(aziza, session).json()
    theirs = enrol(bobur, session, full_name="Bobur Toshev").json()

    assert [e["id"] for e in aziza.get("/api/v1/training/enrolments").json()["items"]] == [mine["id"]]
    # Asking for the session does not show other people to a learner.
    assert [e["id"] for e in aziza.get("/api/v1/training/enrolments", {"session": session.pk}).json()["items"]] == [
        mine["id"]]
    for method, url in (("get", ""), ("post", "/cancel"), ("post", "/confirm"), ("post", "/project"),
                        ("post", "/certificate")):
        error_shape(send(aziza, method, f"/api/v1/training/enrolments/{theirs['id']}{url}",
                         {"accepted": True} if url == "/project" else None), 404, "not_found")
    error_shape(send(aziza, "post", f"/api/v1/training/enrolments/{theirs['id']}/business",
                     {"started_on": "2026-01-10"}), 404, "not_found")
    assert Enrolment.objects.get(pk=theirs["id"]).status == Enrolment.Status.ENROLLED

    # The centre's staff see everyone in the session; another district's staff nobody.
    everyone = api(staff).get("/api/v1/training/enrolments", {"session": session.pk}).json()["items"]
    assert {e["id"] for e in everyone} == {mine["id"], theirs["id"]}
    assert api(staff).get(f"/api/v1/training/enrolments/{theirs['id']}").status_code == 200
    stranger = api(outsider)
    assert stranger.get("/api/v1/training/enrolments", {"session": session.pk}).json()["items"] == []
    assert not {e["session_id"] for e in stranger.get("/api/v1/training/enrolments",
                                                      {"run": "true", "page_size": 200}).json()["items"]} & {
        session.pk}
    error_shape(stranger.get(f"/api/v1/training/enrolments/{theirs['id']}"), 404, "not_found")
    error_shape(send(stranger, "post", f"/api/v1/training/enrolments/{theirs['id']}/cancel"), 404, "not_found")

    # Staff may cancel a learner's seat; the learner reports a business afterwards.
    assert send(api(staff), "post", f"/api/v1/training/enrolments/{theirs['id']}/cancel").json()["status"] == \
        "cancelled"
    reported = send(aziza, "post", f"/api/v1/training/enrolments/{mine['id']}/business", {"started_on": "2026-01-10"})
    assert reported.status_code == 200
    assert (reported.json()["business_started"], reported.json()["business_started_on"]) == (True, "2026-01-10")
    undone = send(aziza, "post", f"/api/v1/training/enrolments/{mine['id']}/business", {"started_on": None})
    assert undone.json()["business_started"] is False
    error_shape(send(api(staff), "post", f"/api/v1/training/enrolments/{mine['id']}/business",
                     {"started_on": None}), 404, "not_found")


# Attendance


def test_check_in_with_the_code_right_wrong_and_outside_the_lesson(session, lesson_now, learners, staff, outsider):
    aziza, bobur = api(learners[0]), api(learners[1])
    enrolment = enrol(aziza, session).json()
    url = f"/api/v1/training/lessons/{lesson_now.pk}/checkin"

    shown = api(staff).get(f"/api/v1/training/lessons/{lesson_now.pk}/code")
    assert shown.status_code == 200 and shown.json()["open"] is True
    code = shown.json()["code"]
    assert len(code) == 6 and code.isdigit()
    for client in (aziza, api(outsider)):
        error_shape(client.get(f"/api/v1/training/lessons/{lesson_now.pk}/code"), 404, "not_found")

    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    body = error_shape(send(aziza, "post", url, {"code": wrong}), 400, "wrong_code")
    assert "code" in body["fields"]
    error_shape(send(bobur, "post", url, {"code": services.checkin_code(lesson_now)}), 400, "not_enrolled")
    right = send(aziza, "post", url, {"code": services.checkin_code(lesson_now)})
    assert right.status_code == 200, right.content
    assert right.json() == {"lesson_id": lesson_now.pk, "enrolment_id": enrolment["id"], "mark": "present",
                            "self_checked_in": True}

    later = services.lesson_create(actor=staff, session=session, starts_at=timezone.now() + timedelta(days=2),
                                   ends_at=timezone.now() + timedelta(days=2, hours=2))
    error_shape(send(aziza, "post", f"/api/v1/training/lessons/{later.pk}/checkin",
                     {"code": services.checkin_code(later)}), 400, "checkin_closed")
    assert api(staff).get(f"/api/v1/training/lessons/{later.pk}/code").json()["open"] is False
    error_shape(send(aziza, "post", "/api/v1/training/lessons/999999/checkin", {"code": "123456"}), 404, "not_found")
    error_shape(send(aziza, "post", url, {}), 422, "invalid")


def test_the_trainer_marks_attendance_adds_walk_ins_accepts_projects_and_issues_certificates(
        session, lesson_now, learners, staff, outsider):
    aziza, bobur = api(learners[0]), api(learners[1])
    first = enrol(aziza, session).json()
    second = enrol(bobur, session, full_name="Bobur Toshev").json()
    trainer = person("Trainer")
    Session.objects.filter(pk=session.pk).update(trainer=trainer)
    teacher = api(trainer)

    url = f"/api/v1/training/lessons/{lesson_now.pk}/attendance"
    error_shape(send(api(outsider), "post", url, {"marks": {first["id"]: "present"}}), 404, "not_found")
    error_shape(send(aziza, "post", url, {"marks": {first["id"]: "present"}}), 404, "not_found")
    error_shape(send(teacher, "post", url, {"marks": {first["id"]: "asleep"}}), 422, "invalid")
    marked = send(teacher, "post", url, {"marks": {first["id"]: "present", second["id"]: "absent", 999999: "late"}})
    assert marked.status_code == 200, marked.content
    assert marked.json() == {"saved": 2, "skipped": [999999]}
    assert dict(Attendance.objects.filter(lesson=lesson_now).values_list("enrolment_id", "mark")) == {
        first["id"]: "present", second["id"]: "absent"}

    # Walk-ins need a free seat (two seats, both taken).
    walker = person("Walker")
    walk_url = f"/api/v1/training/sessions/{session.pk}/walk-ins"
    error_shape(send(teacher, "post", walk_url, {"person_email": walker.email}), 400, "session_full")
    Session.objects.filter(pk=session.pk).update(capacity=3)
    error_shape(send(api(outsider), "post", walk_url, {"person_email": walker.email}), 404, "not_found")
    error_shape(send(teacher, "post", walk_url, {"person_email": "nobody@example.uz"}), 400, "unknown_person")
    walked = send(teacher, "post", walk_url, {"person_email": walker.email.upper(), "full_name": "Walker"})
    assert walked.status_code == 201, walked.content
    assert (walked.json()["status"], walked.json()["walk_in"], walked.json()["full_name"]) == ("enrolled", True,
                                                                                               "Walker")

    # The programme asks for 50 % attendance and an accepted project.
    cert_url = f"/api/v1/training/enrolments/{first['id']}/certificate"
    error_shape(send(api(staff), "post", cert_url), 400, "not_completed")
    error_shape(send(api(outsider), "post", f"/api/v1/training/enrolments/{first['id']}/project",
                     {"accepted": True}), 404, "not_found")
    accepted = send(teacher, "post", f"/api/v1/training/enrolments/{first['id']}/project", {"accepted": True})
    assert accepted.json()["project_accepted"] is True
    error_shape(send(api(outsider), "post", cert_url), 404, "not_found")
    issued = send(teacher, "post", cert_url)
    assert issued.status_code == 201, issued.content
    certificate = issued.json()
    assert certificate["status"] == "valid" and len(certificate["code"]) == 20
    assert certificate["valid_until"] == str(date.fromisoformat(certificate["issued_on"]).replace(
        year=date.fromisoformat(certificate["issued_on"]).year + 3))
    error_shape(send(teacher, "post", cert_url), 400, "already_issued")
    error_shape(send(teacher, "post", f"/api/v1/training/enrolments/{second['id']}/certificate"), 400,
                "not_completed")

    # Only the learner sees their certificate.
    assert [c["code"] for c in aziza.get("/api/v1/training/certificates").json()["items"]] == [certificate["code"]]
    assert bobur.get("/api/v1/training/certificates").json()["items"] == []
    assert aziza.get(f"/api/v1/training/enrolments/{first['id']}").json()["certificate_code"] == certificate["code"]

    # Revoking is for the centre's staff, with a reason.
    revoke_url = f"/api/v1/training/certificates/{certificate['code']}/revoke"
    for client in (aziza, teacher, api(outsider)):
        error_shape(send(client, "post", revoke_url, {"reason": "Copied project"}), 404, "not_found")
    error_shape(send(api(staff), "post", "/api/v1/training/certificates/NOSUCHCODE/revoke", {"reason": "x"}), 404,
                "not_found")
    body = error_shape(send(api(staff), "post", revoke_url, {"reason": "  "}), 400, "reason_needed")
    assert "reason" in body["fields"]
    revoked = send(api(staff), "post", revoke_url.lower().replace("/api/v1/training/certificates/",
                                                                  "/api/v1/training/certificates/"),
                   {"reason": "Copied project"})
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoke_reason"] == "Copied project"
    error_shape(send(api(staff), "post", revoke_url, {"reason": "Again"}), 400, "already_revoked")
    assert Certificate.objects.get(code=certificate["code"]).revoked_at is not None


# Consultations


def test_consultations_are_published_booked_once_and_their_outcome_recorded(centre, staff, outsider, learners):
    aziza, bobur = api(learners[0]), api(learners[1])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    url = f"/api/v1/training/centres/{centre.pk}/consultations"
    slot_body = {"starts_at": f"{tomorrow}T10:00", "ends_at": f"{tomorrow}T10:30", "topic": "Business plan"}
    for client in (aziza, api(outsider)):
        error_shape(send(client, "post", url, slot_body), 404, "not_found")
    error_shape(send(api(staff), "post", url, {**slot_body, "ends_at": f"{tomorrow}T09:00"}), 400, "invalid")
    created = send(api(staff), "post", url, slot_body)
    assert created.status_code == 201, created.content
    slot = created.json()
    assert slot["starts_at"].startswith(f"{tomorrow}T05:00") or slot["starts_at"].endswith("+05:00")
    assert ConsultationSlot.objects.get(pk=slot["id"]).starts_at.hour == 5  # 10:00 in Tashkent is 05:00 UTC

    listed = Client().get("/api/v1/training/consultations", {"centre": centre.pk}).json()["items"]
    assert slot["id"] in {s["id"] for s in listed}

    booked = send(aziza, "post", f"/api/v1/training/consultations/{slot['id']}/book", {"question": "Loans?"})
    assert booked.status_code == 200 and booked.json()["mine"] is True and booked.json()["question"] == "Loans?"
    error_shape(send(bobur, "post", f"/api/v1/training/consultations/{slot['id']}/book"), 409, "slot_taken")
    assert slot["id"] not in {s["id"] for s in Client().get("/api/v1/training/consultations",
                                                            {"centre": centre.pk}).json()["items"]}
    assert [s["id"] for s in aziza.get("/api/v1/training/consultations", {"mine": "true"}).json()["items"]] == [
        slot["id"]]
    assert slot["id"] in {s["id"] for s in api(staff).get("/api/v1/training/consultations",
                                                           {"run": "true"}).json()["items"]}
    assert api(outsider).get("/api/v1/training/consultations", {"run": "true", "centre": centre.pk}).json()[
        "items"] == []

    error_shape(send(bobur, "post", f"/api/v1/training/consultations/{slot['id']}/cancel"), 404, "not_found")
    outcome_url = f"/api/v1/training/consultations/{slot['id']}/outcome"
    error_shape(send(aziza, "post", outcome_url, {"outcome": "referred"}), 404, "not_found")
    error_shape(send(api(staff), "post", outcome_url, {"outcome": "bribe"}), 422, "invalid")
    recorded = send(api(staff), "post", outcome_url, {"outcome": "referred", "notes": "IT park call"})
    assert recorded.status_code == 200 and recorded.json()["outcome"] == "referred"

    cancelled = send(aziza, "post", f"/api/v1/training/consultations/{slot['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["booked"] is False
    past = ConsultationSlot.objects.create(centre=centre, starts_at=timezone.now() - timedelta(hours=2),
                                           ends_at=timezone.now() - timedelta(hours=1))
    error_shape(send(aziza, "post", f"/api/v1/training/consultations/{past.pk}/book"), 400, "slot_past")


# Reach


def test_reach_per_district_for_centre_staff_and_the_region(session, staff, learners, chust, demo_user):
    for learner in learners:
        assert enrol(api(learner), session, gender="male" if learner.full_name.startswith("B") else "female"
                     ).status_code == 201
    expected = selectors.reach_by_district(region=chust.region)[chust.pk]

    mine = api(staff).get("/api/v1/training/reach")
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert [d["district_id"] for d in body["districts"]] == [chust.pk]
    row = body["districts"][0]
    assert row["soato"] == CHUST and row["trained"] == expected.trained >= 2
    assert row["by_gender"] == expected.by_gender and row["by_gender"].get("male", 0) >= 1
    assert body["total"]["trained"] == row["trained"] and body["region_id"] == chust.region_id
    elsewhere = Region.objects.create(name="Boshqa viloyat", code="UZ-XX")
    District.objects.create(region=elsewhere, name="Boshqa tuman")
    error_shape(api(staff).get("/api/v1/training/reach", {"region": elsewhere.pk}), 404, "not_found")
    error_shape(api(staff).get("/api/v1/training/reach", {"region": 999999}), 404, "not_found")

    region = api(demo_user("region_admin")).get("/api/v1/training/reach", {"region": chust.region_id})
    assert region.status_code == 200
    districts = region.json()["districts"]
    assert len(districts) == District.objects.filter(region=chust.region, is_active=True).count()
    assert region.json()["total"]["trained"] == sum(d["trained"] for d in districts)
    assert next(d for d in districts if d["district_id"] == chust.pk)["trained"] == expected.trained

    error_shape(api(staff).get("/api/v1/training/reach", {"from": "2026-03-01", "to": "2026-01-01"}), 400,
                "bad_period")
    future = api(staff).get("/api/v1/training/reach", {"from": str(timezone.localdate() + timedelta(days=1))})
    assert future.json()["districts"][0]["trained"] == 0
    for client in (api(learners[0]), api(demo_user("it_manager"))):
        error_shape(client.get("/api/v1/training/reach"), 404, "not_found")
    error_shape(Client().get("/api/v1/training/reach"), 401, "unauthorized")


# Sessions and CSRF


def test_the_browser_session_works_and_writes_need_csrf(personas, session, learners):
    client = personas("citizen")
    assert client.get("/api/v1/training/enrolments").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learners[0])
    error_shape(enrol(strict, session), 403, "forbidden")


# Query counts: no query per row


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.content
    return len(queries)


def test_the_list_endpoints_do_not_query_per_row(programme, centre, staff, learners):
    people = [api(learner) for learner in learners]
    client = api(staff)

    def grow(n):
        for _ in range(n):
            session = make_session(programme, capacity=1)
            for learner in people:
                enrol(learner, session)
            ConsultationSlot.objects.create(centre=centre, starts_at=timezone.now() + timedelta(days=1),
                                            ends_at=timezone.now() + timedelta(days=1, hours=1))
            Programme.objects.create(centre=centre, name=f"Dastur {Programme.objects.count()}")

    grow(1)
    urls = [(Client(), "/api/v1/training/sessions", {"centre": centre.pk}),
            (Client(), "/api/v1/training/programmes", {"centre": centre.pk}),
            (Client(), "/api/v1/training/consultations", {"centre": centre.pk}),
            (people[2], "/api/v1/training/enrolments", {}),
            (client, "/api/v1/training/enrolments", {"run": "true"}),
            (client, "/api/v1/training/consultations", {"run": "true"}),
            (client, "/api/v1/training/reach", {})]
    [_count(c, url, params) for c, url, params in urls]  # a token's first use is recorded once
    before = [_count(c, url, params) for c, url, params in urls]
    grow(5)
    assert [_count(c, url, params) for c, url, params in urls] == before
    assert max(before) <= 10


# The description


def test_openapi_lists_the_training_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/training/sessions": {"get"},
        "/api/v1/training/sessions/{pk}": {"get"},
        "/api/v1/training/sessions/{pk}/lessons": {"get"},
        "/api/v1/training/programmes": {"get"},
        "/api/v1/training/programmes/{pk}": {"get"},
        "/api/v1/training/sessions/{pk}/enrolments": {"post"},
        "/api/v1/training/enrolments": {"get"},
        "/api/v1/training/enrolments/{pk}": {"get"},
        "/api/v1/training/enrolments/{pk}/cancel": {"post"},
        "/api/v1/training/enrolments/{pk}/confirm": {"post"},
        "/api/v1/training/enrolments/{pk}/business": {"post"},
        "/api/v1/training/enrolments/{pk}/project": {"post"},
        "/api/v1/training/enrolments/{pk}/certificate": {"post"},
        "/api/v1/training/certificates": {"get"},
        "/api/v1/training/certificates/{code}/revoke": {"post"},
        "/api/v1/training/lessons/{pk}/checkin": {"post"},
        "/api/v1/training/lessons/{pk}/code": {"get"},
        "/api/v1/training/lessons/{pk}/attendance": {"post"},
        "/api/v1/training/sessions/{pk}/walk-ins": {"post"},
        "/api/v1/training/consultations": {"get"},
        "/api/v1/training/centres/{pk}/consultations": {"post"},
        "/api/v1/training/consultations/{pk}/book": {"post"},
        "/api/v1/training/consultations/{pk}/cancel": {"post"},
        "/api/v1/training/consultations/{pk}/outcome": {"post"},
        "/api/v1/training/reach": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
