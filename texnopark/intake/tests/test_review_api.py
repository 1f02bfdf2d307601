"""Expert review over /api/v1/: my reviews, the declaration, blind scoring (another expert's scores invisible
before I submit, visible after), staff assignment and balancing, the ranking; one error shape, 404 outside."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from texnopark.accounts.services import token_create
from texnopark.intake.models import Assignment
from texnopark.intake.services import review
from texnopark.intake.tests.test_review_services import make_world, reviewed, submit

pytestmark = pytest.mark.django_db
A = Assignment.Status


def api(user) -> Client:
    _token, plain = token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else "", content_type="application/json")


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "fields"} <= set(body) and body["code"] == code
    return body


@pytest.fixture
def world():
    return make_world("raa")


def scores(world, *values):
    return [{"criterion_id": c.pk, "value": v, "comment": f"on {c.name}"}
            for c, v in zip(world["criteria"], values, strict=True)]


def test_my_reviews_and_nobody_elses(world, django_assert_max_num_queries):
    expert = world["experts"][0]
    for application in world["applications"]:
        review.assign(actor=world["staff"], application=application, expert=expert)
    review.assign(actor=world["staff"], application=world["applications"][0], expert=world["experts"][1])
    client = api(expert)
    with django_assert_max_num_queries(8) as few:
        body = client.get("/api/v1/reviews").json()
    assert body["count"] == 3 and {i["company_name"] for i in body["items"]} == {"Startup 0", "Startup 1",
                                                                               "Startup 2"}
    for n in range(3, 10):
        review.assign(actor=world["staff"], application=submit(world, n), expert=expert)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/reviews").json()["count"] == 10
    mine = Assignment.objects.filter(expert=expert).first()
    other = Assignment.objects.get(expert=world["experts"][1])
    assert client.get(f"/api/v1/reviews/{mine.pk}").status_code == 200
    error(client.get(f"/api/v1/reviews/{other.pk}"), 404, "not_found")
    error(api(world["staff"]).get(f"/api/v1/reviews/{mine.pk}"), 404, "not_found")
    assert Client().get("/api/v1/reviews").status_code == 401


def test_blind_scoring_over_the_api(world):
    application = world["applications"][0]
    first, second = world["experts"][:2]
    reviewed(world, first, application, 9, 8, 7)
    mine = review.assign(actor=world["staff"], application=application, expert=second)
    client = api(second)
    detail = client.get(f"/api/v1/reviews/{mine.pk}").json()
    assert detail["others"] is None and detail["my_scores"] == []
    assert [c["weight"] for c in detail["criteria"]] == [50, 30, 20]
    assert detail["application"]["company_name"] == "Startup 0"
    error(client.get(f"/api/v1/applications/{application.pk}/scores"), 404, "not_found")
    error(send(client, "put", f"/api/v1/reviews/{mine.pk}/scores", {"scores": scores(world, 5, 5, 5)}), 409,
          "declare_first")
    assert send(client, "post", f"/api/v1/reviews/{mine.pk}/declare", {"conflict": False}).status_code == 200
    saved = send(client, "put", f"/api/v1/reviews/{mine.pk}/scores", {"scores": scores(world, 6, None, None)})
    assert saved.status_code == 200 and saved.json()["others"] is None
    assert [s["value"] for s in saved.json()["my_scores"]] == [6]
    error(client.get(f"/api/v1/applications/{application.pk}/scores"), 404, "not_found")
    body = error(send(client, "put", f"/api/v1/reviews/{mine.pk}/scores", {"scores": [], "submit": True}), 400,
                 "incomplete")
    assert set(body["fields"]) == {f"value_{c.pk}" for c in world["criteria"][1:]}
    done = send(client, "put", f"/api/v1/reviews/{mine.pk}/scores", {"scores": scores(world, 6, 6, 6),
                                                                    "submit": True})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "submitted" and Decimal(body["total"]) == Decimal("60.00")
    assert [o["expert_id"] for o in body["others"]] == [first.pk]
    assert [s["value"] for s in body["others"][0]["scores"]] == [9, 8, 7]
    seen = client.get(f"/api/v1/applications/{application.pk}/scores").json()
    assert [Decimal(r["total"]) for r in seen] == [Decimal("83.00"), Decimal("60.00")]
    error(send(client, "put", f"/api/v1/reviews/{mine.pk}/scores", {"scores": scores(world, 1, 1, 1)}), 409,
          "already_submitted")


def test_scores_out_of_range_answer_422(world):
    assignment = reviewed(world, world["experts"][0], world["applications"][0])
    body = error(send(api(world["experts"][0]), "put", f"/api/v1/reviews/{assignment.pk}/scores",
                      {"scores": scores(world, 11, 5, 5)}), 422, "invalid")
    assert body["fields"]


def test_a_conflicted_expert_cannot_score_over_the_api(world):
    assignment = review.assign(actor=world["staff"], application=world["applications"][0],
                               expert=world["experts"][0])
    client = api(world["experts"][0])
    body = error(send(client, "post", f"/api/v1/reviews/{assignment.pk}/declare", {"conflict": True}), 400,
                 "note_needed")
    assert "note" in body["fields"]
    declared = send(client, "post", f"/api/v1/reviews/{assignment.pk}/declare",
                    {"conflict": True, "note": "A former partner"})
    assert declared.status_code == 200 and declared.json()["status"] == "conflict"
    error(send(client, "put", f"/api/v1/reviews/{assignment.pk}/scores", {"scores": scores(world, 5, 5, 5),
                                                                         "submit": True}), 409, "conflict")
    error(client.get(f"/api/v1/applications/{world['applications'][0].pk}/scores"), 404, "not_found")


def test_staff_see_all_scores_outsiders_none(world):
    application = world["applications"][0]
    reviewed(world, world["experts"][0], application, 5, 5, 5)
    assert len(api(world["staff"]).get(f"/api/v1/applications/{application.pk}/scores").json()) == 1
    for outsider in (world["stranger"], world["experts"][2], application.applicant):
        error(api(outsider).get(f"/api/v1/applications/{application.pk}/scores"), 404, "not_found")


def test_staff_assign_by_hand_and_balance(world):
    client = api(world["staff"])
    application, expert = world["applications"][0], world["experts"][0]
    url = f"/api/v1/calls/{world['call'].pk}"
    created = send(client, "post", f"{url}/assignments", {"application_id": application.pk, "expert_id": expert.pk})
    assert created.status_code == 201 and created.json()["status"] == "assigned"
    error(send(client, "post", f"{url}/assignments", {"application_id": application.pk, "expert_id": expert.pk}),
          409, "already_assigned")
    error(send(client, "post", f"{url}/assignments", {"application_id": 0, "expert_id": expert.pk}), 422, "invalid")
    assert send(client, "post", f"{url}/auto-assign", {"per_application": 2}).json() == {"created": 5}
    assert send(client, "post", f"{url}/auto-assign").json() == {"created": 0}
    for outsider in (world["stranger"], expert, world["commission"][0].user):
        error(send(api(outsider), "post", f"{url}/auto-assign"), 404, "not_found")


def test_the_ranking_over_the_api(world):
    first, second = world["experts"][:2]
    reviewed(world, first, world["applications"][0], 10, 10, 10)
    reviewed(world, second, world["applications"][0], 6, 6, 6)
    reviewed(world, first, world["applications"][1], 9, 9, 9)
    review.assign(actor=world["staff"], application=world["applications"][2], expert=second)
    rows = api(world["staff"]).get(f"/api/v1/calls/{world['call'].pk}/ranking").json()
    assert [(r["company_name"], r["place"]) for r in rows] == [("Startup 1", 1), ("Startup 0", 2),
                                                               ("Startup 2", None)]
    top = rows[1]
    assert (Decimal(top["mean"]), Decimal(top["low"]), Decimal(top["high"]), Decimal(top["spread"])) == (
        Decimal("80.00"), Decimal("60.00"), Decimal("100.00"), Decimal("20.00"))
    assert (rows[2]["reviews_done"], rows[2]["reviews_assigned"]) == (0, 1)
    error(api(first).get(f"/api/v1/calls/{world['call'].pk}/ranking"), 404, "not_found")
