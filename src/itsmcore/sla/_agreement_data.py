"""Data forms of SLA definitions, sets of them and their conditions (see docs/sla.md).

An SLA definition as plain data (JSON or TOML); unknown keys are refused with the path::

    {"name": "P1 resolution", "kind": "resolution", "type": "sla",
     "targets": [{"priority": 1, "target": 14400}, {"priority": 2, "target": 28800}],
     "calendar": "24x7",                      # or a calendar's data form
     "start": {"state_in": ["new", "in_progress", "on_hold"]},
     "stop": {"state_in": ["resolved", "closed"]},
     "pause": {"state_in": ["on_hold"]},
     "cancel": {"state_in": ["canceled"]},
     "warnings": [50, 75, 90], "on_priority_change": "retroactive"}

``target`` (seconds) replaces ``targets`` for a fixed target. Conditions are
``{"state_in": [...]}``, ``{"field": "priority", "equals": 1}`` or ``{"field": ..., "in": [...]}``,
``{"event": {"kinds": [...], "transitions": [...], "sources": [...], "targets": [...],
"public": true}}``, ``{"actor_is": "caller"}``, ``{"ticket_type_in": [...]}``, ``{"all": [...]}``,
``{"any": [...]}`` and ``{"not": {...}}``. A set is ``{"definitions": [...]}``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from itsmcore.data import from_data, register, structure, to_data, unstructure
from itsmcore.data._read import (
    at_index,
    at_key,
    expect_bool,
    expect_list,
    expect_mapping,
    expect_names,
    expect_text,
    only_keys,
)
from itsmcore.data._values import seconds_from_data, seconds_to_data
from itsmcore.errors import DataError, ItsmError
from itsmcore.sla.calendar import BaseCalendar, BusinessCalendar
from itsmcore.sla.conditions import (
    ALWAYS,
    MAX_DEPTH,
    NEVER,
    ActorIs,
    AllOf,
    AnyOf,
    Condition,
    EventIs,
    FieldIn,
    Not,
    StateIn,
    TicketTypeIn,
)
from itsmcore.sla.definition import SlaDefinition
from itsmcore.sla.selection import SlaSet

__all__: list[str] = []

_CONDITION_KEYS = ("state_in", "field", "event", "actor_is", "ticket_type_in", "all", "any", "not")
_EVENT_KEYS = ("kinds", "transitions", "sources", "targets", "public")
_CONDITIONS = ("start", "stop", "pause", "resume", "cancel", "reset", "applies")
_DEFINITION_KEYS = (
    "name",
    "kind",
    "type",
    "target",
    "targets",
    "priority_field",
    "calendar",
    *_CONDITIONS,
    "warnings",
    "on_priority_change",
)
_ALWAYS_OPEN = BusinessCalendar.always_open()


# -- conditions -----------------------------------------------------------------------------
def condition_to_data(value: Condition) -> dict[str, Any]:
    """A condition as plain data (sets as sorted lists, so the text is stable)."""
    if isinstance(value, StateIn):
        return {"state_in": sorted(value.states)}
    if isinstance(value, FieldIn):
        if len(value.values) == 1:
            return {"field": value.field, "equals": value.values[0]}
        return {"field": value.field, "in": list(value.values)}
    if isinstance(value, EventIs):
        body: dict[str, Any] = {}
        for key in ("kinds", "transitions", "sources", "targets"):
            names = getattr(value, key)
            if names is not None:
                body[key] = sorted(names)
        if value.public is not None:
            body["public"] = value.public
        return {"event": body}
    if isinstance(value, ActorIs):
        return {"actor_is": value.field}
    if isinstance(value, TicketTypeIn):
        return {"ticket_type_in": sorted(value.types)}
    if isinstance(value, AllOf):
        return {"all": [condition_to_data(item) for item in value.items]}
    if isinstance(value, AnyOf):
        return {"any": [condition_to_data(item) for item in value.items]}
    return {"not": condition_to_data(value.item)}


def _scalar(value: object, path: str) -> object:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise DataError(
        f"expected a plain value (text, number, true/false, null), got {value!r}", path=path
    )


def condition_from_data(value: object, path: str, depth: int = 1) -> Condition:
    """A condition read from plain data (exactly one key per condition)."""
    if depth > MAX_DEPTH:
        raise DataError(f"conditions nest deeper than {MAX_DEPTH} levels", path=path)
    data = only_keys(value, path, (*_CONDITION_KEYS, "equals", "in"))
    keys = [k for k in _CONDITION_KEYS if k in data]
    if len(keys) != 1:
        raise DataError(
            f"a condition has exactly one of {', '.join(map(repr, _CONDITION_KEYS))}, "
            f"got {sorted(data)!r}",
            path=path,
        )
    key = keys[0]
    inner = at_key(path, key)
    if key != "field" and ("equals" in data or "in" in data):
        raise DataError("'equals' and 'in' belong to a 'field' condition", path=path)
    try:
        if key == "state_in":
            return StateIn(expect_names(data[key], inner))
        if key == "ticket_type_in":
            return TicketTypeIn(expect_names(data[key], inner))
        if key == "actor_is":
            return ActorIs(expect_text(data[key], inner))
        if key == "field":
            return _field(data, path)
        if key == "event":
            return _event(data[key], inner)
        if key == "not":
            return Not(condition_from_data(data[key], inner, depth + 1))
        items = expect_list(data[key], inner)
        parts = [condition_from_data(x, at_index(inner, i), depth + 1) for i, x in enumerate(items)]
        return AllOf(parts) if key == "all" else AnyOf(parts)
    except DataError:
        raise
    except ItsmError as error:
        raise DataError(str(error), path=path) from None


def _field(data: Any, path: str) -> FieldIn:
    name = expect_text(data["field"], at_key(path, "field"))
    if ("equals" in data) == ("in" in data):
        raise DataError("a 'field' condition needs exactly one of 'equals' and 'in'", path=path)
    if "equals" in data:
        return FieldIn.equals(name, _scalar(data["equals"], at_key(path, "equals")))
    where = at_key(path, "in")
    values = [_scalar(v, at_index(where, i)) for i, v in enumerate(expect_list(data["in"], where))]
    return FieldIn(name, tuple(values))


def _event(value: object, path: str) -> EventIs:
    data = only_keys(value, path, _EVENT_KEYS)
    parts: dict[str, Any] = {
        key: expect_names(data[key], at_key(path, key))
        for key in ("kinds", "transitions", "sources", "targets")
        if key in data
    }
    if "public" in data:
        parts["public"] = expect_bool(data["public"], at_key(path, "public"))
    return EventIs(**parts)


# -- calendars inside a definition ------------------------------------------------------------
def _calendar_to_data(calendar: BaseCalendar) -> object:
    if calendar == _ALWAYS_OPEN:
        return "24x7"
    if isinstance(calendar, BusinessCalendar):
        return unstructure(calendar)
    return to_data(calendar)  # a combination, in its versioned envelope


def _calendar_from_data(value: object, path: str) -> BaseCalendar:
    if value == "24x7":
        return _ALWAYS_OPEN
    data = expect_mapping(value, path)
    if "itsmcore" in data:
        try:
            return from_data(dict(data), BaseCalendar)  # type: ignore[type-abstract]
        except DataError as error:
            raise DataError(error.problem, path=path + error.path[1:]) from None
    return structure(dict(data), BusinessCalendar, path=path)


# -- definitions and sets ----------------------------------------------------------------------
def definition_to_data(value: SlaDefinition) -> dict[str, Any]:
    body: dict[str, Any] = {"name": value.name, "kind": value.kind, "type": value.type}
    if value.target is not None:
        body["target"] = seconds_to_data(value.target)
    else:
        body["targets"] = [
            {"priority": key, "target": seconds_to_data(target)} for key, target in value.targets
        ]
    if value.priority_field != "priority":
        body["priority_field"] = value.priority_field
    body["calendar"] = _calendar_to_data(value.calendar)
    for key in _CONDITIONS:
        condition = getattr(value, key)
        default = ALWAYS if key == "applies" else NEVER
        if key in ("start", "stop") or condition != default:
            body[key] = condition_to_data(condition)
    body["warnings"] = list(value.warnings)
    body["on_priority_change"] = value.on_priority_change
    return body


def definition_from_data(value: object, path: str) -> SlaDefinition:
    data = only_keys(value, path, _DEFINITION_KEYS, required=("name", "kind", "start", "stop"))
    parts: dict[str, Any] = {
        "name": expect_text(data["name"], at_key(path, "name")),
        "kind": expect_text(data["kind"], at_key(path, "kind")),
    }
    for key in ("type", "priority_field", "on_priority_change"):
        if key in data:
            parts[key] = expect_text(data[key], at_key(path, key))
    if "target" in data:
        parts["target"] = seconds_from_data(data["target"], at_key(path, "target"))
    if "targets" in data:
        parts["targets"] = _targets(data["targets"], at_key(path, "targets"))
    if "calendar" in data:
        parts["calendar"] = _calendar_from_data(data["calendar"], at_key(path, "calendar"))
    for key in _CONDITIONS:
        if key in data:
            parts[key] = condition_from_data(data[key], at_key(path, key))
    if "warnings" in data:
        where = at_key(path, "warnings")
        parts["warnings"] = expect_list(data["warnings"], where)
    try:
        return SlaDefinition(**parts)
    except ItsmError as error:
        raise DataError(str(error), path=path) from None


def _targets(value: object, path: str) -> dict[int | str, timedelta]:
    out: dict[int | str, timedelta] = {}
    for i, item in enumerate(expect_list(value, path)):
        where = at_index(path, i)
        entry = only_keys(item, where, ("priority", "target"), required=("priority", "target"))
        key = entry["priority"]
        if isinstance(key, bool) or not isinstance(key, int | str):
            raise DataError(
                f"a priority is a number or a label, got {key!r}", path=at_key(where, "priority")
            )
        if key in out:
            raise DataError(f"priority {key!r} has two targets", path=where)
        out[key] = seconds_from_data(entry["target"], at_key(where, "target"))
    return out


def set_to_data(value: SlaSet) -> dict[str, Any]:
    return {"definitions": [definition_to_data(d) for d in value.definitions]}


def set_from_data(value: object, path: str) -> SlaSet:
    data = only_keys(value, path, ("definitions",), required=("definitions",))
    where = at_key(path, "definitions")
    items = expect_list(data["definitions"], where)
    definitions = [definition_from_data(x, at_index(where, i)) for i, x in enumerate(items)]
    try:
        return SlaSet(definitions)
    except ItsmError as error:
        raise DataError(str(error), path=where) from None


def _register() -> None:
    register(
        SlaDefinition,
        "sla-definition",
        unstructure=definition_to_data,
        structure=definition_from_data,
    )
    register(SlaSet, "sla-set", unstructure=set_to_data, structure=set_from_data)
    for cls, name in (
        (StateIn, "sla-condition-state-in"),
        (FieldIn, "sla-condition-field-in"),
        (EventIs, "sla-condition-event-is"),
        (ActorIs, "sla-condition-actor-is"),
        (TicketTypeIn, "sla-condition-ticket-type-in"),
        (AllOf, "sla-condition-all-of"),
        (AnyOf, "sla-condition-any-of"),
        (Not, "sla-condition-not"),
    ):
        register(cls, name, unstructure=condition_to_data, structure=_reader(cls))


def _reader(cls: type) -> Callable[[object, str], Any]:
    def read(value: object, path: str) -> Condition:
        condition = condition_from_data(value, path)
        if not isinstance(condition, cls):
            raise DataError(f"expected a {cls.__name__} condition, got {condition!r}", path=path)
        return condition

    return read


_register()
