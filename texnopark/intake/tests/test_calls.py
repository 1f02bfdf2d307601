"""Calls: a park manager drafts a call, its rubric must add up to 100 and its commission be odd and large
enough before it opens; the staff close it for review at the deadline (earlier with a confirmation).
Open calls are public with their rules; drafts are the park's.

Each test makes its own calls in the demo parks (the demo's calls are not relied on). Other intake
tests import the factories below.
"""

from datetime import UTC, timedelta
from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.core.errors import AppError
from texnopark.core.models import AuditEntry
from texnopark.intake.models import Application, Call
from texnopark.intake.services import applications as app_services
from texnopark.intake.services import calls as services
from texnopark.network.models import District, Sector, Technopark

pytestmark = pytest.mark.django_db
C = Call.Status
_serial = count(1)

PDF = b"%PDF-1.4\n% test\n"


def pdf(name="plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def people(n: int, prefix="member") -> list[User]:
    return [User.objects.create_user(f"{prefix}{next(_serial)}@example.uz", "pw", full_name=f"{prefix.title()} {i}",
                                     language="en") for i in range(n)]


def make_call(manager, *, park="namangan-it", weights=(40, 60), members=3, questions=(("Registered in Namangan?",
              True),), documents=("Charter",), opened=True, closes_in=timedelta(days=10), **fields) -> Call:
    """A call of the park, opened unless `opened=False`, with its rubric, questions, documents and commission."""
    now = timezone.now()
    data = {"name": f"Rezidentlar tanlovi {next(_serial)}", "name_en": "Residents call", "kind": "residency",
            "opens_on": timezone.localdate() - timedelta(days=1), "closes_at": now + closes_in,
            "description": "Qoidalar", "benefits": "Soliq imtiyozlari", "obligations": "Hisobot", **fields}
    call = services.call_create(
        actor=manager, park=park if isinstance(park, Technopark) else Technopark.objects.get(slug=park), **data,
        criteria=[{"name": f"Criterion {i}", "weight": w} for i, w in enumerate(weights, 1)],
        questions=[{"text": text, "required_answer": answer} for text, answer in questions],
        documents=[{"name": name} for name in documents],
        commission=[{"user": u, "is_chair": i == 0} for i, u in enumerate(people(members))])
    if opened:
        if call.closes_at <= now:  # a call whose deadline has passed: opened first, then the clock moves on
            Call.objects.filter(pk=call.pk).update(closes_at=now + timedelta(days=1))
            call.refresh_from_db()
            services.call_open(actor=manager, call=call)
            Call.objects.filter(pk=call.pk).update(closes_at=now + closes_in)
        else:
            services.call_open(actor=manager, call=call)
        call.refresh_from_db()
    return call


def complete(application: Application, person, **overrides) -> Application:
    """Fill in everything the call asks for, all answers eligible."""
    call = application.call
    fields = {"company_name": "Aqlli Dala MChJ", "stir": "301234567", "oked": "62010", "legal_form": "llc",
              "founders": "Aziza Karimova 100%", "employees": 4, "project": "Smart irrigation sensors",
              "business_plan": pdf(), "answers": {q.pk: q.required_answer for q in call.questions.all()},
              "documents": {r.pk: pdf(f"doc{r.pk}.pdf") for r in call.documents.all()}, **overrides}
    if "district" not in fields:
        fields["district"] = District.objects.get(soato="1714401")
    if "sector" not in fields:
        fields["sector"] = Sector.objects.order_by("pk").first()
    return app_services.application_save(actor=person, application=application, fields=fields)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(name="manager")
def manager_fixture(demo_user):
    return demo_user("it_manager")


@pytest.fixture(name="staff")
def staff_fixture(demo_user):
    return demo_user("it_staff")


# --- The rubric and the commission ---------------------------------------------------------------


@pytest.mark.parametrize("weights, total", [((40, 59), 99), ((40, 61), 101), ((), 0)])
def test_a_rubric_not_adding_up_to_100_keeps_the_call_closed(manager, weights, total):
    call = make_call(manager, weights=weights, opened=False)
    with pytest.raises(AppError) as raised:
        services.call_open(actor=manager, call=call)
    assert raised.value.code == "not_ready"
    if weights:
        assert f"add up to {total}%; they must add up to 100%" in raised.value.message
        assert services.rubric_problems(call) == [
            f"The weights of the criteria add up to {total}%; they must add up to 100%."]
    else:
        assert "Add the criteria" in raised.value.message
    call.refresh_from_db()
    assert call.status == C.DRAFT


def test_a_rubric_of_100_and_a_commission_of_three_open_the_call(manager, django_capture_on_commit_callbacks):
    call = make_call(manager, weights=(25, 25, 50), opened=False)
    assert services.rubric_problems(call) == [] and services.opening_problems(call) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=manager, call=call)
    call.refresh_from_db()
    assert call.status == C.OPEN
    entry = AuditEntry.objects.get(action="intake.call.opened", object_id=str(call.pk))
    assert entry.changes == {"status": ["draft", "open"]}
    # The commission is told.
    member = call.commission.get(is_chair=True).user
    assert member.notifications.filter(message__contains="commission").exists()


