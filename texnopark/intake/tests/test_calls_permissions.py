"""The calls and applications rows of the permission table, for every demo persona.

`network/tests/test_permissions.py` builds the objects of every rows module; until its TABLE takes in
the modules' ROWS too, this runs ours against the same objects and the same expected answers.
"""

import pytest
from django.urls import reverse

from texnopark.intake import admin as intake_admin
from texnopark.intake.tests import permission_rows_calls
from texnopark.intake.views import applications, calls
from texnopark.network.tests.permission_table import PERSONAS
from texnopark.network.tests.test_permissions import assert_answer, objects  # noqa: F401 (a fixture)

ROWS = permission_rows_calls.ROWS
CASES = [pytest.param((method, name, args, persona, expected[persona]), id=f"{case}-{persona}")
         for case, method, name, args, expected in ROWS for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_persona_gets_the_right_answer_on_each_call_page(personas, objects, case):  # noqa: F811
    method, name, args, persona, expected = case
    response = getattr(personas(persona), method)(reverse(name, args=args(objects)))
    assert_answer(response, expected)


def test_every_call_and_application_route_and_intake_model_has_a_row():
    names = {name for _case, _method, name, _args, _expected in ROWS}
    assert {f"intake:{p.name}" for p in calls.urlpatterns + applications.urlpatterns} <= names
    registered = {model._meta.model_name for model in intake_admin.admin.site._registry
                  if model._meta.app_label == "intake"}
    assert {f"admin:intake_{name}_changelist" for name in registered} <= names
    for case, _method, _name, _args, expected in ROWS:
        assert set(expected) == set(PERSONAS), case
