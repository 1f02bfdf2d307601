"""Reports over /api/v1/: the same services and scopes as the pages, one error shape, 409 for locks and
forbidden steps, query counts on the lists."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from texnopark.accounts.services import token_create
from texnopark.intake.models import Residency
from texnopark.reports.models import QuarterlyReport
from texnopark.reports.quarters import last_finished
from texnopark.reports.tests import factories

pytestmark = pytest.mark.django_db

R = QuarterlyReport.Status


def api(user) -> Client:
    _token, plain = token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else "", content_type="application/json")


def error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "fields"} <= set(body) and body["code"] == code and body["message"]
    return body


@pytest.fixture
def w():
    return factories.world()


@pytest.fixture
def q():
    return last_finished(timezone.localdate())


def put_url(w, quarter):
    return f"/api/v1/residencies/{w['residency'].pk}/reports/{quarter.year}/{quarter.quarter}"


def test_save_then_submit_the_answer_carries_the_warnings(w, q):
    factories.report(w["residency"], *q.previous(), revenue_uzs=Decimal("100000"))
    client = api(w["admin"])
    response = send(client, "put", put_url(w, q), {"revenue_uzs": "500000", "employees": 4})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["employees"] == 4 and Decimal(body["revenue_uzs"]) == 500000
    assert list(body["warnings"]) == ["revenue_uzs"]
    assert body["editable"] and not body["late"] and body["due_on"] == q.due_on.isoformat()
    response = send(client, "put", put_url(w, q), {"submit": True})
    assert response.json()["status"] == "submitted" and response.json()["employees"] == 4


def test_negative_figures_answer_400_with_the_field(w, q):
    body = error_shape(send(api(w["admin"]), "put", put_url(w, q), {"patents": -2}), 400, "invalid")
    assert "negative" in body["fields"]["patents"][0]
    assert not QuarterlyReport.objects.filter(residency=w["residency"]).exists()


def test_an_accepted_report_answers_409_to_a_patch(w, q):
    report = factories.report(w["residency"], *q)
    response = send(api(w["staff"]), "post", f"/api/v1/reports/{report.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    error_shape(send(api(w["admin"]), "patch", f"/api/v1/reports/{report.pk}", {"employees": 3}), 409,
                "report_locked")
    error_shape(send(api(w["admin"]), "put", put_url(w, q), {"employees": 3}), 409, "report_locked")
    error_shape(send(api(w["staff"]), "post", f"/api/v1/reports/{report.pk}/accept"), 409, "forbidden_transition")


def test_patch_changes_some_figures_and_return_needs_a_note(w, q):
    report = factories.report(w["residency"], *q, status=R.DRAFT, employees=5)
    response = send(api(w["admin"]), "patch", f"/api/v1/reports/{report.pk}", {"new_jobs": 2, "submit": True})
    assert response.status_code == 200 and response.json()["employees"] == 5 and response.json()["new_jobs"] == 2
    assert response.json()["status"] == "submitted"
    error_shape(send(api(w["staff"]), "post", f"/api/v1/reports/{report.pk}/return", {"note": " "}), 400, "invalid")
    response = send(api(w["staff"]), "post", f"/api/v1/reports/{report.pk}/return", {"note": "Tuzating"})
    assert response.json()["status"] == "returned" and response.json()["review_note"] == "Tuzating"


def test_who_may_do_what(w, q):
    report = factories.report(w["residency"], *q)
    for who in ("member", "staff", "stranger"):
        error_shape(send(api(w[who]), "put", put_url(w, q.previous()), {"employees": 1}), 404, "not_found")
    for who in ("admin", "member", "other_manager"):
        error_shape(send(api(w[who]), "post", f"/api/v1/reports/{report.pk}/accept"), 404, "not_found")
    for who in ("stranger", "other_manager"):
        error_shape(api(w[who]).get(f"/api/v1/reports/{report.pk}"), 404, "not_found")
    assert api(w["member"]).get(f"/api/v1/reports/{report.pk}").status_code == 200
    error_shape(Client().get("/api/v1/reports"), 401, "unauthorized")


def test_the_list_is_scoped_and_filtered_in_few_queries(w, q, django_assert_max_num_queries):
    mine = factories.report(w["residency"], *q)
    factories.report(w["residency"], *q.previous(), status=R.ACCEPTED)
    elsewhere = factories.residency(factories.company(district=w["district"], admins=[factories.person("B")]),
                                    w["other_park"], starts_on=w["residency"].starts_on)
    factories.report(elsewhere, *q)
    assert api(w["admin"]).get("/api/v1/reports").json()["count"] == 2
    client = api(w["staff"])
    with django_assert_max_num_queries(6) as few:
        body = client.get("/api/v1/reports", {"status": "submitted"}).json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert body["items"][0]["company_name"] == w["company"].name and body["items"][0]["park"] == w["park"].slug
    for _n in range(5):
        other = factories.residency(factories.company(district=w["district"]), w["park"],
                                    starts_on=w["residency"].starts_on)
        factories.report(other, *q)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/reports", {"status": "submitted"}).json()["count"] == 6
    assert api(w["region_admin"]).get("/api/v1/reports", {"park": w["other_park"].slug}).json()["count"] == 1
    assert api(w["other_manager"]).get("/api/v1/reports", {"park": w["park"].slug}).json()["count"] == 0


def test_quarters_and_overdue(w, q, django_assert_max_num_queries):
    factories.report(w["residency"], *q, status=R.DRAFT)
    quarters = api(w["member"]).get(f"/api/v1/residencies/{w['residency'].pk}/quarters").json()
    assert quarters[0]["year"] == q.year and quarters[0]["state"] == "draft" and quarters[0]["report_id"]
    assert quarters[-1]["state"] == "missing" and quarters[-1]["overdue"]
    error_shape(api(w["stranger"]).get(f"/api/v1/residencies/{w['residency'].pk}/quarters"), 404, "not_found")
    client = api(w["staff"])
    with django_assert_max_num_queries(5):
        overdue = client.get("/api/v1/reports/overdue").json()
    assert [row["residency_id"] for row in overdue] == [w["residency"].pk] and overdue[0]["quarters"] > 1
    error_shape(api(w["admin"]).get("/api/v1/reports/overdue"), 404, "not_found")


def test_the_compliance_ladder_over_the_api(w):
    url = f"/api/v1/residencies/{w['residency'].pk}/compliance"
    manager = api(w["manager"])
    error_shape(send(manager, "post", url, {"step": "warning"}), 400, "invalid")
    error_shape(send(manager, "post", url, {"step": "revocation", "reason": "Jiddiy"}), 409, "forbidden_transition")
    error_shape(send(manager, "post", url, {"step": "sacking", "reason": "x"}), 422, "invalid")
    error_shape(send(api(w["staff"]), "post", url, {"step": "warning", "reason": "x"}), 404, "not_found")
    response = send(manager, "post", url, {"step": "warning", "reason": "Hisobot yo'q"})
    assert response.status_code == 201 and response.json()["to_status"] == "warning"
    assert response.json()["effective_on"] == timezone.localdate().isoformat()
    body = api(w["member"]).get(url).json()
    assert body["status"] == "warning" and body["status_reason"] == "Hisobot yo'q"
    assert [d["step"] for d in body["decisions"]] == ["warning"] and body["overdue_quarters"] > 0
    assert Residency.objects.get(pk=w["residency"].pk).status == "warning"


def test_the_park_dashboard(w, q):
    factories.report(w["residency"], *q, revenue_uzs=Decimal("12.50"))
    body = api(w["manager"]).get(f"/api/v1/parks/{w['park'].slug}/dashboard", {"quarters": 2}).json()
    assert body["funnel"]["residents"] == 1
    assert [(row["year"], row["quarter"]) for row in body["quarters"]] == [tuple(q.previous()), tuple(q)]
    assert Decimal(body["quarters"][-1]["values"]["revenue_uzs"]) == Decimal("12.50")
    assert body["overdue"][0]["company_name"] == w["company"].name
    error_shape(api(w["other_manager"]).get(f"/api/v1/parks/{w['park'].slug}/dashboard"), 404, "not_found")


def test_audit_reports_upload_and_list(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/residencies/{w['residency'].pk}/audits"
    year = timezone.localdate().year - 1
    response = api(w["admin"]).post(url, {"year": year, "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 201, response.content
    assert response.json()["url"].startswith("/reports/audits/")
    assert [d["year"] for d in api(w["staff"]).get(url).json()] == [year]
    body = error_shape(api(w["admin"]).post(url, {"year": year, "file": SimpleUploadedFile("a.exe", b"MZ")}), 400,
                       "invalid")
    assert "file" in body["fields"]
