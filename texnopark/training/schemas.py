"""The training API's input and output schemas and filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Schema

from texnopark.core.i18n import localized
from texnopark.training import selectors
from texnopark.training.models import (
    AgeGroup,
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Gender,
    Programme,
    Session,
)

PHONE = r"^(\+998\d{9})?$"


def _catalogue(**filters):
    return selectors.session_catalogue(**filters).select_related("trainer")





def _verify_url(request, certificate: Certificate) -> str | None:
    try:
        return request.build_absolute_uri(certificate.get_absolute_url())
    except NoReverseMatch:  # the public check page is not wired yet
        return None


# Schemas: catalogue


class ProgrammeOut(Schema):
    id: int
    name: str
    name_ru: str
    name_en: str
    display_name: str
    topic: Programme.Topic
    description: str
    description_ru: str
    description_en: str
    modules: list[str]
    language: str = Field(description="Language of instruction")
    audience: str
    min_attendance_percent: int
    requires_project: bool
    certificate_valid_years: int | None = Field(description="Empty: the certificate never expires")
    centre_id: int
    centre_name: str
    district_id: int

    @staticmethod
    def resolve_display_name(obj):
        return localized(obj, "name")

    @staticmethod
    def resolve_modules(obj):
        return obj.module_list

    @staticmethod
    def resolve_centre_name(obj):
        return localized(obj.centre, "name")

    @staticmethod
    def resolve_district_id(obj):
        return obj.centre.district_id


class SessionOut(Schema):
    id: int
    programme_id: int
    programme_name: str
    topic: str
    language: str
    centre_id: int
    centre_name: str
    district_id: int
    starts_on: date
    ends_on: date
    schedule: str
    room: str
    mode: Session.Mode
    trainer_name: str
    capacity: int
    seats_left: int
    waiting: int = Field(description="People on the waiting list")
    full: bool

    @staticmethod
    def resolve_programme_name(obj):
        return localized(obj.programme, "name")

    @staticmethod
    def resolve_topic(obj):
        return obj.programme.topic

    @staticmethod
    def resolve_language(obj):
        return obj.programme.language

    @staticmethod
    def resolve_centre_id(obj):
        return obj.programme.centre_id

    @staticmethod
    def resolve_centre_name(obj):
        return localized(obj.programme.centre, "name")

    @staticmethod
    def resolve_district_id(obj):
        return obj.programme.centre.district_id

    @staticmethod
    def resolve_trainer_name(obj):
        return obj.trainer_name or (obj.trainer.full_name if obj.trainer else "")

    @staticmethod
    def resolve_seats_left(obj):
        return max(obj.capacity - obj.seated, 0)

    @staticmethod
    def resolve_full(obj):
        return obj.seated >= obj.capacity


class LessonOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    topic: str


class SessionDetailOut(SessionOut):
    programme: ProgrammeOut
    lessons: list[LessonOut]
    online_url: str = Field("", description="Only for people holding a seat and the centre's staff")
    my_enrolment_id: int | None = None
    can_manage: bool = Field(False, description="The viewer takes attendance in this session")

    @staticmethod
    def resolve_lessons(obj):
        return list(obj.lessons.all())

    @staticmethod
    def resolve_online_url(obj, context):
        user = context["request"].user
        if not obj.online_url or not user.is_authenticated:
            return ""
        seated = obj.enrolments.filter(person=user, status__in=Enrolment.SEATED).exists()
        return obj.online_url if seated or user.has_perm("training.take_attendance", obj) else ""

    @staticmethod
    def resolve_my_enrolment_id(obj, context):
        user = context["request"].user
        if not user.is_authenticated:
            return None
        return obj.enrolments.filter(person=user, status__in=Enrolment.ACTIVE).values_list("pk", flat=True).first()

    @staticmethod
    def resolve_can_manage(obj, context):
        user = context["request"].user
        return user.is_authenticated and user.has_perm("training.take_attendance", obj)


class ProgrammeDetailOut(ProgrammeOut):
    sessions: list[SessionOut] = Field(description="Coming sessions")

    @staticmethod
    def resolve_sessions(obj):
        return list(_catalogue().filter(programme=obj))


class SessionFilter(FilterSchema):
    district: Annotated[int | None, FilterLookup("programme__centre__district_id")] = None
    centre: Annotated[int | None, FilterLookup("programme__centre_id")] = None
    programme: Annotated[int | None, FilterLookup("programme_id")] = None
    topic: Annotated[Programme.Topic | None, FilterLookup("programme__topic")] = None
    language: Annotated[str | None, FilterLookup("programme__language")] = Field(
        None, description="Language of instruction: uz, uz-cyrl, ru, en, …")
    mode: Annotated[Session.Mode | None, FilterLookup("mode")] = None
    starts_from: date | None = Field(None, alias="from", description="Sessions starting on or after this day; "
                                                                      "by default those not yet over")

    def filter_starts_from(self, value):
        return Q()  # passed to the selector (see list_sessions)


class ProgrammeFilter(FilterSchema):
    district: Annotated[int | None, FilterLookup("centre__district_id")] = None
    centre: Annotated[int | None, FilterLookup("centre_id")] = None
    topic: Annotated[Programme.Topic | None, FilterLookup("topic")] = None
    language: Annotated[str | None, FilterLookup("language")] = None


# Schemas: enrolments


class EnrolIn(Schema):
    full_name: str = Field(min_length=2, max_length=150)
    phone: str = Field("", max_length=13, pattern=PHONE, description="+998 and nine digits")
    district_id: int | None = Field(None, description="Where the person lives")
    age_group: AgeGroup | None = None
    gender: Gender | None = Field(None, description="Optional")
    occupation: str = Field("", max_length=100)


class CertificateOut(Schema):
    code: str
    status: str = Field(description="valid, revoked or expired")
    issued_on: date
    valid_until: date | None
    revoked_at: datetime | None
    revoke_reason: str
    enrolment_id: int
    programme_name: str = ""
    verify_url: str | None = Field(None, description="The public check page (what the QR code opens)")

    @staticmethod
    def resolve_status(obj):
        if obj.revoked_at:
            return "revoked"
        if obj.valid_until and obj.valid_until < timezone.localdate():
            return "expired"
        return "valid"

    @staticmethod
    def resolve_programme_name(obj):
        return localized(obj.enrolment.session.programme, "name")

    @staticmethod
    def resolve_verify_url(obj, context):
        return _verify_url(context["request"], obj)


class EnrolmentOut(Schema):
    id: int
    session_id: int
    programme_name: str
    centre_name: str
    starts_on: date
    ends_on: date
    status: Enrolment.Status
    waiting_position: int | None = Field(description="Place in the waiting line, 1 is next; only while waiting")
    offer_expires_at: datetime | None = Field(description="A seat is offered: confirm before this moment")
    queued_at: datetime
    walk_in: bool
    full_name: str
    phone: str
    district_id: int | None
    age_group: str
    gender: str
    occupation: str
    project_accepted: bool
    business_started: bool
    business_started_on: date | None
    certificate_code: str | None

    @staticmethod
    def resolve_programme_name(obj):
        return localized(obj.session.programme, "name")

    @staticmethod
    def resolve_centre_name(obj):
        return localized(obj.session.programme.centre, "name")

    @staticmethod
    def resolve_starts_on(obj):
        return obj.session.starts_on

    @staticmethod
    def resolve_ends_on(obj):
        return obj.session.ends_on

    @staticmethod
    def resolve_waiting_position(obj):
        if obj.status != Enrolment.Status.WAITING:
            return None
        return getattr(obj, "line_position", None) or selectors.waiting_position(obj)

    @staticmethod
    def resolve_certificate_code(obj):
        certificate = getattr(obj, "certificate", None)
        return certificate.code if certificate else None


class EnrolmentFilter(FilterSchema):
    session: Annotated[int | None, FilterLookup("session_id")] = Field(
        None, description="With a session the viewer runs or teaches: everyone enrolled in it")
    status: Annotated[Enrolment.Status | None, FilterLookup("status")] = None
    run: bool = Field(False, description="Every enrolment of the sessions the viewer runs or teaches")

    def filter_run(self, value):
        return Q()  # chooses the set (see list_enrolments), filters nothing


class BusinessIn(Schema):
    started_on: date | None = Field(description="When the business was started; null: not (yet)")


class ProjectIn(Schema):
    accepted: bool = True


class RevokeIn(Schema):
    reason: str = Field(max_length=300)


# Schemas: attendance


class CheckinIn(Schema):
    code: str = Field(max_length=20, description="The six digits shown in the room")


class AttendanceOut(Schema):
    lesson_id: int
    enrolment_id: int
    mark: Attendance.Mark
    self_checked_in: bool


class CodeOut(Schema):
    lesson_id: int
    code: str
    open: bool = Field(description="Check-in is open: from 15 minutes before the lesson until its end")
    changes_at: datetime = Field(description="The code changes every minute")
    starts_at: datetime
    ends_at: datetime


class MarksIn(Schema):
    marks: dict[int, Attendance.Mark] = Field(description="{enrolment id: present | late | absent}")


class MarksOut(Schema):
    saved: int
    skipped: list[int] = Field(description="Enrolments not holding a seat in this session")


class WalkInIn(Schema):
    person_email: str = Field(max_length=254, description="The person's account")
    full_name: str = Field("", max_length=150, description="By default the name on the account")
    phone: str = Field("", max_length=13, pattern=PHONE)


# Schemas: consultations


class SlotOut(Schema):
    id: int
    centre_id: int
    centre_name: str
    district_id: int
    starts_at: datetime
    ends_at: datetime
    topic: str
    booked: bool
    mine: bool

    @staticmethod
    def resolve_centre_name(obj):
        return localized(obj.centre, "name")

    @staticmethod
    def resolve_district_id(obj):
        return obj.centre.district_id

    @staticmethod
    def resolve_booked(obj):
        return obj.booked_by_id is not None

    @staticmethod
    def resolve_mine(obj, context):
        user = context["request"].user
        return user.is_authenticated and obj.booked_by_id == user.pk


class ConsultationOut(SlotOut):
    """For the person who booked it and the centre's staff."""

    booked_by_id: int | None
    question: str
    outcome: str
    notes: str


