"""SLA definitions, sets and conditions as plain data: round trips and refusals."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.data import from_data, loads, to_data
from itsmcore.errors import DataError, ValidationError
from itsmcore.sla import (
    ActorIs,
    AllOf,
    AnyOf,
    BusinessCalendar,
    Condition,
    EventIs,
    FieldIn,
    Not,
    SlaDefinition,
    SlaSet,
    StateIn,
    TicketTypeIn,
    resolution_sla,
    response_sla,
)

names = st.sampled_from(["new", "in_progress", "on_hold", "resolved", "closed"])
leaves: st.SearchStrategy[Condition] = st.one_of(
    st.builds(StateIn, st.frozensets(names, min_size=1)),
    st.builds(
        FieldIn,
        st.sampled_from(["priority", "category", "caller"]),
        st.lists(
            st.one_of(st.integers(-5, 5), st.text(max_size=5), st.booleans(), st.none()),
            min_size=1,
            max_size=3,
        ).map(tuple),
    ),
    st.builds(
        EventIs,
        kinds=st.none()
        | st.frozensets(st.sampled_from(["created", "note", "transition"]), min_size=1),
        transitions=st.none() | st.frozensets(st.sampled_from(["start", "hold"]), min_size=1),
        public=st.none() | st.booleans(),
    ),
    st.builds(ActorIs, st.just("caller")),
    st.builds(TicketTypeIn, st.frozensets(st.sampled_from(["incident", "request"]), min_size=1)),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(AllOf),
        st.lists(inner, max_size=3).map(AnyOf),
        inner.map(Not),
    ),
    max_leaves=8,
)
DESK = BusinessCalendar(
    zone="Europe/Berlin", schedule={"mon-fri": "09:00-17:00"}, holidays=[date(2025, 12, 25)]
)


@st.composite
def definitions(draw: st.DrawFn) -> SlaDefinition:
    fixed = draw(st.booleans())
    return SlaDefinition(
        name=draw(st.sampled_from(["a", "b", "P1 resolution"])),
        kind=draw(st.sampled_from(["response", "resolution", "update", "custom"])),
        type=draw(st.sampled_from(["sla", "ola", "uc"])),
        target=timedelta(seconds=draw(st.integers(1, 10**6))) if fixed else None,
        targets={} if fixed else {1: timedelta(hours=4), "low": timedelta(minutes=90.5)},
        calendar=draw(st.sampled_from([BusinessCalendar.always_open(), DESK])),
        start=draw(conditions),
        stop=draw(conditions),
        pause=draw(conditions),
        applies=draw(conditions),
        warnings=draw(st.lists(st.integers(1, 99), max_size=4)),
        on_priority_change=draw(st.sampled_from(["retroactive", "restart"])),
    )


@given(definitions())
def test_a_definition_round_trips_through_json(definition: SlaDefinition) -> None:
    text = json.dumps(to_data(definition))
    assert from_data(json.loads(text)) == definition


@given(st.lists(definitions(), max_size=3, unique_by=lambda d: d.name))
def test_a_set_round_trips(items: list[SlaDefinition]) -> None:
    value = SlaSet(items)
    assert from_data(json.loads(json.dumps(to_data(value))), SlaSet) == value


@given(conditions)
def test_a_condition_round_trips(condition: Condition) -> None:
    assert from_data(json.loads(json.dumps(to_data(condition)))) == condition


def test_the_presets_round_trip_and_toml_reads() -> None:
    for value in (
        response_sla("r", target=timedelta(hours=1)),
        resolution_sla("s", targets={1: timedelta(hours=4)}, calendar=DESK),
    ):
        assert from_data(to_data(value)) == value
    text = """
name = "P1 resolution"
kind = "resolution"
targets = [{priority = 1, target = 14400}]
start = {state_in = ["new", "in_progress"]}
stop = {any = [{state_in = ["resolved"]}, {event = {kinds = ["note"], public = true}}]}
[pause]
all = [{state_in = ["on_hold"]}, {not = {field = "hold_reason", equals = "awaiting_change"}}]
"""
    definition = loads(text, SlaDefinition, format="toml")
    assert definition.target_for({"priority": 1}) == timedelta(hours=4)
    assert definition.pause == StateIn("on_hold") & ~FieldIn.equals(
        "hold_reason", "awaiting_change"
    )


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["resolved"]},
                "target": 60,
                "colour": 1,
            },
            "$",
            "unknown key",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["resolved"]},
            },
            "$",
            "either a fixed target",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": "state == 'new'",
                "stop": {"state_in": ["resolved"]},
                "target": 60,
            },
            "$.start",
            "expected a mapping",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"], "field": "a"},
                "stop": {"state_in": ["r"]},
                "target": 60,
            },
            "$.start",
            "exactly one of",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"event": {"kind": ["note"]}},
                "stop": {"state_in": ["r"]},
                "target": 60,
            },
            "$.start.event",
            "unknown key",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"field": "p", "equals": [1]},
                "stop": {"state_in": ["r"]},
                "target": 60,
            },
            "$.start.equals",
            "plain value",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["r"]},
                "targets": [{"priority": True, "target": 6}],
            },
            "$.targets[0].priority",
            "a number or a label",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["r"]},
                "target": -5,
            },
            "$.target",
            "non-negative",
        ),
        (
            {
                "name": "x",
                "kind": "fast",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["r"]},
                "target": 5,
            },
            "$",
            "kind 'fast'",
        ),
        (
            {
                "name": "x",
                "kind": "resolution",
                "start": {"state_in": ["new"]},
                "stop": {"state_in": ["r"]},
                "target": 5,
                "calendar": {"timezone": "Mars/Base"},
            },
            "$.calendar",
            "",
        ),
    ],
)
def test_bad_data_is_refused_with_its_path(
    body: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(DataError, match=message or "hours") as caught:
        from_data(body, SlaDefinition)
    assert caught.value.path.startswith(path)


def test_deep_nesting_is_refused_not_recursed() -> None:
    body: dict[str, object] = {"state_in": ["new"]}
    for _ in range(5000):
        body = {"not": body}
    with pytest.raises(DataError, match="deeper than 64"):
        from_data(body, Not)
    condition: Condition = StateIn("new")
    for _ in range(63):
        condition = Not(condition)
    with pytest.raises(ValidationError, match="deeper than 64"):
        Not(condition)
