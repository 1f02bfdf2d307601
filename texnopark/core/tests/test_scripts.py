"""Uzbek content in the reader's script, and Russian, English and Korean with Uzbek as the fallback."""

import re

import pytest
from django.utils import translation

from texnopark.core import scripts
from texnopark.core.i18n import localized, prefers_latin_2026, reader_script
from texnopark.network.models import Facility, Technopark

CHORTOQ_CYRILLIC = "Чортоқ агро ва косметика технопарки"  # stored in Cyrillic
CHORTOQ_LATIN = "Chortoq agro va kosmetika texnoparki"
CHORTOQ_2026 = "Çortoq agro va kosmetika texnoparki"
TEXTILE_LATIN = "Namangan toʻqimachilik texnoparki"  # stored in Latin
TEXTILE_CYRILLIC = "Наманган тўқимачилик технопарки"
TEXTILE_2026 = "Namangan töqimaçilik texnoparki"


def test_cyrillic_text_is_shown_in_the_1995_latin():
    assert scripts.to_script(CHORTOQ_CYRILLIC, scripts.LATIN) == CHORTOQ_LATIN


def test_latin_text_is_shown_in_cyrillic():
    assert scripts.to_script(TEXTILE_LATIN, scripts.CYRILLIC) == TEXTILE_CYRILLIC


def test_both_scripts_are_shown_in_the_2026_latin():
    assert scripts.to_script(CHORTOQ_CYRILLIC, scripts.LATIN_2026) == CHORTOQ_2026
    assert scripts.to_script(TEXTILE_LATIN, scripts.LATIN_2026) == TEXTILE_2026


def test_text_already_in_the_readers_script_is_left_as_entered():
    assert scripts.to_script(CHORTOQ_CYRILLIC, scripts.CYRILLIC) == CHORTOQ_CYRILLIC
    assert scripts.to_script(TEXTILE_LATIN, scripts.LATIN) == TEXTILE_LATIN
    assert scripts.to_script("", scripts.CYRILLIC) == ""


def test_the_search_key_is_the_same_in_every_script():
    keys = {scripts.search_key(t) for t in (CHORTOQ_CYRILLIC, CHORTOQ_LATIN, CHORTOQ_2026, CHORTOQ_LATIN.upper())}
    assert len(keys) == 1


def test_the_readers_script_follows_the_language_and_the_2026_choice():
    assert reader_script("uz") == scripts.LATIN
    assert reader_script("uz-cyrl") == scripts.CYRILLIC
    token = prefers_latin_2026.set(True)
    try:
        assert reader_script("uz") == scripts.LATIN_2026
        assert reader_script("uz-cyrl") == scripts.CYRILLIC  # Cyrillic readers keep Cyrillic
    finally:
        prefers_latin_2026.reset(token)