class SlotFilter(FilterSchema):
    centre: Annotated[int | None, FilterLookup("centre_id")] = None
    district: Annotated[int | None, FilterLookup("centre__district_id")] = None
    mine: bool = Field(False, description="The consultations the viewer booked, instead of the open slots")
    run: bool = Field(False, description="Every slot of the centres the viewer runs, booked or not")

    def filter_mine(self, value):
        return Q()

    def filter_run(self, value):
        return Q()


class SlotIn(Schema):
    starts_at: datetime = Field(description="ISO 8601; without an offset it is the region's local time")
    ends_at: datetime
    topic: str = Field("", max_length=200)


class BookIn(Schema):
    question: str = Field("", max_length=300)


class OutcomeIn(Schema):
    outcome: ConsultationSlot.Outcome
    notes: str = ""


# Schemas: reach


class ReachOut(Schema):
    trained: int = Field(description="People enrolled in sessions that have started")
    completed: int
    completion_rate: Decimal = Field(description="Per cent of the trained who completed")
    certificates: int
    businesses: int = Field(description="Businesses started after the training (self-reported)")
    referrals: int = Field(description="Consultations that referred to a technopark call")
    by_gender: dict[str, int]
    by_age: dict[str, int]
    population_thousands: Decimal | None
    per_10000: Decimal | None = Field(description="People trained per 10,000 inhabitants")


class DistrictReachOut(ReachOut):
    district_id: int
    name: str
    soato: str


class ReachReportOut(Schema):
    region_id: int | None
    first_day: date | None
    last_day: date | None
    total: ReachOut
    districts: list[DistrictReachOut]


class ReachQuery(Schema):
    region: int | None = Field(None, description="Region id; by default every district the viewer may see")
    first: date | None = Field(None, alias="from", description="Sessions starting on or after this day")
    last: date | None = Field(None, alias="to", description="Sessions starting on or before this day")


# Catalogue


