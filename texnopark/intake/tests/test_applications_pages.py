"""The application pages: the draft kept as typed (save button and htmx autosave), submission with the problems
beside the fields, a double click, the staff's return, their list, and the private downloads."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from texnopark.core.models import AuditEntry
from texnopark.intake.models import Application, Assignment
from texnopark.intake.services import applications as services
from texnopark.intake.services.calls import TASHKENT
from texnopark.intake.tests.test_applications import call_fixture, founder_fixture, ready, started  # noqa: F401
from texnopark.intake.tests.test_calls import make_call, manager_fixture, media, pdf, people, staff_fixture  # noqa: F401
from texnopark.network.models import District
from texnopark.ventures.models import Company, CompanyMember

pytestmark = pytest.mark.django_db
S = Application.Status


def page_form(application, **fields) -> dict:
    call = application.call
    data = {"company_name": "", "stir": "", "oked": "", "legal_form": "llc", "district": "", "sector": "",
            "founders": "", "employees": "", "project": "", "from_form": "1"}
    data.update({f"answer_{q.pk}": "" for q in call.questions.all()})
    data.update(fields)
    return data


def test_autosave_stores_the_valid_fields_and_shows_the_errors_of_the_rest(client, call, founder):
    application = started(call, founder)
    client.force_login(founder)
    edit = reverse("intake:application_edit", args=[application.pk])
    response = client.post(edit, page_form(application, company_name="Aqlli Dala", stir="12345678", employees="7",
                                           autosave="1"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="err-stir"' in body and "exactly 9 digits" in body and 'hx-swap-oob="true"' in body
    assert "Saved, except the fields marked in red." in body
    application.refresh_from_db()
    assert (application.company_name, application.employees, application.stir) == ("Aqlli Dala", 7, "")


def test_the_save_button_keeps_what_was_typed_beside_the_errors(client, call, founder):
    application = started(call, founder)
    client.force_login(founder)
    response = client.post(reverse("intake:application_edit", args=[application.pk]),
                           page_form(application, company_name="Aqlli Dala", stir="12345678", oked="abc"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="12345678"' in body and 'value="abc"' in body and 'value="Aqlli Dala"' in body
    assert "The OKED activity code is 5 digits" in body


def test_submitting_from_the_page_lists_the_problems_beside_the_fields(client, call, founder):
    application = started(call, founder)
    client.force_login(founder)
    taxes = call.questions.get(text="Do you owe taxes?")
    response = client.post(reverse("intake:application_submit", args=[application.pk]),
                           page_form(application, company_name="Aqlli Dala", **{f"answer_{taxes.pk}": "yes"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "“Business plan” is missing." in body and "The document “Charter” is missing." in body
    assert 'value="Aqlli Dala"' in body
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.answers == {str(taxes.pk): True}


def test_a_double_click_on_submit_submits_once_and_shows_the_status(client, call, founder):
    application = ready(call, founder)
    client.force_login(founder)
    url = reverse("intake:application_submit", args=[application.pk])
    first, second = client.post(url, follow=True), client.post(url, follow=True)
    assert "Your application is submitted." in first.content.decode()
    assert "This application has already been submitted." in second.content.decode()
    assert "Submitted" in second.content.decode()
    assert AuditEntry.objects.filter(action="intake.application.submitted", object_id=str(application.pk)).count() == 1


def test_staff_return_from_the_page_and_the_applicant_sees_the_note_and_deadline(personas, call, founder, client):
    application = ready(call, founder)
    services.application_submit(actor=founder, application=application)
    staff_client = personas("it_staff")
    empty = staff_client.post(reverse("intake:application_return", args=[application.pk]), {"note": ""})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    staff_client.post(reverse("intake:application_return", args=[application.pk]), {"note": "Sign the charter"})
    client.force_login(founder)
    page = client.get(reverse("intake:application", args=[application.pk])).content.decode()
    assert "Returned for fixes" in page and "Sign the charter" in page and "Tashkent time" in page


def test_the_staff_list_filters_by_status_in_a_fixed_number_of_queries(personas, call, staff,
                                                                       django_assert_num_queries):
    for person in people(3, "applicant"):
        services.application_submit(actor=person, application=ready(call, person, stir=f"3{person.pk:08d}"))
    client = personas("it_staff")
    url = reverse("intake:call_applications", args=[call.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for person in people(6, "more"):
        services.application_submit(actor=person, application=ready(call, person, stir=f"4{person.pk:08d}"))
    draft = started(call, people(1, "drafter")[0])
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Aqlli Dala MChJ") == 9 and f"/applications/{draft.pk}/" not in page
    assert client.get(url, {"status": "returned"}).content.decode().count("Aqlli Dala MChJ") == 0


def test_downloads_are_for_the_applicant_the_park_and_the_assigned_expert(personas, call, founder, client, demo_user):
    application = ready(call, founder)
    url = reverse("intake:application_file", args=[application.pk])
    document = reverse("intake:application_document", args=[application.documents.first().pk])
    client.force_login(founder)
    assert client.get(url).status_code == 200 and client.get(document).status_code == 200
    # A draft is the applicant's alone.
    assert personas("it_staff").get(url).status_code == 404
    services.application_submit(actor=founder, application=application)
    assert personas("it_staff").get(url).status_code == 200
    assert personas("kosonsoy_manager").get(url).status_code == 404
    assert personas("expert").get(url).status_code == 404
    Assignment.objects.create(application=application, expert=demo_user("expert"))
    assert personas("expert").get(url).status_code == 200
    assert b"".join(personas("expert").get(document).streaming_content).startswith(b"%PDF")
    Assignment.objects.filter(application=application).update(status="conflict")
    assert personas("expert").get(url).status_code == 404


def test_my_applications_lists_only_mine(personas, call, demo_user):
    mine = started(call, demo_user("citizen"))
    theirs = started(call, demo_user("resident"))
    page = personas("citizen").get(reverse("intake:applications_mine")).content.decode()
    assert f"/applications/{mine.pk}/" in page and f"/applications/{theirs.pk}/" not in page
    assert personas("citizen").get(reverse("intake:application", args=[theirs.pk])).status_code == 404


def test_a_stir_of_my_company_fills_the_form_on_the_screen(client, call, founder):
    company = Company.objects.create(name="Dala Tech", stir="309876543", oked="62020", legal_form="sole",
                                     district=District.objects.get(soato="1714401"), employees=12)
    CompanyMember.objects.create(company=company, user=founder, is_admin=True)
    application = started(call, founder)
    client.force_login(founder)
    response = client.post(reverse("intake:application_edit", args=[application.pk]),
                           page_form(application, stir="309876543", autosave="1"), headers={"HX-Request": "true"})
    body = response.content.decode()
    # The whole form comes back with what the server filled in, so the next autosave does not blank it.
    assert response["HX-Retarget"] == "#application-form" and response["HX-Reswap"] == "outerHTML"
    assert 'value="Dala Tech"' in body and 'value="62020"' in body and 'value="12"' in body
    assert "filled in from it" in body


def test_autosave_stores_a_chosen_file_and_clears_the_file_input(client, call, founder):
    application = started(call, founder)
    client.force_login(founder)
    response = client.post(reverse("intake:application_edit", args=[application.pk]),
                           {**page_form(application, autosave="1"), "business_plan": pdf("my-plan.pdf")},
                           headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="file-business_plan" class="file-field" hx-swap-oob="true"' in body and "my-plan" in body
    application.refresh_from_db()
    assert application.business_plan.name.startswith("applications/") and "my-plan" in application.business_plan.name


def test_a_double_click_from_the_form_submits_once(client, call, founder):
    application = ready(call, founder)
    client.force_login(founder)
    url = reverse("intake:application_submit", args=[application.pk])
    data = page_form(application, company_name="Aqlli Dala MChJ", stir="301234567", oked="62010",
                     district=application.district_id, sector=application.sector_id, founders="A 100%",
                     employees="4", project="Sensors",
                     **{f"answer_{q.pk}": "yes" if q.required_answer else "no" for q in call.questions.all()})
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302 and first.url == application.get_absolute_url()
    assert "This application has already been submitted." in second.content.decode()
    assert AuditEntry.objects.filter(action="intake.application.submitted", object_id=str(application.pk)).count() == 1


def test_an_open_call_edit_page_keeps_the_rules_and_moves_the_deadline(personas, manager):
    call = make_call(manager)
    client = personas("it_manager")
    page = client.get(reverse("intake:call_edit", args=[call.pk])).content.decode()
    assert 'name="quorum_percent"' in page and "disabled" in page.split('name="quorum_percent"')[1][:80]
    later = timezone.localtime(call.closes_at + timedelta(days=5), TASHKENT).strftime("%Y-%m-%dT%H:%M")
    members = list(call.commission.order_by("-is_chair", "user__full_name").select_related("user"))
    data = {"name": call.name, "name_en": call.name_en, "description": "Yangi qoidalar", "benefits": call.benefits,
            "obligations": call.obligations, "closes_at": later, "quorum_percent": 90,
            "commission-TOTAL_FORMS": 3, "commission-INITIAL_FORMS": 3,
            **{f"commission-{i}-id": m.pk for i, m in enumerate(members)},
            **{f"commission-{i}-email": m.user.email for i, m in enumerate(members)}, "commission-0-is_chair": "on"}
    assert client.post(reverse("intake:call_edit", args=[call.pk]), data).status_code == 302
    call.refresh_from_db()
    assert call.description == "Yangi qoidalar" and call.quorum_percent == 67
    assert timezone.localtime(call.closes_at, TASHKENT).strftime("%Y-%m-%dT%H:%M") == later
