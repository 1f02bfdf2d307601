"""API auth: a personal token (Bearer) or the browser session with CSRF on writes."""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from texnopark.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is None:
            # A wrong token is an error, never a silent fall back to anonymous.
            raise AuthenticationError()
        request.user = user
        return user


class Anonymous:
    """Lets public reads through; the viewer is whoever the session says (maybe nobody)."""

    def __call__(self, request):
        return request.user if request.user.is_authenticated else _Anonymous()


class _Anonymous(AnonymousUser):
    def __bool__(self):
        return True


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
read_auth = [token_auth, session_auth, Anonymous()]
write_auth = [token_auth, session_auth]
