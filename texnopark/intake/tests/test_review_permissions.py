"""The review and commission rows of the permission table, for every demo persona.

`network/tests/test_permissions.py` builds the objects of every rows module; until its TABLE takes in
the modules' ROWS too, this runs ours against the same objects and the same expected answers.
"""

import pytest
from django.urls import reverse

from texnopark.intake.tests import permission_rows_review
from texnopark.intake.views import commission, review
from texnopark.network.tests.permission_table import PERSONAS
from texnopark.network.tests.test_permissions import assert_answer, objects  # noqa: F401 (a fixture)

CASES = [
    pytest.param((method, name, args, persona, expected[persona]), id=f"{case}-{persona}")
    for case, method, name, args, expected in permission_rows_review.ROWS
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_persona_gets_the_right_answer_on_each_review_page(personas, objects, case):  # noqa: F811
    method, name, args, persona, expected = case
    response = getattr(personas(persona), method)(reverse(name, args=args(objects)))
    assert_answer(response, expected)


def test_every_review_and_commission_route_has_a_row():
    routes = {f"intake:{p.name}" for p in review.urlpatterns + commission.urlpatterns}
    assert routes == {name for _case, _method, name, _args, _expected in permission_rows_review.ROWS}
    for case, _method, _name, _args, expected in permission_rows_review.ROWS:
        assert set(expected) == set(PERSONAS), case
