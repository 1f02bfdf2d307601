"""The training demo: every centre has programmes with past, coming and full sessions; a rerun adds nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from texnopark.accounts.models import User
from texnopark.network.models import BusinessCentre
from texnopark.training import services
from texnopark.training.models import (
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Lesson,
    Programme,
    Session,
)

pytestmark = pytest.mark.django_db

MODELS = [User, Programme, Session, Lesson, Enrolment, Attendance, Certificate, ConsultationSlot]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_adds_nothing(capsys):
    before = counts()
    call_command("load_demo", quiet_accounts=True)
    call_command("load_demo", quiet_accounts=True)
    assert counts() == before


def test_a_centre_that_has_programmes_is_left_alone_but_a_new_one_gets_them():
    centre = BusinessCentre.objects.get(district__soato="1714219")
    Programme.objects.filter(centre=centre).update(name="Oʻzgartirilgan")
    names = set(Programme.objects.filter(centre=centre).values_list("name", flat=True))
    call_command("load_demo", quiet_accounts=True)
    assert set(Programme.objects.filter(centre=centre).values_list("name", flat=True)) == names


def test_every_centre_has_two_or_three_programmes_with_a_past_and_a_coming_session():
    for centre in BusinessCentre.objects.annotate(n=Count("programmes")):
        assert 2 <= centre.n <= 3, centre
    for programme in Programme.objects.all():
        sessions = list(programme.sessions.all())
        assert any(s.ends_on < s.starts_on.__class__.today() for s in sessions), programme
        assert sum(s.starts_on > s.starts_on.__class__.today() for s in sessions) >= 1, programme
        assert all(lesson.checkin_secret for s in sessions for lesson in s.lessons.all())


def test_the_demo_has_a_revoked_certificate_a_waiting_list_and_an_offered_seat():
    revoked = Certificate.objects.filter(revoked_at__isnull=False)
    assert revoked.count() == 1 and revoked.get().revoke_reason
    assert services.certificate_status(revoked.get().code)[0] == "revoked"
    assert Enrolment.objects.filter(status=Enrolment.Status.WAITING).exists()
    offered = Enrolment.objects.filter(status=Enrolment.Status.OFFERED)
    assert offered.exists() and all(e.offer_expires_at for e in offered)
    assert {services.certificate_status(c.code)[0] for c in Certificate.objects.all()} == {
        "valid", "revoked", "expired"}


def test_full_sessions_hold_no_more_than_their_seats():
    for session in Session.objects.filter(enrolments__status=Enrolment.Status.WAITING).distinct():
        assert services.seats_taken(session) == session.capacity


def test_certificates_went_to_those_who_completed():
    for certificate in Certificate.objects.select_related("enrolment__session__programme")[:60]:
        assert services.completion_problem(certificate.enrolment) is None


def test_the_demo_citizen_holds_a_certificate_and_a_coming_seat(demo_user):
    citizen = demo_user("citizen")
    assert Certificate.objects.filter(enrolment__person=citizen).count() == 1
    coming = Enrolment.objects.filter(person=citizen, status=Enrolment.Status.ENROLLED,
                                      session__starts_on__gt=Certificate.objects.get(
                                          enrolment__person=citizen).issued_on)
    assert coming.exists()


def test_chust_sessions_are_taught_by_the_demo_centre_staff(demo_user):
    chust = Session.objects.filter(programme__centre__district__soato="1714237")
    assert chust.exists() and set(chust.values_list("trainer", flat=True)) == {demo_user("chust_centre").pk}


def test_consultations_have_outcomes_and_learners_report_businesses():
    outcomes = set(ConsultationSlot.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert {"advice", "referred", "registered"} <= outcomes
    assert ConsultationSlot.objects.filter(booked_by__isnull=True).exists()
    assert Enrolment.objects.filter(business_started=True).exists()


def test_housekeeping_expires_late_offers(capsys):
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    offer = Enrolment.objects.filter(status=Enrolment.Status.OFFERED).first()
    Enrolment.objects.filter(pk=offer.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    call_command("training_housekeeping")
    assert "Expired seat offers: 1" in capsys.readouterr().out
    offer.refresh_from_db()
    assert offer.status == Enrolment.Status.OFFER_EXPIRED
    # The next in line was offered the seat.
    assert Enrolment.objects.filter(session=offer.session, status=Enrolment.Status.OFFERED).exists()
