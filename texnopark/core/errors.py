"""The one error type for problems a person can fix.

Views show it beside the field or as a message; the API returns it as
{"code", "message", "fields"}.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class AppError(Exception):
    status = 400

    def __init__(self, code: str, message, fields: dict | None = None, status: int | None = None,
                 extra: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.fields = fields or {}
        # Machine-readable help beside the message, e.g. the free slots near a taken one.
        self.extra = extra or {}
        if status:
            self.status = status

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
            **self.extra,
        }

    @classmethod
    def from_validation(cls, error: ValidationError) -> "AppError":
        fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return cls("invalid", _("Please correct the errors below."), fields)


class NotFound(AppError):
    """Outside the viewer's scope answers the same as "does not exist"."""

    status = 404

    def __init__(self):
        super().__init__("not_found", _("Not found."))
