"""Training over /api/v1/: the catalogue, enrolment and the waiting line, attendance, certificates,
consultations and reach.

A thin door onto training.services and training.selectors: the same permissions (outside the viewer's
scope answers 404), the same error shape. A learner sees only their own enrolments and certificates;
centre staff and trainers also see those of the sessions they run. The public certificate check
(`/certificates/{code}`) lives in training.certificates.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from texnopark.accounts.scopes import scopes_of
from texnopark.accounts.selectors import person_by_email
from texnopark.api.auth import read_auth, write_auth
from texnopark.core.errors import AppError, NotFound
from texnopark.core.i18n import localized
from texnopark.network.models import BusinessCentre, District, Region
from texnopark.training import selectors, services
from texnopark.training.models import (
    Certificate,
    ConsultationSlot,
    Enrolment,
    Lesson,
    Session,
)
from texnopark.training.schemas import (
    AttendanceOut,
    BookIn,
    BusinessIn,
    CertificateOut,
    CheckinIn,
    CodeOut,
    ConsultationOut,
    EnrolIn,
    EnrolmentFilter,
    EnrolmentOut,
    LessonOut,
    MarksIn,
    MarksOut,
    OutcomeIn,
    ProgrammeDetailOut,
    ProgrammeFilter,
    ProgrammeOut,
    ProjectIn,
    ReachQuery,
    ReachReportOut,
    RevokeIn,
    SessionDetailOut,
    SessionFilter,
    SessionOut,
    SlotFilter,
    SlotIn,
    WalkInIn,
    _catalogue,
)

router = Router(tags=["training"], auth=read_auth)

# Longest period a reach report covers in one request.
MAX_REPORT_DAYS = 3 * 366


def _aware(centre: BusinessCentre, moment: datetime) -> datetime:
    """A time sent without an offset is read as the wall-clock time of the centre's region."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=ZoneInfo(centre.district.region.timezone))


def _session_public(pk: int) -> Session:
    """Any published, not cancelled session, past ones included."""
    return get_object_or_404(_catalogue(starts_from=date.min), pk=pk)


def _session_any(pk: int) -> Session:
    """For staff actions: the service decides whether the viewer may (else 404)."""
    return get_object_or_404(Session.objects.select_related("programme__centre__district__region"), pk=pk)


def _enrolments_visible(user):
    """The viewer's own enrolments and those of the sessions they run or teach."""
    return selectors.with_line_position(
        Enrolment.objects.filter(Q(person=user) | Q(session__in=selectors.sessions_run_by(user).values("pk")))
        .select_related("session", "session__programme", "session__programme__centre", "certificate"))


def _enrolment(request, pk: int) -> Enrolment:
    return get_object_or_404(_enrolments_visible(request.user), pk=pk)


def _lesson(pk: int) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("session__programme__centre__district"), pk=pk)


def _slot(pk: int) -> ConsultationSlot:
    return get_object_or_404(ConsultationSlot.objects.select_related("centre__district__region"), pk=pk)


@router.get("/training/sessions", response=list[SessionOut])
@paginate(PageNumberPagination)
def list_sessions(request, filters: Query[SessionFilter]):
    """Coming sessions of published programmes, with the seats left and the length of the waiting line."""
    return filters.filter(_catalogue(starts_from=filters.starts_from))


@router.get("/training/sessions/{pk}", response=SessionDetailOut)
def get_session(request, pk: int):
    return _session_public(pk)


@router.get("/training/programmes", response=list[ProgrammeOut])
@paginate(PageNumberPagination)
def list_programmes(request, filters: Query[ProgrammeFilter]):
    return filters.filter(selectors.programmes_public()).order_by("name", "pk")


@router.get("/training/programmes/{pk}", response=ProgrammeDetailOut)
def get_programme(request, pk: int):
    return get_object_or_404(selectors.programmes_public(), pk=pk)


# Enrolments


