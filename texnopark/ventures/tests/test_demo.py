"""The ventures demo: residents with valid identifiers across every stage, the resident persona's company with
its milestones, mentors, products and export deals, ideas in every status; a rerun adds nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import resolve

from texnopark.accounts.models import User
from texnopark.core.models import Notification
from texnopark.intake.models import Call, Residency
from texnopark.ventures import demo
from texnopark.ventures.countries import CODES
from texnopark.ventures.models import (
    Company,
    CompanyMember,
    ExportDeal,
    Idea,
    Mentorship,
    Milestone,
    Product,
    Stage,
)

pytestmark = pytest.mark.django_db

MODELS = [User, Company, CompanyMember, Idea, Milestone, Mentorship, Product, ExportDeal, Notification]
DEMO_STIRS = [demo.stir_of(row[0]) for rows in demo.COMPANIES.values() for row in rows]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def demo_companies():
    return Company.objects.filter(stir__in=DEMO_STIRS)


def test_loading_the_demo_twice_adds_nothing():
    before = counts()
    call_command("load_demo", quiet_accounts=True)
    call_command("load_demo", quiet_accounts=True)
    assert counts() == before


def test_the_companies_have_unique_valid_identifiers_in_namangan_and_pass_the_model_checks():
    companies = list(demo_companies().select_related("district__region"))
    assert len(companies) == len(DEMO_STIRS) == len(set(DEMO_STIRS))
    for company in companies:
        company.full_clean()  # 9-digit STIR (unique), 5-digit OKED, choices
        assert company.district.region.code == "UZ-NG"
        assert company.founded_on < company.residencies.get().starts_on


def test_the_companies_span_every_stage_from_idea_to_exporting():
    stages = set(demo_companies().values_list("stage", flat=True))
    assert stages == set(Stage.values)


def test_every_company_has_one_to_four_members_and_an_admin_founder():
    for company in demo_companies().annotate(n=Count("members")):
        assert 1 <= company.n <= 4, company
        assert company.members.filter(is_admin=True, role=CompanyMember.Role.FOUNDER).count() == 1, company


def test_the_resident_persona_founded_an_it_park_resident_with_milestones_mentors_products_and_deals(demo_user):
    member = CompanyMember.objects.get(user=demo_user("resident"), company__stir__in=DEMO_STIRS)
    assert member.is_admin and member.role == CompanyMember.Role.FOUNDER
    company = member.company
    assert company.residencies.get().park.slug == "namangan-it"
    milestones = {m.status: m for m in company.milestones.all()}
    assert set(milestones) == {"done", "planned", "missed"}
    done = company.milestones.filter(status="done")
    assert all(m.done_on and m.evidence_note for m in done)
    assert company.mentors.filter(mentor=demo_user("expert")).exists()
    assert company.products.count() >= 2
    assert {deal.country for deal in company.export_deals.all()} >= {"KR"}


def test_exporters_have_deals_in_usd_with_countries_from_the_list():
    exporters = demo_companies().filter(stage=Stage.EXPORTING)
    assert exporters.count() >= 8
    for company in exporters:
        deals = list(company.export_deals.all())
        assert deals, company
        for deal in deals:
            deal.full_clean()
            assert deal.country in CODES and deal.value_usd > 0
            assert deal.value_usd.as_tuple().exponent == -2
    assert not ExportDeal.objects.filter(company__stir__in=DEMO_STIRS).exclude(company__stage=Stage.EXPORTING)\
        .exists()
    assert ExportDeal.objects.filter(company__stir__in=DEMO_STIRS, country="KR").count() >= 3


def test_milestones_are_consistent_with_their_status():
    for milestone in Milestone.objects.filter(company__stir__in=DEMO_STIRS):
        milestone.full_clean()
        assert (milestone.done_on is not None) == (milestone.status == Milestone.Status.DONE)


def test_ideas_cover_every_status_with_reasons_and_invitations_to_their_parks_open_call():
    ideas = Idea.objects.filter(author__email__endswith="@demo.texnopark.uz", title__in=[i[4] for i in demo.IDEAS])
    assert 12 <= ideas.count() <= 20
    assert set(ideas.values_list("status", flat=True)) == set(Idea.Status.values)
    for idea in ideas.select_related("invited_to"):
        idea.full_clean()
        if idea.status == Idea.Status.DECLINED:
            assert idea.reason and idea.decided_by and idea.decided_at
        if idea.status == Idea.Status.INVITED:
            assert idea.invited_to.park_id == idea.park_id and idea.invited_to.status == Call.Status.OPEN
            assert idea.applications.filter(call=idea.invited_to, applicant=idea.author).exists()


def test_the_citizen_persona_has_a_submitted_and_a_declined_idea_and_was_told(demo_user):
    citizen = demo_user("citizen")
    assert sorted(citizen.ideas.values_list("status", flat=True)) == ["declined", "submitted"]
    notes = Notification.objects.filter(user=citizen, url__startswith="/ideas/")
    assert notes.count() >= 3 and all(resolve(n.url).url_name == "idea" for n in notes)


def test_residency_start_dates_keep_to_the_report_window_and_the_commission():
    today = demo.timezone.localdate()
    starts = demo.residency_starts(today)
    assert set(starts) == {row[0] for rows in demo.COMPANIES.values() for row in rows}
    assert min(starts.values()) >= demo.window_start(today)
    assert Residency.objects.filter(company__stir__in=DEMO_STIRS, starts_on__lt=demo.window_start(today)).count() == 0
