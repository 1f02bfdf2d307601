"""Ventures over /api/v1/: the same services and scopes as the pages, one error shape. A founder of
company A gets 404 for company B; the registry is public and filters like the page."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from texnopark.accounts.services import token_create
from texnopark.intake.models import Residency
from texnopark.ventures.models import Idea
from texnopark.ventures.tests.helpers import (
    call,
    company,
    deal,
    district,
    idea,
    park,
    pdf,
    person,
    product,
    residency,
    resident,
    sector,
)

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, plain = token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else "", content_type="application/json")


def error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "fields"} <= set(body) and body["code"] == code
    return body


# --- Ideas ------------------------------------------------------------------------------------------------


def test_an_idea_is_submitted_listed_and_answered_over_the_api(demo_user):
    author = person("Aziza")
    client = api(author)
    body = {"park_id": park().pk, "title": "API gʻoyasi", "problem": "P", "solution": "S", "sector_id": sector().pk,
            "district_id": district().pk}
    created = send(client, "post", "/api/v1/ideas", body)
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    pk = created.json()["id"]
    upload = client.post(f"/api/v1/ideas/{pk}/attachments", {"file": [pdf("plan.pdf")]})
    assert upload.status_code == 201 and upload.json()[0]["name"] == "plan.pdf"
    assert client.get(upload.json()[0]["url"]).status_code == 200
    assert [i["id"] for i in client.get("/api/v1/ideas").json()["items"]] == [pk]

    staff = api(demo_user("it_staff"))
    assert pk in [i["id"] for i in staff.get("/api/v1/ideas", {"status": "submitted"}).json()["items"]]
    error_shape(send(staff, "post", f"/api/v1/ideas/{pk}/decline", {"reason": ""}), 400, "invalid")
    error_shape(send(staff, "post", f"/api/v1/ideas/{pk}/invite", {"call_id": call(park("kosonsoy-medical")).pk}),
                400, "invalid")
    invited = send(staff, "post", f"/api/v1/ideas/{pk}/invite", {"call_id": call().pk})
    assert invited.json()["status"] == "invited" and invited.json()["invited_to_id"]
    error_shape(send(client, "post", f"/api/v1/ideas/{pk}/withdraw"), 409, "forbidden_transition")


def test_ideas_of_others_are_not_found(demo_user):
    theirs = idea(person("Other"))
    stranger = api(person("Stranger"))
    error_shape(stranger.get(f"/api/v1/ideas/{theirs.pk}"), 404, "not_found")
    error_shape(send(api(demo_user("kosonsoy_manager")), "post", f"/api/v1/ideas/{theirs.pk}/decline",
                     {"reason": "x"}), 404, "not_found")
    error_shape(send(stranger, "post", "/api/v1/ideas", {"park_id": 0, "title": "t", "problem": "p",
                                                         "solution": "s", "sector_id": sector().pk,
                                                         "district_id": district().pk}), 422, "invalid")
    assert Client().get("/api/v1/ideas").status_code == 401


def test_the_idea_list_counts_queries_once_not_per_idea(demo_user, django_assert_max_num_queries):
    client = api(demo_user("it_staff"))
    for n in range(15):
        made = idea(person(f"A{n}"))
        made.attachments.create(file=pdf(), name="a.pdf")
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/ideas", {"status": "submitted"}).json()["items"]) >= 15


# --- Companies ------------------------------------------------------------------------------------------


@pytest.fixture
def founder_a():
    return person("FounderA")


@pytest.fixture
def company_a(founder_a):
    made = company("A Soft", admin=founder_a)
    residency(made, park())
    return made


def test_a_founder_of_company_a_gets_404_for_company_b(founder_a, company_a):
    company_b = company("B Soft", admin=person("FounderB"))
    client = api(founder_a)
    assert client.get(f"/api/v1/companies/{company_a.pk}").status_code == 200
    for method, url, body in [("get", f"/api/v1/companies/{company_b.pk}", None),
                              ("patch", f"/api/v1/companies/{company_b.pk}", {"employees": 1}),
                              ("get", f"/api/v1/companies/{company_b.pk}/members", None),
                              ("post", f"/api/v1/companies/{company_b.pk}/milestones",
                               {"title": "x", "due_on": "2030-01-01"}),
                              ("post", f"/api/v1/companies/{company_b.pk}/products", {"name": "x"}),
                              ("get", f"/api/v1/companies/{company_b.pk}/export-deals", None)]:
        error_shape(send(client, method, url, body), 404, "not_found")
    assert [c["name"] for c in client.get("/api/v1/companies/mine").json()] == ["A Soft"]


def test_the_dashboard_and_its_writes(founder_a, company_a, demo_user):
    client = api(founder_a)
    patched = send(client, "patch", f"/api/v1/companies/{company_a.pk}", {"stage": "mvp", "employees": 9})
    assert patched.status_code == 200 and patched.json()["stage"] == "mvp" and patched.json()["can_edit"]
    error_shape(send(client, "patch", f"/api/v1/companies/{company_a.pk}", {"oked": "1"}), 400, "invalid")
    error_shape(send(client, "patch", f"/api/v1/companies/{company_a.pk}", {"stage": "unicorn"}), 422, "invalid")

    member = send(client, "post", f"/api/v1/companies/{company_a.pk}/members",
                  {"email": person("Dev").email, "role": "engineer"})
    assert member.status_code == 201 and member.json()["role"] == "engineer"
    error_shape(send(client, "post", f"/api/v1/companies/{company_a.pk}/members", {"email": "x@nowhere.uz"}), 400,
                "invalid")

    milestone = send(client, "post", f"/api/v1/companies/{company_a.pk}/milestones",
                     {"title": "MVP", "due_on": "2030-01-01"}).json()
    error_shape(send(client, "patch", f"/api/v1/milestones/{milestone['id']}", {"status": "done"}), 400,
                "evidence_needed")
    done = send(client, "patch", f"/api/v1/milestones/{milestone['id']}", {"status": "done", "evidence_note": "Ok"})
    assert done.json()["status"] == "done" and done.json()["done_on"] == timezone.localdate().isoformat()
    error_shape(send(client, "patch", f"/api/v1/milestones/{milestone['id']}", {"status": "missed"}), 409,
                "forbidden_transition")

    made = send(client, "post", f"/api/v1/companies/{company_a.pk}/products", {"name": "Ilova"}).json()
    deal_body = {"country": "KR", "buyer": "Busan", "value_usd": "2000.10", "signed_on": "2025-01-10",
                 "product_id": made["id"]}
    created = send(client, "post", f"/api/v1/companies/{company_a.pk}/export-deals", deal_body)
    assert created.status_code == 201 and Decimal(created.json()["value_usd"]) == Decimal("2000.10")
    other = product(company("Boshqa"))
    error_shape(send(client, "post", f"/api/v1/companies/{company_a.pk}/export-deals",
                     {**deal_body, "product_id": other.pk}), 422, "invalid")
    error_shape(send(client, "post", f"/api/v1/companies/{company_a.pk}/export-deals",
                     {**deal_body, "value_usd": "-1"}), 422, "invalid")

    staff = api(demo_user("it_staff")).get(f"/api/v1/companies/{company_a.pk}").json()
    assert staff["can_edit"] and len(staff["members"]) == 2 and staff["residencies"][0]["status"] == "active"
    assert staff["export_deals"][0]["country_name"] == "Korea, Republic of"
    error_shape(api(demo_user("kosonsoy_manager")).get(f"/api/v1/companies/{company_a.pk}"), 404, "not_found")


def test_a_plain_member_reads_but_does_not_write(company_a):
    engineer = person("Engineer")
    company_a.members.create(user=engineer)
    client = api(engineer)
    assert client.get(f"/api/v1/companies/{company_a.pk}").json()["can_edit"] is False
    error_shape(send(client, "post", f"/api/v1/companies/{company_a.pk}/products", {"name": "x"}), 404, "not_found")


# --- The registry ---------------------------------------------------------------------------------------


def test_the_public_registry_filters_like_the_page(django_assert_max_num_queries):
    exporter = resident("Zqx Eksport", stage="exporting")
    deal(exporter, value="700"), deal(exporter, country="AE", value="300")
    quiet = resident("Zqx Sokin", where=park("namangan-textile"), sector=sector(1))
    resident("Zqx Toʻxtatilgan", status=Residency.Status.SUSPENDED)
    resident("Zqx Bekor", status=Residency.Status.REVOKED)
    client = Client()

    def names(**filters):
        return [r["name"] for r in client.get("/api/v1/residents", {"q": "Zqx", **filters}).json()["items"]]

    assert names() == ["Zqx Eksport", "Zqx Sokin", "Zqx Toʻxtatilgan"]
    assert names(exporter="true") == ["Zqx Eksport"]
    assert names(exporter="false", park="namangan-textile") == ["Zqx Sokin"]
    assert names(sector=sector(1).slug) == ["Zqx Sokin"]
    assert names(stage="exporting") == ["Zqx Eksport"]
    assert names(q=quiet.stir) == ["Zqx Sokin"]
    row = client.get("/api/v1/residents", {"q": "Zqx Eksport"}).json()["items"][0]
    assert Decimal(row["export_total_usd"]) == Decimal("1000.00") and row["deal_count"] == 2
    assert row["park_slug"] == "namangan-it" and row["residency_status"] == "active"
    assert client.get("/api/v1/residents", {"park": "no-such-park"}).status_code == 404
    with django_assert_max_num_queries(3):
        client.get("/api/v1/residents")


def test_a_residents_public_profile(client):
    made = resident("Zqx Ochiq")
    product(made, name="Ochiq"), product(made, name="Yopiq", is_public=False)
    deal(made, value="10"), deal(made, country="KZ", value="5")
    body = client.get(f"/api/v1/residents/{made.pk}").json()
    assert [p["name"] for p in body["products"]] == ["Ochiq"]
    assert {(e["country"], Decimal(e["total_usd"])) for e in body["exports"]} == {("KR", 10), ("KZ", 5)}
    assert body["parks"][0]["slug"] == "namangan-it"
    revoked = resident("Zqx Bekor", status=Residency.Status.REVOKED)
    error_shape(client.get(f"/api/v1/residents/{revoked.pk}"), 404, "not_found")


def test_withdrawn_ideas_stay_visible_to_their_author(demo_user):
    author = person("Aziza")
    made = idea(author, status=Idea.Status.WITHDRAWN)
    assert api(author).get(f"/api/v1/ideas/{made.pk}").json()["status"] == "withdrawn"