@router.post("/training/sessions/{pk}/enrolments", response={201: EnrolmentOut}, auth=write_auth)
def enrol(request, pk: int, payload: EnrolIn):
    """A seat when one is free (`enrolled`), else a place in the waiting line (`waiting`, with its position).
    400 `already_enrolled` when the person holds a seat or a place in line already."""
    session = _session_public(pk)
    district = None
    if payload.district_id is not None:
        district = District.objects.filter(pk=payload.district_id, is_active=True).first()
        if district is None:
            message = _("Choose a district from the list.")
            raise AppError("invalid", message, {"district_id": [message]}, status=422)
    try:
        enrolment = services.enrol(
            actor=request.user, session=session, full_name=payload.full_name.strip(), phone=payload.phone,
            district=district, age_group=payload.age_group or "", gender=payload.gender or "",
            occupation=payload.occupation.strip())
    except DjangoValidationError as error:  # the service's full_clean
        raise AppError.from_validation(error) from error
    return Status(201, _enrolment(request, enrolment.pk))


@router.get("/training/enrolments", response=list[EnrolmentOut], auth=write_auth)
@paginate(PageNumberPagination)
def list_enrolments(request, filters: Query[EnrolmentFilter]):
    """The viewer's own enrolments. With `session` (one the viewer runs or teaches) or `run=true`, everyone's
    in the sessions the viewer runs."""
    user = request.user
    if filters.run or filters.session is not None:
        qs = _enrolments_visible(user)
    else:
        qs = selectors.with_line_position(selectors.enrolments_of(user))
    return filters.filter(qs).order_by("session__starts_on", "queued_at", "pk")


@router.get("/training/enrolments/{pk}", response=EnrolmentOut, auth=write_auth)
def get_enrolment(request, pk: int):
    return _enrolment(request, pk)


@router.post("/training/enrolments/{pk}/cancel", response=EnrolmentOut, auth=write_auth)
def cancel_enrolment(request, pk: int):
    """The seat (or place in line) goes to the next person in line, who is told."""
    enrolment = services.enrolment_cancel(actor=request.user, enrolment=_enrolment(request, pk))
    return _enrolment(request, enrolment.pk)


@router.post("/training/enrolments/{pk}/confirm", response=EnrolmentOut, auth=write_auth)
def confirm_enrolment(request, pk: int):
    """Take an offered seat before `offer_expires_at`; 400 `offer_expired` after it, `no_offer` without one."""
    enrolment = services.offer_confirm(actor=request.user, enrolment=_enrolment(request, pk))
    return _enrolment(request, enrolment.pk)


@router.post("/training/enrolments/{pk}/business", response=EnrolmentOut, auth=write_auth)
def report_business(request, pk: int, payload: BusinessIn):
    """The learner's follow-up: the day they started a business after the training, or null."""
    enrolment = services.business_report(actor=request.user, enrolment=_enrolment(request, pk),
                                         started_on=payload.started_on)
    return _enrolment(request, enrolment.pk)


@router.post("/training/enrolments/{pk}/project", response=EnrolmentOut, auth=write_auth)
def decide_project(request, pk: int, payload: ProjectIn):
    """Accept (or un-accept) the final project (trainer, centre staff)."""
    enrolment = services.project_accept(actor=request.user, enrolment=_enrolment(request, pk),
                                        accepted=payload.accepted)
    return _enrolment(request, enrolment.pk)


@router.post("/training/enrolments/{pk}/certificate", response={201: CertificateOut}, auth=write_auth)
def issue_certificate(request, pk: int):
    """Issue the certificate when the completion rule is met (trainer, centre staff); 400 `not_completed`
    says what is missing."""
    certificate = services.certificate_issue(actor=request.user, enrolment=_enrolment(request, pk))
    return Status(201, certificate)


@router.get("/training/certificates", response=list[CertificateOut], auth=write_auth)
@paginate(PageNumberPagination)
def list_certificates(request):
    """The viewer's own certificates."""
    return selectors.certificates_of(request.user).order_by("-issued_on", "-pk")


