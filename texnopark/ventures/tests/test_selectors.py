"""Ventures reads: the registry in one query with its annotations, ideas and companies in the viewer's scope."""

from decimal import Decimal

import pytest

from texnopark.intake.models import Application, Residency
from texnopark.ventures import selectors
from texnopark.ventures.tests.helpers import call, company, deal, idea, park, person, residency, resident

pytestmark = pytest.mark.django_db


def test_the_registry_is_one_query_with_park_status_and_export_totals(django_assert_num_queries):
    twice = resident("Zqx Ikki park")
    residency(twice, park("kosonsoy-medical"), status=Residency.Status.SUSPENDED)
    deal(twice, value="100.25"), deal(twice, country="CN", value="0.75")
    resident("Zqx Eksportsiz")
    with django_assert_num_queries(1):
        rows = list(selectors.residents(q="Zqx"))
        parks = [(row.name, selectors.park_of(row).slug, row.residency_status, row.export_total, row.deal_count,
                  row.district.name, row.sector.name) for row in rows]
    assert [p[:5] for p in parks] == [("Zqx Eksportsiz", "namangan-it", "active", Decimal(0), 0),
                                      ("Zqx Ikki park", "namangan-it", "active", Decimal("101.00"), 2)]
    in_kosonsoy = selectors.residents(park=park("kosonsoy-medical"), q="Zqx").get()
    assert in_kosonsoy.residency_status == "suspended" and in_kosonsoy.park_slug == "kosonsoy-medical"


def test_the_search_finds_a_name_typed_in_the_other_script():
    resident("Zqx Bogʻbon Agro")
    assert [c.name for c in selectors.residents(q="Зқх Боғбон")] == ["Zqx Bogʻbon Agro"]


def test_ideas_for_the_viewer_own_and_the_parks_they_run(demo_user):
    author = person("Author")
    mine, elsewhere = idea(author), idea(person("Other"), where=park("kosonsoy-medical"))
    assert list(selectors.ideas_for(author)) == [mine]
    staff = selectors.ideas_for(demo_user("it_staff"))
    assert mine in staff and elsewhere not in staff
    assert {mine, elsewhere} <= set(selectors.ideas_for(demo_user("region_admin"), triage=True))
    assert not selectors.ideas_for(author, triage=True).exists()


def test_companies_run_by_staff_are_their_parks_residents_and_applicants(demo_user):
    applicant, member_of, outsider = company("Arizachi"), resident("Rezident"), company("Begona")
    Application.objects.create(call=call(), applicant=person("Applicant"), company=applicant, status="submitted")
    staff = set(selectors.companies_run_by(demo_user("it_staff")))
    assert {applicant, member_of} <= staff and outsider not in staff
    founder = person("Founder")
    mine = company("Meniki", admin=founder)
    assert [(c, c.i_manage, c.my_role) for c in selectors.companies_of(founder)] == [(mine, True, "founder")]
