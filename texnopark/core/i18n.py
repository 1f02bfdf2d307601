"""Content in the reader's language and script.

Uzbek text lives in the plain field (any script); Russian, English and Korean
versions live in `<field>_ru`, `<field>_en`, `<field>_ko` and fall back to Uzbek.
"""

from contextvars import ContextVar

from django.utils.translation import get_language

from texnopark.core import scripts

CONTENT_LANGUAGES = ("ru", "en", "ko")
# Set per request for a signed-in person who reads Uzbek in the 2026 Latin alphabet.
prefers_latin_2026: ContextVar[bool] = ContextVar("prefers_latin_2026", default=False)


def reader_script(language: str | None = None) -> str:
    language = (language or get_language() or "uz").lower()
    if language == "uz-cyrl":
        return scripts.CYRILLIC
    return scripts.LATIN_2026 if prefers_latin_2026.get() else scripts.LATIN


def localized(obj, field: str, language: str | None = None) -> str:
    language = (language or get_language() or "uz").lower()
    base = language.split("-")[0]
    if base in CONTENT_LANGUAGES:
        value = getattr(obj, f"{field}_{base}", "")
        if value:
            return value
    return scripts.to_script(getattr(obj, field) or "", reader_script(language))


class Localized:
    """Mixin: `obj.tr.name` gives the name in the reader's language and script."""

    @property
    def tr(self):
        return _Reader(self)

    def __str__(self):
        return localized(self, "name")


class _Reader:
    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, field):
        return localized(self._obj, field)
