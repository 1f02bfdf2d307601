"""The back office: companies and ideas scoped to the viewer's parks; profile edits and inline corrections
go through the services or are audited on the company; ideas are read-only there."""

import pytest
from django.urls import reverse

from texnopark.core.models import AuditEntry
from texnopark.ventures.tests.helpers import idea, park, person, resident

pytestmark = pytest.mark.django_db
INLINES = ("members", "milestones", "mentors", "products", "export_deals")


def management(company, **extra):
    data = {}
    for prefix in INLINES:
        initial = getattr(company, prefix).count()
        data.update({f"{prefix}-TOTAL_FORMS": initial, f"{prefix}-INITIAL_FORMS": initial,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for n, row in enumerate(getattr(company, prefix).all()):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-company"] = company.pk
    return {**data, **extra}


def test_staff_see_their_parks_companies_and_ideas_only(client, demo_user):
    ours, theirs = resident("Zqx Bizniki"), resident("Zqx Ularniki", where=park("kosonsoy-medical"))
    mine, other = idea(person("A"), title="Zqx gʻoya"), idea(person("B"), where=park("kosonsoy-medical"),
                                                              title="Zqx boshqa")
    client.force_login(demo_user("it_staff"))
    companies = client.get(reverse("admin:ventures_company_changelist"), {"q": "Zqx"}).content.decode()
    assert "Zqx Bizniki" in companies and "Zqx Ularniki" not in companies
    assert client.get(reverse("admin:ventures_company_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:ventures_company_change", args=[theirs.pk])).status_code == 302
    ideas = client.get(reverse("admin:ventures_idea_changelist"), {"q": "Zqx"}).content.decode()
    assert "Zqx gʻoya" in ideas and "Zqx boshqa" not in ideas
    page = client.get(reverse("admin:ventures_idea_change", args=[mine.pk])).content.decode()
    assert 'name="title"' not in page  # read-only: answered on the idea's page
    assert client.get(reverse("admin:ventures_idea_change", args=[other.pk])).status_code == 302


def test_a_profile_change_and_an_inline_product_are_audited_on_the_company(client, demo_user):
    company = resident("Zqx Tahrir", admin=person("Founder"))
    client.force_login(demo_user("it_staff"))
    data = management(company, **{
        "name": "Zqx Tahrirlangan", "oked": company.oked, "legal_form": "llc", "district": company.district_id,
        "sector": company.sector_id, "stage": "prototype", "employees": 4,
        "products-TOTAL_FORMS": 1, "products-0-name": "Yangi mahsulot", "products-0-is_public": "on"})
    response = client.post(reverse("admin:ventures_company_change", args=[company.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    company.refresh_from_db()
    assert company.name == "Zqx Tahrirlangan" and company.products.get().name == "Yangi mahsulot"
    actions = set(AuditEntry.objects.filter(object_type="ventures.company", object_id=str(company.pk))
                  .values_list("action", flat=True))
    assert {"ventures.company.updated", "ventures.product.created"} <= actions