@pytest.mark.parametrize("members, message", [
    (2, "The commission has 2 members; at least 3 are needed."),
    (4, "The commission has 4 members; it needs an odd number, so that a vote cannot tie."),
    (0, "The commission has 0 members; at least 3 are needed."),
])
def test_the_commission_is_odd_and_at_least_the_minimum(manager, members, message):
    call = make_call(manager, members=members, opened=False)
    assert services.commission_problems(call) == [message]
    with pytest.raises(AppError) as raised:
        services.call_open(actor=manager, call=call)
    assert message in raised.value.message


def test_the_minimum_commission_comes_from_the_settings(manager, settings):
    settings.INTAKE_MIN_COMMISSION = 5
    call = make_call(manager, members=3, opened=False)
    assert services.commission_problems(call) == ["The commission has 3 members; at least 5 are needed."]


def test_a_person_sits_once_and_one_member_chairs(manager):
    call = make_call(manager, opened=False)
    person = people(1)[0]
    with pytest.raises(AppError) as raised:
        services.call_update(actor=manager, call=call, commission=[person, person, *people(1)])
    assert "is listed twice" in raised.value.fields["commission"][0]
    a, b, c = people(3)
    with pytest.raises(AppError) as raised:
        services.call_update(actor=manager, call=call, commission=[{"user": a, "is_chair": True},
                                                                   {"user": b, "is_chair": True}, c])
    assert raised.value.fields["commission"] == ["The commission has one chair."]
    # The chair may pass to another member in one save.
    services.call_update(actor=manager, call=call, commission=[a, {"user": b, "is_chair": True}, c])
    assert list(call.commission.filter(is_chair=True).values_list("user", flat=True)) == [b.pk]


def test_criteria_are_kept_changed_added_and_removed_by_id(manager):
    call = make_call(manager, weights=(40, 60), opened=False)
    first, second = call.criteria.all()
    services.call_update(actor=manager, call=call, criteria=[{"id": second.pk, "name": "Market", "weight": 70},
                                                             {"name": "Team", "weight": 30}])
    rows = list(call.criteria.values_list("pk", "name", "weight", "position"))
    assert rows[0] == (second.pk, "Market", 70, 1) and rows[1][1:] == ("Team", 30, 2)
    assert not call.criteria.filter(pk=first.pk).exists()
    entry = AuditEntry.objects.filter(action="intake.call.updated", object_id=str(call.pk)).latest("pk")
    assert entry.changes["criteria"][1] == ["Market (70%)", "Team (30%)"]


