from django.db import models

from texnopark.core.models import AuditEntry


def region_id_of(obj: models.Model) -> int | None:
    """The region an object belongs to: itself, or through its park, district or scope."""
    if obj._meta.label_lower == "network.region":
        return obj.pk
    # Through the park or the training centre first: an enrolment's own district is the learner's home.
    paths = ("region_id", "park.region_id", "resource.park.region_id", "centre.district.region_id",
             "programme.centre.district.region_id", "session.programme.centre.district.region_id",
             "lesson.session.programme.centre.district.region_id",
             "enrolment.session.programme.centre.district.region_id", "call.park.region_id",
             "application.call.park.region_id", "meeting.call.park.region_id", "residency.park.region_id",
             "assignment.application.call.park.region_id", "district.region_id")
    for path in paths:
        value = obj
        for attr in path.split("."):
            value = getattr(value, attr, None)
        if value is not None:
            return value
    return None


def record(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        region_id=region_id_of(obj),
    )