@router.post("/training/certificates/{code}/revoke", response=CertificateOut, auth=write_auth)
def revoke_certificate(request, code: str, payload: RevokeIn):
    """Revoke with a reason (centre staff); the public check then answers `revoked`."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__session__programme__centre__district"),
        code=code.strip().upper()[:32])
    return services.certificate_revoke(actor=request.user, certificate=certificate, reason=payload.reason)


# Attendance


@router.get("/training/sessions/{pk}/lessons", response=list[LessonOut])
def list_lessons(request, pk: int):
    return list(_session_public(pk).lessons.all())


@router.post("/training/lessons/{pk}/checkin", response=AttendanceOut, auth=write_auth)
def check_in(request, pk: int, payload: CheckinIn):
    """Check oneself in with the code shown in the room; open from 15 minutes before the lesson until its end
    (400 `checkin_closed`), late after 10 minutes. A wrong code answers 400 `wrong_code`."""
    lesson = _lesson(pk)
    if lesson.session.is_cancelled or not lesson.session.programme.is_published:
        raise NotFound()
    return services.self_check_in(actor=request.user, lesson=lesson, code=payload.code)


@router.get("/training/lessons/{pk}/code", response=CodeOut, auth=write_auth)
def get_checkin_code(request, pk: int):
    """The current check-in code to show in the room (trainer, centre staff)."""
    lesson = _lesson(pk)
    if not request.user.has_perm("training.take_attendance", lesson.session):
        raise NotFound()
    now = timezone.now()
    return {"lesson_id": lesson.pk, "code": services.checkin_code(lesson, now),
            "open": services.checkin_open(lesson, now),
            "changes_at": now.replace(second=0, microsecond=0) + timedelta(minutes=1),
            "starts_at": lesson.starts_at, "ends_at": lesson.ends_at}


@router.post("/training/lessons/{pk}/attendance", response=MarksOut, auth=write_auth)
def mark_attendance(request, pk: int, payload: MarksIn):
    """The trainer's list. Marks for people without a seat in the session are skipped and listed."""
    lesson = _lesson(pk)
    marks = {enrolment_id: str(mark) for enrolment_id, mark in payload.marks.items()}
    saved = services.attendance_mark(actor=request.user, lesson=lesson, marks=marks)
    kept = set(Enrolment.objects.filter(session=lesson.session_id, status=Enrolment.Status.ENROLLED,
                                        pk__in=list(marks)).values_list("pk", flat=True))
    return {"saved": saved, "skipped": sorted(set(marks) - kept)}


@router.post("/training/sessions/{pk}/walk-ins", response={201: EnrolmentOut}, auth=write_auth)
def add_walk_in(request, pk: int, payload: WalkInIn):
    """Seat someone who came without enrolling (trainer, centre staff); 400 `session_full` without a seat."""
    session = _session_any(pk)
    if not request.user.has_perm("training.take_attendance", session):
        raise NotFound()  # before telling whether an e-mail is signed up
    person = person_by_email(payload.person_email)
    if person is None:
        message = _("Nobody with this e-mail is signed up.")
        raise AppError("unknown_person", message, {"person_email": [message]})
    enrolment = services.walk_in(actor=request.user, session=session, person=person,
                                 full_name=payload.full_name.strip() or person.full_name or person.email,
                                 phone=payload.phone or person.phone)
    return Status(201, _enrolment(request, enrolment.pk))


# Consultations


@router.get("/training/consultations", response=list[ConsultationOut])
@paginate(PageNumberPagination)
def list_consultations(request, filters: Query[SlotFilter]):
    """Open consultation slots to book. `mine=true`: those the viewer booked; `run=true`: every slot of the
    centres the viewer runs."""
    user = request.user
    if filters.mine or filters.run:
        if not user.is_authenticated:
            return ConsultationSlot.objects.none()
        base = ConsultationSlot.objects.select_related("centre", "centre__district")
        qs = (base.filter(centre__in=selectors.centres_run_by(user).values("pk")) if filters.run
              else base.filter(booked_by=user))
    else:
        qs = selectors.open_consultations()
    return filters.filter(qs).order_by("starts_at", "pk")