@pytest.mark.django_db
class TestLocalized:
    def test_a_cyrillic_park_name_reads_in_latin_and_a_latin_one_in_cyrillic(self):
        chortoq = Technopark.objects.get(slug="chortoq-agro")
        textile = Technopark.objects.get(slug="namangan-textile")
        assert localized(chortoq, "name", "uz") == CHORTOQ_LATIN
        assert localized(textile, "name", "uz-cyrl") == TEXTILE_CYRILLIC
        with translation.override("uz-cyrl"):
            assert str(textile) == TEXTILE_CYRILLIC
            assert textile.tr.name == TEXTILE_CYRILLIC

    def test_the_2026_latin_when_the_reader_chose_it(self):
        chortoq = Technopark.objects.get(slug="chortoq-agro")
        token = prefers_latin_2026.set(True)
        try:
            assert localized(chortoq, "name", "uz") == CHORTOQ_2026
        finally:
            prefers_latin_2026.reset(token)

    def test_russian_english_and_korean_use_their_own_fields(self):
        chortoq = Technopark.objects.get(slug="chortoq-agro")
        assert localized(chortoq, "name", "ru") == "Чартакский агро- и косметический технопарк"
        assert localized(chortoq, "name", "en") == "Chortoq Agro and Cosmetics Technopark"
        assert localized(chortoq, "name", "ko") == "차르토크 농업·화장품 테크노파크"

    @pytest.mark.parametrize("language", ["ru", "en", "ko"])
    def test_an_empty_translation_falls_back_to_the_uzbek_text(self, language):
        facility = Facility(name="Kovorking markazi", name_ru="", name_en="", name_ko="", description="Ochiq joy")
        assert localized(facility, "name", language) == "Kovorking markazi"
        assert localized(facility, "description", language) == "Ochiq joy"

    @pytest.mark.parametrize("language", ["ru", "ko"])
    def test_a_cyrillic_uzbek_fallback_is_still_the_uzbek_name(self, language):
        greenhouse = Facility.objects.get(name="Қулупнай иссиқхонаси")
        assert localized(greenhouse, "name", language) in {"Қулупнай иссиқхонаси", "Qulupnay issiqxonasi"}


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
class TestRenderedPages:
    def test_a_cyrillic_park_name_is_shown_in_latin_to_a_latin_reader(self, client):
        client.cookies["django_language"] = "uz"
        response = client.get("/parks/chortoq-agro/")
        assert heading(response) == CHORTOQ_LATIN
        assert html_lang(response) == "uz-Latn"

    def test_a_latin_park_name_is_shown_in_cyrillic_to_a_cyrillic_reader(self, client):
        client.cookies["django_language"] = "uz-cyrl"
        response = client.get("/parks/namangan-textile/")
        assert heading(response) == TEXTILE_CYRILLIC
        assert html_lang(response) == "uz-Cyrl"
        assert "toʻqimachilik" not in response.content.decode()

    def test_a_person_who_chose_the_2026_latin_reads_it(self, personas, demo_user):
        user = demo_user("it_manager")
        user.latin_alphabet = "latn2026"
        user.save()
        client = personas("it_manager")
        client.cookies["django_language"] = "uz"
        assert heading(client.get("/parks/chortoq-agro/")) == CHORTOQ_2026
        assert heading(client.get("/parks/namangan-textile/")) == TEXTILE_2026
        client.cookies["django_language"] = "uz-cyrl"
        assert heading(client.get("/parks/chortoq-agro/")) == CHORTOQ_CYRILLIC

    def test_the_2026_choice_is_personal(self, personas, demo_user):
        user = demo_user("it_manager")
        user.latin_alphabet = "latn2026"
        user.save()
        client = personas("it_staff")
        client.cookies["django_language"] = "uz"
        assert heading(client.get("/parks/chortoq-agro/")) == CHORTOQ_LATIN

    @pytest.mark.parametrize("language, expected", [
        ("ru", "Чартакский агро- и косметический технопарк"),
        ("en", "Chortoq Agro and Cosmetics Technopark"),
        ("ko", "차르토크 농업·화장품 테크노파크"),
    ])
    def test_the_park_page_shows_the_translated_name(self, client, language, expected):
        client.cookies["django_language"] = language
        response = client.get("/parks/chortoq-agro/")
        assert heading(response) == expected
        assert html_lang(response) == language

    @pytest.mark.parametrize("language", ["ru", "en", "ko"])
    def test_a_facility_without_a_translation_shows_its_uzbek_name(self, client, language):
        facility = Facility.objects.get(name="Kovorking markazi")
        Facility.objects.filter(pk=facility.pk).update(name_en="")
        client.cookies["django_language"] = language
        assert heading(client.get(facility.get_absolute_url())) == "Kovorking markazi"

    def test_the_browser_language_is_used_when_no_choice_was_made(self, client):
        response = client.get("/parks/chortoq-agro/", HTTP_ACCEPT_LANGUAGE="en")
        assert heading(response) == "Chortoq Agro and Cosmetics Technopark"
