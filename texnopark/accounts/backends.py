from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Email and password; in production the demo password never opens an account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.PRODUCTION and password == settings.DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username.lower() if username else username,
                                    password=password, **kwargs)
