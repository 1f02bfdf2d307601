"""Bookings over /api/v1/: resources and their rules, availability, bookings, series, staff tools.

A thin door onto bookings.services and bookings.selectors: the same permissions (outside the
viewer's scope answers 404), the same error shape, and times in the park's time zone.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from texnopark.accounts.selectors import person_by_email
from texnopark.api.auth import read_auth, write_auth
from texnopark.bookings import selectors, services
from texnopark.bookings.models import Booking, Resource, Training
from texnopark.bookings.rules import has_valid_training, local, zone
from texnopark.core.errors import AppError, NotFound
from texnopark.core.i18n import localized
from texnopark.core.scripts import search_key

router = Router(tags=["bookings"], auth=read_auth)

# Longest period a utilisation report covers in one request.
MAX_REPORT_DAYS = 366


def _aware(resource: Resource, moment: datetime) -> datetime:
    """A time sent without an offset is read as the park's wall-clock time."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=zone(resource))


def _resource(request, pk: int) -> Resource:
    return get_object_or_404(selectors.resource_list_for(viewer=request.user), pk=pk)


def _booking(request, pk: int) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)


def _require_staff(request, resource: Resource) -> None:
    """Checked before anything that could tell an outsider something (e.g. whether an e-mail exists)."""
    if not request.user.has_perm("bookings.manage_resource", resource):
        raise NotFound()


# Schemas: resources


class ResourceOut(Schema):
    id: int
    name: str
    name_ru: str
    name_en: str
    name_ko: str
    display_name: str
    description: str
    kind: str
    capacity: int
    facility_id: int
    facility_name: str
    park_slug: str
    timezone: str
    opens_at: str = Field(description="Local time, HH:MM")
    closes_at: str = Field(description="Local time, HH:MM")
    open_weekdays: list[int] = Field(description="0 is Monday, 6 is Sunday")
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    book_ahead_days: int
    buffer_minutes: int
    audience: list[str]
    needs_approval: bool
    approval_hold_hours: int
    price_per_hour: Decimal
    resident_price_per_hour: Decimal
    cancel_hours_before: int
    requires_training: bool
    no_show_minutes: int
    in_service: bool
    out_of_service_reason: str
    can_book: bool = Field(False, description="Whether the viewer may book it (training aside)")

    @staticmethod
    def resolve_display_name(obj):
        return localized(obj, "name")

    @staticmethod
    def resolve_facility_name(obj):
        return localized(obj.facility, "name")

    @staticmethod
    def resolve_park_slug(obj):
        return obj.facility.park.slug

    @staticmethod
    def resolve_timezone(obj):
        return obj.facility.park.region.timezone

    @staticmethod
    def resolve_opens_at(obj):
        return obj.opens_at.strftime("%H:%M")

    @staticmethod
    def resolve_closes_at(obj):
        return obj.closes_at.strftime("%H:%M")

    @staticmethod
    def resolve_can_book(obj, context):
        return context["request"].user.has_perm("bookings.book_resource", obj)


class ClosedDayOut(Schema):
    date: date
    reason: str


class ResourceDetailOut(ResourceOut):
    closed_days: list[ClosedDayOut] = Field(description="Closed days from today on")
    trained: bool | None = Field(None, description="For an instrument that needs training: the viewer's "
                                                   "training is valid today")
    can_manage: bool = False

    @staticmethod
    def resolve_closed_days(obj):
        return list(obj.closed_days.filter(date__gte=timezone.localdate(timezone=zone(obj))))

    @staticmethod
    def resolve_trained(obj, context):
        user = context["request"].user
        if not obj.requires_training or not user.is_authenticated:
            return None
        return has_valid_training(obj, user, timezone.localdate(timezone=zone(obj)))

    @staticmethod
    def resolve_can_manage(obj, context):
        return context["request"].user.has_perm("bookings.manage_resource", obj)


class ResourceFilter(FilterSchema):
    q: str | None = Field(None, description="Any script, apostrophe or Russian form of the name")
    park: Annotated[str | None, FilterLookup("facility__park__slug")] = None
    facility: Annotated[int | None, FilterLookup("facility_id")] = None
    kind: Annotated[Resource.Kind | None, FilterLookup("kind")] = None
    in_service: bool | None = None

    def filter_q(self, value):
        return Q(search_text__contains=search_key(value)) if value else Q()


# Schemas: availability


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    free_units: int
    free: bool = Field(description="Bookable now: a unit is free and the slot has not passed")
    past: bool
    mine: bool = Field(description="The viewer holds a booking in this slot")
    blocked: bool = Field(description="Staff blocked this time (maintenance)")


class DayOut(Schema):
    date: date
    open: bool
    slots: list[SlotOut]


class AvailabilityQuery(Schema):
    day: date | None = Field(None, alias="date", description="One day; today when neither is sent")
    week: date | None = Field(None, description="Any date of the week; the week starts on Monday")


