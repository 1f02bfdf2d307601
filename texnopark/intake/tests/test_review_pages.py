"""Expert review pages: my reviews, the declaration then the scoring form (blind until submitted), the
staff's assignment table with the balancing button, the ranking and its XLSX export, query counts."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from texnopark.intake.models import Assignment
from texnopark.intake.services import review
from texnopark.intake.tests.test_review_services import make_world, reviewed, submit

pytestmark = pytest.mark.django_db
A = Assignment.Status


@pytest.fixture
def world():
    return make_world("rpa")


@pytest.fixture
def as_(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client
    return sign_in


def assigned(world, expert_n=0, application_n=0) -> Assignment:
    return review.assign(actor=world["staff"], application=world["applications"][application_n],
                         expert=world["experts"][expert_n])


def score_post(world, *values, submit_it=False, comment="Solid team"):
    data = {"submit" if submit_it else "save": "1"}
    for criterion, value in zip(world["criteria"], values, strict=True):
        data[f"value_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


# The expert's pages


def test_my_reviews_lists_to_do_and_done_in_a_fixed_number_of_queries(world, as_, django_assert_max_num_queries):
    expert = world["experts"][0]
    client = as_(expert)
    assigned(world, 0, 0)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("intake:reviews_mine"))
    reviewed(world, expert, world["applications"][1], 5, 5, 5)
    for n in range(3, 9):
        review.assign(actor=world["staff"], application=submit(world, n), expert=expert)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("intake:reviews_mine"))
    assert response.status_code == 200
    assert len(response.context["to_do"]) == 7 and len(response.context["done"]) == 1
    assert b"Startup 8" in response.content


def test_the_assignment_opens_only_to_its_expert(world, as_):
    assignment = assigned(world)
    url = reverse("intake:assignment", args=[assignment.pk])
    assert as_(world["experts"][0]).get(url).status_code == 200
    for someone in (world["experts"][1], world["staff"], world["manager"], world["applications"][0].applicant):
        assert as_(someone).get(url).status_code == 404
    assert as_(world["experts"][1]).post(reverse("intake:assignment_declare", args=[assignment.pk]),
                                         {"conflict": "no"}).status_code == 404


def test_the_declaration_comes_first_and_a_conflict_needs_a_note(world, as_):
    assignment = assigned(world)
    client = as_(world["experts"][0])
    page = client.get(reverse("intake:assignment", args=[assignment.pk]))
    assert "declare_form" in page.context and "score_form" not in page.context
    response = client.post(reverse("intake:assignment_declare", args=[assignment.pk]), {"conflict": "yes", "note": ""})
    assert response.status_code == 200
    assert response.context["declare_form"].errors["note"]
    assert b"Describe the conflict" in response.content
    response = client.post(reverse("intake:assignment_declare", args=[assignment.pk]),
                           {"conflict": "yes", "note": "My brother founded it"})
    assert response.status_code == 302 and response.url == reverse("intake:reviews_mine")
    assignment.refresh_from_db()
    assert assignment.status == A.CONFLICT
    page = client.get(reverse("intake:assignment", args=[assignment.pk]))
    assert b"My brother founded it" in page.content and "score_form" not in page.context
    response = client.post(reverse("intake:assignment", args=[assignment.pk]), score_post(world, 5, 5, 5,
                                                                                          submit_it=True))
    assert response.status_code == 200 and response.context.get("score_form") is None
    assert not assignment.scores.exists()


def test_scoring_keeps_what_was_typed_and_submitting_shows_the_others(world, as_):
    application = world["applications"][0]
    reviewed(world, world["experts"][1], application, 9, 9, 9)
    Assignment.objects.filter(expert=world["experts"][1]).first().scores.update(comment="Secret opinion")
    assignment = assigned(world)
    client = as_(world["experts"][0])
    url = reverse("intake:assignment", args=[assignment.pk])
    declared = client.post(reverse("intake:assignment_declare", args=[assignment.pk]), {"conflict": "no"})
    assert declared.status_code == 302
    page = client.get(url)
    assert "score_form" in page.context and b"Secret opinion" not in page.content and b"90.00" not in page.content

    first, second, third = world["criteria"]
    response = client.post(url, {"submit": "1", f"value_{first.pk}": "7", f"comment_{first.pk}": "Kept text",
                                 f"value_{second.pk}": "12", f"value_{third.pk}": ""})
    assert response.status_code == 200
    form = response.context["score_form"]
    assert form.errors[f"value_{second.pk}"] and form.errors[f"value_{third.pk}"]
    assert b"Kept text" in response.content and b"Secret opinion" not in response.content
    assert not assignment.scores.exists()

    assert client.post(url, {"save": "1", f"value_{first.pk}": "7"}).status_code == 302
    assert dict(assignment.scores.values_list("criterion_id", "value")) == {first.pk: 7}
    page = client.get(url)
    assert page.context["score_form"].initial[f"value_{first.pk}"] == 7
    assert b"Secret opinion" not in page.content

    response = client.post(url, score_post(world, 7, 9, 4, submit_it=True))
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200 and b"Secret opinion" in page.content
    assert page.context["mine"].total == Decimal("70.00")
    assert page.context["standing"].mean == Decimal("80.00")
    again = client.post(url, score_post(world, 1, 1, 1, submit_it=True))
    assert again.status_code == 200 and b"can no longer change" in again.content
    assignment.refresh_from_db()
    assert assignment.total == Decimal("70.00")


# The staff's pages


def test_staff_balance_assign_and_take_back(world, as_):
    client = as_(world["staff"])
    url = reverse("intake:assign", args=[world["call"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "auto", "per_application": "0"})
    assert response.status_code == 200 and response.context["auto"].errors["per_application"]
    assert client.post(url, {"action": "auto", "per_application": "2"}).status_code == 302
    assert Assignment.objects.filter(application__call=world["call"]).count() == 6
    assert client.post(url, {"action": "auto", "per_application": "2"}).status_code == 302
    assert Assignment.objects.filter(application__call=world["call"]).count() == 6
    application = world["applications"][0]
    free = next(e for e in world["experts"] if not application.assignments.filter(expert=e).exists())
    assert client.post(url, {"action": "assign", "application": application.pk, "expert": free.pk}).status_code == 302
    response = client.post(url, {"action": "assign", "application": application.pk, "expert": free.pk})
    assert response.status_code == 200 and response.context["manual"].errors["expert"]
    response = client.post(url, {"action": "assign", "application": application.pk,
                                 "expert": application.applicant_id})
    assert response.status_code == 200 and response.context["manual"].errors["expert"]
    held = application.assignments.get(expert=free)
    assert client.post(reverse("intake:unassign", args=[held.pk])).status_code == 302
    assert not Assignment.objects.filter(pk=held.pk).exists()
    page = client.get(url)
    assert len(page.context["applications"]) == 3 and len(page.context["pool"]) == 7


def test_outsiders_get_404_on_the_staff_pages(world, as_):
    held = assigned(world)
    for someone in (world["stranger"], world["experts"][0], world["commission"][0].user):
        client = as_(someone)
        for name in ("intake:assign", "intake:ranking", "intake:ranking_xlsx"):
            assert client.get(reverse(name, args=[world["call"].pk])).status_code == 404
        assert client.post(reverse("intake:unassign", args=[held.pk])).status_code == 404
    assert Assignment.objects.filter(pk=held.pk).exists()


def ranked_world(world, applications=None):
    """Two reviews of each application: Startup n gets 5n + 25 from the first expert, 90 - 3n from the second."""
    for application in applications or world["applications"]:
        n = int(application.company_name.split()[-1])
        reviewed(world, world["experts"][0], application, n, 5, 5)
        reviewed(world, world["experts"][1], application, 10, 10 - n, 5)


def test_the_ranking_orders_by_the_mean_in_a_fixed_number_of_queries(world, as_, django_assert_max_num_queries):
    ranked_world(world)
    client = as_(world["staff"])
    url = reverse("intake:ranking", args=[world["call"].pk])
    with django_assert_max_num_queries(10) as few:
        response = client.get(url)
    rows = response.context["rows"]
    means = [standing.mean for _a, standing in rows]
    assert means == sorted(means, reverse=True)
    assert [a.company_name for a, _s in rows] == ["Startup 2", "Startup 1", "Startup 0"]
    scores = {a.company_name: s for a, s in rows}
    assert scores["Startup 0"].mean == Decimal("57.50") and scores["Startup 0"].low == Decimal("25.00")
    assert scores["Startup 0"].high == Decimal("90.00") and scores["Startup 0"].spread == Decimal("32.50")
    assert scores["Startup 0"].done == 2 and scores["Startup 0"].assigned == 2
    ranked_world(world, [submit(world, n) for n in range(3, 11)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 11


def test_the_ranking_export_opens_and_has_the_rows(world, as_):
    ranked_world(world)
    assigned(world, 2, 0)
    response = as_(world["staff"]).get(reverse("intake:ranking_xlsx", args=[world["call"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).active.iter_rows()]
    header = values[2]
    assert header[:6] == ["Place", "Company", "STIR", "Sector", "Status", "Mean score"]
    body = values[3:]
    assert [row[0] for row in body] == [1, 2, 3] and [row[1] for row in body] == ["Startup 2", "Startup 1",
                                                                                   "Startup 0"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["Startup 0"]["Mean score"] == 57.5 and by_name["Startup 0"]["Standard deviation"] == 32.5
    assert by_name["Startup 0"]["Reviews done"] == 2 and by_name["Startup 0"]["Reviews assigned"] == 3
    assert by_name["Startup 0"]["STIR"] == world["applications"][0].stir


def test_a_staff_member_still_reviewing_sees_that_application_hidden(world, as_):
    ranked_world(world)
    from texnopark.accounts.models import Membership, Role

    member = world["commission"][0].user
    Membership.objects.create(user=member, role=Role.PARK_STAFF, park=world["park"])
    review.assign(actor=world["staff"], application=world["applications"][0], expert=member)
    response = as_(member).get(reverse("intake:ranking", args=[world["call"].pk]))
    hidden = {a.company_name: s.hidden for a, s in response.context["rows"]}
    assert hidden == {"Startup 0": True, "Startup 1": False, "Startup 2": False}
    assert response.context["hidden"] and b"hidden until you submit your review" in response.content
