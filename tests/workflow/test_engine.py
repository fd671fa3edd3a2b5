"""Transitions, updates and notes: new snapshots, one event each; refusals change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import (
    InvalidTransitionError,
    MissingFieldsError,
    NaiveDatetimeError,
    TransitionRefusedError,
    UnknownValueError,
    ValidationError,
)
from itsmcore.workflow import (
    Attempt,
    FieldRule,
    History,
    Record,
    State,
    Transition,
    Workflow,
    allowed,
    apply,
    explain,
    start,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


def not_frozen(attempt: Attempt) -> bool | str:
    return "the ticket is frozen" if attempt.record.fields.get("frozen") else True


def refuse(attempt: Attempt) -> bool:
    return False


def double(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    value = new.get("size")
    return {"double": None if value is None else 2 * int(value)}  # type: ignore[call-overload]


def stamp(attempt: Attempt) -> Mapping[str, object]:
    return {"done_at": attempt.at, "done_by": attempt.actor}


FLOW = Workflow(
    name="ticket",
    initial="new",
    states=[
        State(name="new"),
        State(name="work"),
        State(name="wait", requires="wait_reason"),
        State(name="done", final=True),
    ],
    transitions=[
        Transition(name="start", sources="new", target="work", guards=[not_frozen]),
        Transition(name="wait", sources="work", target="wait"),
        Transition(name="back", sources="wait", target="work"),
        Transition(
            name="finish",
            sources=("work", "wait"),
            target="done",
            requires=("code",),
            hooks=[stamp],
        ),
        Transition(name="never", sources="new", target="done", guards=[refuse]),
    ],
    field_rules=[FieldRule(name="double", watch="size", compute=double)],
)


def new(**fields: object) -> Record:
    return start(FLOW, number="T0001", at=T0, actor="ann", fields=fields)


def test_start_makes_version_one_with_a_created_event() -> None:
    record = new(size=2)
    assert (record.state, record.version, len(record.history)) == ("new", 1, 1)
    event = record.history[0]
    assert event.kind == "created"
    assert dict(event.changes) == {"size": (None, 2), "double": (None, 4)}
    assert dict(record.fields) == {"size": 2, "double": 4}


def test_apply_returns_a_new_snapshot_and_leaves_the_old_one() -> None:
    first = new()
    second = apply(first, "start", at=T0.add(minutes=5), actor="bob", reason="on it")
    assert (first.state, first.version, len(first.history)) == ("new", 1, 1)
    assert (second.state, second.version, len(second.history)) == ("work", 2, 2)
    event = second.history.last
    assert event is not None
    assert (event.transition, event.source, event.target, event.actor, event.reason) == (
        "start",
        "new",
        "work",
        "bob",
        "on it",
    )
    assert event.at == T0.add(minutes=5)


def test_branching_from_an_old_snapshot_does_not_corrupt_the_newer_one() -> None:
    base = apply(new(), "start", at=T0, actor="a")
    waiting = apply(base, "wait", at=T0.add(hours=1), actor="a", fields={"wait_reason": "vendor"})
    done = apply(base, "finish", at=T0.add(hours=2), actor="b", fields={"code": "fixed"})
    assert [e.transition for e in waiting.history] == [None, "start", "wait"]
    assert [e.transition for e in done.history] == [None, "start", "finish"]
    assert "code" not in waiting.fields
    assert "wait_reason" not in done.fields
    assert len(base.history) == 2


def test_an_unknown_transition_names_the_ticket_state_and_allowed() -> None:
    record = new()
    with pytest.raises(InvalidTransitionError) as info:
        apply(record, "finish", at=T0, actor="a")
    assert str(info.value) == "cannot 'finish' T0001 from state 'new'; allowed: 'start', 'never'"
    assert record.version == 1


def test_a_guard_reason_is_in_the_error_and_nothing_changes() -> None:
    record = new(frozen=True)
    with pytest.raises(TransitionRefusedError, match="the ticket is frozen; allowed: 'start'"):
        apply(record, "start", at=T0, actor="a")
    with pytest.raises(TransitionRefusedError, match="refused by guard 'refuse'"):
        apply(record, "never", at=T0, actor="a")
    assert (record.state, record.version) == ("new", 1)


def test_missing_fields_are_named_from_transition_and_target_state() -> None:
    work = apply(new(), "start", at=T0, actor="a")
    with pytest.raises(MissingFieldsError, match=r"missing required field\(s\) 'code'"):
        apply(work, "finish", at=T0, actor="a")
    with pytest.raises(MissingFieldsError, match="'wait_reason'"):
        apply(work, "wait", at=T0, actor="a", fields={"wait_reason": "  "})
    assert work.version == 2


def test_hooks_derive_fields_recorded_in_the_event() -> None:
    work = apply(new(), "start", at=T0, actor="a")
    done = apply(work, "finish", at=T0.add(days=1), actor="zed", fields={"code": "ok"})
    assert done.fields["done_at"] == T0.add(days=1)
    assert done.fields["done_by"] == "zed"
    last = done.history.last
    assert last is not None
    assert set(last.changes) == {"code", "done_at", "done_by"}
    assert done.is_final


def test_time_must_not_go_backwards_and_must_be_aware() -> None:
    work = apply(new(), "start", at=T0.add(hours=1), actor="a")
    with pytest.raises(ValidationError, match="earlier than the last event of T0001"):
        apply(work, "wait", at=T0, actor="a", fields={"wait_reason": "x"})
    with pytest.raises(NaiveDatetimeError):
        apply(work, "wait", at=datetime(2026, 3, 3), actor="a", fields={"wait_reason": "x"})
    same = apply(work, "wait", at=T0.add(hours=1), actor="a", fields={"wait_reason": "x"})
    assert same.version == 3
    other_zone = datetime(2026, 3, 2, 12, tzinfo=timezone(timedelta(hours=2)))
    assert apply(same, "back", at=other_zone, actor="a").history[-1].at == T0.add(hours=1)


def test_bad_actor_is_refused() -> None:
    with pytest.raises(ValidationError, match="'actor'"):
        apply(new(), "start", at=T0, actor="")


def test_update_records_changes_and_runs_field_rules() -> None:
    record = new(size=1)
    bigger = record.update({"size": 5, "owner": "kim"}, at=T0, actor="a", reason="resized")
    last = bigger.history.last
    assert last is not None
    assert last.kind == "update"
    assert dict(last.changes) == {"size": (1, 5), "owner": (None, "kim"), "double": (2, 10)}
    assert bigger.state == record.state == "new"
    assert record.update({"size": 1}, at=T0, actor="a") is record


def test_update_keeps_state_requirements_and_final_states_refuse_updates() -> None:
    waiting = apply(
        apply(new(), "start", at=T0, actor="a"),
        "wait",
        at=T0,
        actor="a",
        fields={"wait_reason": "vendor"},
    )
    with pytest.raises(MissingFieldsError, match="'wait_reason'"):
        waiting.update({"wait_reason": None}, at=T0, actor="a")
    done = apply(waiting, "finish", at=T0, actor="a", fields={"code": "x"})
    with pytest.raises(InvalidTransitionError, match="final state 'done'"):
        done.update({"size": 3}, at=T0, actor="a")
    noted = done.note("closing remark", at=T0, actor="a", public=True)
    assert noted.version == done.version + 1
    assert noted.history[-1].note == "closing remark"
    assert noted.history[-1].public is True


def test_field_names_are_checked_when_declared() -> None:
    strict = Workflow(
        name="strict",
        initial="a",
        states=[State(name="a"), State(name="b", final=True)],
        transitions=[Transition(name="go", sources="a", target="b")],
        fields={"x": "text"},
    )
    with pytest.raises(UnknownValueError, match="unknown field 'y'; fields of workflow"):
        start(strict, number="S1", at=T0, actor="a", fields={"y": 1})


def test_explain_and_allowed() -> None:
    record = new(frozen=True)
    options = {o.transition: o for o in explain(record)}
    assert options["start"].reason == "the ticket is frozen"
    assert options["never"].reason == "refused by guard 'refuse'"
    assert options["finish"].allowed is False
    assert "only from 'wait', 'work'" in str(options["finish"].reason)
    assert allowed(record) == ()
    assert allowed(new()) == ("start",)
    work = apply(new(), "start", at=T0, actor="a")
    assert work.allowed() == ("wait", "finish")
    assert {o.transition: o.requires for o in work.explain()}["finish"] == {"code"}


@given(st.lists(st.sampled_from(["start", "wait", "back", "finish", "never"]), max_size=12))
def test_any_sequence_keeps_version_equal_to_history_length(names: list[str]) -> None:
    record = new()
    at = T0
    for name in names:
        at = at.add(minutes=1)
        before = (record.state, record.version, dict(record.fields))
        try:
            record = apply(record, name, at=at, actor="a", fields={"wait_reason": "r", "code": "c"})
        except InvalidTransitionError:
            assert (record.state, record.version, dict(record.fields)) == before
        assert record.version == len(record.history) == len(list(record.history))


def test_a_ticket_with_100k_transitions_is_linear_and_keeps_old_snapshots() -> None:
    """History is shared, never copied: 100k transitions stay fast and old views stay put."""
    record = apply(new(), "start", at=T0, actor="a")
    checkpoint = record
    for _ in range(50_000):
        record = apply(record, "wait", at=T0, actor="a", fields={"wait_reason": "r"})
        record = apply(record, "back", at=T0, actor="a")
    assert record.version == len(record.history) == 100_002
    assert checkpoint.version == len(checkpoint.history) == 2
    branch = apply(checkpoint, "finish", at=T0, actor="b", fields={"code": "x"})
    assert branch.version == 3
    assert record.history[-1].transition == "back"
    assert [e.transition for e in checkpoint.history] == [None, "start"]


def test_a_snapshot_takes_its_state_from_its_history() -> None:
    record = new()
    assert record.state == record.history.last.target  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="non-empty History"):
        attrs.evolve(record, history=History())
    with pytest.raises(ValidationError, match="non-empty History"):
        attrs.evolve(record, history=[])
    other = Workflow(
        name="other",
        initial="x",
        states=[State(name="x"), State(name="y", final=True)],
        transitions=[Transition(name="go", sources="x", target="y")],
    )
    with pytest.raises(UnknownValueError, match="no state 'new'"):
        attrs.evolve(record, workflow=other)
    same = attrs.evolve(record, fields={"size": 3})
    assert same.fields == {"size": 3}
    assert same != record
    assert new() == new()
    assert record.history is record.history


def test_recent_events_by_negative_index() -> None:
    record = apply(new(), "start", at=T0, actor="a")
    record = apply(record, "wait", at=T0, actor="b", fields={"wait_reason": "r"})
    assert [record.history[i].actor for i in (-1, -2, -3)] == ["b", "a", "ann"]
    with pytest.raises(IndexError):
        record.history[-4]
