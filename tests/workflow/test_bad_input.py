"""Every bad value given to the workflow engine is refused with an ItsmError, changing nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import (
    ConfigurationError,
    ItsmError,
    NaiveDatetimeError,
    TransitionRefusedError,
    UnknownValueError,
    ValidationError,
)
from itsmcore.incidents import open_incident
from itsmcore.problems import open_problem
from itsmcore.workflow import (
    Attempt,
    FieldRule,
    Record,
    State,
    Transition,
    Workflow,
    apply,
    note,
    replay,
    start,
    update,
)

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def flow(**transition: object) -> Workflow:
    return Workflow(
        name="tests.bad",
        initial="a",
        states=[State(name="a"), State(name="b", final=True)],
        transitions=[Transition(name="go", sources="a", target="b", **transition)],  # type: ignore[arg-type]
        fields={"x": "text", "n": "int", "tags": "names", "blob": "data", "when": "instant"},
    )


def record(**transition: object) -> Record:
    return start(flow(**transition), number="T1", at=T0, actor="ann")


@pytest.mark.parametrize(
    "build",
    [
        lambda: State(name="a", final="no"),  # a string posing as a flag
        lambda: State(name="a", final=1),  # an int posing as a flag
        lambda: State(name="  "),
        lambda: State(name=["a"]),  # type: ignore[arg-type]
        lambda: State(name="a", requires=None),  # type: ignore[arg-type]
        lambda: State(name="a", label=""),
        lambda: Transition(name="t", sources="", target="b"),
        lambda: Transition(name="t", sources="a", target="b", guards="g"),  # type: ignore[arg-type]
        lambda: Transition(name="t", sources="a", target="b", hooks=[1]),  # type: ignore[list-item]
        lambda: Workflow(name="w", initial="a", states="ab", transitions=[]),  # type: ignore[arg-type]
        lambda: Workflow(
            name="w",
            initial="a",
            states=[State(name="a", final=True)],
            transitions=[],
            version=True,
        ),
        lambda: Workflow(
            name="w",
            initial="a",
            states=[State(name="a", final=True)],
            transitions=[],
            fields={"x": "colour"},  # type: ignore[dict-item]
        ),
    ],
)
def test_bad_definitions_are_configuration_errors(build: object) -> None:
    with pytest.raises(ConfigurationError):
        build()  # type: ignore[operator]


@pytest.mark.parametrize(
    "at",
    [
        None,
        "2026-01-05T09:00:00Z",
        date(2026, 1, 5),
        datetime(2026, 1, 5, 9),
        1767603600,
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        pendulum.datetime(9999, 12, 31, 23, tz="America/New_York"),
    ],
)
def test_bad_instants_are_refused(at: object) -> None:
    with pytest.raises(ValidationError) as caught:
        record().apply("go", at=at, actor="ann")  # type: ignore[arg-type]
    if isinstance(at, datetime) and at.tzinfo is None:
        assert isinstance(caught.value, NaiveDatetimeError)
    assert "'at'" in str(caught.value)


@pytest.mark.parametrize("actor", [None, "", "   ", ["ann"], 7, True])
def test_bad_actors_are_refused(actor: object) -> None:
    with pytest.raises(ValidationError, match="'actor'"):
        record().apply("go", at=T0, actor=actor)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'actor'"):
        record().note("hi", at=T0, actor=actor)  # type: ignore[arg-type]


@pytest.mark.parametrize("number", [None, "", "  ", ["T1"], 1])
def test_bad_numbers_are_refused(number: object) -> None:
    with pytest.raises(ValidationError, match="'number'"):
        start(flow(), number=number, at=T0, actor="ann")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("x=1", "not a mapping"),
        (["x"], "not a mapping"),
        ({"x": 1}, "field 'x' is of kind 'text'"),
        ({"n": True}, "field 'n' is of kind 'int'"),
        ({"n": "3"}, "field 'n' is of kind 'int'"),
        ({"tags": "a,b"}, "field 'tags' is of kind 'names'"),
        ({"tags": ["a", " "]}, "field 'tags' is of kind 'names'"),
        ({"when": "today"}, "field 'when' is of kind 'instant'"),
        ({"when": datetime(2026, 1, 1)}, "naive"),
        ({"blob": {"a": {1, 2}}}, "not JSON-like data"),
        ({"blob": {1: "a"}}, "keys must be strings"),
        ({"blob": float("nan")}, "not a finite number"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({3: "x"}, "field names are strings"),
    ],
)
def test_bad_field_values_are_refused_and_change_nothing(fields: object, message: str) -> None:
    before = record()
    with pytest.raises(ItsmError, match=message):
        before.apply("go", at=T0, actor="ann", fields=fields)  # type: ignore[arg-type]
    assert before.version == 1
    assert before.state == "a"


def test_deeply_nested_field_data_is_refused_without_recursing() -> None:
    deep: object = "leaf"
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested deeper"):
        record().apply("go", at=T0, actor="ann", fields={"blob": deep})


def test_a_list_given_as_a_field_value_is_frozen_on_the_way_in() -> None:
    tags = ["db", "web"]
    blob: dict[str, object] = {"hosts": ["a", "b"], "meta": {"k": 1}}
    moved = record().apply("go", at=T0, actor="ann", fields={"tags": tags, "blob": blob})
    tags.append("mail")
    blob["hosts"].append("c")  # type: ignore[attr-defined]
    blob["new"] = 1
    assert moved.fields["tags"] == frozenset({"db", "web"})
    assert moved.fields["blob"] == {"hosts": ("a", "b"), "meta": {"k": 1}}
    assert moved.history[-1].changes["blob"][1] == {"hosts": ("a", "b"), "meta": {"k": 1}}
    with pytest.raises(TypeError):
        moved.fields["blob"]["x"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        moved.fields["x"] = "y"  # type: ignore[index]


@given(st.lists(st.text(min_size=1).filter(str.strip), max_size=5))
def test_problem_incident_links_are_frozen(numbers: list[str]) -> None:
    problem = open_problem(
        "PRB1", at=T0, actor="ann", short_description="Disk fills", incidents=numbers
    )
    numbers.append("INC-late")
    assert "INC-late" not in problem.incidents


def test_a_hook_returning_something_else_than_a_mapping_is_named() -> None:
    def bad_hook(attempt: Attempt) -> Mapping[str, object]:
        return ["x"]  # type: ignore[return-value]

    with pytest.raises(ValidationError, match="hook 'bad_hook' returned list"):
        record(hooks=[bad_hook]).apply("go", at=T0, actor="ann")


def test_a_hook_setting_a_field_the_ticket_type_lacks_is_named() -> None:
    def stray(attempt: Attempt) -> Mapping[str, object]:
        return {"colour": "red"}

    with pytest.raises(UnknownValueError, match="hook 'stray' set unknown field 'colour'"):
        record(hooks=[stray]).apply("go", at=T0, actor="ann")


def test_a_guard_refusing_with_an_empty_reason_is_named() -> None:
    def quiet(attempt: Attempt) -> bool | str:
        return ""

    with pytest.raises(TransitionRefusedError, match="refused by guard 'quiet'"):
        record(guards=[quiet]).apply("go", at=T0, actor="ann")


def test_a_guard_returning_garbage_is_named() -> None:
    def odd(attempt: Attempt) -> bool | str:
        return 0  # type: ignore[return-value]

    with pytest.raises(ValidationError, match="guard 'odd' returned 0"):
        record(guards=[odd]).apply("go", at=T0, actor="ann")


def test_a_field_rule_returning_garbage_is_named() -> None:
    rule = FieldRule(name="tests.bad_rule", watch="x", compute=lambda old, new: [1])  # type: ignore[arg-type, return-value]
    strict = flow().with_field_rule(rule)
    rec = start(strict, number="T1", at=T0, actor="ann")
    with pytest.raises(ValidationError, match=r"field rule 'tests\.bad_rule' returned list"):
        rec.update({"x": "y"}, at=T0, actor="ann")


@pytest.mark.parametrize(
    "call",
    [
        lambda r: apply("r", "go", at=T0, actor="ann"),  # type: ignore[type-var]
        lambda r: apply(r, ["go"], at=T0, actor="ann"),  # type: ignore[arg-type]
        lambda r: update(r, None, at=T0, actor="ann"),  # type: ignore[arg-type]
        lambda r: note(r, "   ", at=T0, actor="ann"),
        lambda r: note(r, "hi", at=T0, actor="ann", public="yes"),  # type: ignore[arg-type]
        lambda r: r.apply("go", at=T0, actor="ann", reason="   "),
        lambda r: r.apply("go", at=T0, actor="ann", comment=3),  # type: ignore[arg-type]
        lambda r: start("flow", number="T1", at=T0, actor="ann"),  # type: ignore[arg-type]
        lambda r: replay(r.workflow, "T1", "events"),  # type: ignore[arg-type]
        lambda r: replay(r.workflow, "T1", [1, 2]),  # type: ignore[list-item]
        lambda r: r.history.since(True),
        lambda r: r.history.since(-1),
        lambda r: r.history.fields_at(0),
    ],
)
def test_wrong_types_at_every_entry_point_are_itsm_errors(call: object) -> None:
    with pytest.raises(ItsmError):
        call(record())  # type: ignore[operator]


def test_open_incident_refuses_bools_as_levels_and_blank_text() -> None:
    with pytest.raises(ValidationError, match="kind 'level'"):
        open_incident(
            "INC1", at=T0, actor="d", caller="c", short_description="s", impact=True, urgency=1
        )
    with pytest.raises(ValidationError, match="'actor'"):
        open_incident(
            "INC1", at=T0, actor=" ", caller="c", short_description="s", impact=1, urgency=1
        )