def test_a_weight_outside_1_to_100_is_refused_by_line(manager):
    call = make_call(manager, opened=False)
    with pytest.raises(AppError) as raised:
        services.call_update(actor=manager, call=call, criteria=[{"name": "A", "weight": 0},
                                                                 {"name": "B", "weight": 100}])
    assert raised.value.fields["criteria"][0].startswith("Line 1: ")


# --- Transitions ---------------------------------------------------------------------------------


def test_forbidden_transitions_are_a_409_app_error(manager, staff):
    call = make_call(manager)
    with pytest.raises(AppError) as raised:
        services.call_open(actor=manager, call=call)
    assert raised.value.code == "forbidden_transition" and raised.value.status == 409
    draft = make_call(manager, opened=False)
    with pytest.raises(AppError) as raised:
        services.call_close(actor=staff, call=draft, early=True)
    assert raised.value.code == "forbidden_transition" and raised.value.status == 409


def test_closing_before_the_deadline_needs_a_confirmation(manager, staff):
    call = make_call(manager)
    with pytest.raises(AppError) as raised:
        services.call_close(actor=staff, call=call)
    assert raised.value.code == "confirm_early" and "Tashkent time" in raised.value.message
    before = timezone.now()
    services.call_close(actor=staff, call=call, early=True)
    call.refresh_from_db()
    assert call.status == C.REVIEW
    assert before <= call.closes_at <= timezone.now()  # the deadline now says when it really closed


def test_after_the_deadline_the_staff_close_without_a_confirmation(manager, staff):
    call = make_call(manager, closes_in=-timedelta(hours=1))
    services.call_close(actor=staff, call=call)
    call.refresh_from_db()
    assert call.status == C.REVIEW


def test_a_park_manager_of_another_park_sees_nothing(manager, demo_user):
    call = make_call(manager, opened=False)
    stranger = demo_user("chortoq_manager")
    for action in (lambda: services.call_open(actor=stranger, call=call),
                   lambda: services.call_update(actor=stranger, call=call, name="X"),
                   lambda: services.call_close(actor=stranger, call=call, early=True)):
        with pytest.raises(AppError) as raised:
            action()
        assert raised.value.code == "not_found"
    with pytest.raises(AppError):
        services.call_create(actor=demo_user("it_staff"), park=call.park, name="X",
                             opens_on=timezone.localdate(), closes_at=timezone.now() + timedelta(days=3))


def test_an_open_call_keeps_its_rules_but_may_move_its_deadline_and_change_its_commission(manager):
    call = make_call(manager)
    with pytest.raises(AppError) as raised:
        services.call_update(actor=manager, call=call, quorum_percent=80)
    assert raised.value.code == "call_open" and raised.value.status == 409 and "quorum_percent" in raised.value.fields
    with pytest.raises(AppError) as raised:
        services.call_update(actor=manager, call=call, criteria=[{"name": "Only", "weight": 100}])
    assert raised.value.code == "call_open"
    later = call.closes_at + timedelta(days=7)
    services.call_update(actor=manager, call=call, closes_at=later, quorum_percent=call.quorum_percent)
    with pytest.raises(AppError) as raised:  # an open call's commission stays valid
        services.call_update(actor=manager, call=call, commission=people(2))
    assert raised.value.fields["commission"] == ["The commission has 2 members; at least 3 are needed."]
    services.call_update(actor=manager, call=call, commission=people(5))
    call.refresh_from_db()
    assert call.closes_at == later and call.commission.count() == 5


def test_the_deadline_may_not_come_before_the_opening_day(manager):
    with pytest.raises(AppError) as raised:
        make_call(manager, opened=False, opens_on=timezone.localdate() + timedelta(days=30))
    assert "closes_at" in raised.value.fields


# --- Pages ---------------------------------------------------------------------------------------


