"""API writes go through the same services and scopes as the pages; every error has one translated shape."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from texnopark.core.models import AuditEntry
from texnopark.network.models import BusinessCentre, Facility, FacilityKind, Sector, Technopark

pytestmark = pytest.mark.django_db

RUSSIAN_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.mo"


def send(client, method, url, body, **extra):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **extra)


def error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def test_a_non_numeric_planned_jobs_is_a_422_naming_the_field(personas):
    body = error_shape(send(personas("it_manager"), "patch", "/api/v1/parks/namangan-it", {"planned_jobs": "many"}),
                       422, "invalid")
    assert list(body["fields"]) == ["planned_jobs"]
    assert Technopark.objects.get(slug="namangan-it").planned_jobs == 1200


def test_a_bad_park_email_is_a_400_app_error_with_the_field_message(personas):
    body = error_shape(send(personas("it_manager"), "patch", "/api/v1/parks/namangan-it",
                            {"email": "not-an-email", "name": "Yangi"}), 400, "invalid")
    assert list(body["fields"]) == ["email"] and body["fields"]["email"][0]
    park = Technopark.objects.get(slug="namangan-it")
    assert (park.name, park.email) == ("Namangan IT texnoparki", "info@namangan-it.texnopark.uz")
    assert not AuditEntry.objects.filter(object_type="network.technopark").exists()


@pytest.mark.parametrize("how", ["accept-language", "cookie"])
def test_error_messages_follow_the_readers_language(personas, how):
    client = personas("it_manager")
    if how == "cookie":
        client.cookies["django_language"] = "ru"
        extra = {}
    else:
        extra = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    body = error_shape(send(client, "patch", "/api/v1/parks/namangan-it", {"email": "bad"}, **extra), 400, "invalid")
    assert cyrillic(body["fields"]["email"][0])  # Django's own Russian catalogue
    with translation.override("en"):
        english = translation.gettext("Please correct the errors below.")
    if RUSSIAN_CATALOGUE.exists():
        assert body["message"] != english
        assert cyrillic(body["message"])
        anonymous = error_shape(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong", **extra),
                                401, "unauthorized")
        assert cyrillic(anonymous["message"])


def test_errors_are_in_uzbek_by_default(personas, settings):
    settings.LANGUAGE_CODE = "uz"  # the platform's default; the test suite reads English otherwise
    body = error_shape(send(personas("it_manager"), "patch", "/api/v1/parks/namangan-it", {"email": "bad"}),
                       400, "invalid")
    assert not cyrillic(body["fields"]["email"][0])
    assert body["fields"]["email"][0] != "Enter a valid email address."


def test_a_park_manager_patches_their_park_and_its_sector_focus(personas):
    textile = Sector.objects.get(slug="textile")
    response = send(personas("it_manager"), "patch", "/api/v1/parks/namangan-it",
                    {"sector_ids": [textile.pk], "name_en": "Namangan IT Park"})
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()["sectors"]] == ["textile"]
    assert response.json()["name_en"] == "Namangan IT Park"


@pytest.mark.parametrize("persona", ["kosonsoy_manager", "it_staff", "chust_centre", "citizen"])
def test_a_write_outside_the_scope_answers_404(personas, persona):
    error_shape(send(personas(persona), "patch", "/api/v1/parks/namangan-it", {"planned_jobs": 1}), 404, "not_found")
    assert Technopark.objects.get(slug="namangan-it").planned_jobs == 1200


def test_a_park_manager_adds_a_facility_to_their_park_over_the_api(personas):
    kind = FacilityKind.objects.get(slug="research-lab")
    response = send(personas("it_manager"), "post", "/api/v1/parks/namangan-it/facilities",
                    {"name": "AI laboratoriyasi", "kind_id": kind.pk, "capacity": 12})
    assert response.status_code == 201
    facility = Facility.objects.get(pk=response.json()["id"])
    assert (facility.park.slug, facility.kind, facility.capacity) == ("namangan-it", kind, 12)
    assert facility.name_ru == ""
    assert AuditEntry.objects.filter(action="network.facility.created", object_id=str(facility.pk)).exists()


def test_a_park_manager_cannot_add_a_facility_to_another_park_over_the_api(personas):
    before = Facility.objects.count()
    error_shape(send(personas("it_manager"), "post", "/api/v1/parks/chortoq-agro/facilities",
                     {"name": "Begona", "kind_id": FacilityKind.objects.first().pk}), 404, "not_found")
    assert Facility.objects.count() == before


def test_a_facility_with_an_unknown_kind_is_refused(personas):
    error_shape(send(personas("it_manager"), "post", "/api/v1/parks/namangan-it/facilities",
                     {"name": "Xona", "kind_id": 999999}), 404, "not_found")
    error_shape(send(personas("it_manager"), "post", "/api/v1/parks/namangan-it/facilities", {"kind_id": 1}),
                422, "invalid")


def test_a_duplicate_facility_name_is_a_400_with_a_message(personas):
    body = error_shape(send(personas("it_manager"), "post", "/api/v1/parks/namangan-it/facilities",
                            {"name": "Kovorking markazi", "kind_id": FacilityKind.objects.first().pk}), 400, "invalid")
    assert body["fields"]


def test_facilities_are_patched_only_inside_the_scope(personas):
    own = Facility.objects.get(name="Kovorking markazi")
    other = Facility.objects.filter(park__slug="chortoq-agro").first()
    client = personas("it_manager")
    assert send(client, "patch", f"/api/v1/facilities/{own.pk}", {"capacity": 130}).json()["capacity"] == 130
    error_shape(send(client, "patch", f"/api/v1/facilities/{other.pk}", {"capacity": 1}), 404, "not_found")
    assert Facility.objects.get(pk=other.pk).capacity != 1


def test_a_centre_is_patched_only_by_its_staff_and_the_region(personas):
    chust = BusinessCentre.objects.get(district__soato="1714237")
    pop = BusinessCentre.objects.get(district__soato="1714219")
    client = personas("chust_centre")
    assert send(client, "patch", f"/api/v1/business-centres/{chust.pk}", {"address": "Chust"}).status_code == 200
    error_shape(send(client, "patch", f"/api/v1/business-centres/{pop.pk}", {"address": "Chust"}), 404, "not_found")
    region = personas("region_admin")
    assert send(region, "patch", f"/api/v1/business-centres/{pop.pk}", {"address": "Pop"}).status_code == 200
    assert BusinessCentre.objects.get(pk=pop.pk).address == "Pop"


def test_the_region_administrator_patches_any_park_of_the_region(personas):
    for slug in ("namangan-it", "chortoq-agro", "kosonsoy-medical"):
        response = send(personas("region_admin"), "patch", f"/api/v1/parks/{slug}", {"planned_jobs": 999})
        assert response.status_code == 200
    assert set(Technopark.objects.filter(planned_jobs=999).values_list("slug", flat=True)) == {
        "namangan-it", "chortoq-agro", "kosonsoy-medical"}


def test_a_person_updates_their_profile_over_the_api(personas, demo_user):
    client = personas("citizen")
    response = send(client, "patch", "/api/v1/me", {"phone": "+998901112233", "latin_alphabet": "latn2026"})
    assert response.status_code == 200
    user = demo_user("citizen")
    assert (user.phone, user.latin_alphabet) == ("+998901112233", "latn2026")
    body = error_shape(send(client, "patch", "/api/v1/me", {"phone": "12345"}), 400, "invalid")
    assert "phone" in body["fields"]
    assert demo_user("citizen").phone == "+998901112233"


def test_a_method_the_endpoint_does_not_have_answers_405_with_the_error_shape(client):
    error_shape(client.delete("/api/v1/parks/namangan-it"), 405, "method_not_allowed")


def test_an_unknown_api_address_answers_404_with_the_error_shape(client):
    error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
