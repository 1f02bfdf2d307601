"""District business centres teach citizens modern business.

A Programme ("Start your business") runs as Sessions (a group with a trainer, room and
capacity); a Session meets in Lessons, where attendance is taken. People enrol in a
Session; when it is full they wait in line and are offered a freed seat in turn.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from texnopark.network.models import BusinessCentre, District, Named


class Programme(Named):
    class Topic(models.TextChoices):
        START = "start", _("Starting a business")
        MARKETING = "marketing", _("Digital marketing")
        EXPORT = "export", _("Export")
        AGRO = "agro", _("Agro business")
        FINANCE = "finance", _("Finance and accounting")
        IT = "it", _("IT skills")
        OTHER = "other", _("Other")

    centre = models.ForeignKey(BusinessCentre, verbose_name=_("business centre"), on_delete=models.PROTECT,
                               related_name="programmes")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.START)
    description = models.TextField(_("description (Uzbek)"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    modules = models.TextField(_("modules"), blank=True, help_text=_("One module a line."))
    language = models.CharField(_("language of instruction"), max_length=10, choices=settings.LANGUAGES,
                                default="uz")
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate, %"), default=80, validators=[MaxValueValidator(100)])
    requires_project = models.BooleanField(_("a final project must be accepted"), default=False)
    certificate_valid_years = models.PositiveSmallIntegerField(
        _("certificate valid for, years"), null=True, blank=True, help_text=_("Empty: never expires."))
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("training:programme", args=[self.pk])

    @property
    def module_list(self) -> list[str]:
        return [line.strip() for line in self.modules.splitlines() if line.strip()]


class Session(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE,
                                  related_name="sessions")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    schedule = models.CharField(_("schedule"), max_length=200, blank=True,
                                help_text=_("e.g. Tuesdays and Thursdays, 18:00–20:00"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    online_url = models.URLField(_("online address"), blank=True)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("trainer"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="sessions_taught")
    trainer_name = models.CharField(_("trainer's name"), max_length=150, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    offer_hours = models.PositiveSmallIntegerField(
        _("a freed seat is held for, hours"), default=24,
        help_text=_("The next person on the waiting list has this long to confirm."))
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="session_starts_before_end",
                                   violation_error_message=_("A session must end after it starts.")),
        ]

    def __str__(self):
        return f"{self.programme} · {self.starts_on:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("training:session", args=[self.pk])

    @property
    def centre(self):
        return self.programme.centre


class Lesson(models.Model):
    """One meeting of a session: attendance is taken here."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="lessons")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # The secret behind the self check-in code that changes every minute.
    checkin_secret = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="lesson_starts_before_end",
                                   violation_error_message=_("A lesson must end after it starts.")),
        ]

    def __str__(self):
        return f"{self.session} · {self.starts_at:%d.%m %H:%M}"


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("under 18")
    FROM_18 = "18_24", _("18–24")
    FROM_25 = "25_34", _("25–34")
    FROM_35 = "35_44", _("35–44")
    FROM_45 = "45_54", _("45–54")
    FROM_55 = "55_plus", _("55 and over")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Seat offered: confirm it")
        CANCELLED = "cancelled", _("Cancelled")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")

    # Statuses that take a seat; and all that keep a person in the session (seat or queue).
    SEATED = (Status.ENROLLED, Status.OFFERED)
    ACTIVE = (Status.ENROLLED, Status.OFFERED, Status.WAITING)

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # The waiting line is first come, first served: by the moment the person asked.
    queued_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    offer_expires_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    walk_in = models.BooleanField(_("walked in"), default=False)
    # The short profile asked at enrolment; kept here as given then.
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=13, blank=True)
    district = models.ForeignKey(District, verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    project_accepted = models.BooleanField(_("final project accepted"), default=False)
    business_started = models.BooleanField(_("started a business after the training"), default=False)
    business_started_on = models.DateField(_("business started on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["queued_at", "id"]
        constraints = [
            # One seat or place in line per person and session.
            models.UniqueConstraint(fields=["session", "person"], condition=Q(status__in=["enrolled", "offered",
                                                                                          "waiting"]),
                                    name="enrolment_one_active_per_person"),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self):
        return f"{self.full_name} · {self.session}"


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        ABSENT = "absent", _("absent")

    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE,
                                  related_name="attendance")
    mark = models.CharField(_("mark"), max_length=10, choices=Mark.choices)
    self_checked_in = models.BooleanField(_("checked in with the code"), default=False)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["lesson", "enrolment"], name="attendance_once_per_lesson")]

    def __str__(self):
        return f"{self.enrolment} · {self.lesson} · {self.mark}"


class Certificate(models.Model):
    enrolment = models.OneToOneField(Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT,
                                     related_name="certificate")
    # Random and long: the public verification address must not be guessable.
    code = models.CharField(_("code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("why revoked"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("training:verify", args=[self.code])


class ConsultationSlot(models.Model):
    class Outcome(models.TextChoices):
        ADVICE = "advice", _("Advice given")
        REFERRED = "referred", _("Referred to a technopark call")
        REGISTERED = "registered", _("Business registered")
        NO_SHOW = "no_show", _("Did not come")

    centre = models.ForeignKey(BusinessCentre, verbose_name=_("business centre"), on_delete=models.CASCADE,
                               related_name="consultation_slots")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adviser"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="consultations")
    question = models.CharField(_("question"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("consultation slot")
        verbose_name_plural = _("consultation slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")),
                                   name="consultation_starts_before_end"),
        ]

    def __str__(self):
        return f"{self.centre} · {self.starts_at:%d.%m %H:%M}"
