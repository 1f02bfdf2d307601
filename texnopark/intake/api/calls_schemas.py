"""Schemas of the calls and applications API."""

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from texnopark.core.i18n import localized
from texnopark.intake.models import Application, Call
from texnopark.intake.services.applications import EDITABLE, accepting, submission_problems
from texnopark.ventures.models import LegalForm

# --- Calls ----------------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int = Field(description="Per cent; the weights of a call add up to 100")


class QuestionOut(Schema):
    id: int
    text: str
    required_answer: bool = Field(description="The answer an eligible applicant gives")


class DocumentOut(Schema):
    id: int
    name: str
    is_required: bool


class MemberOut(Schema):
    user_id: int
    name: str
    email: str
    is_chair: bool

    @staticmethod
    def resolve_name(obj):
        return str(obj.user)

    @staticmethod
    def resolve_email(obj):
        return obj.user.email


class CallOut(Schema):
    id: int
    park: str = Field(description="The technopark's short name (slug)")
    park_name: str
    name: str
    name_ru: str
    name_en: str
    name_ko: str
    display_name: str
    kind: Call.Kind
    status: Call.Status
    opens_on: date
    closes_at: datetime = Field(description="The deadline; shown to applicants in Tashkent time")
    accepting: bool = Field(description="Takes applications now")
    sectors: list[str] = Field(description="Sector slugs; empty: every sector")
    quorum_percent: int
    return_days: int
    residency_years: int

    @staticmethod
    def resolve_park(obj):
        return obj.park.slug

    @staticmethod
    def resolve_park_name(obj):
        return localized(obj.park, "name")

    @staticmethod
    def resolve_display_name(obj):
        return localized(obj, "name")

    @staticmethod
    def resolve_accepting(obj):
        return accepting(obj)

    @staticmethod
    def resolve_sectors(obj):
        return [sector.slug for sector in obj.sectors.all()]


class CallDetailOut(CallOut):
    description: str
    benefits: str
    obligations: str
    criteria: list[CriterionOut]
    questions: list[QuestionOut]
    documents: list[DocumentOut]
    commission: list[MemberOut] | None = Field(description="Only for the park's staff")

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())

    @staticmethod
    def resolve_commission(obj, context):
        user = context["request"].user
        if not (user.is_authenticated and user.has_perm("intake.run_call", obj)):
            return None
        return list(obj.commission.select_related("user"))


class CriterionIn(Schema):
    id: int | None = Field(None, description="Keep (and change) this criterion; leave out for a new one")
    name: str
    description: str = ""
    weight: int


class QuestionIn(Schema):
    id: int | None = None
    text: str
    required_answer: bool = True


class DocumentIn(Schema):
    id: int | None = None
    name: str
    is_required: bool = True


class MemberIn(Schema):
    email: str = Field(description="The e-mail the member signs in with")
    is_chair: bool = False


class CallChange(Schema):
    name: str | None = None
    name_ru: str | None = None
    name_en: str | None = None
    name_ko: str | None = None
    kind: Call.Kind | None = None
    description: str | None = None
    benefits: str | None = None
    obligations: str | None = None
    sectors: list[str] | None = Field(None, description="Sector slugs")
    opens_on: date | None = None
    closes_at: datetime | None = Field(None, description="Without an offset: Tashkent time")
    quorum_percent: int | None = None
    return_days: int | None = None
    residency_years: int | None = None
    criteria: list[CriterionIn] | None = Field(None, description="The whole list: missing ones are deleted")
    questions: list[QuestionIn] | None = None
    documents: list[DocumentIn] | None = None
    commission: list[MemberIn] | None = None


class CallIn(CallChange):
    park: str = Field(description="The technopark's short name (slug)")
    name: str
    opens_on: date
    closes_at: datetime


class CloseIn(Schema):
    early: bool = Field(False, description="Confirm closing before the deadline")


# --- Applications ---------------------------------------------------------------------------------


class UploadOut(Schema):
    id: int
    requirement_id: int | None
    name: str
    url: str

    @staticmethod
    def resolve_name(obj):
        return obj.requirement.name if obj.requirement else str(obj)

    @staticmethod
    def resolve_url(obj):
        return reverse("intake:application_document", args=[obj.pk])


class ApplicationOut(Schema):
    id: int
    call_id: int
    call_name: str
    applicant_id: int
    applicant_name: str
    status: Application.Status
    company_name: str
    stir: str
    oked: str
    legal_form: LegalForm
    district_id: int | None
    sector_id: int | None
    founders: str
    employees: int | None
    project: str
    answers: dict[str, bool] = Field(description="{question id: answer}")
    business_plan_url: str | None
    documents: list[UploadOut]
    company_id: int | None = Field(description="The platform's company, when the STIR is one the applicant runs")
    idea_id: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    returned_at: datetime | None
    return_note: str
    fix_by: datetime | None = Field(description="A returned application is submitted again before this")
    problems: list[str] = Field(description="For the applicant: what keeps the application from being submitted")

    @staticmethod
    def resolve_call_name(obj):
        return localized(obj.call, "name")

    @staticmethod
    def resolve_applicant_name(obj):
        return str(obj.applicant)

    @staticmethod
    def resolve_business_plan_url(obj):
        return reverse("intake:application_file", args=[obj.pk]) if obj.business_plan else None

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())

    @staticmethod
    def resolve_problems(obj, context):
        user = context["request"].user
        if obj.status not in EDITABLE or not user.has_perm("intake.change_application", obj):
            return []
        return submission_problems(obj)


class ApplicationChange(Schema):
    company_name: str | None = None
    stir: str | None = Field(None, description="9 digits")
    oked: str | None = Field(None, description="5 digits")
    legal_form: LegalForm | None = None
    district_id: int | None = None
    sector_id: int | None = None
    founders: str | None = None
    employees: int | None = None
    project: str | None = None
    answers: dict[str, bool | None] | None = Field(None, description="{question id: yes (true), no (false) or "
                                                                     "null to clear}")


class StartIn(Schema):
    idea: int | None = Field(None, description="An idea of yours invited to this call: the draft starts from it")


class ReturnIn(Schema):
    note: str = Field(description="What the applicant should fix")


def aware(moment: datetime | None, tz) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, tz)
