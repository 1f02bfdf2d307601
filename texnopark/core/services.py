"""Helpers shared by every app's services."""

from django.core.exceptions import ValidationError
from django.db import models

from texnopark.core.errors import AppError


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return sorted(_jsonable(v) for v in items)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def validate_and_save(obj: models.Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise AppError.from_validation(error) from error
    obj.save()


def apply_changes(obj: models.Model, changes: dict) -> dict:
    """Set fields, validate, save; return {field: [old, new]} of what really changed.

    "Old" is what the database holds: a bound ModelForm has already copied the new
    values onto `obj`, so comparing with `obj` itself would record nothing.
    """
    m2m = {name: value for name, value in changes.items() if obj._meta.get_field(name).many_to_many}
    stored = obj._meta.model._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    changed = {}
    for name, value in changes.items():
        if name in m2m:
            continue
        old = getattr(stored if stored is not None else obj, name)
        if old != value:
            changed[name] = [_jsonable(old), _jsonable(value)]
            setattr(obj, name, value)
    validate_and_save(obj)
    for name, value in m2m.items():
        manager = getattr(obj, name)
        old = _jsonable(manager.all())
        new = _jsonable(value)
        if old != new:
            manager.set(value)
            changed[name] = [old, new]
    return changed


def create_object(model: type[models.Model], fields: dict) -> models.Model:
    m2m = {name: fields.pop(name) for name in list(fields) if model._meta.get_field(name).many_to_many}
    obj = model(**fields)
    validate_and_save(obj)
    for name, value in m2m.items():
        getattr(obj, name).set(value)
    return obj


def snapshot(obj: models.Model, fields: dict) -> dict:
    return {name: [None, _jsonable(value)] for name, value in fields.items()}
