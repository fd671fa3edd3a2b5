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
from typing import NoReturn, TypeVar

from itsmcore.errors import DataError, ValidationError, allowed_list
from itsmcore.workflow.definition import Workflow
from itsmcore.workflow.engine import Record
from itsmcore.workflow.history import Event, History, Row, _fold, _row

__all__ = ["replay", "replay_rows"]

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
    for index, event in enumerate(events):
        if not isinstance(event, Event):
            raise DataError(f"expected an Event, got {event!r}", path=f"{path}[{index}]")
        rows.append(_row(event))
    return replay_rows(workflow, number, rows, record_type=record_type, path=path)


def replay_rows(
    workflow: Workflow,
    number: str,
    rows: list[Row],
    *,
    record_type: type[R],
    path: str,
) -> R:
    """:func:`replay` on events as rows (the list becomes the record's history)."""
    state = workflow.initial
    fields: dict[str, object] = {}
    previous: Row | None = None
    for index, row in enumerate(rows):
        state = _check_row(workflow, row, index, state, previous, fields, path)
        for name, _, new in row[8]:
            if new is None:
                fields.pop(name, None)
            else:
                fields[name] = new
        previous = row
    if not rows:
        raise DataError("a record's history has at least its 'created' event", path=path)
    return record_type(
        number=number,
        workflow=workflow,
        fields=MappingProxyType(fields),
        history=History._of(rows, len(rows)),
    )


def _check_row(
    workflow: Workflow,
    row: Row,
    index: int,
    state: str,
    previous: Row | None,
    fields: Mapping[str, object],
    path: str,
) -> str:
    """The state after event ``row``, once it is known to follow the events before it."""
    seq, at, actor, kind, source, target, transition, _, diff, _, _ = row
    if seq != index + 1:
        _refuse(path, index, f"event seq {seq!r} out of order; expected {index + 1}")
    if kind not in _KINDS:
        _refuse(path, index, f"unknown event kind {kind!r}; allowed: {allowed_list(_KINDS)}")
    if type(actor) is not str or not actor.strip():
        _refuse(path, index, f"an event names its actor, got {actor!r}")
    if previous is not None and at < previous[1]:
        _refuse(
            path,
            index,
            f"event at {at.isoformat()} is earlier than the one before it "
            f"({previous[1].isoformat()})",
        )
    if (index == 0) != (kind == "created"):
        wanted = "the first event is 'created'" if index == 0 else "only the first is 'created'"
        _refuse(path, index, f"event kind {kind!r}: {wanted}")
    kinds = workflow.fields
    for name, old, _ in diff:
        if fields.get(name) != old:
            _refuse(
                path,
                index,
                f"field {name!r} changes from {old!r}, but it held {fields.get(name)!r}",
            )
        if kinds is not None and name not in kinds:
            _refuse(
                path,
                index,
                f"unknown field {name!r}; fields of workflow {workflow.name!r}: "
                f"{allowed_list(sorted(kinds))}",
            )
    if source != state:
        _refuse(path, index, f"event leaves state {source!r}, but the record is in {state!r}")
    if kind == "transition":
        step = workflow._steps.get((state, transition or ""))
        if step is None:
            _refuse(
                path,
                index,
                f"workflow {workflow.name!r} has no transition {transition!r} from "
                f"{state!r}; allowed: {allowed_list(workflow._by_source[state])}",
            )
        if step.target != target:
            _refuse(
                path, index, f"transition {transition!r} goes to {step.target!r}, not {target!r}"
            )
        return step.target
    if target != state:
        _refuse(path, index, f"a {kind!r} event keeps the state {state!r}, got target {target!r}")
    if kind == "update" and workflow._state_map[state].final:
        _refuse(path, index, f"an update in final state {state!r}")
    return state


def _refuse(path: str, index: int, problem: str) -> NoReturn:
    raise DataError(problem, path=f"{path}[{index}]")


def _restore(cls: type[R], number: str, workflow: Workflow, history: History) -> R:
    """Unpickle a record: its fields are the fold of its history's changes."""
    fields = _fold(history._rows, history._length)
    return cls(number=number, workflow=workflow, fields=MappingProxyType(fields), history=history)
