from texnopark.core.i18n import prefers_latin_2026


class UserLanguageMiddleware:
    """Shows Uzbek content in the 2026 Latin alphabet to those who chose it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        wants_2026 = user.is_authenticated and user.latin_alphabet == user.LATIN_2026
        token = prefers_latin_2026.set(wants_2026)
        try:
            return self.get_response(request)
        finally:
            prefers_latin_2026.reset(token)
