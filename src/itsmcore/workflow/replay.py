"""Rebuilding a record from its events, checking that they are a history of its workflow.

:func:`replay` is how stored records come back: from the events an adapter stored (or the
data form read back), on the workflow the record names. Every event is checked against the
workflow and against the events before it (sequence, time order, states, transitions, the
old values of every change), so a history that could not have happened is refused, naming
the event. Guards and hooks are not run again: their effects are in the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

from itsmcore.errors import DataError, ValidationError, allowed_list
from itsmcore.workflow.definition import Workflow
from itsmcore.workflow.engine import Record
from itsmcore.workflow.history import Event, History, Row, _fold, _row

__all__ = ["replay"]

R = TypeVar("R", bound=Record)

_KINDS = ("created", "transition", "update", "note")


def replay(
    workflow: Workflow,
    number: str,
    events: Iterable[Event],
    *,
    record_type: type[R] = Record,  # type: ignore[assignment]
    path: str = "events",
) -> R:
    """The record whose history is ``events``, on ``workflow``, checked event by event.

    Raises :class:`~itsmcore.errors.DataError` naming the first event that does not follow
    (``path[i]``) and what was expected there.

    >>> from datetime import datetime, timezone
    >>> from itsmcore.incidents import open_incident
    >>> t = datetime(2026, 3, 6, 9, tzinfo=timezone.utc)
    >>> inc = open_incident("INC1", at=t, actor="desk", caller="carla",
    ...                     short_description="Mail down", impact=2, urgency=2)
    >>> inc = inc.apply("start", at=t, actor="ann")
    >>> replay(inc.workflow, "INC1", inc.history, record_type=type(inc)) == inc
    True
    """
    if not isinstance(workflow, Workflow):
        raise ValidationError(f"expected a Workflow to replay on, got {workflow!r}")
    if type(number) is not str or not number.strip():
        raise ValidationError(f"'number' must be a non-empty string, got {number!r}")
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise ValidationError(f"'record_type' must be a Record subclass, got {record_type!r}")
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
        raise ValidationError(f"'events' must be an iterable of Event, got {events!r}")
    rows: list[Row] = []
    state = workflow.initial
    fields: dict[str, object] = {}
    for index, event in enumerate(events):
        where = f"{path}[{index}]"
        if not isinstance(event, Event):
            raise DataError(f"expected an Event, got {event!r}", path=where)
        previous = rows[-1] if rows else None
        state = _check_event(workflow, event, index, state, previous, fields, where)
        for name, (_, new) in event.changes.items():
            if new is None:
                fields.pop(name, None)
            else:
                fields[name] = new
        rows.append(_row(event))
    if not rows:
        raise DataError("a record's history has at least its 'created' event", path=path)
    return record_type(
        number=number,
        workflow=workflow,
        fields=MappingProxyType(fields),
        history=History._of(rows, len(rows)),
    )


def _check_event(
    workflow: Workflow,
    event: Event,
    index: int,
    state: str,
    previous: Row | None,
    fields: Mapping[str, object],
    where: str,
) -> str:
    """The state after ``event``, once it is known to follow the events before it."""
    if event.seq != index + 1:
        raise DataError(f"event seq {event.seq!r} out of order; expected {index + 1}", path=where)
    if event.kind not in _KINDS:
        raise DataError(
            f"unknown event kind {event.kind!r}; allowed: {allowed_list(_KINDS)}", path=where
        )
    if type(event.actor) is not str or not event.actor.strip():
        raise DataError(f"an event names its actor, got {event.actor!r}", path=where)
    if previous is not None and event.at < previous[1]:
        raise DataError(
            f"event at {event.at.isoformat()} is earlier than the one before it "
            f"({previous[1].isoformat()})",
            path=where,
        )
    if (index == 0) != (event.kind == "created"):
        wanted = "the first event is 'created'" if index == 0 else "only the first is 'created'"
        raise DataError(f"event kind {event.kind!r}: {wanted}", path=where)
    for name, change in event.changes.items():
        if fields.get(name) != change[0]:
            raise DataError(
                f"field {name!r} changes from {change[0]!r}, but it held {fields.get(name)!r}",
                path=where,
            )
        if workflow.fields is not None and name not in workflow.fields:
            raise DataError(
                f"unknown field {name!r}; fields of workflow {workflow.name!r}: "
                f"{allowed_list(sorted(workflow.fields))}",
                path=where,
            )
    if event.source != state:
        raise DataError(
            f"event leaves state {event.source!r}, but the record is in {state!r}", path=where
        )
    if event.kind == "transition":
        step = workflow._steps.get((state, event.transition or ""))
        if step is None:
            raise DataError(
                f"workflow {workflow.name!r} has no transition {event.transition!r} from "
                f"{state!r}; allowed: {allowed_list(workflow._by_source[state])}",
                path=where,
            )
        if step.target != event.target:
            raise DataError(
                f"transition {event.transition!r} goes to {step.target!r}, not {event.target!r}",
                path=where,
            )
        return step.target
    if event.target != state:
        raise DataError(
            f"a {event.kind!r} event keeps the state {state!r}, got target {event.target!r}",
            path=where,
        )
    if event.kind == "update" and workflow._state_map[state].final:
        raise DataError(f"an update in final state {state!r}", path=where)
    return state


def _restore(cls: type[R], number: str, workflow: Workflow, history: History) -> R:
    """Unpickle a record: its fields are the fold of its history's changes."""
    fields = _fold(history._rows, history._length)
    return cls(number=number, workflow=workflow, fields=MappingProxyType(fields), history=history)