def test_the_list_shows_open_calls_first_then_past_ones_and_filters(client, manager, staff):
    past = make_call(manager, name="Oʻtgan tanlov", name_en="Past call")
    services.call_close(actor=staff, call=past, early=True)
    current = make_call(manager, name="Ochiq tanlov", name_en="Open call", kind="incubation")
    draft = make_call(manager, opened=False, name="Qoralama", name_en="Draft call")
    page = client.get(reverse("intake:calls")).content.decode()
    assert page.index("Open call") < page.index("Past call")
    assert "Draft call" not in page
    assert "Tashkent time" in page
    filtered = client.get(reverse("intake:calls"), {"kind": "incubation"}).content.decode()
    assert "Open call" in filtered and "Past call" not in filtered
    assert client.get(reverse("intake:call", args=[draft.pk])).status_code == 404
    assert client.get(reverse("intake:call", args=[current.pk])).status_code == 200


def test_the_call_list_runs_the_same_queries_for_3_or_12_calls(client, manager, django_assert_num_queries):
    for _ in range(3):
        make_call(manager)
    client.get(reverse("intake:calls"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intake:calls"))
    for _ in range(9):
        make_call(manager)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("intake:calls"))
    assert response.status_code == 200


def test_the_call_page_shows_its_rules_with_the_deadline_in_tashkent(client, manager):
    call = make_call(manager, weights=(30, 70), questions=(("Registered in Namangan?", True),),
                     documents=("Charter",))
    Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at.replace(hour=13, minute=0, second=0,
                                                                              microsecond=0, tzinfo=UTC))
    page = client.get(reverse("intake:call", args=[call.pk])).content.decode()
    for text in ("Qoidalar", "Soliq imtiyozlari", "Hisobot", "Criterion 1", "30%", "70%", "Registered in Namangan?",
                 "Charter", "Business plan", "18:00", "Tashkent time", "Sign in to apply"):
        assert text in page, text
    assert "Member" not in page  # the commission is for the staff only


def test_staff_see_the_commission_and_what_keeps_a_draft_from_opening(personas, manager):
    draft = make_call(manager, weights=(50, 49), opened=False)
    page = personas("it_staff").get(reverse("intake:call", args=[draft.pk])).content.decode()
    assert "add up to 99%" in page and "Member" in page


