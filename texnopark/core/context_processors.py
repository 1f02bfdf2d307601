from functools import cache

from django.conf import settings
from django.utils.translation import get_language

from texnopark.accounts.scopes import scopes_of

# BCP 47 tags for the lang attribute.
HTML_LANG = {"uz": "uz-Latn", "uz-cyrl": "uz-Cyrl", "ru": "ru", "en": "en", "ko": "ko"}


def _unread(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return user.notifications.filter(read_at__isnull=True).count()


def languages(request):
    code = get_language() or settings.LANGUAGE_CODE
    user = getattr(request, "user", None)
    return {
        "html_lang": HTML_LANG.get(code, code),
        "interface_languages": settings.LANGUAGES,
        "scopes": scopes_of(user),
        # Templates call it: counted only when shown (the header does, for signed-in people), once a request.
        "unread_notifications": cache(lambda: _unread(user)),
    }
