"""Countries by ISO 3166-1 alpha-2 code, named in the reader's language (pycountry's catalogues)."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

from texnopark.core.scripts import to_script

CODES = sorted(country.alpha_2 for country in pycountry.countries)

# Uzbek names pycountry's Uzbek catalogue lacks (or has in an older form), for the usual trade partners.
UZBEK = {
    "KR": "Koreya Respublikasi", "KP": "Koreya XDR", "RU": "Rossiya", "TR": "Turkiya", "CN": "Xitoy",
    "US": "AQSH", "DE": "Germaniya", "IR": "Eron", "EE": "Estoniya", "VN": "Vyetnam", "MD": "Moldova",
}


@cache
def _catalogue(language: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    language = (language or get_language() or "en").lower()
    if not language.startswith("uz"):
        return _catalogue(language.split("-")[0]).gettext(country.name)
    name = UZBEK.get(code) or _catalogue("uz").gettext(country.name)
    if name == country.name:  # no Uzbek name: the Russian one reads better in Cyrillic than English letters
        return _catalogue("ru").gettext(country.name) if language == "uz-cyrl" else name
    return to_script(name, "cyrl") if language == "uz-cyrl" else name


def choices(language: str | None = None) -> list[tuple[str, str]]:
    return sorted(((code, country_name(code, language)) for code in CODES), key=lambda pair: pair[1])
