"""Counters and stamps are pure functions of the history: stored == recomputed."""

from __future__ import annotations

import pendulum
from hypothesis import given

from itsmcore.incidents import (
    Incident,
    first_response_at,
    open_incident,
    reassignment_count,
    reopen_count,
    resolution,
)
from itsmcore.testing._ticket_strategies import incidents

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


@given(incidents())
def test_stored_counters_equal_what_the_history_says(incident: Incident) -> None:
    events = list(incident.history)
    assert incident.reopen_count == reopen_count(events)
    assert incident.reassignment_count == reassignment_count(events)
    found = resolution(events)
    if found is None:
        assert (incident.resolved_at, incident.resolved_by) == (None, None)
    else:
        assert (incident.resolved_at, incident.resolved_by) == found
    # an independent count: transitions named "reopen" among the state changes
    assert reopen_count(events) == [e.transition for e in events].count("reopen")
    if incident.state in ("resolved", "closed"):
        assert found is not None


@given(incidents())
def test_the_derivations_only_read_the_history(incident: Incident) -> None:
    """Recomputing from a copy of the events (no record at all) gives the same answers."""
    copied = tuple(incident.history)
    assert reopen_count(copied) == reopen_count(incident.history)
    assert resolution(copied) == resolution(incident.history)
    assert first_response_at(copied) == first_response_at(incident.history)


def test_reassignment_counts_changes_of_group_after_the_first_assignment() -> None:
    inc = open_incident(
        "INC1", at=T0, actor="desk", caller="c", short_description="s", impact=3, urgency=3
    )
    inc = inc.update({"assignment_group": "desk"}, at=T0, actor="a")  # first assignment
    inc = inc.update({"assignment_group": "network"}, at=T0, actor="a")  # reassignment 1
    inc = inc.update({"assigned_to": "nina"}, at=T0, actor="a")  # same group: not counted
    inc = inc.update({"assignment_group": "desk"}, at=T0, actor="a")  # reassignment 2
    assert inc.reassignment_count == 2 == reassignment_count(inc.history)


def test_first_response_is_the_first_move_out_of_new_or_public_reply() -> None:
    inc = open_incident(
        "INC1", at=T0, actor="carla", caller="carla", short_description="s", impact=3, urgency=3
    )
    inc = inc.note("any news?", at=T0.add(minutes=1), actor="carla", public=True)
    inc = inc.note("internal: check logs", at=T0.add(minutes=2), actor="ann")
    assert first_response_at(inc.history) is None
    replied = inc.note("looking at it", at=T0.add(minutes=3), actor="ann", public=True)
    assert first_response_at(replied.history) == T0.add(minutes=3)
    started = inc.apply("start", at=T0.add(minutes=4), actor="ann")
    assert first_response_at(started.history) == T0.add(minutes=4)
