"""The reports rows of the permission table, for every demo persona.

`network/tests/test_permissions.py` builds the objects of every rows module; until its TABLE takes in
the modules' ROWS too, this runs ours against the same objects and the same expected answers.
"""

import pytest
from django.urls import reverse

from texnopark.network.tests.permission_table import PERSONAS
from texnopark.network.tests.test_permissions import assert_answer, objects  # noqa: F401 (a fixture)
from texnopark.reports import urls
from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport
from texnopark.reports.tests import permission_rows

CASES = [
    pytest.param((method, name, args, persona, expected[persona]), id=f"{case}-{persona}")
    for case, method, name, args, expected in permission_rows.ROWS
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_persona_gets_the_right_answer_on_each_reports_page(personas, objects, case):  # noqa: F811
    method, name, args, persona, expected = case
    response = getattr(personas(persona), method)(reverse(name, args=args(objects)))
    assert_answer(response, expected)


def test_every_reports_route_and_back_office_list_has_a_row():
    routes = {f"reports:{p.name}" for p in urls.urlpatterns}
    routes |= {f"admin:reports_{model._meta.model_name}_changelist"
               for model in (QuarterlyReport, AuditDocument, ComplianceDecision)}
    assert routes <= {name for _case, _method, name, _args, _expected in permission_rows.ROWS}
    for case, _method, _name, _args, expected in permission_rows.ROWS:
        assert set(expected) == set(PERSONAS), case
