"""The ventures API's input and output schemas and filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from ninja import Field, FilterLookup, FilterSchema, Schema

from texnopark.core.i18n import localized
from texnopark.intake.models import Residency
from texnopark.reports.models import ComplianceDecision
from texnopark.ventures import selectors
from texnopark.ventures.countries import country_name
from texnopark.ventures.models import CompanyMember, Idea, LegalForm, Milestone, Stage


def _name(obj) -> str:
    return localized(obj, "name") if obj is not None else ""


# --- Ideas ------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    size: int | None
    url: str = Field(description="Download (signed-in author or the park's staff)")

    @staticmethod
    def resolve_name(obj):
        return str(obj)

    @staticmethod
    def resolve_size(obj):
        try:
            return obj.file.size
        except (FileNotFoundError, ValueError):
            return None

    @staticmethod
    def resolve_url(obj):
        return reverse("api:idea_attachment_file", args=[obj.pk])


class IdeaOut(Schema):
    id: int
    title: str
    problem: str
    solution: str
    team: str
    status: Idea.Status
    reason: str = Field(description="Why the park declined")
    park_id: int
    park_slug: str
    park_name: str
    sector_id: int
    sector_name: str
    district_id: int
    district_name: str
    author_name: str
    invited_to_id: int | None = Field(description="The call the author is invited to")
    invited_to_name: str
    decided_at: datetime | None
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_park_slug(obj):
        return obj.park.slug

    @staticmethod
    def resolve_park_name(obj):
        return _name(obj.park)

    @staticmethod
    def resolve_sector_name(obj):
        return _name(obj.sector)

    @staticmethod
    def resolve_district_name(obj):
        return _name(obj.district)

    @staticmethod
    def resolve_author_name(obj):
        return obj.author.full_name or obj.author.email

    @staticmethod
    def resolve_invited_to_name(obj):
        return _name(obj.invited_to)

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class IdeaIn(Schema):
    park_id: int
    title: str = Field(min_length=1, max_length=200)
    problem: str = Field(min_length=1)
    solution: str = Field(min_length=1)
    sector_id: int
    district_id: int
    team: str = ""


class IdeaFilter(FilterSchema):
    status: Idea.Status | None = None
    park: Annotated[str | None, FilterLookup("park__slug")] = None


class InviteIn(Schema):
    call_id: int


class DeclineIn(Schema):
    reason: str = Field(description="The author reads it")


# --- The residents registry -------------------------------------------------------------------


class ResidentOut(Schema):
    id: int
    name: str
    stir: str
    legal_form: LegalForm
    stage: Stage
    summary: str
    sector_id: int | None
    sector_name: str
    district_id: int
    district_name: str
    park_slug: str = Field(description="The park it is listed under (the earliest current residency)")
    park_name: str
    residency_status: Residency.Status
    export_total_usd: Decimal
    deal_count: int
    url: str

    @staticmethod
    def resolve_sector_name(obj):
        return _name(obj.sector)

    @staticmethod
    def resolve_district_name(obj):
        return _name(obj.district)

    @staticmethod
    def resolve_park_name(obj):
        return _name(selectors.park_of(obj))

    @staticmethod
    def resolve_export_total_usd(obj):
        return obj.export_total

    @staticmethod
    def resolve_url(obj):
        return reverse("ventures:resident", args=[obj.pk])


class ResidentFilter(Schema):
    park: str | None = Field(None, description="A park's slug")
    sector: str | None = Field(None, description="A sector's slug")
    district: int | None = None
    stage: Stage | None = None
    exporter: bool | None = Field(None, description="true: with at least one export deal; false: none yet")
    q: str | None = Field(None, description="Part of the name (any Uzbek script) or of the STIR")


class ParkStatusOut(Schema):
    slug: str
    name: str
    status: Residency.Status
    since: date


class ProductOut(Schema):
    id: int
    name: str
    description: str
    launched_on: date | None
    is_public: bool


class CountryTotalOut(Schema):
    country: str
    country_name: str
    deals: int
    total_usd: Decimal


class ResidentDetailOut(Schema):
    id: int
    name: str
    stir: str
    legal_form: LegalForm
    stage: Stage
    summary: str
    description: str
    employees: int
    website: str
    founded_on: date | None
    sector_name: str
    district_name: str
    parks: list[ParkStatusOut]
    products: list[ProductOut]
    exports: list[CountryTotalOut]


# --- Companies --------------------------------------------------------------------------------


class CompanyOut(Schema):
    id: int
    name: str
    stir: str
    stage: Stage
    district_id: int
    sector_id: int | None
    my_role: CompanyMember.Role
    i_manage: bool


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    email: str
    role: CompanyMember.Role
    title: str
    is_admin: bool

    @staticmethod
    def resolve_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj):
        return obj.user.email


class MemberIn(Schema):
    email: str
    role: CompanyMember.Role = CompanyMember.Role.OTHER
    title: str = ""
    is_admin: bool = False


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    status: Milestone.Status
    done_on: date | None
    evidence_note: str
    has_evidence_file: bool

    @staticmethod
    def resolve_has_evidence_file(obj):
        return bool(obj.evidence)


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_on: date
    evidence_note: str = ""


class MilestonePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    due_on: date | None = None
    status: Milestone.Status | None = None
    done_on: date | None = Field(None, description="When marked done; today if not given")
    evidence_note: str | None = None


class MentorOut(Schema):
    id: int
    name: str
    area: str
    since: date | None
    mentor_id: int | None = Field(description="The mentor's account, if they have one")


class ProductIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    launched_on: date | None = None
    is_public: bool = True


class DealOut(Schema):
    id: int
    country: str
    country_name: str
    buyer: str
    value_usd: Decimal
    signed_on: date
    product_id: int | None
    has_contract_file: bool

    @staticmethod
    def resolve_country_name(obj):
        return country_name(obj.country)

    @staticmethod
    def resolve_has_contract_file(obj):
        return bool(obj.document)


class DealIn(Schema):
    country: str = Field(description="ISO 3166 code, e.g. KR")
    buyer: str = Field(min_length=1, max_length=200)
    value_usd: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    signed_on: date
    product_id: int | None = None


class ComplianceOut(Schema):
    step: ComplianceDecision.Step
    from_status: Residency.Status
    to_status: Residency.Status
    reason: str
    effective_on: date
    decided_at: datetime


class ResidencyOut(Schema):
    id: int
    number: str
    park_slug: str
    park_name: str
    status: Residency.Status
    status_reason: str
    status_since: date | None
    starts_on: date
    ends_on: date
    benefits: str
    obligations: str
    compliance: list[ComplianceOut]

    @staticmethod
    def resolve_park_slug(obj):
        return obj.park.slug

    @staticmethod
    def resolve_park_name(obj):
        return _name(obj.park)

    @staticmethod
    def resolve_compliance(obj):
        return list(obj.compliance_decisions.all())


class CompanyDetailOut(Schema):
    id: int
    name: str
    stir: str
    oked: str
    legal_form: LegalForm
    district_id: int
    district_name: str
    sector_id: int | None
    sector_name: str
    stage: Stage
    summary: str
    description: str
    founders: str
    employees: int
    website: str
    founded_on: date | None
    can_edit: bool
    members: list[MemberOut]
    milestones: list[MilestoneOut]
    mentors: list[MentorOut]
    products: list[ProductOut]
    export_deals: list[DealOut]
    residencies: list[ResidencyOut]


class CompanyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    oked: str | None = None
    legal_form: LegalForm | None = None
    district_id: int | None = None
    sector_id: int | None = None
    stage: Stage | None = None
    summary: str | None = None
    description: str | None = None
    founders: str | None = None
    employees: int | None = Field(None, ge=0)
    website: str | None = None
    founded_on: date | None = None
