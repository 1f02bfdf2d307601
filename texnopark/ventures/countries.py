"""Countries by ISO 3166-1 alpha-2 code, named in the reader's language (pycountry's catalogues)."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

from texnopark.core.scripts import to_script

CODES = sorted(country.alpha_2 for country in pycountry.countries)


@cache
def _catalogue(language: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    language = (language or get_language() or "en").lower()
    base = "uz" if language.startswith("uz") else language.split("-")[0]
    name = _catalogue(base).gettext(country.name)
    return to_script(name, "cyrl") if language == "uz-cyrl" else name


def choices(language: str | None = None) -> list[tuple[str, str]]:
    return sorted(((code, country_name(code, language)) for code in CODES), key=lambda pair: pair[1])
