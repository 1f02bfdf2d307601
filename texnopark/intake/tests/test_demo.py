"""The intake demo: a decided and an open call per park, scored applications whose totals match their
scores, a closed meeting with a quorum, votes and decisions that made the residents; work waiting for the
expert persona; a rerun adds nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.core.models import Notification
from texnopark.intake import demo
from texnopark.intake.models import (
    Application,
    Assignment,
    Attendance,
    Call,
    CommissionMember,
    Criterion,
    Decision,
    Meeting,
    Question,
    RequiredDocument,
    Residency,
    Score,
    Vote,
)
from texnopark.network.models import Technopark
from texnopark.ventures import demo as ventures

pytestmark = pytest.mark.django_db

MODELS = [User, Membership, Call, Criterion, Question, RequiredDocument, CommissionMember, Application, Assignment,
          Score, Meeting, Attendance, Vote, Decision, Residency]
DEMO_STIRS = [ventures.stir_of(row[0]) for rows in ventures.COMPANIES.values() for row in rows]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def demo_calls():
    return Call.objects.filter(created_by__email__endswith="@demo.texnopark.uz", park__slug__in=demo.COMMISSION)


def decided_calls():
    return demo_calls().filter(status=Call.Status.DECIDED)


def test_loading_the_demo_twice_adds_nothing():
    before = counts()
    call_command("load_demo", quiet_accounts=True)
    call_command("load_demo", quiet_accounts=True)
    assert counts() == before


def test_every_park_has_a_decided_call_and_an_open_one_closing_in_three_weeks():
    now = timezone.now()
    for park in Technopark.objects.filter(slug__in=demo.COMMISSION):
        calls = demo_calls().filter(park=park)
        assert sorted(calls.values_list("status", flat=True)) == ["decided", "open"], park
        opened = calls.get(status=Call.Status.OPEN)
        assert now + timedelta(days=14) < opened.closes_at < now + timedelta(days=28)
        assert calls.get(status=Call.Status.DECIDED).closes_at < now
        for call in calls:
            call.full_clean()
            assert call.name and call.name_ru and call.name_en and call.search_text


def test_every_call_has_a_rubric_of_100_questions_documents_and_an_odd_commission_with_one_chair():
    for call in demo_calls():
        assert sum(call.criteria.values_list("weight", flat=True)) == 100, call
        assert 2 <= call.questions.count() <= 3
        assert 2 <= call.documents.count() <= 3
        assert call.commission.count() in (3, 5)
        assert call.commission.filter(is_chair=True).count() == 1
        members = set(call.commission.values_list("user__email", flat=True))
        manager = call.park.memberships.get(role=Role.PARK_MANAGER).user.email
        assert manager in members


def test_the_it_parks_commission_seats_its_manager_staff_and_the_expert_persona(demo_user):
    call = decided_calls().get(park__slug="namangan-it")
    members = set(call.commission.values_list("user", flat=True))
    assert {demo_user(p).pk for p in ("it_manager", "it_staff", "expert")} <= members
    assert len(members) == 5


def test_decided_applications_have_two_scored_reviews_whose_totals_match_their_scores():
    applications = Application.objects.filter(call__in=decided_calls()).exclude(status=Application.Status.WITHDRAWN)
    assert applications.count() >= 4 * 5
    for application in applications.prefetch_related("assignments__scores__criterion"):
        scored = [a for a in application.assignments.all() if a.status == Assignment.Status.SUBMITTED]
        assert len(scored) == 2 and len({a.expert_id for a in scored}) == 2, application
        for assignment in scored:
            scores = list(assignment.scores.all())
            assert {s.criterion_id for s in scores} == set(application.call.criteria.values_list("pk", flat=True))
            expected = sum((Decimal(s.value) / 10 * s.criterion.weight for s in scores), Decimal(0))
            assert assignment.total == expected.quantize(Decimal("0.01"))
            assert assignment.no_conflict_at and all(s.comment for s in scores)
    assert Assignment.objects.filter(application__in=applications, status=Assignment.Status.CONFLICT,
                                     conflict_note__gt="").exists()


def test_each_decided_call_had_a_closed_meeting_with_a_quorum_votes_and_decisions():
    for call in decided_calls():
        meeting = call.meetings.get()
        assert meeting.status == Meeting.Status.CLOSED and meeting.number and meeting.closed_at
        assert not meeting.minutes  # rendered on demand from the data
        members = call.commission.count()
        present = set(meeting.attendance.filter(present=True).values_list("member", flat=True))
        assert meeting.attendance.count() == members
        assert len(present) >= call.quorum(members)
        outcomes = []
        for decision in meeting.decisions.select_related("application"):
            votes = list(Vote.objects.filter(meeting=meeting, application=decision.application))
            assert {v.member_id for v in votes} == present
            assert [decision.votes_for, decision.votes_against, decision.votes_abstain] == [
                sum(v.choice == choice for v in votes) for choice in ("for", "against", "abstain")]
            assert decision.application.status == decision.outcome
            if decision.outcome == Decision.Outcome.ACCEPTED:
                assert decision.votes_for > len(present) / 2
                assert decision.application.residency.company == decision.application.company
            if decision.outcome == Decision.Outcome.REJECTED:
                assert decision.reason and decision.votes_against > len(present) / 2
            outcomes.append(decision.outcome)
        assert outcomes.count("rejected") == 1 and outcomes.count("waitlisted") == 1
        assert outcomes.count("accepted") >= 3


def test_every_status_was_reached_through_the_transitions():
    chains = [(Call, demo_calls()), (Application, Application.objects.filter(call__in=demo_calls())),
              (Meeting, Meeting.objects.filter(call__in=demo_calls())),
              (Assignment, Assignment.objects.filter(application__call__in=demo_calls()))]
    for model, objects in chains:
        reachable = {model.Status.values[0]} | {t for targets in model.TRANSITIONS.values() for t in targets}
        assert set(objects.values_list("status", flat=True)) <= reachable, model


def test_open_calls_hold_drafts_submissions_and_one_returned_application_with_a_deadline():
    for call in demo_calls().filter(status=Call.Status.OPEN):
        statuses = list(call.applications.values_list("status", flat=True))
        assert "draft" in statuses and "submitted" in statuses, call
        returned = call.applications.get(status=Application.Status.RETURNED)
        assert returned.return_note and returned.fix_by > returned.returned_at > returned.submitted_at
        for application in call.applications.all():
            application.full_clean(validate_constraints=False)


def test_the_expert_persona_has_reviews_to_declare_to_finish_and_one_done(demo_user):
    mine = Assignment.objects.filter(expert=demo_user("expert"), application__call__status=Call.Status.OPEN,
                                     application__call__park__slug="namangan-it")
    assert mine.filter(status=Assignment.Status.ASSIGNED, no_conflict_at__isnull=True).count() == 1
    assert mine.filter(status=Assignment.Status.ASSIGNED, no_conflict_at__isnull=False).count() == 1
    assert mine.filter(status=Assignment.Status.SUBMITTED, total__isnull=False).count() == 1
    assert all(a.submitted_at <= timezone.now() for a in mine.filter(status=Assignment.Status.SUBMITTED))
    assert Notification.objects.filter(user=demo_user("expert"), url=reverse("intake:reviews_mine")).exists()


def test_every_park_has_10_to_20_residents_with_numbered_three_year_agreements():
    for park in Technopark.objects.filter(slug__in=demo.COMMISSION):
        residencies = Residency.objects.filter(park=park, company__stir__in=DEMO_STIRS)
        assert 10 <= residencies.filter(status__in=Residency.CURRENT).count() <= 20, park
        for residency in residencies:
            residency.full_clean(validate_constraints=False)
            prefix, year, number = residency.number.rsplit("-", 2)
            assert prefix == park.slug.rsplit("-", 1)[-1].upper() and int(year) == residency.starts_on.year
            assert len(number) == 3 and residency.ends_on.year == residency.starts_on.year + 3
            assert residency.benefits and residency.obligations
        founders = residencies.filter(company__members__role="founder").values_list("company__members__user")
        roles = Membership.objects.filter(role=Role.RESIDENT, park=park, user__in=founders)
        assert roles.count() == residencies.count()
