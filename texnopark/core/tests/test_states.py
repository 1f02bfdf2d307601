"""Every model with a state machine: each listed step is allowed, every other step between its
statuses is refused with a 409 application error, and the status is left as it was."""

import itertools

import pytest
from django.apps import apps
from django.utils import translation

from texnopark.core.errors import AppError
from texnopark.core.states import move

MACHINES = [model for model in apps.get_models() if hasattr(model, "TRANSITIONS")]


def test_the_new_apps_state_machines_are_found():
    names = {model._meta.label for model in MACHINES}
    assert {"intake.Call", "intake.Application", "intake.Assignment", "intake.Meeting", "intake.Residency",
            "ventures.Idea", "ventures.Milestone", "reports.QuarterlyReport"} <= names


@pytest.mark.parametrize("model", MACHINES, ids=lambda model: model._meta.label)
def test_every_step_between_statuses_is_allowed_only_when_listed(model):
    statuses = [value for value, _label in model._meta.get_field("status").choices]
    for listed_from, targets in model.TRANSITIONS.items():
        assert listed_from in statuses and set(targets) <= set(statuses), model
    for current, target in itertools.permutations(statuses, 2):
        obj = model(status=current)
        if target in model.TRANSITIONS.get(current, ()):
            assert move(obj, target, model.TRANSITIONS) == current
            assert obj.status == target
        else:
            with pytest.raises(AppError) as refused:
                move(obj, target, model.TRANSITIONS)
            assert (refused.value.code, refused.value.status) == ("forbidden_transition", 409)
            assert obj.status == current


def test_the_refusal_names_both_statuses_in_the_readers_words():
    from texnopark.intake.models import Application

    for language, accepted, draft in (("en", "Accepted", "Draft"), ("uz", "Qabul qilingan", "Qoralama")):
        with translation.override(language), pytest.raises(AppError) as refused:
            move(Application(status="accepted"), "draft", Application.TRANSITIONS)
        assert accepted in str(refused.value.message) and draft in str(refused.value.message)
