"""One error shape for the whole API: {"code", "message", "fields"}."""

import logging

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from texnopark.core.errors import AppError

log = logging.getLogger(__name__)


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _field_name(loc) -> str:
    # ninja reports ("body", "payload", "name") or ("query", "page"): keep the field.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


def install(api) -> None:
    @api.exception_handler(AppError)
    def app_error(request, exc: AppError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields: dict = {}
        for err in exc.errors:
            fields.setdefault(_field_name(err.get("loc", ())), []).append(err.get("msg", ""))
        body = error_body("invalid", _("Please correct the errors below."), fields)
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        body = error_body("unauthorized", _("Sign in or send a valid API token."))
        return api.create_response(request, body, status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return api.create_response(request, error_body("rate_limited", _("Too many requests.")), status=429)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400 and "parse" in str(exc).lower():
            body = error_body("invalid", _("The request body is not valid JSON."), {"__all__": [str(exc)]})
            return api.create_response(request, body, status=422)
        code = {403: "forbidden", 405: "method_not_allowed"}.get(exc.status_code, "error")
        message = _("The security check (CSRF) failed.") if "CSRF" in str(exc) else str(exc)
        return api.create_response(request, error_body(code, message), status=exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        if settings.DEBUG:
            raise exc
        log.exception("API error")
        return api.create_response(request, error_body("server_error", _("Something went wrong on our side.")),
                                   status=500)
