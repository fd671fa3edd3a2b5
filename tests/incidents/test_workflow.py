"""The default incident workflow follows ServiceNow's state model."""

from __future__ import annotations

import pendulum
import pytest

from itsmcore.errors import InvalidTransitionError, MissingFieldsError, UnknownValueError
from itsmcore.incidents import HOLD_REASONS, Incident, default_incident_workflow, open_incident

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


def fresh() -> Incident:
    return open_incident(
        "INC0001002",
        at=T0,
        actor="desk",
        caller="carla",
        short_description="mail is down",
        impact=2,
        urgency=2,
    )


def test_states_and_transitions_are_servicenows() -> None:
    flow = default_incident_workflow()
    assert flow.state_names == ("new", "in_progress", "on_hold", "resolved", "closed", "canceled")
    assert flow.final_states == {"closed", "canceled"}
    assert flow.transitions_from("resolved") == ("reopen", "close")
    assert flow.transitions_from("closed") == ()
    assert set(HOLD_REASONS) == {
        "awaiting_caller",
        "awaiting_change",
        "awaiting_problem",
        "awaiting_vendor",
    }


def test_the_issue_error_message() -> None:
    with pytest.raises(InvalidTransitionError) as info:
        fresh().apply("close", at=T0, actor="a")
    assert str(info.value) == (
        "cannot 'close' INC0001002 from state 'new'; allowed: 'start', 'hold', 'resolve', 'cancel'"
    )


def test_full_lifecycle_with_hold_resolve_reopen_and_close() -> None:
    inc = fresh().apply("start", at=T0.add(minutes=10), actor="ann")
    held = inc.apply(
        "hold",
        at=T0.add(hours=1),
        actor="ann",
        fields={"hold_reason": "awaiting_vendor"},
    )
    assert held.hold_reason == "awaiting_vendor"
    back = held.apply("resume", at=T0.add(hours=5), actor="ann")
    assert back.hold_reason is None
    resolved = back.apply(
        "resolve",
        at=T0.add(hours=6),
        actor="ann",
        fields={"resolution_code": "solved", "resolution_notes": "replaced the disk"},
    )
    assert (resolved.resolved_at, resolved.resolved_by) == (T0.add(hours=6), "ann")
    reopened = resolved.apply("reopen", at=T0.add(days=1), actor="carla", comment="still broken")
    assert reopened.state == "in_progress"
    assert (reopened.reopen_count, reopened.resolved_at, reopened.resolution_code) == (
        1,
        None,
        None,
    )
    assert reopened.fields["last_reopened_by"] == "carla"
    again = reopened.apply(
        "resolve",
        at=T0.add(days=2),
        actor="bob",
        fields={"resolution_code": "solved", "resolution_notes": "new disk"},
    )
    closed = again.apply("close", at=T0.add(days=5), actor="system")
    assert closed.state == "closed"
    assert closed.is_final
    assert closed.version == 8
    assert [e.transition for e in closed.history] == [
        None,
        "start",
        "hold",
        "resume",
        "resolve",
        "reopen",
        "resolve",
        "close",
    ]


def test_hold_needs_a_known_reason_and_awaiting_caller_needs_a_comment() -> None:
    inc = fresh()
    with pytest.raises(MissingFieldsError, match="'hold_reason'"):
        inc.apply("hold", at=T0, actor="a")
    with pytest.raises(
        UnknownValueError, match="unknown hold_reason 'lunch'; allowed: 'awaiting_caller'"
    ):
        inc.apply("hold", at=T0, actor="a", fields={"hold_reason": "lunch"})
    with pytest.raises(MissingFieldsError, match="'comment'"):
        inc.apply("hold", at=T0, actor="a", fields={"hold_reason": "awaiting_caller"})
    held = inc.apply(
        "hold",
        at=T0,
        actor="a",
        fields={"hold_reason": "awaiting_caller"},
        comment="Which printer is it?",
    )
    last = held.history.last
    assert last is not None
    assert (last.note, last.public) == ("Which printer is it?", True)
    assert inc.version == 1


def test_resolve_needs_code_and_notes_and_reopen_needs_a_comment() -> None:
    inc = fresh()
    with pytest.raises(MissingFieldsError, match="'resolution_code', 'resolution_notes'"):
        inc.apply("resolve", at=T0, actor="a")
    resolved = inc.apply(
        "resolve", at=T0, actor="a", fields={"resolution_code": "x", "resolution_notes": "y"}
    )
    with pytest.raises(MissingFieldsError, match="'comment'"):
        resolved.apply("reopen", at=T0, actor="a")


def test_final_states_accept_nothing() -> None:
    canceled = fresh().apply("cancel", at=T0, actor="a", reason="duplicate of INC0001001")
    for name in default_incident_workflow().transition_names:
        with pytest.raises(InvalidTransitionError, match="from state 'canceled'; allowed: none"):
            canceled.apply(name, at=T0, actor="a")
    with pytest.raises(InvalidTransitionError):
        canceled.update({"impact": 1}, at=T0, actor="a")