@router.post("/training/centres/{pk}/consultations", response={201: ConsultationOut}, auth=write_auth)
def create_consultation(request, pk: int, payload: SlotIn):
    """Publish a one-to-one consultation slot (centre staff)."""
    centre = get_object_or_404(BusinessCentre.objects.select_related("district__region"), pk=pk)
    slot = services.consultation_slot_create(actor=request.user, centre=centre,
                                             starts_at=_aware(centre, payload.starts_at),
                                             ends_at=_aware(centre, payload.ends_at), topic=payload.topic)
    return Status(201, slot)


@router.post("/training/consultations/{pk}/book", response=ConsultationOut, auth=write_auth)
def book_consultation(request, pk: int, payload: BookIn | None = None):
    """409 `slot_taken` when someone was faster."""
    return services.consultation_book(actor=request.user, slot=_slot(pk), question=payload.question if payload else "")


@router.post("/training/consultations/{pk}/cancel", response=ConsultationOut, auth=write_auth)
def cancel_consultation(request, pk: int):
    """The person who booked it, or the centre's staff, frees the slot."""
    return services.consultation_cancel(actor=request.user, slot=_slot(pk))


@router.post("/training/consultations/{pk}/outcome", response=ConsultationOut, auth=write_auth)
def record_outcome(request, pk: int, payload: OutcomeIn):
    """Advice given, referred to a technopark call, business registered, or did not come (centre staff)."""
    return services.consultation_record(actor=request.user, slot=_slot(pk), outcome=payload.outcome,
                                        notes=payload.notes)


# Reach


def _reach_dict(reach: selectors.Reach) -> dict:
    return {"trained": reach.trained, "completed": reach.completed, "completion_rate": reach.completion_rate,
            "certificates": reach.certificates, "businesses": reach.businesses, "referrals": reach.referrals,
            "by_gender": reach.by_gender, "by_age": reach.by_age,
            "population_thousands": reach.population_thousands, "per_10000": reach.per_10000}


@router.get("/training/reach", response=ReachReportOut, auth=write_auth)
def get_reach(request, query: Query[ReachQuery]):
    """Per district and in total: people trained, by gender and age group, completion, certificates, businesses
    started, referrals, reach per 10,000 inhabitants. Centre staff see their district, a region's administrators
    the region; everyone else 404."""
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.admin_regions or scopes.centre_districts):
        raise NotFound()
    region = get_object_or_404(Region, pk=query.region) if query.region is not None else None
    if query.first and query.last and (query.first > query.last
                                       or (query.last - query.first).days >= MAX_REPORT_DAYS):
        message = _("Choose a period of up to three years, the start before the end.")
        raise AppError("bad_period", message, {"from": [message]})
    districts = District.objects.filter(is_active=True).order_by("name", "pk")
    if region is not None:
        districts = districts.filter(region=region)
    if not scopes.superuser:
        districts = districts.filter(Q(region__in=scopes.admin_regions) | Q(pk__in=scopes.centre_districts))
    districts = list(districts)
    if region is not None and not districts:
        raise NotFound()
    regions = {d.region_id for d in districts}
    reach = selectors.reach_by_district(region=region or (Region(pk=next(iter(regions))) if len(regions) == 1
                                                          else None), first=query.first, last=query.last)
    rows, total = [], selectors.Reach(population_thousands=Decimal(0))
    for district in districts:
        r = reach.get(district.pk) or selectors.Reach(population_thousands=district.population_thousands)
        rows.append({"district_id": district.pk, "name": localized(district, "name"), "soato": district.soato,
                     **_reach_dict(r)})
        for name in ("trained", "completed", "certificates", "businesses", "referrals"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        for attr in ("by_gender", "by_age"):
            for key, n in getattr(r, attr).items():
                getattr(total, attr)[key] = getattr(total, attr).get(key, 0) + n
        if total.population_thousands is not None:
            total.population_thousands = (total.population_thousands + r.population_thousands
                                          if r.population_thousands else None)
    return {"region_id": region.pk if region else (next(iter(regions)) if len(regions) == 1 else None),
            "first_day": query.first, "last_day": query.last, "total": _reach_dict(total), "districts": rows}
