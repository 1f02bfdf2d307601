"""Training writes. Seats are guarded in the database: every change to who holds a seat
locks the session row first (`select_for_update().get()`), then counts; a person holds at
most one seat or place in line per session (a partial unique constraint).

`settings.TRAINING_LOCKS = False` switches the lock off: the race tests use it to show
the over-booking that happens without it.
"""

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.core import audit
from texnopark.core.errors import AppError, NotFound
from texnopark.core.services import apply_changes, validate_and_save
from texnopark.training import notify
from texnopark.training.models import (
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Lesson,
    Session,
)

CHECKIN_EARLY = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)
PROFILE_FIELDS = ("full_name", "phone", "district", "age_group", "gender", "occupation")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise NotFound()


def _lock(session: Session) -> Session:
    qs = Session.objects.select_related("programme__centre__district")
    if not getattr(settings, "TRAINING_LOCKS", True):
        return qs.get(pk=session.pk)
    return qs.select_for_update(of=("self",)).get(pk=session.pk)


def seats_taken(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status__in=Enrolment.SEATED).count()


def _expire_offers(session: Session, now: datetime) -> list[Enrolment]:
    expired = list(Enrolment.objects.filter(session=session, status=Enrolment.Status.OFFERED,
                                            offer_expires_at__lt=now))
    Enrolment.objects.filter(pk__in=[e.pk for e in expired]).update(status=Enrolment.Status.OFFER_EXPIRED)
    return expired


def _promote(session: Session, now: datetime) -> list[Enrolment]:
    """Offer each free seat to the next person in line, first come first served. The caller holds the lock."""
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    line = list(Enrolment.objects.filter(session=session, status=Enrolment.Status.WAITING)
                .order_by("queued_at", "id")[:free])
    for enrolment in line:
        enrolment.status = Enrolment.Status.OFFERED
        enrolment.offer_expires_at = now + timedelta(hours=session.offer_hours)
        enrolment.save(update_fields=["status", "offer_expires_at"])
        audit.record(actor=None, action="training.enrolment.offered", obj=enrolment,
                     changes={"status": [Enrolment.Status.WAITING, Enrolment.Status.OFFERED]})
        transaction.on_commit(lambda e=enrolment: notify.seat_offered(e))
    return line


def _refresh_line(session: Session, now: datetime | None = None) -> None:
    now = now or timezone.now()
    _expire_offers(session, now)
    _promote(session, now)


@transaction.atomic
def enrol(*, actor, session: Session, full_name: str, phone: str = "", district=None, age_group: str = "",
          gender: str = "", occupation: str = "") -> Enrolment:
    """A seat if one is free, else a place in the waiting line."""
    session = _lock(session)
    if session.is_cancelled or not session.programme.is_published:
        raise NotFound()
    if session.ends_on < timezone.localdate():
        raise AppError("session_over", _("This session is over. Choose a coming one."))
    _refresh_line(session)
    if Enrolment.objects.filter(session=session, person=actor, status__in=Enrolment.ACTIVE).exists():
        raise AppError("already_enrolled", _("You are already enrolled in this session or on its waiting list."))
    seated = seats_taken(session) < session.capacity
    enrolment = Enrolment(session=session, person=actor, full_name=full_name, phone=phone, district=district,
                          age_group=age_group, gender=gender, occupation=occupation,
                          status=Enrolment.Status.ENROLLED if seated else Enrolment.Status.WAITING)
    try:
        enrolment.full_clean(validate_constraints=False)
    except ValidationError as error:  # e.g. a phone not in the +998 form
        raise AppError.from_validation(error) from error
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:  # a second request of the same person, a moment earlier
        raise AppError("already_enrolled", _("You are already enrolled in this session or on its waiting "
                                             "list.")) from error
    audit.record(actor=actor, action="training.enrolment.created", obj=enrolment,
                 changes={"status": [None, enrolment.status]})
    transaction.on_commit(lambda: notify.enrolled(enrolment))
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor, enrolment: Enrolment) -> Enrolment:
    if enrolment.person_id != actor.pk and not actor.has_perm("training.manage_centre", enrolment.session):
        raise NotFound()
    session = _lock(enrolment.session)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status not in Enrolment.ACTIVE:
        raise AppError("not_active", _("This enrolment is no longer active."))
    old = enrolment.status
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status"])
    audit.record(actor=actor, action="training.enrolment.cancelled", obj=enrolment,
                 changes={"status": [old, enrolment.status]})
    _refresh_line(session)
    return enrolment


