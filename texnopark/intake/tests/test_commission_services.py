"""The commission at the service: meetings, attendance and the quorum, votes, decisions and their
transitions, residency agreements (company, founder, number, term, resident role), notifications,
closing with numbered minutes, and the call becoming decided."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from texnopark.accounts.models import Membership, Role
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry, Notification
from texnopark.intake.models import Application, Call, Decision, Meeting, Residency, Vote
from texnopark.intake.selectors import review as selectors
from texnopark.intake.services import commission
from texnopark.intake.tests.test_review_services import make_world, reviewed, submit
from texnopark.ventures.models import Company, CompanyMember

pytestmark = pytest.mark.django_db
S = Application.Status
O = Decision.Outcome  # noqa: E741


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return make_world("cma")


def meeting_of(world, **fields) -> Meeting:
    values = {"held_at": timezone.now(), "place": "Majlislar zali", "language": "uz", **fields}
    return commission.meeting_create(actor=world["staff"], call=world["call"], **values)


def in_session(world, present=(0, 1, 2), **fields) -> Meeting:
    meeting = meeting_of(world, **fields)
    return commission.record_attendance(actor=world["staff"], meeting=meeting,
                                        present_member_ids=[world["commission"][n].pk for n in present])


def decide(world, meeting, application, outcome, **kwargs) -> Decision:
    return commission.decide(actor=world["staff"], meeting=meeting, application=application, outcome=outcome,
                             **kwargs)


# Meetings and attendance


def test_staff_schedule_a_meeting_for_a_call_under_review_and_members_are_told(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_of(world, language="ru")
    assert meeting.status == Meeting.Status.PLANNED and meeting.language == "ru"
    told = set(Notification.objects.filter(url=f"/meetings/{meeting.pk}/").values_list("user", flat=True))
    assert told == {m.user_id for m in world["commission"]}
    with pytest.raises(NotFound):
        commission.meeting_create(actor=world["stranger"], call=world["call"], held_at=timezone.now())
    Call.objects.filter(pk=world["call"].pk).update(status=Call.Status.OPEN)
    world["call"].refresh_from_db()
    with pytest.raises(AppError) as error:
        meeting_of(world)
    assert error.value.code == "call_not_in_review" and error.value.status == 409


def test_a_language_outside_the_list_is_refused(world):
    with pytest.raises(AppError) as error:
        meeting_of(world, language="fr")
    assert "language" in error.value.fields


def test_the_first_attendance_opens_the_meeting(world):
    meeting = meeting_of(world)
    first, second, third = world["commission"]
    commission.record_attendance(actor=world["staff"], meeting=meeting, present_member_ids=[first.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN
    assert selectors.quorum(meeting) == (1, 2, 3)
    commission.record_attendance(actor=world["staff"], meeting=meeting, present_member_ids=[first.pk, third.pk])
    assert {m.pk: m.present for m in selectors.members_of(meeting)} == {first.pk: True, second.pk: False,
                                                                       third.pk: True}
    assert selectors.quorum(meeting) == (2, 2, 3)
    other = make_world("cmb", applications=0)
    with pytest.raises(AppError) as error:
        commission.record_attendance(actor=world["staff"], meeting=meeting,
                                     present_member_ids=[other["commission"][0].pk])
    assert "present" in error.value.fields
    with pytest.raises(NotFound):
        commission.record_attendance(actor=first.user, meeting=meeting, present_member_ids=[first.pk])


# The quorum and votes


def test_no_vote_and_no_decision_without_a_quorum(world):
    meeting = in_session(world, present=(0,))
    application = world["applications"][0]
    for action in (
            lambda: commission.vote(actor=world["staff"], meeting=meeting, application=application,
                                    member=world["commission"][0], choice=Vote.Choice.FOR),
            lambda: decide(world, meeting, application, O.ACCEPTED)):
        with pytest.raises(AppError) as error:
            action()
        assert error.value.code == "no_quorum" and error.value.status == 409
        assert "1 of 3" in str(error.value.message) and "2 are needed" in str(error.value.message)
    assert not Vote.objects.filter(meeting=meeting).exists()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_nothing_is_recorded_before_the_attendance(world):
    meeting = meeting_of(world)
    with pytest.raises(AppError) as error:
        decide(world, meeting, world["applications"][0], O.ACCEPTED)
    assert error.value.code == "not_in_session"


def test_an_absent_member_does_not_vote(world):
    meeting = in_session(world, present=(0, 1))
    absent = world["commission"][2]
    for actor in (world["staff"], absent.user):
        with pytest.raises(AppError) as error:
            commission.vote(actor=actor, meeting=meeting, application=world["applications"][0], member=absent,
                            choice=Vote.Choice.FOR)
        assert error.value.code == "not_present" and "member" in error.value.fields
    assert not Vote.objects.filter(meeting=meeting).exists()


def test_a_member_votes_for_themself_only_and_may_change_the_vote(world):
    meeting = in_session(world)
    first, second, _third = world["commission"]
    application = world["applications"][0]
    commission.vote(actor=first.user, meeting=meeting, application=application, member=first,
                    choice=Vote.Choice.AGAINST)
    commission.vote(actor=first.user, meeting=meeting, application=application, member=first, choice=Vote.Choice.FOR)
    with pytest.raises(NotFound):
        commission.vote(actor=first.user, meeting=meeting, application=application, member=second,
                        choice=Vote.Choice.FOR)
    commission.vote(actor=world["staff"], meeting=meeting, application=application, member=second,
                    choice=Vote.Choice.ABSTAIN)
    assert selectors.tally(meeting, [application.pk])[application.pk] == {"for": 1, "against": 0, "abstain": 1}
    with pytest.raises(AppError) as error:
        commission.vote(actor=first.user, meeting=meeting, application=application, member=first, choice="maybe")
    assert "choice" in error.value.fields


def test_a_member_marked_absent_after_voting_no_longer_counts(world):
    meeting = in_session(world)
    first, second, third = world["commission"]
    application = world["applications"][0]
    for member in (first, second, third):
        commission.vote(actor=world["staff"], meeting=meeting, application=application, member=member,
                        choice=Vote.Choice.FOR)
    commission.record_attendance(actor=world["staff"], meeting=meeting, present_member_ids=[first.pk, second.pk])
    decision = decide(world, meeting, application, O.WAITLISTED)
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (2, 0, 0)


def test_the_application_must_belong_to_the_meetings_call(world):
    meeting = in_session(world)
    stranger = make_world("cmc", applications=1)["applications"][0]
    with pytest.raises(NotFound):
        decide(world, meeting, stranger, O.ACCEPTED)
    with pytest.raises(NotFound):
        commission.vote(actor=world["staff"], meeting=meeting, application=stranger, member=world["commission"][0],
                        choice=Vote.Choice.FOR)


# Decisions


def test_deciding_twice_or_deciding_a_draft_is_a_conflict(world):
    meeting = in_session(world)
    application = world["applications"][0]
    decide(world, meeting, application, O.REJECTED, reason="Not innovative")
    with pytest.raises(AppError) as error:
        decide(world, meeting, application, O.ACCEPTED)
    assert error.value.code == "already_decided" and error.value.status == 409
    later = in_session(world)
    with pytest.raises(AppError) as error:
        decide(world, later, application, O.ACCEPTED)
    assert error.value.code == "forbidden_transition" and error.value.status == 409
    draft = submit(world, 8, status=S.DRAFT, submitted_at=None)
    with pytest.raises(AppError) as error:
        decide(world, later, draft, O.ACCEPTED)
    assert error.value.code == "forbidden_transition" and error.value.status == 409
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert Decision.objects.filter(application=application).count() == 1


def test_a_rejection_needs_a_reason_and_the_applicant_reads_it(world, django_capture_on_commit_callbacks):
    meeting = in_session(world)
    application = world["applications"][1]
    with pytest.raises(AppError) as error:
        decide(world, meeting, application, O.REJECTED, reason=" ")
    assert error.value.fields == {"reason": [error.value.message]}
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, meeting, application, O.REJECTED, reason="The market is too small")
    application.refresh_from_db()
    assert application.status == S.REJECTED
    sent = mail.outbox[-1]
    assert sent.to == [application.applicant.email] and "The market is too small" in sent.body
    assert Notification.objects.filter(user=application.applicant, url=f"/applications/{application.pk}/").exists()
    assert not Residency.objects.filter(application=application).exists()


def test_a_waitlisted_application_is_decided_again_at_a_later_meeting(world):
    application = world["applications"][0]
    decide(world, in_session(world), application, O.WAITLISTED)
    application.refresh_from_db()
    assert application.status == S.WAITLISTED
    decide(world, in_session(world), application, O.ACCEPTED)
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    assert application.decisions.count() == 2


# Acceptance: the residency


def test_acceptance_makes_the_company_its_founder_the_agreement_and_the_resident_role(
        world, django_capture_on_commit_callbacks):
    meeting = in_session(world)
    application = world["applications"][0]
    founder = application.applicant
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(world, meeting, application, O.ACCEPTED, benefits="Zero land tax", obligations=None)
    assert decision.outcome == O.ACCEPTED
    company = Company.objects.get(stir=application.stir)
    assert (company.name, company.oked, company.district, company.sector, company.employees) == (
        "Startup 0", "62010", world["district"], world["sector"], 3)
    member = CompanyMember.objects.get(company=company, user=founder)
    assert member.is_admin and member.role == CompanyMember.Role.FOUNDER
    residency = Residency.objects.get(application=application)
    today = timezone.localdate()
    assert residency.company == company and residency.park == world["park"]
    assert residency.number == f"CMA-{today.year}-001"
    assert residency.starts_on == today and residency.ends_on == commission.add_years(today, 3)
    assert residency.benefits == "Zero land tax" and residency.obligations == "Choraklik hisobot"
    assert residency.status == Residency.Status.ACTIVE
    assert Membership.objects.filter(user=founder, role=Role.RESIDENT, park=world["park"]).exists()
    application.refresh_from_db()
    assert application.status == S.ACCEPTED and application.company == company
    assert residency.number in mail.outbox[-1].body
    actions = set(AuditEntry.objects.filter(created_at__gte=meeting.held_at - timedelta(minutes=1))
                  .values_list("action", flat=True))
    assert {"intake.decision.made", "intake.residency.created", "ventures.company.created",
            "accounts.membership.created"} <= actions


def test_numbers_follow_per_park_and_year(world):
    meeting = in_session(world)
    for application in world["applications"]:
        decide(world, meeting, application, O.ACCEPTED)
    year = timezone.localdate().year
    numbers = sorted(Residency.objects.filter(park=world["park"]).values_list("number", flat=True))
    assert numbers == [f"CMA-{year}-001", f"CMA-{year}-002", f"CMA-{year}-003"]
    assert commission.next_residency_number(world["park"], year + 1) == f"CMA-{year + 1}-001"
    assert commission.park_prefix(world["park"]) == "CMA"


def test_an_existing_company_is_updated_and_its_founder_made_an_admin(world):
    application = world["applications"][0]
    company = Company.objects.create(name="Old name", stir=application.stir, oked="01110",
                                     district=world["district"])
    CompanyMember.objects.create(company=company, user=application.applicant, role=CompanyMember.Role.CTO)
    Membership.objects.create(user=application.applicant, role=Role.RESIDENT, park=world["park"])
    decide(world, in_session(world), application, O.ACCEPTED)
    company.refresh_from_db()
    assert (company.name, company.oked) == ("Startup 0", "62010")
    member = CompanyMember.objects.get(company=company, user=application.applicant)
    assert member.is_admin and member.role == CompanyMember.Role.CTO
    assert Membership.objects.filter(user=application.applicant, role=Role.RESIDENT).count() == 1


def test_a_company_already_resident_here_is_not_accepted_twice(world):
    application = world["applications"][0]
    company = Company.objects.create(name="Startup 0", stir=application.stir, oked="62010",
                                     district=world["district"])
    Residency.objects.create(company=company, park=world["park"], number="OLD-1", starts_on=date(2025, 1, 1),
                             ends_on=date(2028, 1, 1))
    with pytest.raises(AppError) as error:
        decide(world, in_session(world), application, O.ACCEPTED)
    assert error.value.code == "already_resident"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not application.decisions.exists()


def test_an_application_without_the_company_facts_cannot_become_a_residency(world):
    application = submit(world, 7, oked="", stir="")
    with pytest.raises(AppError) as error:
        decide(world, in_session(world), application, O.ACCEPTED)
    assert error.value.code == "incomplete_company"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_the_term_ends_on_28_february_after_a_leap_day(world):
    application = world["applications"][0]
    Application.objects.filter(pk=application.pk).update(status=S.ACCEPTED)
    application.refresh_from_db()
    residency = commission.create_residency(actor=world["staff"], application=application, today=date(2028, 2, 29))
    assert (residency.starts_on, residency.ends_on) == (date(2028, 2, 29), date(2031, 2, 28))
    assert residency.number == "CMA-2028-001"


# Closing


def test_closing_numbers_the_minutes_and_stores_the_pdf(world):
    meeting = in_session(world)
    reviewed(world, world["experts"][0], world["applications"][0], 8, 7, 6)
    decide(world, meeting, world["applications"][0], O.ACCEPTED)
    closed = commission.close(actor=world["staff"], meeting=meeting)
    assert closed.status == Meeting.Status.CLOSED and closed.closed_at is not None
    assert re.fullmatch(rf"CMA/{timezone.localdate().year}/01", closed.number)
    with closed.minutes.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    second = commission.close(actor=world["staff"], meeting=in_session(world))
    assert second.number.endswith("/02")
    with pytest.raises(AppError) as error:
        commission.close(actor=world["staff"], meeting=closed)
    assert error.value.code == "forbidden_transition"
    with pytest.raises(AppError) as error:
        decide(world, closed, world["applications"][1], O.ACCEPTED)
    assert error.value.code == "not_in_session"


def test_a_planned_meeting_cannot_be_closed(world):
    with pytest.raises(AppError) as error:
        commission.close(actor=world["staff"], meeting=meeting_of(world))
    assert error.value.code == "forbidden_transition" and error.value.status == 409


def test_the_call_is_decided_once_every_submitted_application_is(world):
    meeting = in_session(world)
    first, second, third = world["applications"]
    decide(world, meeting, first, O.ACCEPTED)
    decide(world, meeting, second, O.WAITLISTED)
    commission.close(actor=world["staff"], meeting=meeting)
    world["call"].refresh_from_db()
    assert world["call"].status == Call.Status.REVIEW  # the third waits
    meeting = in_session(world)
    decide(world, meeting, third, O.REJECTED, reason="Outside the park's sectors")
    commission.close(actor=world["staff"], meeting=meeting)
    world["call"].refresh_from_db()
    assert world["call"].status == Call.Status.DECIDED
    assert AuditEntry.objects.filter(action="intake.call.decided", object_id=str(world["call"].pk)).exists()


def test_the_agenda_shows_the_mean_score_and_hides_it_from_a_member_still_reviewing(world):
    meeting = in_session(world)
    application = world["applications"][0]
    reviewed(world, world["experts"][0], application, 8, 8, 8)
    reviewed(world, world["experts"][1], application, 6, 6, 6)
    member = world["commission"][0].user
    staff_view = {i.application.pk: i.standing for i in selectors.agenda(world["staff"], meeting)}
    assert staff_view[application.pk].mean == Decimal("70.00")
    assert staff_view[application.pk].spread == Decimal("10.00")
    reviewed(world, member, application)
    member_view = {i.application.pk: i.standing for i in selectors.agenda(member, meeting)}
    assert member_view[application.pk].mean is None and member_view[application.pk].hidden