def test_a_manager_drafts_a_call_edits_its_rubric_and_opens_it(personas):
    client = personas("it_manager")
    closes = (timezone.localtime(timezone.now(), services.TASHKENT) + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("intake:call_new") + "?park=namangan-it", {
        "name": "Kuzgi tanlov", "kind": "acceleration", "opens_on": timezone.localdate().isoformat(),
        "closes_at": closes, "quorum_percent": 67, "return_days": 7, "residency_years": 3})
    call = Call.objects.get(name="Kuzgi tanlov")
    assert response.url == reverse("intake:call_edit", args=[call.pk])
    assert timezone.localtime(call.closes_at, services.TASHKENT).strftime("%Y-%m-%dT%H:%M") == closes
    a, b, c = people(3)
    form = {
        "name": "Kuzgi tanlov", "kind": "acceleration", "opens_on": timezone.localdate().isoformat(),
        "closes_at": closes, "quorum_percent": 67, "return_days": 7, "residency_years": 3,
        "criteria-TOTAL_FORMS": 2, "criteria-INITIAL_FORMS": 0, "criteria-0-name": "Team", "criteria-0-weight": 40,
        "criteria-1-name": "Market", "criteria-1-weight": 59,
        "questions-TOTAL_FORMS": 1, "questions-INITIAL_FORMS": 0, "questions-0-text": "Registered?",
        "questions-0-required_answer": "yes",
        "documents-TOTAL_FORMS": 1, "documents-INITIAL_FORMS": 0, "documents-0-name": "Charter",
        "documents-0-is_required": "on",
        "commission-TOTAL_FORMS": 3, "commission-INITIAL_FORMS": 0, "commission-0-email": a.email,
        "commission-0-is_chair": "on", "commission-1-email": b.email, "commission-2-email": c.email,
    }
    edit = reverse("intake:call_edit", args=[call.pk])
    # The total is shown live, from what is typed.
    live = client.post(edit, {**form, "preview": "rubric"}, headers={"HX-Request": "true"}).content.decode()
    assert "Total: 99%" in live and "must add up to 100%" in live
    assert call.criteria.count() == 0  # a preview saves nothing
    assert client.post(edit, form).status_code == 302
    page = client.get(edit).content.decode()
    assert "Total: 99%" in page and "add up to 99%" in page
    response = client.post(reverse("intake:call_open", args=[call.pk]), follow=True)
    assert "add up to 99%" in response.content.decode()
    call.refresh_from_db()
    assert call.status == C.DRAFT
    ids = list(call.criteria.values_list("pk", flat=True))
    members = list(call.commission.order_by("-is_chair", "user__email").values_list("pk", flat=True))
    form.update({"criteria-INITIAL_FORMS": 2, "criteria-0-id": ids[0], "criteria-1-id": ids[1],
                 "criteria-1-weight": 60})
    form.update({"commission-INITIAL_FORMS": 3, **{f"commission-{i}-id": pk for i, pk in enumerate(members)}})
    assert client.post(edit, form).status_code == 302
    assert list(call.criteria.values_list("pk", flat=True)) == ids
    client.post(reverse("intake:call_open", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == C.OPEN


def test_an_unknown_commission_email_is_shown_beside_the_field_and_nothing_is_lost(personas, manager):
    call = make_call(manager, opened=False)
    client = personas("it_manager")
    response = client.post(reverse("intake:call_edit", args=[call.pk]), {
        "name": "Yangi nom", "kind": "residency", "opens_on": call.opens_on.isoformat(),
        "closes_at": timezone.localtime(call.closes_at, services.TASHKENT).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": 67, "return_days": 7, "residency_years": 3,
        "criteria-TOTAL_FORMS": 0, "criteria-INITIAL_FORMS": 0, "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0, "documents-TOTAL_FORMS": 0, "documents-INITIAL_FORMS": 0,
        "commission-TOTAL_FORMS": 1, "commission-INITIAL_FORMS": 0, "commission-0-email": "nobody@nowhere.uz"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No one signs in with this e-mail." in page and 'value="Yangi nom"' in page
    assert 'value="nobody@nowhere.uz"' in page
    call.refresh_from_db()
    assert call.name != "Yangi nom"


def test_staff_close_a_call_early_only_with_the_box_ticked(personas, manager):
    call = make_call(manager)
    client = personas("it_staff")
    response = client.post(reverse("intake:call_close", args=[call.pk]), follow=True)
    assert "Confirm to close the call early" in response.content.decode()
    client.post(reverse("intake:call_close", args=[call.pk]), {"early": "on"})
    call.refresh_from_db()
    assert call.status == C.REVIEW


def test_the_manage_page_counts_applications_per_status(personas, manager, demo_user):
    call = make_call(manager)
    for person in people(2, "applicant"):
        app_services.application_start(actor=person, call=call)
    page = personas("it_staff").get(reverse("intake:calls_manage")).content.decode()
    assert "2 applications" in page and "Draft: 2" in page
    assert personas("kosonsoy_manager").get(reverse("intake:calls_manage")).content.decode().count(call.name) == 0


@pytest.mark.parametrize(("percent", "members", "needed"), [
    (67, 3, 2), (67, 5, 4), (67, 7, 5), (67, 9, 6), (67, 1, 1), (67, 0, 1), (50, 4, 2), (50, 3, 2), (100, 5, 5),
])
def test_the_quorum_of_two_thirds_is_two_of_three(percent, members, needed):
    from texnopark.intake.models import Call

    assert Call(quorum_percent=percent).quorum(members) == needed
