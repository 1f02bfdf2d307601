from django.conf import settings
from django.utils.translation import get_language

from texnopark.accounts.scopes import scopes_of

# BCP 47 tags for the lang attribute.
HTML_LANG = {"uz": "uz-Latn", "uz-cyrl": "uz-Cyrl", "ru": "ru", "en": "en", "ko": "ko"}


def languages(request):
    code = get_language() or settings.LANGUAGE_CODE
    return {
        "html_lang": HTML_LANG.get(code, code),
        "interface_languages": settings.LANGUAGES,
        "scopes": scopes_of(getattr(request, "user", None)),
    }
