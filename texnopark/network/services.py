"""Writes: keyword-only, validated, atomic, audited."""

from django.db import transaction
from django.db.models import Model

from texnopark.core import audit, scripts
from texnopark.core.errors import NotFound
from texnopark.core.services import apply_changes, create_object, snapshot
from texnopark.network.models import BusinessCentre, District, Facility, Region, Technopark, University


def search_text_for(obj: Model) -> str:
    """Every spelling of the names, folded: Cyrillic, both Latins, Russian, English, Korean."""
    names = [getattr(obj, f, "") for f in ("name", "name_ru", "name_en", "name_ko")]
    if getattr(obj, "centre", ""):
        names.append(obj.centre)
    keys = {scripts.search_key(n) for n in names if n}
    return " | ".join(sorted(keys))


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


SCOPE_FIELDS = ("region", "park", "district")


def record_update(*, actor, obj: Model, perm: str, changes: dict) -> Model:
    _require(actor, perm, obj)
    for field in SCOPE_FIELDS:
        # Moving an object to another region, park or district takes the right to add it there.
        target = changes.get(field)
        if field in changes and target is not None and getattr(obj, f"{field}_id") != target.pk:
            _require(actor, f"{obj._meta.app_label}.add_{obj._meta.model_name}", target)
    changed = apply_changes(obj, changes)
    search_text = search_text_for(obj)
    if search_text != obj.search_text:
        obj.search_text = search_text
        obj.save(update_fields=["search_text"])
    if changed:
        audit.record(actor=actor, action=f"{obj._meta.label_lower}.updated", obj=obj, changes=changed)
    return obj


def record_create(*, actor, model: type[Model], perm: str, scope=None, fields: dict) -> Model:
    _require(actor, perm, scope)
    fields = dict(fields)
    logged = snapshot(model(), fields)
    obj = create_object(model, fields)
    obj.search_text = search_text_for(obj)
    obj.save(update_fields=["search_text"])
    audit.record(actor=actor, action=f"{model._meta.label_lower}.created", obj=obj, changes=logged)
    return obj


@transaction.atomic
def park_update(*, actor, park: Technopark, **changes) -> Technopark:
    return record_update(actor=actor, obj=park, perm="network.change_technopark", changes=changes)


@transaction.atomic
def park_create(*, actor, region: Region, **fields) -> Technopark:
    return record_create(actor=actor, model=Technopark, perm="network.add_technopark", scope=region,
                   fields={"region": region, **fields})


@transaction.atomic
def facility_create(*, actor, park: Technopark, **fields) -> Facility:
    return record_create(actor=actor, model=Facility, perm="network.add_facility", scope=park,
                   fields={"park": park, **fields})


@transaction.atomic
def facility_update(*, actor, facility: Facility, **changes) -> Facility:
    return record_update(actor=actor, obj=facility, perm="network.change_facility", changes=changes)


@transaction.atomic
def centre_update(*, actor, centre: BusinessCentre, **changes) -> BusinessCentre:
    return record_update(actor=actor, obj=centre, perm="network.change_businesscentre", changes=changes)


@transaction.atomic
def centre_create(*, actor, district: District, **fields) -> BusinessCentre:
    return record_create(actor=actor, model=BusinessCentre, perm="network.add_businesscentre", scope=district,
                   fields={"district": district, **fields})


@transaction.atomic
def district_create(*, actor, region: Region, **fields) -> District:
    return record_create(actor=actor, model=District, perm="network.add_district", scope=region,
                   fields={"region": region, **fields})


@transaction.atomic
def district_update(*, actor, district: District, **changes) -> District:
    return record_update(actor=actor, obj=district, perm="network.change_district", changes=changes)


@transaction.atomic
def university_create(*, actor, region: Region, **fields) -> University:
    return record_create(actor=actor, model=University, perm="network.add_university", scope=region,
                   fields={"region": region, **fields})


@transaction.atomic
def university_update(*, actor, university: University, **changes) -> University:
    return record_update(actor=actor, obj=university, perm="network.change_university", changes=changes)


@transaction.atomic
def region_update(*, actor, region: Region, **changes) -> Region:
    return record_update(actor=actor, obj=region, perm="network.change_region", changes=changes)
