"""Calls and applications over /api/v1/: the same services and scopes as the pages, one error shape."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from texnopark.accounts.services import token_create
from texnopark.intake.models import Application, Call
from texnopark.intake.services import applications as app_services
from texnopark.intake.tests.test_calls import complete, make_call, manager_fixture, media, pdf, people, staff_fixture  # noqa: F401
from texnopark.network.models import District, Sector

pytestmark = pytest.mark.django_db


def api(user=None) -> Client:
    if user is None:
        return Client()
    _token, plain = token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else "", content_type="application/json")


def error_shape(response, status, code) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"code", "message", "fields"} and body["code"] == code and body["message"]
    return body


def new_call_body(**extra) -> dict:
    members = people(3)
    return {"park": "namangan-it", "name": "API tanlovi", "kind": "incubation",
            "opens_on": timezone.localdate().isoformat(),
            "closes_at": (timezone.localtime() + timedelta(days=30)).replace(tzinfo=None).isoformat(timespec="minutes"),
            "criteria": [{"name": "Team", "weight": 50}, {"name": "Market", "weight": 50}],
            "questions": [{"text": "Registered?", "required_answer": True}],
            "documents": [{"name": "Charter"}],
            "commission": [{"email": m.email, "is_chair": i == 0} for i, m in enumerate(members)], **extra}


# --- Calls ----------------------------------------------------------------------------------------


def test_anyone_lists_opened_calls_and_staff_also_their_drafts(manager):
    opened, draft = make_call(manager), make_call(manager, opened=False)
    public = [c["id"] for c in api().get("/api/v1/calls?park=namangan-it&page_size=100").json()["items"]]
    assert opened.pk in public and draft.pk not in public
    staff_ids = [c["id"] for c in api(manager).get("/api/v1/calls?page_size=100").json()["items"]]
    assert opened.pk in staff_ids and draft.pk in staff_ids
    assert api().get(f"/api/v1/calls/{draft.pk}").status_code == 404


def test_the_call_list_does_not_query_per_row(manager, django_assert_num_queries):
    for _ in range(2):
        make_call(manager)
    client = api()
    client.get("/api/v1/calls?page_size=100")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/calls?page_size=100")
    for _ in range(6):
        make_call(manager)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/calls?page_size=100").status_code == 200


def test_a_call_shows_its_rules_and_the_commission_only_to_staff(manager, staff):
    call = make_call(manager, weights=(30, 70))
    body = api().get(f"/api/v1/calls/{call.pk}").json()
    assert [c["weight"] for c in body["criteria"]] == [30, 70]
    assert body["questions"][0]["required_answer"] is True and body["documents"][0]["name"] == "Charter"
    assert body["commission"] is None and body["accepting"] is True and body["status"] == "open"
    assert len(api(staff).get(f"/api/v1/calls/{call.pk}").json()["commission"]) == 3


def test_a_manager_creates_changes_and_opens_a_call(manager, staff):
    client = api(manager)
    response = send(client, "post", "/api/v1/calls", new_call_body(
        criteria=[{"name": "Team", "weight": 50}, {"name": "Market", "weight": 49}]))
    assert response.status_code == 201, response.content
    call = response.json()
    assert call["status"] == "draft" and len(call["commission"]) == 3
    closes = timezone.localtime(Call.objects.get(pk=call["id"]).closes_at, timezone.get_fixed_timezone(300))
    assert closes.strftime("%H:%M") == new_call_body()["closes_at"][11:16]  # read as Tashkent time
    body = error_shape(send(client, "post", f"/api/v1/calls/{call['id']}/open"), 400, "not_ready")
    assert "add up to 99%" in body["message"]
    team, market = call["criteria"]
    response = send(client, "patch", f"/api/v1/calls/{call['id']}", {"criteria": [
        {"id": team["id"], "name": "Team", "weight": 50}, {"id": market["id"], "name": "Market", "weight": 50}]})
    assert [c["id"] for c in response.json()["criteria"]] == [team["id"], market["id"]]
    assert send(client, "post", f"/api/v1/calls/{call['id']}/open").json()["status"] == "open"
    error_shape(send(client, "post", f"/api/v1/calls/{call['id']}/open"), 409, "forbidden_transition")
    error_shape(send(client, "patch", f"/api/v1/calls/{call['id']}", {"quorum_percent": 80}), 409, "call_open")
    # Staff run the call but do not create or change it.
    error_shape(send(api(staff), "post", "/api/v1/calls", new_call_body()), 404, "not_found")
    error_shape(send(api(staff), "patch", f"/api/v1/calls/{call['id']}", {"name": "X"}), 404, "not_found")


def test_unknown_people_and_sectors_are_named(manager):
    client = api(manager)
    body = error_shape(send(client, "post", "/api/v1/calls", new_call_body(
        commission=[{"email": "nobody@nowhere.uz"}])), 422, "invalid")
    assert "nobody@nowhere.uz" in body["fields"]["commission"][0]
    error_shape(send(client, "post", "/api/v1/calls", new_call_body(sectors=["no-such"])), 422, "invalid")


def test_staff_close_a_call_early_only_when_they_say_so(manager, staff):
    call = make_call(manager)
    client = api(staff)
    error_shape(send(client, "post", f"/api/v1/calls/{call.pk}/close"), 400, "confirm_early")
    assert send(client, "post", f"/api/v1/calls/{call.pk}/close", {"early": True}).json()["status"] == "review"


# --- Applications ---------------------------------------------------------------------------------


def test_a_founder_applies_over_the_api(manager, staff, demo_user):
    call = make_call(manager)
    founder = people(1, "founder")[0]
    client = api(founder)
    started = send(client, "post", f"/api/v1/calls/{call.pk}/applications")
    assert started.status_code == 201 and started.json()["status"] == "draft"
    again = send(client, "post", f"/api/v1/calls/{call.pk}/applications")
    assert again.status_code == 200 and again.json()["id"] == started.json()["id"]
    pk = started.json()["id"]
    body = error_shape(send(client, "patch", f"/api/v1/applications/{pk}", {"stir": "12345678"}), 400, "invalid")
    assert body["fields"]["stir"] == ["The STIR (taxpayer number) is exactly 9 digits."]
    question, document = call.questions.get(), call.documents.get()
    response = send(client, "patch", f"/api/v1/applications/{pk}", {
        "company_name": "API MChJ", "stir": "305555555", "oked": "62010", "legal_form": "llc",
        "district_id": District.objects.get(soato="1714401").pk, "sector_id": Sector.objects.first().pk,
        "founders": "A 100%", "employees": 2, "project": "Drones", "answers": {str(question.pk): True}})
    assert response.status_code == 200, response.content
    assert response.json()["problems"] == ["“Business plan” is missing.", "The document “Charter” is missing."]
    response = client.post(f"/api/v1/applications/{pk}/files", {"business_plan": pdf(),
                                                                f"document_{document.pk}": pdf("charter.pdf")})
    assert response.status_code == 200 and response.json()["problems"] == []
    assert response.json()["business_plan_url"].endswith("/business-plan/")
    assert send(client, "post", f"/api/v1/applications/{pk}/submit").json()["status"] == "submitted"
    error_shape(send(client, "post", f"/api/v1/applications/{pk}/submit"), 409, "already_submitted")
    error_shape(send(client, "patch", f"/api/v1/applications/{pk}", {"project": "X"}), 409, "not_editable")
    # The park's staff see it and return it once; another park's do not see it.
    error_shape(api(demo_user("kosonsoy_manager")).get(f"/api/v1/applications/{pk}"), 404, "not_found")
    staff_client = api(staff)
    listed = [a["id"] for a in staff_client.get(f"/api/v1/applications?call={call.pk}").json()["items"]]
    assert listed == [pk]
    error_shape(send(staff_client, "post", f"/api/v1/applications/{pk}/return", {"note": " "}), 400, "note_needed")
    returned = send(staff_client, "post", f"/api/v1/applications/{pk}/return", {"note": "Sign it"}).json()
    assert returned["status"] == "returned" and returned["fix_by"]
    error_shape(send(staff_client, "post", f"/api/v1/applications/{pk}/withdraw"), 404, "not_found")
    assert send(client, "post", f"/api/v1/applications/{pk}/submit").json()["status"] == "submitted"
    error_shape(send(staff_client, "post", f"/api/v1/applications/{pk}/return", {"note": "Again"}), 409,
                "returned_once")
    assert send(client, "post", f"/api/v1/applications/{pk}/withdraw").json()["status"] == "withdrawn"


def test_an_application_list_does_not_query_per_row(manager, staff, django_assert_num_queries):
    call = make_call(manager)

    def submitted(n, prefix):
        for person in people(n, prefix):
            application = app_services.application_start(actor=person, call=call)
            complete(application, person, stir=f"5{person.pk:08d}")
            app_services.application_submit(actor=person, application=application)

    submitted(2, "few")
    client = api(staff)
    url = f"/api/v1/applications?call={call.pk}&page_size=100"
    client.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    submitted(5, "many")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 7
    assert Application.objects.filter(call=call).count() == 7
