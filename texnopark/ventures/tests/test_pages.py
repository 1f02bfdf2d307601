"""The ventures pages in the browser's place: an idea is shared (files checked, nothing typed lost on an
error), answered by the park's staff and followed by its author; a founder keeps the company's dashboard;
anyone reads the residents registry. Private files go through a permission check."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from texnopark.intake.models import Residency
from texnopark.reports.models import ComplianceDecision
from texnopark.ventures.models import Idea, Milestone
from texnopark.ventures.tests.helpers import (
    PDF,
    call,
    company,
    deal,
    district,
    fake_pdf,
    idea,
    park,
    pdf,
    person,
    product,
    residency,
    resident,
    sector,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return person("Aziza")


def idea_form(**extra):
    return {"park": park().pk, "title": "Aqlli issiqxona", "problem": "Suv isrof boʻladi",
            "solution": "Namlik sensorlari", "sector": sector().pk, "district": district().pk, "team": "Aziza",
            **extra}


# --- Ideas ------------------------------------------------------------------------------------------------


def test_sharing_an_idea_with_files_then_following_it(client, author):
    client.force_login(author)
    form = client.get(reverse("ventures:idea_new"), {"park": "namangan-it"}).content.decode()
    assert f'<option value="{park().pk}" selected>' in form
    response = client.post(reverse("ventures:idea_new"), {**idea_form(), "attachments": [pdf("a.pdf"), pdf("b.pdf")]})
    submitted = Idea.objects.get(author=author)
    assert response.status_code == 302 and response.url == submitted.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Aqlli issiqxona" in page and "Submitted" in page and "a.pdf" in page and "b.pdf" in page
    assert "Withdraw the idea" in page and "Answer the author" not in page
    assert "Aqlli issiqxona" in client.get(reverse("ventures:ideas_mine")).content.decode()


def test_a_missing_field_keeps_everything_typed(client, author):
    client.force_login(author)
    response = client.post(reverse("ventures:idea_new"), idea_form(problem=""))
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required" in page
    assert 'value="Aqlli issiqxona"' in page and "Namlik sensorlari</textarea>" in page
    assert not Idea.objects.filter(author=author).exists()


def test_an_upload_of_the_wrong_type_is_refused_with_a_message(client, author):
    client.force_login(author)
    page = client.post(reverse("ventures:idea_new"), {**idea_form(), "attachments": [fake_pdf()]}).content.decode()
    assert "does not match its type" in page and "choose the files again" in page
    assert 'value="Aqlli issiqxona"' in page
    page = client.post(reverse("ventures:idea_new"), {**idea_form(), "attachments": [pdf("run.exe")]}).content.decode()
    assert "Files of this type are not accepted" in page
    assert not Idea.objects.filter(author=author).exists()


def test_attachments_are_downloaded_by_the_author_and_the_parks_staff_only(client, author, demo_user):
    submitted = idea(author)
    attachment = submitted.attachments.create(file=pdf("secret.pdf"), name="secret.pdf")
    url = reverse("ventures:idea_attachment", args=[attachment.pk])
    assert not attachment.file.url.startswith("/ventures")  # never linked from MEDIA_URL: the page links `url`
    for who, expected in [(author, 200), (demo_user("it_staff"), 200), (demo_user("chortoq_manager"), 404),
                          (person("Other"), 404)]:
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
            assert "attachment" in response["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_decline_with_a_reason_kept_on_error_and_the_author_reads_it(client, author, demo_user):
    submitted = idea(author)
    client.force_login(demo_user("it_staff"))
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Answer the author" in page
    triage = reverse("ventures:idea_triage", args=[submitted.pk])
    page = client.post(triage, {"decision": "decline", "reason": ""}).content.decode()
    assert "This field is required" in page
    response = client.post(triage, {"decision": "decline", "reason": "Bozor tahlili kerak"})
    assert response.status_code == 302
    client.force_login(author)
    mine = client.get(reverse("ventures:ideas_mine")).content.decode()
    assert "Declined" in mine and "Bozor tahlili kerak" in mine


def test_staff_invite_to_an_open_call_and_a_closed_one_is_refused_beside_the_field(client, author, demo_user):
    submitted, cohort, late = idea(author), call(), call(closes_in=timedelta(days=1))
    late.closes_at = timezone.now() - timedelta(minutes=1)
    late.save()
    client.force_login(demo_user("it_manager"))
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert cohort.name in page and late.name not in page  # only calls still open are offered
    triage = reverse("ventures:idea_triage", args=[submitted.pk])
    page = client.post(triage, {"decision": "invite", "call": late.pk}).content.decode()
    assert "Select a valid choice" in page
    assert client.post(triage, {"decision": "invite", "call": cohort.pk}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.INVITED and submitted.invited_to == cohort
    page = client.post(triage, {"decision": "decline", "reason": "Kech"})
    assert page.status_code == 200 and "Answer the author" not in page.content.decode()
    client.force_login(author)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Invited to apply to the call" in page and cohort.name in page
    assert f'{reverse("intake:apply", args=[cohort.pk])}?idea={submitted.pk}' in page


def test_the_author_withdraws_and_cannot_triage(client, author):
    submitted = idea(author)
    client.force_login(author)
    assert client.post(reverse("ventures:idea_triage", args=[submitted.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("ventures:idea_withdraw", args=[submitted.pk])).url == reverse("ventures:ideas_mine")
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.WITHDRAWN


def test_the_inbox_lists_the_parks_ideas_in_a_fixed_number_of_queries(client, demo_user,
                                                                        django_assert_max_num_queries):
    staff = demo_user("it_staff")
    client.force_login(staff)
    url = reverse("ventures:ideas_inbox")
    client.get(url)
    idea(person("First"), title="Birinchi gʻoya")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(20):
        made = idea(person(f"Author{n}"), title=f"Gʻoya {n}")
        made.attachments.create(file=pdf(), name="x.pdf")
    idea(person("Elsewhere"), where=park("kosonsoy-medical"), title="Boshqa park gʻoyasi")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Gʻoya 19" in page and "Birinchi gʻoya" in page and "Boshqa park gʻoyasi" not in page
    declined = client.get(url, {"status": "declined"}).content.decode()
    assert "Birinchi gʻoya" not in declined


def test_the_inbox_is_for_park_staff_and_region_admins(client, demo_user):
    client.force_login(demo_user("citizen"))
    assert client.get(reverse("ventures:ideas_inbox")).status_code == 404
    client.force_login(demo_user("region_admin"))
    assert client.get(reverse("ventures:ideas_inbox")).status_code == 200


# --- The company dashboard -----------------------------------------------------------------------------------


@pytest.fixture
def founder():
    return person("Founder")


@pytest.fixture
def firm(founder):
    made = company("Dashboard Soft", admin=founder)
    held = residency(made, park(), status=Residency.Status.WARNING)
    held.status_reason = "Hisobot kechikdi"
    held.save()
    ComplianceDecision.objects.create(residency=held, step="warning", from_status="active", to_status="warning",
                                      reason="2 chorak hisoboti yoʻq", effective_on=timezone.localdate())
    return made


def test_the_dashboard_shows_everything_to_members_and_edits_to_admins(client, firm, founder):
    engineer = person("Engineer")
    firm.members.create(user=engineer, role="engineer")
    milestone = firm.milestones.create(title="Birinchi mijoz", due_on=timezone.localdate())
    deal(firm, value="2500.00", document=pdf("contract.pdf"))
    client.force_login(engineer)
    page = client.get(firm.get_absolute_url()).content.decode()
    for text in ("Dashboard Soft", "Warned", "2 chorak hisoboti yoʻq", "Birinchi mijoz", "Korea", "2,500.00",
                 "table-wrap"):
        assert text in page, text
    assert "Edit the profile" not in page and reverse("ventures:milestone_edit", args=[milestone.pk]) not in page
    held = firm.residencies.get()
    assert reverse("reports:mine") in page and reverse("reports:compliance", args=[held.pk]) in page
    client.force_login(founder)
    page = client.get(firm.get_absolute_url()).content.decode()
    assert "Edit the profile" in page and reverse("ventures:milestone_edit", args=[milestone.pk]) in page
    client.force_login(person("Stranger"))
    assert client.get(firm.get_absolute_url()).status_code == 404


def test_editing_the_profile_keeps_what_was_typed_on_an_error(client, firm, founder):
    client.force_login(founder)
    url = reverse("ventures:company_edit", args=[firm.pk])
    data = {"name": "Yangi nom", "legal_form": "llc", "oked": "62A", "district": firm.district_id,
            "sector": firm.sector_id, "stage": "product", "summary": "Bir jumla", "employees": 12}
    page = client.post(url, data).content.decode()
    assert "The OKED activity code is 5 digits" in page and 'value="Yangi nom"' in page
    firm.refresh_from_db()
    assert firm.name == "Dashboard Soft"
    assert client.post(url, {**data, "oked": "62020"}).status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.stage, firm.employees) == ("Yangi nom", "product", 12)


def test_adding_a_member_by_an_unknown_email_says_so_beside_the_field(client, firm, founder):
    client.force_login(founder)
    url = reverse("ventures:member_add", args=[firm.pk])
    page = client.post(url, {"email": "nobody@example.uz", "role": "cto", "title": "Texnik"}).content.decode()
    assert "No one signs in with this e-mail" in page and 'value="nobody@example.uz"' in page
    colleague = person("Colleague")
    assert client.post(url, {"email": colleague.email, "role": "cto"}).status_code == 302
    assert firm.members.filter(user=colleague, role="cto").exists()


def test_a_milestone_is_marked_done_with_evidence_checked_and_downloaded_privately(client, firm, founder, demo_user):
    milestone = firm.milestones.create(title="Prototip", due_on=timezone.localdate())
    client.force_login(founder)
    url = reverse("ventures:milestone_edit", args=[milestone.pk])
    data = {"title": "Prototip", "due_on": milestone.due_on.isoformat(), "status": "done", "evidence_note": ""}
    page = client.post(url, {**data, "evidence": fake_pdf()}).content.decode()
    assert "does not match its type" in page
    assert client.post(url, {**data, "evidence": pdf("photo.pdf")}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE and milestone.evidence
    evidence = reverse("ventures:milestone_evidence", args=[milestone.pk])
    assert client.get(evidence).status_code == 200
    client.force_login(demo_user("it_staff"))
    assert client.get(evidence).status_code == 200
    client.force_login(demo_user("kosonsoy_manager"))
    assert client.get(evidence).status_code == 404


def test_an_export_deal_with_a_negative_value_is_refused_and_a_good_one_saved(client, firm, founder):
    made = product(firm)
    client.force_login(founder)
    url = reverse("ventures:deal_new", args=[firm.pk])
    data = {"country": "KZ", "buyer": "Almaty Trade", "value_usd": "-5", "signed_on": "2025-05-01",
            "product": made.pk}
    page = client.post(url, data).content.decode()
    assert "greater than or equal to 0" in page and 'value="Almaty Trade"' in page
    assert client.post(url, {**data, "value_usd": "15000.50", "document": pdf("c.pdf")}).status_code == 302
    saved = firm.export_deals.get()
    assert saved.value_usd == Decimal("15000.50") and saved.product == made and saved.document


# --- The registry ---------------------------------------------------------------------------------------


def test_the_registry_filters_and_lists_suspended_but_not_revoked_residents(client):
    """Every test company's name holds "Zqx", so the demo's residents stay out of the way."""
    exporter = resident("Zqx Eksport Soft", stage="exporting")
    deal(exporter, value="1000"), deal(exporter, country="TR", value="500")
    quiet = resident("Zqx Sokin Agro", where=park("namangan-textile"), sector=sector(1), district=district(1))
    resident("Zqx Toʻxtatilgan MChJ", status=Residency.Status.SUSPENDED)
    resident("Zqx Bekor MChJ", status=Residency.Status.REVOKED)
    resident("Zqx Tugagan MChJ", status=Residency.Status.ENDED)
    company("Zqx Hali rezident emas")
    url = reverse("ventures:residents")
    page = client.get(url, {"q": "zqx"}).content.decode()
    assert "Zqx Eksport Soft" in page and "Zqx Sokin Agro" in page and "Zqx Toʻxtatilgan MChJ" in page
    assert "Suspended" in page and "3 residents" in page and "1,500" in page
    assert "Bekor" not in page and "Tugagan" not in page and "Hali rezident emas" not in page
    exporters = client.get(url, {"q": "Zqx", "exporter": "yes"}).content.decode()
    assert "Zqx Eksport Soft" in exporters and "Zqx Sokin Agro" not in exporters
    for filters in ({"q": quiet.stir}, {"q": "Zqx", "sector": sector(1).slug, "district": district(1).pk},
                    {"q": "Zqx", "exporter": "no", "stage": "idea"}):
        found = client.get(url, filters).content.decode()
        assert "Zqx Sokin Agro" in found and "Zqx Eksport Soft" not in found, filters
    textile = client.get(reverse("ventures:park_residents", args=["namangan-textile"]), {"q": "Zqx"}).content.decode()
    assert "Zqx Sokin Agro" in textile and "Zqx Eksport Soft" not in textile
    partial = client.get(url, {"q": "Zqx", "stage": "exporting"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Zqx Eksport Soft" in partial.content


def test_an_unpublished_parks_residents_are_listed_for_its_staff_only(client, demo_user):
    hidden = park("chortoq-agro")
    hidden.is_published = False
    hidden.save()
    resident("Zqx Yopiq Agro", where=hidden)
    assert b"Zqx Yopiq Agro" not in client.get(reverse("ventures:residents"), {"q": "Zqx"}).content
    assert client.get(reverse("ventures:park_residents", args=["chortoq-agro"])).status_code == 404
    client.force_login(demo_user("chortoq_manager"))
    assert b"Zqx Yopiq Agro" in client.get(reverse("ventures:residents"), {"q": "Zqx"}).content


def test_the_registry_page_costs_the_same_queries_for_3_or_30_residents(client, django_assert_max_num_queries):
    url = reverse("ventures:residents")
    for n in range(3):
        deal(resident(f"Aa Birinchi {n}"))
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(27):
        made = resident(f"Aa Keyingi {n}", where=park("kosonsoy-medical"))
        deal(made)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Aa Keyingi") + page.count("Aa Birinchi") >= 25  # a full page


def test_a_residents_public_page_shows_public_products_and_exports_by_country_not_contracts(client):
    made = resident("Ochiq Soft", summary="Bulutli buxgalteriya")
    product(made, name="Hisobchi"), product(made, name="Ichki vosita", is_public=False)
    deal(made, value="1000", document=pdf("contract.pdf")), deal(made, value="250.5")
    deal(made, country="DE", value="400")
    page = client.get(reverse("ventures:resident", args=[made.pk])).content.decode()
    assert "Bulutli buxgalteriya" in page and "Hisobchi" in page and "Ichki vosita" not in page
    assert "Korea" in page and "1,250.50" in page and "Germany" in page
    assert "contract.pdf" not in page and "/contract/" not in page and "Buyer Co" not in page
    revoked = resident("Bekor Soft", status=Residency.Status.REVOKED)
    assert client.get(reverse("ventures:resident", args=[revoked.pk])).status_code == 404
    assert client.get(reverse("ventures:resident", args=[company("Rezident emas").pk])).status_code == 404


def test_countries_are_named_in_the_readers_language(client):
    made = resident("Til Soft")
    deal(made, country="KR")
    page = client.get(reverse("ventures:resident", args=[made.pk]), headers={"Accept-Language": "ru"})
    assert "Корея" in page.content.decode()


def test_the_dashboard_costs_the_same_queries_however_big_the_team(client, firm, founder,
                                                                     django_assert_max_num_queries):
    client.force_login(founder)
    client.get(firm.get_absolute_url())
    with django_assert_max_num_queries(20) as few:
        client.get(firm.get_absolute_url())
    made = product(firm)
    for n in range(8):
        firm.members.create(user=person(f"Member{n}"))
        firm.milestones.create(title=f"Bosqich {n}", due_on=timezone.localdate())
        firm.mentors.create(name=f"Mentor {n}")
        deal(firm, product=made)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Bosqich 7" in client.get(firm.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("code", "language", "name"), [
    ("KR", "uz", "Koreya Respublikasi"), ("KR", "uz-cyrl", "Корея Республикаси"), ("KZ", "uz-cyrl", "Қозоғистон"),
    ("BR", "uz-cyrl", "Бразилия"), ("KR", "ko", "대한민국"), ("KR", "en", "Korea, Republic of"),
])
def test_a_country_has_a_name_in_every_language_and_script(code, language, name):
    from texnopark.ventures.countries import country_name

    assert country_name(code, language) == name
