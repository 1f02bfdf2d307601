"""Certificates: the PDF, who may download it, the public verification page and JSON, the rate limit."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from texnopark.training import certificates
from texnopark.training.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen_certificate(demo_user):
    """The demo citizen's certificate, from the Chust centre's past session (valid, no expiry)."""
    return Certificate.objects.select_related("enrolment__person").get(enrolment__person=demo_user("citizen"))


def other_certificate(**changes) -> Certificate:
    certificate = Certificate.objects.filter(revoked_at__isnull=True).exclude(
        enrolment__person__email="citizen@demo.texnopark.uz").first()
    Certificate.objects.filter(pk=certificate.pk).update(**changes)
    certificate.refresh_from_db()
    return certificate


FIELDS = {"status", "code", "holder", "programme", "centre", "district", "starts_on", "ends_on", "issued_on",
          "valid_until", "revoked_on"}


# --- The PDF --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en", "ko"])
def test_the_pdf_in_each_language_starts_as_a_pdf_and_carries_the_code(citizen_certificate, language):
    citizen_certificate.enrolment.person.language = language
    pdf = certificates.render_pdf(citizen_certificate, f"https://example.uz/training/verify/{citizen_certificate.code}/")
    assert pdf.startswith(b"%PDF")
    assert citizen_certificate.code.encode() in pdf
    assert b"DejaVuSans" in pdf  # embedded: Cyrillic and ʻ need it


def test_certificate_words_follow_the_learners_language():
    assert certificates.certificate_language("ko") == "en"
    assert certificates.certificate_language(None) == "uz"
    assert certificates.labels("uz-cyrl")["title"] == "Сертификат"
    assert certificates.labels("ru")["title"] == "Сертификат"
    assert certificates.labels("uz")["title"] == "Sertifikat"


def test_the_learner_downloads_their_own_certificate(personas, citizen_certificate):
    response = personas("citizen").get(reverse("training:certificate_pdf", args=[citizen_certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and citizen_certificate.code.encode() in response.content
    # The QR code leads to the absolute address of the public page.
    assert b"http://testserver/training/verify/" + citizen_certificate.code.encode() in response.content


@pytest.mark.parametrize(("persona", "expected"), [
    ("citizen", 200), ("chust_centre", 200), ("region_admin", 200), ("platform", 200),
    ("resident", 404), ("it_manager", 404), ("partner", 404),
])
def test_only_the_learner_and_the_centre_staff_get_the_pdf(personas, citizen_certificate, persona, expected):
    response = personas(persona).get(reverse("training:certificate_pdf", args=[citizen_certificate.code]))
    assert response.status_code == expected


def test_staff_of_another_centre_and_other_learners_get_404(personas, demo_user):
    pop = Certificate.objects.filter(enrolment__session__programme__centre__district__soato="1714219").first()
    assert personas("chust_centre").get(reverse("training:certificate_pdf", args=[pop.code])).status_code == 404
    assert personas("citizen").get(reverse("training:certificate_pdf", args=[pop.code])).status_code == 404
    assert personas("citizen").get(reverse("training:certificate_pdf", args=["NOSUCHCODE"])).status_code == 404


def test_anonymous_is_sent_to_sign_in_for_the_pdf(client, citizen_certificate):
    response = client.get(reverse("training:certificate_pdf", args=[citizen_certificate.code]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- Verification ---------------------------------------------------------------------------


def without_csrf(response) -> str:
    """The page without what differs per response or echoes the address asked: the (masked) CSRF
    tokens and the language switcher's way back."""
    text = re.sub(r'name="(csrfmiddlewaretoken|next)" value="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def page(client, code):
    return client.get(reverse("training:verify", args=[code]))


def api(client, code):
    return client.get(f"/api/v1/certificates/{code}")


def test_a_valid_certificate_shows_only_the_public_facts(client, citizen_certificate):
    response = page(client, citizen_certificate.code)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body and "Aziza Karimova" in body and citizen_certificate.code in body
    person = citizen_certificate.enrolment.person
    assert person.email not in body
    data = api(client, citizen_certificate.code).json()
    assert set(data) == FIELDS
    assert data["status"] == "valid" and data["holder"] == citizen_certificate.enrolment.full_name
    assert data["programme"] and data["centre"] and data["starts_on"] and data["issued_on"]
    assert data["revoked_on"] is None


def test_lower_case_and_spaces_around_the_code_still_find_it(client, citizen_certificate):
    assert api(client, citizen_certificate.code.lower()).json()["status"] == "valid"


def test_a_revoked_certificate_shows_the_date_not_the_reason(client):
    certificate = other_certificate(revoked_at=timezone.now() - timedelta(days=3),
                                    revoke_reason="Hujjatlar soxta chiqdi")
    body = page(client, certificate.code).content.decode()
    assert 'data-status="revoked"' in body and "Hujjatlar soxta" not in body
    data = api(client, certificate.code).json()
    assert data["status"] == "revoked"
    assert data["revoked_on"] == (timezone.localdate() - timedelta(days=3)).isoformat()
    assert "Hujjatlar soxta" not in str(data)


def test_an_expired_certificate(client):
    certificate = other_certificate(valid_until=timezone.localdate() - timedelta(days=1))
    assert 'data-status="expired"' in page(client, certificate.code).content.decode()
    assert api(client, certificate.code).json()["status"] == "expired"


@pytest.mark.parametrize("code", ["ABCDEFGHJKLMNPQRSTUV", "x", "%27%20OR%201=1", "Ж" * 40, "A" * 200])
def test_unknown_and_malformed_codes_get_the_same_answer(client, code):
    unknown_page = page(client, "ABCDEFGHJKLMNPQRSTUW")
    unknown_api = api(client, "ABCDEFGHJKLMNPQRSTUW")
    this_page, this_api = page(client, code), api(client, code)
    assert this_page.status_code == unknown_page.status_code == 200
    assert without_csrf(this_page) == without_csrf(unknown_page)
    assert this_api.status_code == unknown_api.status_code == 200
    assert this_api.json() == unknown_api.json() == {**dict.fromkeys(FIELDS), "status": "unknown"}


def test_the_page_is_translated(client, citizen_certificate):
    client.cookies["django_language"] = "ru"
    response = page(client, citizen_certificate.code)
    assert response.status_code == 200 and 'lang="ru"' in response.content.decode()


# --- The rate limit -------------------------------------------------------------------------


def test_the_page_answers_429_after_the_limit(client, settings, citizen_certificate):
    settings.CERTIFICATE_VERIFY_RATE = "5/m"
    for _n in range(5):
        assert page(client, citizen_certificate.code).status_code == 200
    response = page(client, citizen_certificate.code)
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode() and "Aziza" not in response.content.decode()
    # Another address is not held back.
    assert client.get(reverse("training:verify", args=[citizen_certificate.code]),
                      REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_api_answers_429_in_the_error_shape(client, settings, citizen_certificate):
    settings.CERTIFICATE_VERIFY_RATE = "5/m"
    for _n in range(5):
        assert api(client, "NOSUCHCODE").status_code == 200
    response = api(client, citizen_certificate.code)
    assert response.status_code == 429
    assert response.json() == {"code": "rate_limited", "message": "Too many requests.", "fields": {}}


def test_the_page_and_the_api_share_one_limit(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "4/m"
    for _n in range(2):
        assert page(client, "NOSUCHCODE").status_code == 200
        assert api(client, "NOSUCHCODE").status_code == 200
    assert page(client, "NOSUCHCODE").status_code == 429
    assert api(client, "NOSUCHCODE").status_code == 429


def test_the_default_limit_is_thirty_a_minute(client):
    codes = [page(client, "NOSUCHCODE").status_code for _n in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
