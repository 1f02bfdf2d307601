"""The intake back office: each park's staff see their own parks' calls and applications, and only read them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from texnopark.intake.models import Call
from texnopark.intake.services import applications as app_services
from texnopark.intake.tests.test_calls import complete, make_call, manager_fixture, media, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_staff_list_only_their_parks_calls_and_submitted_applications(personas, manager, demo_user):
    ours = make_call(manager, name="Bizning tanlov")
    theirs = make_call(demo_user("kosonsoy_manager"), park="kosonsoy-medical", name="Ularning tanlovi")
    submitted, drafter = people(2, "admin-applicant")
    application = complete(app_services.application_start(actor=submitted, call=ours), submitted)
    app_services.application_submit(actor=submitted, application=application)
    app_services.application_start(actor=drafter, call=ours)
    client = personas("it_staff")
    calls = client.get(reverse("admin:intake_call_changelist")).content.decode()
    assert "Bizning tanlov" in calls and "Ularning tanlovi" not in calls
    applications = client.get(reverse("admin:intake_application_changelist")).content.decode()
    assert "Aqlli Dala MChJ" in applications
    assert "Ularning tanlovi" not in applications  # not even in the filter by call
    assert str(submitted) in applications and str(drafter) not in applications  # a draft is its applicant's alone
    assert client.get(reverse("admin:intake_call_change", args=[theirs.pk])).status_code == 302
    # Staff read; only a manager changes a call (through the service).
    page = client.get(reverse("admin:intake_call_change", args=[ours.pk])).content.decode()
    assert 'name="name"' not in page
    response = personas("it_manager").post(reverse("admin:intake_call_change", args=[ours.pk]), {
        "name": "Yangi nom", "name_ru": "", "name_en": "", "name_ko": "", "kind": ours.kind,
        "opens_on": ours.opens_on.isoformat(), "closes_at_0": timezone.localtime(ours.closes_at).strftime("%Y-%m-%d"),
        "closes_at_1": timezone.localtime(ours.closes_at).strftime("%H:%M:%S"), "description": ours.description,
        "benefits": ours.benefits, "obligations": ours.obligations, "quorum_percent": ours.quorum_percent,
        "return_days": ours.return_days, "residency_years": ours.residency_years,
        **{f"{prefix}-{key}": value for prefix in ("criteria", "questions", "documents", "commission")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))}})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.name == "Yangi nom" and ours.status == Call.Status.OPEN
