"""Explicit state machines: each model lists its allowed transitions in one dict, and every
status change goes through `move`, so a forbidden step is an application error, never a 500."""

from django.utils.translation import gettext_lazy as _

from texnopark.core.errors import AppError


def allowed(transitions: dict, current: str, target: str) -> bool:
    return target in transitions.get(current, ())


def move(obj, target: str, transitions: dict, field: str = "status") -> str:
    """Check and set `obj.<field>` to `target`; return the old value. The caller saves."""
    current = getattr(obj, field)
    if not allowed(transitions, current, target):
        choices = dict(obj._meta.get_field(field).choices)
        raise AppError(
            "forbidden_transition",
            _("This cannot go from “%(current)s” to “%(target)s”.") % {
                "current": choices.get(current, current), "target": choices.get(target, target)},
            status=409,
        )
    setattr(obj, field, target)
    return current