def offer_confirm(*, actor, enrolment: Enrolment) -> Enrolment:
    if enrolment.person_id != actor.pk:
        raise NotFound()
    # The expired offer passes on in its own transaction: raising inside it would roll the hand-over back.
    with transaction.atomic():
        confirmed = _offer_confirm(actor, enrolment)
    if confirmed is None:
        raise AppError("offer_expired", _("The time to confirm this seat has passed; it went to the next person."))
    return confirmed


def _offer_confirm(actor, enrolment: Enrolment) -> Enrolment | None:
    session = _lock(enrolment.session)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    now = timezone.now()
    if enrolment.status == Enrolment.Status.OFFERED and enrolment.offer_expires_at < now:
        _refresh_line(session, now)
        return None
    if enrolment.status != Enrolment.Status.OFFERED:
        raise AppError("no_offer", _("There is no seat waiting for your confirmation."))
    enrolment.status, enrolment.offer_expires_at = Enrolment.Status.ENROLLED, None
    enrolment.save(update_fields=["status", "offer_expires_at"])
    audit.record(actor=actor, action="training.enrolment.confirmed", obj=enrolment,
                 changes={"status": [Enrolment.Status.OFFERED, Enrolment.Status.ENROLLED]})
    return enrolment


def expire_offers_everywhere(now: datetime | None = None) -> int:
    """For cron: offers past their time pass to the next in line. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for session_id in (Enrolment.objects.filter(status=Enrolment.Status.OFFERED, offer_expires_at__lt=now)
                       .values_list("session_id", flat=True).distinct()):
        with transaction.atomic():
            session = _lock(Session(pk=session_id))
            expired += len(_expire_offers(session, now))
            _promote(session, now)
    return expired


@transaction.atomic
def walk_in(*, actor, session: Session, person, full_name: str, phone: str = "") -> Enrolment:
    """The trainer adds someone who came without enrolling, if a seat is free."""
    _require(actor, "training.take_attendance", session)
    session = _lock(session)
    _refresh_line(session)
    existing = Enrolment.objects.filter(session=session, person=person, status__in=Enrolment.ACTIVE).first()
    if existing and existing.status in Enrolment.SEATED:
        # Their own seat (or the one offered to them) is theirs: confirm it, whatever the fullness.
        if existing.status != Enrolment.Status.ENROLLED:
            existing.status, existing.offer_expires_at = Enrolment.Status.ENROLLED, None
            existing.save(update_fields=["status", "offer_expires_at"])
        return existing
    if seats_taken(session) >= session.capacity:
        raise AppError("session_full", _("The session is full: no seat for a walk-in."))
    if existing:  # waiting in line, and now in the room with a seat free
        existing.status = Enrolment.Status.ENROLLED
        existing.save(update_fields=["status"])
        return existing
    enrolment = Enrolment(session=session, person=person, full_name=full_name, phone=phone, walk_in=True,
                          status=Enrolment.Status.ENROLLED)
    validate_and_save(enrolment)
    audit.record(actor=actor, action="training.enrolment.walk_in", obj=enrolment,
                 changes={"status": [None, enrolment.status]})
    return enrolment


def checkin_code(lesson: Lesson, at: datetime | None = None) -> str:
    """Six digits that change every minute, from the lesson's secret (like an authenticator app)."""
    minute = int((at or timezone.now()).timestamp() // 60)
    digest = hmac.new(lesson.checkin_secret.encode(), str(minute).encode(), hashlib.sha256).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


def checkin_open(lesson: Lesson, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return lesson.starts_at - CHECKIN_EARLY <= now <= lesson.ends_at


@transaction.atomic
def lesson_create(*, actor, session: Session, starts_at: datetime, ends_at: datetime, topic: str = "") -> Lesson:
    _require(actor, "training.change_session", session)
    lesson = Lesson(session=session, starts_at=starts_at, ends_at=ends_at, topic=topic,
                    checkin_secret=secrets.token_hex(32))
    validate_and_save(lesson)
    audit.record(actor=actor, action="training.lesson.created", obj=lesson,
                 changes={"starts_at": [None, starts_at.isoformat()]})
    return lesson


@transaction.atomic
def self_check_in(*, actor, lesson: Lesson, code: str, now: datetime | None = None) -> Attendance:
    now = now or timezone.now()
    if not checkin_open(lesson, now):
        raise AppError("checkin_closed", _("Check-in is open from 15 minutes before the lesson until its end."))
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    # This minute's code or the previous one: a code read at the turn of the minute still works.
    if not any(hmac.compare_digest(code, checkin_code(lesson, now - timedelta(minutes=m))) for m in (0, 1)):
        raise AppError("wrong_code", _("The code is not right. Type the code shown in the room now."),
                       {"code": [_("The code is not right. Type the code shown in the room now.")]})
    enrolment = Enrolment.objects.filter(session=lesson.session, person=actor,
                                         status=Enrolment.Status.ENROLLED).first()
    if enrolment is None:
        raise AppError("not_enrolled", _("You are not enrolled in this session. Ask the trainer to add you."))
    mark = Attendance.Mark.LATE if now > lesson.starts_at + LATE_AFTER else Attendance.Mark.PRESENT
    attendance, _created = Attendance.objects.update_or_create(
        lesson=lesson, enrolment=enrolment, defaults={"mark": mark, "self_checked_in": True})
    audit.record(actor=actor, action="training.attendance.self", obj=attendance, changes={"mark": [None, mark]})
    return attendance


@transaction.atomic
def attendance_mark(*, actor, lesson: Lesson, marks: dict[int, str]) -> int:
    """The trainer's list: {enrolment id: present | late | absent}. Returns how many were saved."""
    _require(actor, "training.take_attendance", lesson.session)
    allowed = set(Enrolment.objects.filter(session=lesson.session, status=Enrolment.Status.ENROLLED,
                                           pk__in=list(marks)).values_list("pk", flat=True))
    saved = 0
    for enrolment_id, mark in marks.items():
        if enrolment_id not in allowed or mark not in Attendance.Mark.values:
            continue
        Attendance.objects.update_or_create(lesson=lesson, enrolment_id=enrolment_id, defaults={"mark": mark})
        saved += 1
    audit.record(actor=actor, action="training.attendance.marked", obj=lesson, changes={"marked": [None, saved]})
    return saved


def attendance_share(enrolment: Enrolment) -> int:
    """Per cent of the session's lessons so far attended (present or late)."""
    lessons = Lesson.objects.filter(session=enrolment.session, starts_at__lte=timezone.now()).count()
    if not lessons:
        return 0
    attended = enrolment.attendance.filter(mark__in=[Attendance.Mark.PRESENT, Attendance.Mark.LATE]).count()
    return round(attended * 100 / lessons)


def completion_problem(enrolment: Enrolment, share: int | None = None):
    """Why the programme is not completed yet, or None. Lists pass the share they computed in bulk."""
    programme = enrolment.session.programme
    if enrolment.status != Enrolment.Status.ENROLLED:
        return _("Only an enrolled person can complete the programme.")
    share = attendance_share(enrolment) if share is None else share
    if share < programme.min_attendance_percent:
        return _("Attendance is %(share)s%%; the programme asks for %(needed)s%%.") % {
            "share": share, "needed": programme.min_attendance_percent}
    if programme.requires_project and not enrolment.project_accepted:
        return _("The final project has not been accepted yet.")
    return None


@transaction.atomic
def project_accept(*, actor, enrolment: Enrolment, accepted: bool = True) -> Enrolment:
    _require(actor, "training.take_attendance", enrolment.session)
    changed = apply_changes(enrolment, {"project_accepted": accepted})
    audit.record(actor=actor, action="training.project.decided", obj=enrolment, changes=changed)
    return enrolment


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def new_certificate_code() -> str:
    # 20 characters of base32 alphabet without look-alikes: about 100 bits, not guessable.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


@transaction.atomic
def certificate_issue(*, actor, enrolment: Enrolment, today: date | None = None) -> Certificate:
    _require(actor, "training.take_attendance", enrolment.session)
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise AppError("already_issued", _("A certificate was already issued for this enrolment."))
    problem = completion_problem(enrolment)
    if problem:
        raise AppError("not_completed", problem)
    today = today or timezone.localdate()
    years = enrolment.session.programme.certificate_valid_years
    certificate = Certificate(enrolment=enrolment, code=new_certificate_code(), issued_on=today,
                              valid_until=add_years(today, years) if years else None)
    validate_and_save(certificate)
    audit.record(actor=actor, action="training.certificate.issued", obj=certificate,
                 changes={"code": [None, certificate.code]})
    transaction.on_commit(lambda: notify.certificate_issued(certificate))
    return certificate


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    _require(actor, "training.manage_centre", certificate.enrolment.session)
    if not reason.strip():
        raise AppError("reason_needed", _("Say why the certificate is revoked."),
                       {"reason": [_("Say why the certificate is revoked.")]})
    if certificate.revoked_at:
        raise AppError("already_revoked", _("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoke_reason = timezone.now(), reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(actor=actor, action="training.certificate.revoked", obj=certificate,
                 changes={"revoked": [None, reason]})
    return certificate


def certificate_status(code: str, today: date | None = None) -> tuple[str, Certificate | None]:
    """valid | revoked | expired | unknown. A malformed code is simply unknown."""
    certificate = Certificate.objects.filter(code=(code or "").strip().upper()[:32].replace("\x00", "")).select_related(
        "enrolment__session__programme__centre__district").first()
    if certificate is None:
        return "unknown", None
    if certificate.revoked_at:
        return "revoked", certificate
    if certificate.valid_until and certificate.valid_until < (today or timezone.localdate()):
        return "expired", certificate
    return "valid", certificate


@transaction.atomic
def business_report(*, actor, enrolment: Enrolment, started_on: date | None) -> Enrolment:
    """The learner's own follow-up: did they start a business after the training?"""
    if enrolment.person_id != actor.pk:
        raise NotFound()
    changed = apply_changes(enrolment, {"business_started": started_on is not None,
                                        "business_started_on": started_on})
    audit.record(actor=actor, action="training.business.reported", obj=enrolment, changes=changed)
    return enrolment


@transaction.atomic
def consultation_slot_create(*, actor, centre, starts_at: datetime, ends_at: datetime, topic: str = "",
                             adviser=None) -> ConsultationSlot:
    _require(actor, "training.add_consultationslot", centre)
    slot = ConsultationSlot(centre=centre, starts_at=starts_at, ends_at=ends_at, topic=topic,
                            adviser=adviser or actor)
    validate_and_save(slot)
    audit.record(actor=actor, action="training.consultation.created", obj=slot,
                 changes={"starts_at": [None, starts_at.isoformat()]})
    return slot


@transaction.atomic
def consultation_book(*, actor, slot: ConsultationSlot, question: str = "") -> ConsultationSlot:
    """Only one person gets a slot: a conditional update, not a read-then-write."""
    if slot.starts_at <= timezone.now():
        raise AppError("slot_past", _("This time has already passed."))
    if ConsultationSlot.objects.filter(centre=slot.centre, booked_by=actor, starts_at__gt=timezone.now()).exists():
        # One coming consultation per person and centre, so that a few people cannot take every slot.
        raise AppError("already_booked", _("You already have a coming consultation at this centre. "
                                           "Cancel it first to choose another time."))
    taken = ConsultationSlot.objects.filter(pk=slot.pk, booked_by__isnull=True).update(
        booked_by=actor, question=question)
    if not taken:
        raise AppError("slot_taken", _("Someone has just booked this consultation. Choose another time."),
                       status=409)
    slot.refresh_from_db()
    audit.record(actor=actor, action="training.consultation.booked", obj=slot, changes={"booked_by": [None, actor.pk]})
    transaction.on_commit(lambda: notify.consultation_booked(slot))
    return slot


@transaction.atomic
def consultation_cancel(*, actor, slot: ConsultationSlot) -> ConsultationSlot:
    staff = actor.has_perm("training.change_consultationslot", slot)
    if slot.booked_by_id != actor.pk and not staff:
        raise NotFound()
    if not staff and slot.starts_at <= timezone.now():
        raise AppError("slot_past", _("This consultation has already taken place."))
    ConsultationSlot.objects.filter(pk=slot.pk).update(booked_by=None, question="")
    slot.refresh_from_db()
    audit.record(actor=actor, action="training.consultation.cancelled", obj=slot)
    return slot


@transaction.atomic
def consultation_record(*, actor, slot: ConsultationSlot, outcome: str, notes: str = "") -> ConsultationSlot:
    _require(actor, "training.change_consultationslot", slot)
    if slot.booked_by_id is None:
        raise AppError("not_booked", _("Nobody booked this consultation."))
    changed = apply_changes(slot, {"outcome": outcome, "notes": notes})
    audit.record(actor=actor, action="training.consultation.outcome", obj=slot, changes=changed)
    return slot
