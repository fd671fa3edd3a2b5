"""Workflows as data: round trip, named callables only, unknown keys rejected."""

from __future__ import annotations

import json

import pendulum
import pytest
from hypothesis import given

from itsmcore.errors import ConfigurationError, TransitionRefusedError
from itsmcore.testing._workflow_strategies import workflows
from itsmcore.workflow import Attempt, Workflow, start, workflow_from_dict, workflow_to_dict

T0 = pendulum.datetime(2026, 1, 1, tz="UTC")


def has_owner(attempt: Attempt) -> bool | str:
    return True if attempt.value("owner") else "assign an owner first"


DATA = {
    "name": "ticket",
    "initial": "new",
    "states": [
        {"name": "new"},
        {"name": "work", "label": "Working"},
        {"name": "done", "final": True, "requires": ["code"]},
    ],
    "transitions": [
        {"name": "start", "from": "new", "to": "work", "guards": ["has_owner"]},
        {"name": "finish", "from": ["work"], "to": "done"},
    ],
}


def test_load_with_named_guards() -> None:
    flow = workflow_from_dict(json.loads(json.dumps(DATA)), guards={"has_owner": has_owner})
    record = start(flow, number="T1", at=T0, actor="a")
    with pytest.raises(TransitionRefusedError, match="assign an owner first"):
        record.apply("start", at=T0, actor="a")
    assert flow.state("work").title == "Working"
    assert workflow_to_dict(flow, guards={"has_owner": has_owner}) == {
        **DATA,
        "transitions": [
            {"name": "start", "from": ["new"], "to": "work", "guards": ["has_owner"]},
            {"name": "finish", "from": ["work"], "to": "done"},
        ],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "workflow has unknown key(s) 'colour'"),
        ({"states": [{"name": "new", "shape": "x"}]}, "state #1 has unknown key(s) 'shape'"),
        (
            {"transitions": [{"name": "t", "from": "new", "to": "work", "guards": ["nope"]}]},
            "unregistered guard(s) 'nope'; registered: 'has_owner'",
        ),
        (
            {
                "transitions": [
                    {"name": "t", "from": "new", "to": "work", "guards": "__import__('os')"}
                ]
            },
            "unregistered guard(s)",
        ),
        ({"states": "new"}, "must be lists"),
        ({"name": 3}, "workflow 'name' must be text"),
        ({"states": [{"name": "new", "final": "yes"}]}, "'final' must be true or false"),
    ],
)
def test_bad_data_is_rejected(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        workflow_from_dict({**DATA, **change}, guards={"has_owner": has_owner})
    assert message in str(info.value)


@given(workflows())
def test_round_trip(workflow: Workflow) -> None:
    from itsmcore.testing._workflow_strategies import _not_blocked

    registry = {"not_blocked": _not_blocked}
    data = workflow_to_dict(workflow, guards=registry)
    again = workflow_from_dict(json.loads(json.dumps(data)), guards=registry)
    assert again == workflow


def test_export_needs_registered_callables() -> None:
    flow = workflow_from_dict(DATA, guards={"has_owner": has_owner})
    with pytest.raises(ConfigurationError, match="not in the registry"):
        workflow_to_dict(flow)
