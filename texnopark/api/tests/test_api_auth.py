"""API auth: personal tokens (shown once, stored hashed, revocable) and the browser session with CSRF."""

import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from texnopark.accounts.models import ApiToken
from texnopark.core.models import AuditEntry
from texnopark.network.models import Technopark

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"tp_[A-Za-z0-9_\-]{20,}")


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def patch(client, url, body, **extra):
    return client.patch(url, json.dumps(body), content_type="application/json", **extra)


def error_shape(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def made_on_the_profile_page(personas):
    """it_manager creates a token on the profile page: (the token shown, the page, the signed-in client)."""
    client = personas("it_manager")
    page = client.post("/accounts/tokens/", {"name": "Hisobot skripti"})
    assert page.status_code == 200
    [token] = TOKEN.findall(page.content.decode())
    return token, page, client


def test_a_token_made_on_the_profile_page_is_shown_once_and_stored_only_as_its_hash(made_on_the_profile_page):
    token, page, client = made_on_the_profile_page
    assert 'id="new-token"' in page.content.decode()
    stored = ApiToken.objects.get(name="Hisobot skripti")
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored.prefix) and len(stored.prefix) < len(token)
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert token not in json.dumps(row, default=str)
    # Never shown again: the profile lists the token by its name and first characters only.
    profile = client.get("/accounts/profile/").content.decode()
    assert "Hisobot skripti" in profile and stored.prefix in profile
    assert token not in profile


def test_a_token_without_a_name_is_not_made(personas):
    client = personas("it_manager")
    response = client.post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_a_bearer_token_reads_and_writes_as_its_owner(client, made_on_the_profile_page, demo_user):
    token, _page, _ = made_on_the_profile_page
    client.logout()
    me = client.get("/api/v1/me", **bearer(token))
    assert me.status_code == 200
    assert me.json()["email"] == "it.manager@demo.texnopark.uz"
    assert me.json()["memberships"] == [{"role": "park_manager", "region_id": None,
                                         "park_id": Technopark.objects.get(slug="namangan-it").pk,
                                         "district_id": None}]
    # A token needs no CSRF token: it is not a cookie.
    response = patch(Client(enforce_csrf_checks=True), "/api/v1/parks/namangan-it", {"planned_jobs": 1400},
                     **bearer(token))
    assert response.status_code == 200
    assert response.json()["planned_jobs"] == 1400
    entry = AuditEntry.objects.get(action="network.technopark.updated")
    assert (entry.actor, entry.changes) == (demo_user("it_manager"), {"planned_jobs": [1200, 1400]})
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_answers_401(client, made_on_the_profile_page):
    token, _page, owner = made_on_the_profile_page
    stored = ApiToken.objects.get()
    response = owner.post(f"/accounts/tokens/{stored.pk}/revoke/")
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    client.logout()
    error_shape(client.get("/api/v1/me", **bearer(token)), 401, "unauthorized")
    error_shape(patch(client, "/api/v1/parks/namangan-it", {"planned_jobs": 1}, **bearer(token)), 401,
                "unauthorized")
    assert Technopark.objects.get(slug="namangan-it").planned_jobs == 1200


def test_a_person_cannot_revoke_someone_elses_token(personas, made_on_the_profile_page):
    stored = ApiToken.objects.get()
    response = personas("kosonsoy_manager").post(f"/accounts/tokens/{stored.pk}/revoke/")
    assert response.status_code == 404
    stored.refresh_from_db()
    assert stored.revoked_at is None


@pytest.mark.parametrize("header", ["Bearer tp_not-a-real-token-at-all-000000", "Bearer wrong", "Bearer "])
def test_a_wrong_token_answers_401_and_never_falls_back_to_anonymous(client, header):
    # Even on a public list: a client that sent a bad token must learn it.
    error_shape(client.get("/api/v1/parks", HTTP_AUTHORIZATION=header), 401, "unauthorized")
    error_shape(client.get("/api/v1/me", HTTP_AUTHORIZATION=header), 401, "unauthorized")


def test_a_wrong_token_is_refused_even_with_a_signed_in_session(personas):
    client = personas("it_manager")
    error_shape(client.get("/api/v1/me", **bearer("tp_not-a-real-token-at-all-000000")), 401, "unauthorized")


def test_the_token_of_a_deactivated_person_answers_401(client, made_on_the_profile_page, demo_user):
    token, _page, _ = made_on_the_profile_page
    user = demo_user("it_manager")
    user.is_active = False
    user.save()
    client.logout()
    error_shape(client.get("/api/v1/me", **bearer(token)), 401, "unauthorized")


def test_the_api_makes_lists_and_revokes_tokens(client, made_on_the_profile_page):
    token, _page, _ = made_on_the_profile_page
    client.logout()
    created = client.post("/api/v1/me/tokens", json.dumps({"name": "CI"}), content_type="application/json",
                          **bearer(token))
    assert created.status_code == 201
    second = created.json()["token"]
    listed = client.get("/api/v1/me/tokens", **bearer(token)).json()
    assert sorted(t["name"] for t in listed) == ["CI", "Hisobot skripti"]
    assert all("token" not in t and "key_hash" not in t for t in listed)
    revoked = client.delete(f"/api/v1/me/tokens/{created.json()['id']}", **bearer(token))
    assert revoked.status_code == 204
    error_shape(client.get("/api/v1/me", **bearer(second)), 401, "unauthorized")
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200


def test_the_create_api_token_command_prints_a_working_token(client):
    out = StringIO()
    call_command("create_api_token", "Region.Admin@demo.texnopark.uz", "nightly export", stdout=out)
    [token] = TOKEN.findall(out.getvalue())
    stored = ApiToken.objects.get(name="nightly export")
    assert stored.user.email == "region.admin@demo.texnopark.uz"
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.get("/api/v1/me", **bearer(token)).json()["email"] == "region.admin@demo.texnopark.uz"


def test_the_create_api_token_command_refuses_an_unknown_person():
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.uz", "x", stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.fixture
def csrf_client(demo_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("it_manager"))
    client.get("/")  # the page sets the CSRF cookie
    return client


def test_a_session_write_without_the_csrf_token_is_refused_with_the_error_shape(csrf_client):
    error_shape(patch(csrf_client, "/api/v1/parks/namangan-it", {"planned_jobs": 1}), 403, "forbidden")
    error_shape(patch(csrf_client, "/api/v1/parks/namangan-it", {"planned_jobs": 1}, HTTP_X_CSRFTOKEN="x" * 64),
                403, "forbidden")
    assert Technopark.objects.get(slug="namangan-it").planned_jobs == 1200


def test_a_session_write_with_the_csrf_token_goes_through(csrf_client):
    response = patch(csrf_client, "/api/v1/parks/namangan-it", {"planned_jobs": 1300},
                     HTTP_X_CSRFTOKEN=csrf_client.cookies["csrftoken"].value)
    assert response.status_code == 200
    assert Technopark.objects.get(slug="namangan-it").planned_jobs == 1300


def test_a_session_read_needs_no_csrf_token(csrf_client):
    assert csrf_client.get("/api/v1/me").json()["email"] == "it.manager@demo.texnopark.uz"


def test_writes_need_a_person(client):
    error_shape(patch(client, "/api/v1/parks/namangan-it", {"planned_jobs": 1}), 401, "unauthorized")
    error_shape(client.get("/api/v1/me"), 401, "unauthorized")
