"""Bookable resources inside facilities, and their bookings.

Times are stored in UTC and shown in the park's time zone. Two bookings of a single
resource never overlap: on PostgreSQL an exclusion constraint (migration 0002) says so;
pools of N identical units are guarded by locking the resource row (services.py).
"""

from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from texnopark.network.models import Facility, Named


def all_weekdays():
    return [0, 1, 2, 3, 4]


class Resource(Named):
    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        POOL = "pool", _("Pool of identical places (desks)")
        INSTRUMENT = "instrument", _("Instrument")
        BAY = "bay", _("Greenhouse bay")

    class Audience(models.TextChoices):
        PARK_RESIDENTS = "park_residents", _("Residents of this park")
        ANY_RESIDENT = "any_resident", _("Residents of any park")
        RESEARCHERS = "researchers", _("Researchers")
        PUBLIC = "public", _("Anyone signed in")

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.CASCADE,
                                 related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ROOM)
    capacity = models.PositiveSmallIntegerField(
        _("identical units"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("1 for a room or an instrument; N for a pool of N desks."),
    )
    description = models.TextField(_("description (Uzbek)"), blank=True)
    opens_at = models.TimeField(_("opens at"), default=time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=time(18, 0))
    open_weekdays = models.JSONField(_("open on"), default=all_weekdays,
                                     help_text=_("Days of the week: 0 is Monday, 6 is Sunday."))
    slot_minutes = models.PositiveSmallIntegerField(_("slot step, minutes"), default=30,
                                                    validators=[MinValueValidator(5), MaxValueValidator(240)])
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking, minutes"), default=30)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking, minutes"), default=480)
    book_ahead_days = models.PositiveSmallIntegerField(_("bookable up to, days ahead"), default=60)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between bookings, minutes"), default=0)
    audience = models.JSONField(_("who may book"), default=list, blank=True,
                                help_text=_("Park staff may always book."))
    needs_approval = models.BooleanField(_("needs staff approval"), default=False)
    approval_hold_hours = models.PositiveSmallIntegerField(
        _("a request holds its slot for, hours"), default=48)
    price_per_hour = models.DecimalField(_("price per hour, UZS"), max_digits=12, decimal_places=2,
                                         default=Decimal(0), validators=[MinValueValidator(0)])
    resident_price_per_hour = models.DecimalField(_("resident price per hour, UZS"), max_digits=12,
                                                  decimal_places=2, default=Decimal(0),
                                                  validators=[MinValueValidator(0)])
    cancel_hours_before = models.PositiveSmallIntegerField(_("free cancellation until, hours before"), default=2)
    requires_training = models.BooleanField(_("training needed"), default=False)
    no_show_minutes = models.PositiveSmallIntegerField(_("released without check-in after, minutes"), default=15)
    in_service = models.BooleanField(_("in service"), default=True)
    out_of_service_reason = models.CharField(_("why out of service"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bookable resource")
        verbose_name_plural = _("bookable resources")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="resource_unique_name_in_facility"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="resource_opens_before_closing",
                violation_error_message=_("The opening time must be before the closing time."),
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__lte=models.F("max_minutes")), name="resource_min_not_above_max",
                violation_error_message=_("The shortest booking cannot be longer than the longest."),
            ),
            models.CheckConstraint(condition=Q(kind="pool") | Q(capacity=1), name="resource_only_pools_have_units",
                                   violation_error_message=_("Only a pool has more than one unit.")),
        ]

    def get_absolute_url(self):
        return reverse("bookings:resource", args=[self.pk])

    @property
    def park(self):
        return self.facility.park

    @property
    def exclusive(self) -> bool:
        return self.capacity == 1

    def clean(self):
        bad = [d for d in (self.open_weekdays or []) if not isinstance(d, int) or not 0 <= d <= 6]
        if bad:
            raise ValidationError({"open_weekdays": _("Days of the week are numbers from 0 to 6.")})
        unknown = set(self.audience or []) - set(self.Audience.values)
        if unknown:
            raise ValidationError({"audience": _("Unknown audience: %(names)s") % {"names": ", ".join(unknown)}})


class ClosedDay(models.Model):
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE,
                                 related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["resource", "date"], name="closed_day_unique")]

    def __str__(self):
        return f"{self.date} {self.reason}"


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Request expired")
        NO_SHOW = "no_show", _("Released: no check-in")

    # Statuses that hold time on the resource. The exclusion constraint lists them too.
    HOLDING = (Status.PENDING, Status.CONFIRMED, Status.CHECKED_IN)

    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE,
                                 related_name="bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
                                  related_name="bookings")
    series = models.ForeignKey("BookingSeries", verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="bookings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # ends_at plus the resource's buffer: the time no other booking may take.
    blocked_until = models.DateTimeField(editable=False)
    units = models.PositiveSmallIntegerField(_("places"), default=1, validators=[MinValueValidator(1)])
    # Copied from the resource (capacity 1): the exclusion constraint can only read this row.
    exclusive = models.BooleanField(default=True, editable=False)
    is_block = models.BooleanField(_("blocked by staff"), default=False,
                                   help_text=_("Maintenance or another reason the resource is not bookable."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    price = models.DecimalField(_("amount, UZS"), max_digits=14, decimal_places=2, default=Decimal(0))
    hold_expires_at = models.DateTimeField(_("request holds the slot until"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["resource", "starts_at"]), models.Index(fields=["booked_by", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="booking_starts_before_end",
                                   violation_error_message=_("A booking must end after it starts.")),
            models.CheckConstraint(condition=Q(blocked_until__gte=models.F("ends_at")),
                                   name="booking_buffer_not_negative"),
        ]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)

    @property
    def holds_time(self) -> bool:
        return self.status in self.HOLDING

    def get_absolute_url(self):
        return reverse("bookings:booking", args=[self.pk])


class BookingSeries(models.Model):
    """A weekly repeat: the same time every week, N times or until a date."""

    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE,
                                 related_name="series")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
                                  related_name="booking_series")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self):
        return f"{self.resource} × {self.bookings.count()}"


class Training(models.Model):
    """A person may use an instrument that needs training while their training is valid."""

    resource = models.ForeignKey(Resource, verbose_name=_("instrument"), on_delete=models.CASCADE,
                                 related_name="trainings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="trainings")
    trained_on = models.DateField(_("trained on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("instrument training")
        verbose_name_plural = _("instrument trainings")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(condition=Q(trained_on__lte=models.F("valid_until")),
                                   name="training_valid_after_it_happened",
                                   violation_error_message=_("A training cannot expire before it happened.")),
        ]

    def __str__(self):
        return f"{self.person} · {self.resource} · {self.valid_until}"


class CalendarFeed(models.Model):
    """A secret address for an iCal feed: a person's bookings, or one resource's."""

    token = models.CharField(max_length=64, unique=True)
    person = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="calendar_feed")
    resource = models.OneToOneField(Resource, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="calendar_feed")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, resource__isnull=True)
                           | Q(person__isnull=True, resource__isnull=False)),
                name="calendar_feed_of_one_thing",
            ),
        ]

    def __str__(self):
        return str(self.person or self.resource)


def buffer(resource: Resource) -> timedelta:
    return timedelta(minutes=resource.buffer_minutes)
