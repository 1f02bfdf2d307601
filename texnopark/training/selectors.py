"""Training reads: the public catalogue, a person's learning, a centre's work, and reach."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from texnopark.accounts.scopes import scopes_of
from texnopark.network.models import District
from texnopark.training.models import (
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Lesson,
    Programme,
    Session,
)


def session_catalogue(*, district: District | None = None, topic: str = "", language: str = "",
                      starts_from: date | None = None) -> QuerySet[Session]:
    """Coming sessions of published programmes, with the seats taken and the line's length."""
    qs = (Session.objects.filter(programme__is_published=True, is_cancelled=False,
                                 ends_on__gte=starts_from or timezone.localdate())
          .select_related("programme", "programme__centre", "programme__centre__district")
          .annotate(seated=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEATED)),
                    waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING)))
          .order_by("starts_on", "pk"))
    if district is not None:
        qs = qs.filter(programme__centre__district=district)
    if topic:
        qs = qs.filter(programme__topic=topic)
    if language:
        qs = qs.filter(programme__language=language)
    if starts_from:
        qs = qs.filter(starts_on__gte=starts_from)
    return qs


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True).select_related("centre", "centre__district")


def centres_run_by(viewer):
    from texnopark.network.selectors import centres_editable_by  # noqa: PLC0415

    scopes = scopes_of(viewer)
    qs = centres_editable_by(viewer)
    return qs if (scopes.superuser or scopes.admin_regions or scopes.centre_districts) else qs.none()


def sessions_run_by(viewer) -> QuerySet[Session]:
    """Sessions of the centres the viewer runs, and those they teach."""
    return Session.objects.filter(Q(programme__centre__in=centres_run_by(viewer)) | Q(trainer=viewer)).select_related(
        "programme", "programme__centre", "programme__centre__district").distinct()


def enrolments_of(viewer) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(person=viewer).select_related(
        "session", "session__programme", "session__programme__centre", "certificate")


def certificates_of(viewer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__person=viewer).select_related("enrolment__session__programme")


def open_consultations(*, centre=None) -> QuerySet[ConsultationSlot]:
    qs = ConsultationSlot.objects.filter(booked_by__isnull=True, starts_at__gt=timezone.now()).select_related(
        "centre", "centre__district")
    return qs.filter(centre=centre) if centre is not None else qs


@dataclass
class Reach:
    trained: int = 0
    completed: int = 0
    certificates: int = 0
    businesses: int = 0
    referrals: int = 0
    by_gender: dict = field(default_factory=dict)
    by_age: dict = field(default_factory=dict)
    population_thousands: Decimal | None = None

    @property
    def completion_rate(self) -> Decimal:
        return (Decimal(self.completed) * 100 / self.trained).quantize(Decimal("0.1")) if self.trained else Decimal(0)

    @property
    def per_10000(self) -> Decimal | None:
        if not self.population_thousands:
            return None
        return (Decimal(self.trained) * 10 / self.population_thousands).quantize(Decimal("0.01"))


def reach_by_district(*, region=None, first: date | None = None, last: date | None = None) -> dict[int, Reach]:
    """Per district: people trained (enrolled in a session that has started), completed (certified),
    certificates, businesses started (self-reported), referrals to technopark calls, and the mix by
    gender and age group. A handful of grouped queries whatever the number of districts."""
    districts = District.objects.filter(is_active=True)
    if region is not None:
        districts = districts.filter(region=region)
    reach = {d.pk: Reach(population_thousands=d.population_thousands) for d in districts}
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(status=Enrolment.Status.ENROLLED, session__starts_on__lte=today,
                                          session__programme__centre__district__in=list(reach))
    if first:
        enrolments = enrolments.filter(session__starts_on__gte=first)
    if last:
        enrolments = enrolments.filter(session__starts_on__lte=last)
    key = "session__programme__centre__district_id"
    for row in enrolments.values(key).annotate(
            n=Count("person", distinct=True),
            done=Count("person", filter=Q(certificate__isnull=False), distinct=True),
            certificates=Count("certificate", distinct=True),
            business=Count("person", filter=Q(business_started=True), distinct=True)):
        r = reach[row[key]]
        r.trained, r.completed, r.certificates, r.businesses = (row["n"], row["done"], row["certificates"],
                                                                 row["business"])
    for row in enrolments.values(key, "gender").annotate(n=Count("person", distinct=True)):
        reach[row[key]].by_gender[row["gender"] or "unknown"] = row["n"]
    for row in enrolments.values(key, "age_group").annotate(n=Count("person", distinct=True)):
        reach[row[key]].by_age[row["age_group"] or "unknown"] = row["n"]
    referred = ConsultationSlot.objects.filter(outcome=ConsultationSlot.Outcome.REFERRED,
                                               centre__district__in=list(reach))
    for row in referred.values("centre__district_id").annotate(n=Count("pk")):
        reach[row["centre__district_id"]].referrals = row["n"]
    return reach


def with_line_position(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate `line_position`: 1 for the first in the waiting line (counted in the database, no N+1)."""
    ahead = (Enrolment.objects.filter(session=OuterRef("session_id"), status=Enrolment.Status.WAITING)
             .filter(Q(queued_at__lt=OuterRef("queued_at"))
                     | Q(queued_at=OuterRef("queued_at"), pk__lte=OuterRef("pk")))
             .order_by().values("session_id").annotate(n=Count("pk")).values("n"))
    return qs.annotate(line_position=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))


def waiting_position(enrolment: Enrolment) -> int:
    return with_line_position(Enrolment.objects.filter(pk=enrolment.pk)).values_list("line_position", flat=True).get()


ATTENDED = (Attendance.Mark.PRESENT, Attendance.Mark.LATE)


def with_shares(enrolments: list[Enrolment]) -> list[Enrolment]:
    """Each enrolment's attendance share (as `services.attendance_share`), in two grouped queries."""
    if not enrolments:
        return enrolments
    now = timezone.now()
    held = dict(Lesson.objects.filter(session__in={e.session_id for e in enrolments}, starts_at__lte=now)
                .order_by().values("session").annotate(n=Count("pk")).values_list("session", "n"))
    attended = dict(Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], mark__in=ATTENDED)
                    .order_by().values("enrolment").annotate(n=Count("pk")).values_list("enrolment", "n"))
    for e in enrolments:
        lessons = held.get(e.session_id, 0)
        e.lessons_held = lessons
        e.attended = attended.get(e.pk, 0)
        e.share = round(e.attended * 100 / lessons) if lessons else 0
    return enrolments
