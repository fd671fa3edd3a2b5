"""Values derived from an incident's history alone: counters, stamps, first response.

Each is a pure function of the history, so it can be recomputed at any time (and the stored
counters checked against it). The transition names default to the incident workflow's; pass
others for a customised workflow that renamed them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from itsmcore.workflow import Event

__all__ = [
    "first_response_at",
    "reassignment_count",
    "reopen_count",
    "resolution",
]


def reopen_count(history: Iterable[Event], *, reopen: str = "reopen") -> int:
    """How many ``reopen`` transitions the history holds."""
    return sum(1 for e in history if e.kind == "transition" and e.transition == reopen)


def reassignment_count(history: Iterable[Event], *, field: str = "assignment_group") -> int:
    """How many times ``field`` changed from a set value to another value (ServiceNow's rule:
    the first assignment is not a reassignment)."""
    return sum(1 for e in history if field in e.changes and e.changes[field][0] is not None)


def resolution(
    history: Iterable[Event], *, resolve: str = "resolve", reopen: str = "reopen"
) -> tuple[datetime, str] | None:
    """``(resolved_at, resolved_by)`` of the resolution in force, or ``None``.

    A reopen cancels the resolution before it; closing keeps it.
    """
    current: tuple[datetime, str] | None = None
    for event in history:
        if event.kind != "transition":
            continue
        if event.transition == resolve:
            current = (event.at, event.actor)
        elif event.transition == reopen:
            current = None
    return current


def first_response_at(
    history: Iterable[Event], *, initial: str = "new", caller_field: str = "caller"
) -> datetime | None:
    """When someone other than the caller first responded, or ``None``.

    A response is a transition out of the initial state or a public comment by anyone but
    the caller (work notes are internal and do not count).
    """
    caller: object = None
    for event in history:
        if event.kind == "created":
            caller = event.changes.get(caller_field, (None, None))[1]
            continue
        if caller_field in event.changes:
            caller = event.changes[caller_field][1]
        if event.kind == "transition" and event.source == initial and event.target != initial:
            return event.at
        if event.kind == "note" and event.public and event.actor != caller:
            return event.at
    return None
