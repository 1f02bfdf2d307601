"""Applications: a founder's draft is kept as typed, submitted once, returned once for fixes and withdrawn;
late, incomplete and ineligible applications are told why, field by field, and lose nothing.

The IT park's manager opens a call (made here, with the factories of test_calls); founders are new people.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from texnopark.core.errors import AppError
from texnopark.core.models import AuditEntry
from texnopark.intake.models import Application
from texnopark.intake.services import applications as services
from texnopark.intake.tests.test_calls import complete, make_call, manager_fixture, media, pdf, people, staff_fixture  # noqa: F401
from texnopark.network.models import District, Sector
from texnopark.ventures.models import Company, CompanyMember, Idea

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture(name="call")
def call_fixture(manager):
    return make_call(manager, questions=(("Registered in Namangan?", True), ("Do you owe taxes?", False)),
                     documents=("Charter", "Licence"))


@pytest.fixture(name="founder")
def founder_fixture():
    return people(1, "founder")[0]


def started(call, person) -> Application:
    return services.application_start(actor=person, call=call)


def ready(call, person, **overrides) -> Application:
    return complete(started(call, person), person, **overrides)


# --- The draft -----------------------------------------------------------------------------------


def test_starting_twice_resumes_the_same_draft(call, founder):
    first = started(call, founder)
    assert started(call, founder).pk == first.pk
    assert first.status == S.DRAFT
    assert AuditEntry.objects.filter(action="intake.application.started", object_id=str(first.pk)).count() == 1


@pytest.mark.parametrize("stir", ["12345678", "1234567890", "12345678a", "ABCDEFGHI"])
def test_a_stir_is_nine_digits(call, founder, stir):
    application = started(call, founder)
    with pytest.raises(AppError) as raised:
        services.application_save(actor=founder, application=application, fields={"stir": stir})
    assert "The STIR (taxpayer number) is exactly 9 digits." in raised.value.fields["stir"]
    application.refresh_from_db()
    assert application.stir == ""


def test_keep_valid_stores_every_valid_field_and_lists_the_others(call, founder):
    application = started(call, founder)
    with pytest.raises(AppError) as raised:
        services.application_save(actor=founder, application=application, keep_valid=True, fields={
            "company_name": "Aqlli Dala", "stir": "1234", "oked": "6201x", "employees": 3,
            "business_plan": SimpleUploadedFile("plan.exe", b"MZ", content_type="application/octet-stream")})
    assert set(raised.value.fields) == {"stir", "oked", "business_plan"}
    assert "Files of this type are not accepted" in raised.value.fields["business_plan"][0]
    assert raised.value.message == "Your draft is saved, except the fields marked below."
    application.refresh_from_db()
    assert (application.company_name, application.employees, application.stir, application.oked) == (
        "Aqlli Dala", 3, "", "")
    assert not application.business_plan


def test_a_file_whose_content_is_not_its_type_is_refused(call, founder):
    application = started(call, founder)
    with pytest.raises(AppError) as raised:
        services.application_save(actor=founder, application=application, fields={
            "documents": {call.documents.first().pk: SimpleUploadedFile("charter.pdf", b"not a pdf")}})
    field = f"document_{call.documents.first().pk}"
    assert "does not match its type" in raised.value.fields[field][0]
    assert application.documents.count() == 0


def test_a_stir_of_a_company_the_applicant_runs_links_it_and_fills_the_empty_fields(call, founder):
    company = Company.objects.create(name="Dala Tech", stir="309876543", oked="62020", legal_form="sole",
                                     district=District.objects.get(soato="1714401"), employees=12,
                                     founders="Founder 100%")
    CompanyMember.objects.create(company=company, user=founder, is_admin=True)
    application = started(call, founder)
    services.application_save(actor=founder, application=application,
                              fields={"stir": "309876543", "employees": 15})
    application.refresh_from_db()
    assert application.company == company
    assert (application.company_name, application.oked, application.legal_form, application.employees) == (
        "Dala Tech", "62020", "sole", 15)
    # Someone who is not the company's admin gets no link (nor its data).
    other = started(call, people(1, "other")[0])
    services.application_save(actor=other.applicant, application=other, fields={"stir": "309876543"})
    other.refresh_from_db()
    assert other.company is None and other.company_name == ""


def test_an_idea_invited_to_the_call_prefills_the_draft(call, founder, manager):
    sector, district = Sector.objects.order_by("pk").first(), District.objects.get(soato="1714401")
    idea = Idea.objects.create(author=founder, park=call.park, title="Smart greenhouse", problem="Water is lost",
                               solution="Sensors", sector=sector, district=district, team="Aziza\nBobur",
                               status=Idea.Status.INVITED, invited_to=call)
    application = services.application_start(actor=founder, call=call, idea=idea)
    assert application.idea == idea and application.sector == sector and application.district == district
    assert application.project.startswith("Smart greenhouse") and "Sensors" in application.project
    assert application.founders == "Aziza\nBobur"
    elsewhere = make_call(manager)
    with pytest.raises(AppError) as raised:
        services.application_start(actor=founder, call=elsewhere, idea=idea)
    assert raised.value.code == "idea_not_invited"


def test_the_apply_page_starts_from_an_invited_idea(personas, call, demo_user):
    citizen = demo_user("citizen")
    idea = Idea.objects.create(author=citizen, park=call.park, title="Idea for the page", problem="P",
                               solution="S", sector=Sector.objects.first(),
                               district=District.objects.get(soato="1714401"), status=Idea.Status.INVITED,
                               invited_to=call)
    response = personas("citizen").get(reverse("intake:apply", args=[call.pk]) + f"?idea={idea.pk}")
    application = Application.objects.get(call=call, applicant=citizen)
    assert response.url == reverse("intake:application_edit", args=[application.pk])
    assert application.idea == idea
    # Someone else's idea is not found.
    assert personas("resident").get(reverse("intake:apply", args=[call.pk]) + f"?idea={idea.pk}").status_code == 404


# --- Submitting ----------------------------------------------------------------------------------


def test_a_complete_eligible_application_is_submitted_once(call, founder, django_capture_on_commit_callbacks):
    application = ready(call, founder)
    assert services.submission_problems(application) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=founder, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.submitted_at is not None
    assert founder.notifications.filter(message__contains="is submitted").exists()
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=founder, application=application)
    assert raised.value.code == "already_submitted" and raised.value.status == 409
    with pytest.raises(AppError) as raised:  # and it no longer changes
        services.application_save(actor=founder, application=application, fields={"company_name": "Other"})
    assert raised.value.code == "not_editable"


def test_an_incomplete_application_lists_each_missing_field_and_document_by_name(call, founder):
    application = started(call, founder)
    services.application_save(actor=founder, application=application, fields={"company_name": "Aqlli Dala"})
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=founder, application=application)
    error = raised.value
    assert error.code == "incomplete"
    for name, label in (("stir", "STIR"), ("oked", "OKED activity code"), ("district", "District"),
                        ("sector", "Sector"), ("founders", "Founders"), ("employees", "Employees"),
                        ("project", "The project in brief"), ("business_plan", "Business plan")):
        assert error.fields[name] == [f"“{label}” is missing."], name
    charter, licence = call.documents.all()
    assert error.fields[f"document_{charter.pk}"] == ["The document “Charter” is missing."]
    assert error.fields[f"document_{licence.pk}"] == ["The document “Licence” is missing."]
    first = call.questions.first()
    assert error.fields[f"answer_{first.pk}"] == ["Answer the question “Registered in Namangan?”."]
    assert "company_name" not in error.fields
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.company_name == "Aqlli Dala"


def test_a_wrong_answer_makes_the_application_ineligible_and_says_which_question(call, founder):
    taxes = call.questions.get(text="Do you owe taxes?")
    answers = {q.pk: q.required_answer for q in call.questions.all()}
    application = ready(call, founder, answers={**answers, taxes.pk: True})
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=founder, application=application)
    assert raised.value.code == "ineligible"
    assert raised.value.fields[f"answer_{taxes.pk}"] == [
        "Your answer to “Do you owe taxes?” makes the application ineligible: this call is for applicants who "
        "answer “No”."]
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.answers[str(taxes.pk)] is True


def test_a_sector_outside_the_call_is_ineligible(manager, founder):
    sectors = list(Sector.objects.order_by("pk")[:2])
    call = make_call(manager, questions=(), documents=())
    call.sectors.set([sectors[0]])
    application = ready(call, founder, sector=sectors[1])
    assert any("This call is for the sectors" in p for p in services.submission_problems(application))


def test_after_the_deadline_a_draft_is_late_and_keeps_what_was_typed(call, founder):
    application = ready(call, founder)
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=founder, application=application)
    assert raised.value.code == "late" and "(Tashkent time); it no longer takes applications" in raised.value.message
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.company_name == "Aqlli Dala MChJ"
    call.refresh_from_db()
    with pytest.raises(AppError) as raised:
        started(call, people(1, "late")[0])
    assert raised.value.code == "late"


def test_a_company_applies_once_per_call(call, founder):
    services.application_submit(actor=founder, application=ready(call, founder))
    partner = people(1, "partner")[0]
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=partner, application=ready(call, partner))
    assert raised.value.code == "company_applied" and raised.value.fields["stir"]


# --- Return once, fix, resubmit -----------------------------------------------------------------


def test_staff_return_once_and_the_applicant_resubmits_before_fix_by(call, founder, staff,
                                                                     django_capture_on_commit_callbacks):
    application = ready(call, founder)
    services.application_submit(actor=founder, application=application)
    with pytest.raises(AppError) as raised:
        services.application_return(actor=staff, application=application, note="  ")
    assert raised.value.fields["note"] == ["Say what the applicant should fix."]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(actor=staff, application=application, note="The charter is unsigned.")
    application.refresh_from_db()
    assert application.status == S.RETURNED
    assert application.fix_by - application.returned_at == timedelta(days=call.return_days)
    assert founder.notifications.filter(message__contains="needs fixes").exists()
    services.application_save(actor=founder, application=application,
                              fields={"documents": {call.documents.first().pk: pdf("signed.pdf")}})
    services.application_submit(actor=founder, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert AuditEntry.objects.filter(action="intake.application.resubmitted", object_id=str(application.pk)).exists()
    with pytest.raises(AppError) as raised:
        services.application_return(actor=staff, application=application, note="Again")
    assert raised.value.code == "returned_once" and raised.value.status == 409


def test_a_resubmission_after_fix_by_is_refused(call, founder, staff):
    application = ready(call, founder)
    services.application_submit(actor=founder, application=application)
    services.application_return(actor=staff, application=application, note="Fix the plan")
    Application.objects.filter(pk=application.pk).update(fix_by=timezone.now() - timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(AppError) as raised:
        services.application_submit(actor=founder, application=application)
    assert raised.value.code == "late" and "The time to fix this application ended on" in raised.value.message
    application.refresh_from_db()
    assert application.status == S.RETURNED


def test_only_the_park_returns_and_only_a_submitted_application(call, founder, demo_user, staff):
    application = ready(call, founder)
    with pytest.raises(AppError) as raised:
        services.application_return(actor=staff, application=application, note="Fix")
    assert raised.value.code == "forbidden_transition" and raised.value.status == 409
    services.application_submit(actor=founder, application=application)
    with pytest.raises(AppError) as raised:
        services.application_return(actor=demo_user("kosonsoy_manager"), application=application, note="Fix")
    assert raised.value.code == "not_found"


def test_the_applicant_withdraws_and_may_start_again(call, founder):
    application = ready(call, founder)
    services.application_submit(actor=founder, application=application)
    services.application_withdraw(actor=founder, application=application)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    with pytest.raises(AppError) as raised:
        services.application_withdraw(actor=founder, application=application)
    assert raised.value.code == "forbidden_transition"
    assert started(call, founder).pk != application.pk
