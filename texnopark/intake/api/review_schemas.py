"""Schemas of the review and commission API."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from texnopark.core.i18n import localized
from texnopark.intake.models import SCORE_MAX, Assignment, Decision, Meeting, Vote


class AssignmentOut(Schema):
    id: int
    status: Assignment.Status
    application_id: int
    call_id: int
    call_name: str
    company_name: str
    assigned_at: datetime
    no_conflict_at: datetime | None
    submitted_at: datetime | None
    total: Decimal | None = Field(description="The weighted total (0–100), once submitted")

    @staticmethod
    def resolve_call_id(obj):
        return obj.application.call_id

    @staticmethod
    def resolve_call_name(obj):
        return localized(obj.application.call, "name")

    @staticmethod
    def resolve_company_name(obj):
        return obj.application.company_name


class ApplicationSummaryOut(Schema):
    id: int
    company_name: str
    stir: str
    oked: str
    legal_form: str
    sector: str | None
    district: str | None
    founders: str
    employees: int | None
    project: str
    status: str

    @staticmethod
    def resolve_sector(obj):
        return localized(obj.sector, "name") if obj.sector else None

    @staticmethod
    def resolve_district(obj):
        return localized(obj.district, "name") if obj.district else None


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int = Field(description="Per cent of the total")
    position: int


class ScoreOut(Schema):
    criterion_id: int
    criterion: str
    value: int
    comment: str

    @staticmethod
    def resolve_criterion(obj):
        return obj.criterion.name


class ReviewOut(Schema):
    assignment_id: int
    expert_id: int
    expert_name: str
    total: Decimal
    submitted_at: datetime
    scores: list[ScoreOut]

    @staticmethod
    def resolve_assignment_id(obj):
        return obj.pk

    @staticmethod
    def resolve_expert_name(obj):
        return str(obj.expert)

    @staticmethod
    def resolve_scores(obj):
        return list(obj.scores.all())


class AssignmentDetailOut(AssignmentOut):
    conflict_note: str
    application: ApplicationSummaryOut
    criteria: list[CriterionOut]
    my_scores: list[ScoreOut]
    others: list[ReviewOut] | None = Field(
        description="The other experts' submitted reviews: null until the viewer submitted their own")


class DeclareIn(Schema):
    conflict: bool = Field(description="true: a conflict of interest (with `note`), which takes you off")
    note: str = ""


class ScoreIn(Schema):
    criterion_id: int
    value: int | None = Field(None, ge=0, le=SCORE_MAX, description="0–10; null: not scored yet")
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]
    submit: bool = Field(False, description="Submit: every criterion scored, the total stored, no more changes")


class AssignIn(Schema):
    application_id: int
    expert_id: int


class AutoAssignIn(Schema):
    per_application: int = Field(2, description="Reviewers each submitted application should have")


class AutoAssignOut(Schema):
    created: int


class RankingRowOut(Schema):
    place: int | None
    application_id: int
    company_name: str
    stir: str
    status: str
    hidden: bool = Field(description="The viewer still reviews it: its scores stay hidden")
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    spread: Decimal | None = Field(description="Population standard deviation of the submitted totals")
    reviews_done: int
    reviews_assigned: int
    conflicts: int


class MeetingIn(Schema):
    held_at: datetime
    place: str = ""
    language: str = Field("uz", description="Language of the minutes: uz, uz-cyrl, ru, en or ko")


class MeetingOut(Schema):
    id: int
    call_id: int
    held_at: datetime
    place: str
    language: str
    status: Meeting.Status
    number: str
    closed_at: datetime | None


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    is_chair: bool
    present: bool


class DecisionOut(Schema):
    id: int
    application_id: int
    outcome: Decision.Outcome
    reason: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    decided_at: datetime
    residency_number: str | None = None


class BallotOut(Schema):
    member_id: int
    choice: Vote.Choice


class AgendaItemOut(Schema):
    application_id: int
    company_name: str
    stir: str
    status: str
    mean_score: Decimal | None
    votes_for: int
    votes_against: int
    votes_abstain: int
    ballots: list[BallotOut]
    decision: DecisionOut | None


class MeetingDetailOut(MeetingOut):
    members: list[MemberOut]
    members_total: int
    present: int
    quorum: int
    quorum_met: bool
    agenda: list[AgendaItemOut]


class AttendanceIn(Schema):
    present: list[int] = Field(description="Ids of the commission members present; the others are absent")


class VoteIn(Schema):
    application_id: int
    member_id: int | None = Field(None, description="The member voting; leave out to vote for yourself")
    choice: Vote.Choice


class DecisionIn(Schema):
    application_id: int
    outcome: Decision.Outcome
    reason: str = ""
    benefits: str | None = Field(None, description="Residency benefits; null: the call's")
    obligations: str | None = Field(None, description="Residency obligations; null: the call's")