class AvailabilityOut(Schema):
    resource_id: int
    capacity: int
    timezone: str
    days: list[DayOut]


# Schemas: bookings


class PersonOut(Schema):
    id: int
    full_name: str
    email: str


class BookingOut(Schema):
    id: int
    resource_id: int
    starts_at: datetime
    ends_at: datetime
    units: int
    status: str
    price: Decimal
    purpose: str
    is_block: bool
    series_id: int | None
    resource_name: str
    booked_by: PersonOut
    hold_expires_at: datetime | None
    checked_in_at: datetime | None
    decision_note: str
    created_at: datetime

    @staticmethod
    def resolve_starts_at(obj):
        return local(obj.resource, obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return local(obj.resource, obj.ends_at)

    @staticmethod
    def resolve_hold_expires_at(obj):
        return obj.hold_expires_at and local(obj.resource, obj.hold_expires_at)

    @staticmethod
    def resolve_checked_in_at(obj):
        return obj.checked_in_at and local(obj.resource, obj.checked_in_at)

    @staticmethod
    def resolve_created_at(obj):
        return local(obj.resource, obj.created_at)

    @staticmethod
    def resolve_resource_name(obj):
        return localized(obj.resource, "name")


class BookingIn(Schema):
    starts_at: datetime = Field(description="ISO 8601; without an offset it is the park's local time")
    ends_at: datetime
    units: int = Field(1, description="Places in a pool; 1 for a room or an instrument")
    purpose: str = Field("", max_length=200)


class ReschedulePatch(Schema):
    starts_at: datetime | None = Field(None, description="Left out: the booking keeps its start")
    ends_at: datetime | None = Field(None, description="Left out: the booking keeps its length")


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


class BookingFilter(FilterSchema):
    resource: Annotated[int | None, FilterLookup("resource_id")] = None
    park: Annotated[str | None, FilterLookup("resource__facility__park__slug")] = None
    status: Annotated[Booking.Status | None, FilterLookup("status")] = None
    after: Annotated[datetime | None, FilterLookup("ends_at__gt")] = Field(
        None, description="Only bookings that end after this moment (e.g. now, for upcoming ones)")
    before: Annotated[datetime | None, FilterLookup("starts_at__lt")] = None
    run: bool = Field(False, description="Every booking of the resources the viewer runs, not only their own")

    def filter_run(self, value):
        return Q()  # chooses the set of bookings (see list_bookings), filters nothing


# Schemas: series


class SeriesIn(BookingIn):
    count: int | None = Field(None, ge=1, le=104, description="How many weeks in a row")
    until: date | None = Field(None, description="The last date (used when count is left out)")
    skip_conflicts: bool = Field(False, description="Book the free dates and report the rest; "
                                                    "otherwise one conflict books nothing")


class OccurrenceError(Schema):
    code: str
    message: str


class OccurrenceOut(Schema):
    starts_at: datetime
    ends_at: datetime
    booked: bool
    booking_id: int | None
    error: OccurrenceError | None


class SeriesRefusedOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    results: list[OccurrenceOut]


# Schemas: staff


class BlockIn(Schema):
    starts_at: datetime
    ends_at: datetime
    reason: str = Field("", max_length=200)


class ServiceIn(Schema):
    in_service: bool
    reason: str = Field("", max_length=200)


class ServiceOut(Schema):
    in_service: bool
    reason: str
    cancelled: int = Field(description="Future bookings cancelled (their people are told)")


class TrainingIn(Schema):
    person_email: str
    trained_on: date
    valid_until: date


class TrainingOut(Schema):
    id: int
    resource_id: int
    person: PersonOut
    trained_on: date
    valid_until: date


class UsageOut(Schema):
    open_hours: Decimal = Field(description="Opening hours × open days × units")
    booked_hours: Decimal = Field(description="Confirmed, checked-in and no-show unit-hours")
    used_hours: Decimal = Field(description="Checked-in unit-hours")
    booked_share: Decimal = Field(description="Percent of open hours")
    used_share: Decimal = Field(description="Percent of open hours")
    amount: Decimal = Field(description="Billed, UZS")


class ResourceUsageOut(UsageOut):
    id: int
    name: str
    kind: str
    facility_id: int


class FacilityUsageOut(UsageOut):
    id: int
    name: str


class Period(Schema):
    first: date | None = Field(None, alias="from", description="First day; 29 days before `to` by default")
    last: date | None = Field(None, alias="to", description="Last day; today by default")


class UtilisationOut(Schema):
    park: str
    first_day: date
    last_day: date
    total: UsageOut
    facilities: list[FacilityUsageOut]
    resources: list[ResourceUsageOut]


# Resources and availability


@router.get("/resources", response=list[ResourceOut])
@paginate(PageNumberPagination)
def list_resources(request, filters: Query[ResourceFilter]):
    """Bookable resources in the facilities the viewer may see."""
    return filters.filter(selectors.resource_list_for(viewer=request.user)).order_by("facility_id", "name", "pk")


@router.get("/resources/{pk}", response=ResourceDetailOut)
def get_resource(request, pk: int):
    return _resource(request, pk)


@router.get("/resources/{pk}/availability", response=AvailabilityOut)
def get_availability(request, pk: int, when: Query[AvailabilityQuery]):
    """One day's slots (`?date=`) or a week's (`?week=`), each with how many units are free."""
    resource = _resource(request, pk)
    day, week = when.day, when.week
    if day and week:
        message = _("Ask for a date or a week, not both.")
        raise AppError("invalid", message, {"week": [message]}, status=422)
    if week:
        days = selectors.week_slots(resource, week - timedelta(days=week.weekday()))
    else:
        day = day or timezone.localdate(timezone=zone(resource))
        days = [(day, selectors.day_slots(resource, day))]
    viewer = request.user.pk
    return {
        "resource_id": resource.pk, "capacity": resource.capacity, "timezone": str(zone(resource)),
        "days": [{"date": d, "open": bool(slots), "slots": [{
            "starts_at": s.starts_at, "ends_at": s.ends_at, "free_units": max(s.free_units, 0), "free": s.free,
            "past": s.past, "mine": viewer is not None and any(b.booked_by_id == viewer for b in s.bookings),
            "blocked": any(b.is_block for b in s.bookings),
        } for s in slots]} for d, slots in days],
    }


# Bookings


@router.post("/resources/{pk}/bookings", response={201: BookingOut}, auth=write_auth)
def create_booking(request, pk: int, payload: BookingIn):
    """Book a slot. A taken slot answers 409 `slot_taken` with `alternatives`: free slots nearby."""
    resource = _resource(request, pk)
    booking = services.booking_create(
        actor=request.user, resource=resource, starts_at=_aware(resource, payload.starts_at),
        ends_at=_aware(resource, payload.ends_at), units=payload.units, purpose=payload.purpose)
    return Status(201, booking)


@router.get("/bookings", response=list[BookingOut], auth=write_auth)
@paginate(PageNumberPagination)
def list_bookings(request, filters: Query[BookingFilter]):
    """The viewer's own bookings. With `resource` or `park`, also the bookings of the resources the viewer
    runs there; with `run=true`, the bookings of everything the viewer runs."""
    user = request.user
    if filters.run:
        qs = selectors.bookings_run_by(user)
    elif filters.resource is not None or filters.park is not None:
        qs = selectors.bookings_visible_to(user)
    else:
        qs = selectors.bookings_of(user).select_related("booked_by")
    return filters.filter(qs).order_by("starts_at", "pk")


@router.get("/bookings/{pk}", response=BookingOut, auth=write_auth)
def get_booking(request, pk: int):
    return _booking(request, pk)


@router.patch("/bookings/{pk}", response=BookingOut, auth=write_auth)
def reschedule_booking(request, pk: int, payload: ReschedulePatch):
    booking = _booking(request, pk)
    resource = booking.resource
    if payload.starts_at is None and payload.ends_at is None:
        message = _("Send a new start, a new end, or both.")
        raise AppError("invalid", message, {"starts_at": [message]}, status=422)
    starts_at = _aware(resource, payload.starts_at) if payload.starts_at else booking.starts_at
    ends_at = (_aware(resource, payload.ends_at) if payload.ends_at
               else starts_at + (booking.ends_at - booking.starts_at))
    return services.booking_reschedule(actor=request.user, booking=booking, starts_at=starts_at, ends_at=ends_at)


@router.post("/bookings/{pk}/cancel", response=BookingOut, auth=write_auth)
def cancel_booking(request, pk: int, payload: CancelIn | None = None):
    reason = payload.reason if payload else ""
    return services.booking_cancel(actor=request.user, booking=_booking(request, pk), reason=reason)


@router.post("/bookings/{pk}/decision", response=BookingOut, auth=write_auth)
def decide_booking(request, pk: int, payload: DecisionIn):
    """Approve or decline a request (park staff)."""
    return services.booking_decide(actor=request.user, booking=_booking(request, pk), approve=payload.approve,
                                   note=payload.note)


@router.post("/bookings/{pk}/check-in", response=BookingOut, auth=write_auth)
def check_in_booking(request, pk: int):
    """Record that the person came (park staff); from 30 minutes before the start to the end."""
    return services.booking_check_in(actor=request.user, booking=_booking(request, pk))


@router.post("/resources/{pk}/series", response={201: list[OccurrenceOut], 409: SeriesRefusedOut},
             auth=write_auth)
def create_series(request, pk: int, payload: SeriesIn):
    """The same time every week, `count` times or `until` a date. 201 with a result per date when something
    was booked; 409 with the same results under `results` when nothing was."""
    resource = _resource(request, pk)
    series, occurrences = services.series_create(
        actor=request.user, resource=resource, starts_at=_aware(resource, payload.starts_at),
        ends_at=_aware(resource, payload.ends_at), count=payload.count, until=payload.until, units=payload.units,
        purpose=payload.purpose, skip_conflicts=payload.skip_conflicts)
    results = [{
        "starts_at": local(resource, o.starts_at), "ends_at": local(resource, o.ends_at),
        "booked": o.booking is not None, "booking_id": o.booking.pk if o.booking else None,
        "error": {"code": o.error.code, "message": str(o.error.message)} if o.error else None,
    } for o in occurrences]
    if series is None:
        message = _("Nothing was booked: see the result for each date.")
        raise AppError("series_not_booked", message, status=409,
                       extra={"results": [OccurrenceOut(**r).model_dump(mode="json") for r in results]})
    return Status(201, results)


# Staff


@router.post("/resources/{pk}/blocks", response={201: BookingOut}, auth=write_auth)
def create_block(request, pk: int, payload: BlockIn):
    """Take the whole resource for maintenance (park staff); the time must be free."""
    resource = _resource(request, pk)
    block = services.block_create(actor=request.user, resource=resource, starts_at=_aware(resource, payload.starts_at),
                                  ends_at=_aware(resource, payload.ends_at), reason=payload.reason)
    return Status(201, block)


@router.post("/resources/{pk}/service", response=ServiceOut, auth=write_auth)
def set_in_service(request, pk: int, payload: ServiceIn):
    """Out of service cancels the future bookings and tells their people; back in service opens it again."""
    resource = _resource(request, pk)
    cancelled = services.resource_set_in_service(actor=request.user, resource=resource,
                                                 in_service=payload.in_service, reason=payload.reason)
    return {"in_service": payload.in_service, "reason": "" if payload.in_service else payload.reason,
            "cancelled": cancelled}


@router.get("/resources/{pk}/trainings", response=list[TrainingOut], auth=write_auth)
def list_trainings(request, pk: int):
    """Who is trained on the instrument (park staff)."""
    resource = _resource(request, pk)
    _require_staff(request, resource)
    return Training.objects.filter(resource=resource).select_related("person")


@router.post("/resources/{pk}/trainings", response={201: TrainingOut}, auth=write_auth)
def record_training(request, pk: int, payload: TrainingIn):
    resource = _resource(request, pk)
    _require_staff(request, resource)
    person = person_by_email(payload.person_email)
    if person is None:
        message = _("Nobody with this e-mail is signed up.")
        raise AppError("unknown_person", message, {"person_email": [message]})
    training = services.training_record(actor=request.user, resource=resource, person=person,
                                        trained_on=payload.trained_on, valid_until=payload.valid_until)
    return Status(201, training)


def _usage(usage: selectors.Usage) -> dict:
    cents = Decimal("0.01")
    return {"open_hours": usage.open_hours.quantize(cents), "booked_hours": usage.booked_hours.quantize(cents),
            "used_hours": usage.used_hours.quantize(cents), "booked_share": usage.booked_share,
            "used_share": usage.used_share, "amount": usage.amount.quantize(cents)}


@router.get("/parks/{slug}/utilisation", response=UtilisationOut, auth=write_auth)
def get_utilisation(request, slug: str, period: Query[Period]):
    """Booked and used hours ÷ open hours per resource, facility and park, with amounts (park staff and the
    region). The period defaults to the last 30 days up to today."""
    park = get_object_or_404(selectors.parks_run_by(request.user), slug=slug)
    last = period.last or timezone.localdate()
    first = period.first or last - timedelta(days=29)
    if first > last or (last - first).days >= MAX_REPORT_DAYS:
        message = _("Choose a period of one day to a year, the start before the end.")
        raise AppError("bad_period", message, {"from": [message]})
    resources = list(selectors.resources_run_by(request.user).filter(facility__park=park)
                     .order_by("facility__name", "name", "pk"))
    usage = selectors.utilisation(resources, first, last)
    total, facilities, rows = selectors.Usage(), {}, []
    for resource in resources:
        used = usage[resource.pk]
        total.add(used)
        facility = facilities.setdefault(resource.facility_id, (resource.facility, selectors.Usage()))
        facility[1].add(used)
        rows.append({"id": resource.pk, "name": localized(resource, "name"), "kind": resource.kind,
                     "facility_id": resource.facility_id, **_usage(used)})
    return {
        "park": park.slug, "first_day": first, "last_day": last, "total": _usage(total),
        "facilities": [{"id": f.pk, "name": localized(f, "name"), **_usage(u)} for f, u in facilities.values()],
        "resources": rows,
    }
