"""Data forms of workflows and records (every ticket type), registered with itsmcore.data.

A workflow's guards, hooks, requirements and field rules are written as their registered
names (:mod:`itsmcore.workflow.registry`); a conditional requirement can also be written as
data (``{"when": "hold_reason", "in": ["awaiting_caller"], "require": ["comment"]}``). A
record is its type, number, workflow (name and version) and its events; reading it back
replays the events on that workflow, checking each.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from itsmcore._time import to_instant
from itsmcore.data._read import (
    at_index,
    at_key,
    expect_bool,
    expect_int,
    expect_list,
    expect_mapping,
    expect_names,
    expect_text,
    only_keys,
)
from itsmcore.data._read import built as _guarded
from itsmcore.data._registry import register
from itsmcore.errors import DataError, ItsmError, ValidationError, allowed_list
from itsmcore.workflow import registry
from itsmcore.workflow._replay import replay_rows
from itsmcore.workflow.definition import (
    FieldRule,
    RequiredWhen,
    Requirement,
    State,
    Transition,
    Workflow,
)
from itsmcore.workflow.engine import Record
from itsmcore.workflow.fields import CHECKS, FIELD_KINDS, FieldKind, freeze_json
from itsmcore.workflow.history import Event, Row, _row

__all__ = ["event_from_data", "event_to_data"]


_WORKFLOW_KEYS = (
    "name",
    "version",
    "initial",
    "states",
    "transitions",
    "field_rules",
    "fields",
    "protected_fields",
)
_STATE_KEYS = ("name", "final", "requires", "requirements", "label")
_TRANSITION_KEYS = ("name", "from", "to", "guards", "requires", "requirements", "hooks", "label")
_WHEN_KEYS = ("when", "in", "require")
_RULE_KEYS = ("rule", "params")
_RECORD_KEYS = ("record_type", "number", "workflow", "events")
_EVENT_REQUIRED = ("seq", "at", "actor", "kind", "source", "target")
_EVENT_KEYS = (
    "seq",
    "at",
    "actor",
    "kind",
    "source",
    "target",
    "transition",
    "reason",
    "changes",
    "note",
    "public",
)


# -- workflows ------------------------------------------------------------------------------


def _requirement_to_data(item: object) -> object:
    if isinstance(item, RequiredWhen):
        values = sorted(item.values, key=repr)
        return {"when": item.field, "in": values, "require": sorted(item.requires)}
    return registry.name_of(item, "requirement")


def _requirement_from_data(raw: object, path: str) -> Requirement:
    if isinstance(raw, str):
        return _guarded(path, lambda: registry.requirement(raw))
    data = only_keys(raw, path, _WHEN_KEYS, required=_WHEN_KEYS)
    field = expect_text(data["when"], at_key(path, "when"))
    values = expect_list(data["in"], at_key(path, "in"))
    requires = expect_names(data["require"], at_key(path, "require"))
    return _guarded(path, lambda: RequiredWhen(field=field, values=values, requires=requires))


def _workflow_to_data(flow: Workflow) -> dict[str, Any]:
    states: list[dict[str, Any]] = []
    for s in flow.states:
        state: dict[str, Any] = {"name": s.name}
        if s.final:
            state["final"] = True
        if s.requires:
            state["requires"] = sorted(s.requires)
        if s.requirements:
            state["requirements"] = [_requirement_to_data(r) for r in s.requirements]
        if s.label is not None:
            state["label"] = s.label
        states.append(state)
    transitions: list[dict[str, Any]] = []
    for t in flow.transitions:
        item: dict[str, Any] = {"name": t.name, "from": sorted(t.sources), "to": t.target}
        if t.guards:
            item["guards"] = [registry.name_of(g, "guard") for g in t.guards]
        if t.requires:
            item["requires"] = sorted(t.requires)
        if t.requirements:
            item["requirements"] = [_requirement_to_data(r) for r in t.requirements]
        if t.hooks:
            item["hooks"] = [registry.name_of(h, "hook") for h in t.hooks]
        if t.label is not None:
            item["label"] = t.label
        transitions.append(item)
    data: dict[str, Any] = {
        "name": flow.name,
        "version": flow.version,
        "initial": flow.initial,
        "states": states,
        "transitions": transitions,
    }
    if flow.field_rules:
        rules: list[dict[str, Any]] = []
        for rule in flow.field_rules:
            entry: dict[str, Any] = {"rule": registry.name_of(rule, "field rule")}
            if rule.params:
                entry["params"] = _thaw(rule.params)
            rules.append(entry)
        data["field_rules"] = rules
    if flow.fields is not None:
        data["fields"] = dict(sorted(flow.fields.items()))
    if flow.protected_fields:
        data["protected_fields"] = sorted(flow.protected_fields)
    return data


def _names_list(data: Mapping[str, object], key: str, path: str) -> tuple[str, ...]:
    return expect_names(data.get(key, []), at_key(path, key))


def _requirements_of(data: Mapping[str, object], path: str) -> list[Requirement]:
    where = at_key(path, "requirements")
    return [
        _requirement_from_data(r, at_index(where, i))
        for i, r in enumerate(expect_list(data.get("requirements", []), where))
    ]


def _label_of(data: Mapping[str, object], path: str) -> str | None:
    label = data.get("label")
    return None if label is None else expect_text(label, at_key(path, "label"))


def _state_from_data(raw: object, path: str) -> State:
    data = only_keys(raw, path, _STATE_KEYS, required=("name",))
    name = expect_text(data["name"], at_key(path, "name"))
    final = expect_bool(data.get("final", False), at_key(path, "final"))
    requires = _names_list(data, "requires", path)
    requirements = _requirements_of(data, path)
    label = _label_of(data, path)
    return _guarded(
        path,
        lambda: State(
            name=name, final=final, requires=requires, requirements=requirements, label=label
        ),
    )


def _transition_from_data(raw: object, path: str) -> Transition:
    data = only_keys(raw, path, _TRANSITION_KEYS, required=("name", "from", "to"))
    name = expect_text(data["name"], at_key(path, "name"))
    sources = expect_names(data["from"], at_key(path, "from"))
    target = expect_text(data["to"], at_key(path, "to"))
    guards = [
        _guarded(at_index(at_key(path, "guards"), i), functools.partial(registry.guard, g))
        for i, g in enumerate(_names_list(data, "guards", path))
    ]
    hooks = [
        _guarded(at_index(at_key(path, "hooks"), i), functools.partial(registry.hook, h))
        for i, h in enumerate(_names_list(data, "hooks", path))
    ]
    requirements = _requirements_of(data, path)
    label = _label_of(data, path)
    return _guarded(
        path,
        lambda: Transition(
            name=name,
            sources=sources,
            target=target,
            guards=guards,
            requires=_names_list(data, "requires", path),
            requirements=requirements,
            hooks=hooks,
            label=label,
        ),
    )


def _rule_from_data(raw: object, path: str) -> FieldRule:
    data = only_keys(raw, path, _RULE_KEYS, required=("rule",))
    name = expect_text(data["rule"], at_key(path, "rule"))
    params = expect_mapping(data.get("params", {}), at_key(path, "params"))
    return _guarded(path, lambda: registry.field_rule(name, params))


def _kinds_from_data(raw: object, path: str) -> dict[str, FieldKind]:
    data = expect_mapping(raw, path)
    kinds: dict[str, FieldKind] = {}
    for name, kind in data.items():
        if kind not in FIELD_KINDS:
            raise DataError(
                f"unknown field kind {kind!r}; allowed: {allowed_list(FIELD_KINDS)}",
                path=at_key(path, name),
            )
        kinds[name] = kind
    return kinds


def _workflow_from_data(raw: object, path: str) -> Workflow:
    data = only_keys(raw, path, _WORKFLOW_KEYS, required=("name", "initial", "states"))
    name = expect_text(data["name"], at_key(path, "name"))
    version = expect_int(data.get("version", 1), at_key(path, "version"))
    initial = expect_text(data["initial"], at_key(path, "initial"))
    where = at_key(path, "states")
    states = [
        _state_from_data(s, at_index(where, i))
        for i, s in enumerate(expect_list(data["states"], where))
    ]
    where = at_key(path, "transitions")
    transitions = [
        _transition_from_data(t, at_index(where, i))
        for i, t in enumerate(expect_list(data.get("transitions", []), where))
    ]
    where = at_key(path, "field_rules")
    rules = [
        _rule_from_data(r, at_index(where, i))
        for i, r in enumerate(expect_list(data.get("field_rules", []), where))
    ]
    fields = None
    if "fields" in data:
        fields = _kinds_from_data(data["fields"], at_key(path, "fields"))
    protected = _names_list(data, "protected_fields", path)
    return _guarded(
        path,
        lambda: Workflow(
            name=name,
            version=version,
            initial=initial,
            states=states,
            transitions=transitions,
            field_rules=rules,
            fields=fields,
            protected_fields=protected,
        ),
    )


# -- field values -----------------------------------------------------------------------------


def _thaw(value: object) -> Any:
    """A frozen JSON-like value as plain data (read-only mappings -> dicts, tuples -> lists)."""
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    return value


_SCALARS = (str, int, bool, float)


def _value_to_data(kind: FieldKind | None, value: object, name: str) -> Any:
    if value is None or type(value) in _SCALARS:
        return value
    if kind == "instant" or (kind is None and isinstance(value, datetime)):
        if kind is None:
            raise DataError(
                f"field {name!r} holds an instant but the workflow declares no field kinds; "
                "declare 'fields' to store it"
            )
        return value.isoformat()  # type: ignore[attr-defined]
    if kind == "names" or isinstance(value, frozenset):
        return sorted(value)  # type: ignore[call-overload]
    return _thaw(value)


def _value_from_data(
    kind: FieldKind | None, raw: object, name: str, where: str, index: int
) -> object:
    """A field value read back by its kind; ``where[name][index]`` is its path (built only
    when the value is refused)."""
    if raw is None:
        return None
    if kind is not None and kind != "instant" and kind != "names" and kind != "data":
        try:
            return CHECKS[kind](raw, name)
        except ItsmError as error:
            raise DataError(str(error), path=at_index(at_key(where, name), index)) from None
    path = at_index(at_key(where, name), index)
    try:
        if kind == "instant":
            text = expect_text(raw, path)
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise DataError(f"{text!r} is not an ISO 8601 instant", path=path) from None
            return to_instant(parsed, name=name)
        if kind == "names":
            return frozenset(expect_names(raw, path))
        return freeze_json(raw, f"field {name!r}")
    except DataError:
        raise
    except ItsmError as error:
        raise DataError(str(error), path=path) from None


# -- records ----------------------------------------------------------------------------------


def _event_to_data(event: Event, kinds: Mapping[str, FieldKind] | None) -> dict[str, Any]:
    return _row_to_data(_row(event), kinds)


def _event_from_data(raw: object, path: str, kinds: Mapping[str, FieldKind] | None) -> Event:
    seq, at, actor, kind, source, target, transition, reason, diff, note, public = _row_from_data(
        raw, path, kinds
    )
    return Event(
        seq=seq,
        at=at,
        actor=actor,
        kind=kind,  # type: ignore[arg-type]
        source=source,
        target=target,
        transition=transition,
        reason=reason,
        changes=MappingProxyType({n: (o, v) for n, o, v in diff}),
        note=note,
        public=public,
    )


def _text_of(data: Mapping[str, object], key: str, path: str, *, blank: bool = False) -> str:
    """``data[key]`` as text (the path is built only when it is refused)."""
    value = data[key]
    if type(value) is str and (blank or value.strip()):
        return value
    return expect_text(value, at_key(path, key), blank=blank)


def _row_from_data(raw: object, path: str, kinds: Mapping[str, FieldKind] | None) -> Row:
    data = only_keys(raw, path, _EVENT_KEYS, required=_EVENT_REQUIRED)
    text = _text_of(data, "at", path)
    try:
        at = to_instant(datetime.fromisoformat(text))
    except ItsmError as error:  # naive, or out of range
        raise DataError(str(error), path=at_key(path, "at")) from None
    except ValueError:
        raise DataError(f"{text!r} is not an ISO 8601 instant", path=at_key(path, "at")) from None
    diff: list[tuple[str, object, object]] = []
    changes = data.get("changes")
    if changes is not None:
        where = at_key(path, "changes")
        for name, pair in expect_mapping(changes, where).items():
            if type(pair) is not list or len(pair) != 2:
                expect_list(pair, at_key(where, name))
                raise DataError("a change is [old, new]", path=at_key(where, name))
            if kinds is not None and name not in kinds:
                raise DataError(
                    f"unknown field {name!r}; fields: {allowed_list(sorted(kinds))}",
                    path=at_key(where, name),
                )
            kind = None if kinds is None else kinds[name]
            diff.append(
                (
                    name,
                    _value_from_data(kind, pair[0], name, where, 0),
                    _value_from_data(kind, pair[1], name, where, 1),
                )
            )
    seq = data["seq"]
    if type(seq) is not int:
        seq = expect_int(seq, at_key(path, "seq"))
    public = data.get("public", False)
    if type(public) is not bool:
        public = expect_bool(public, at_key(path, "public"))
    return (
        seq,
        at,
        _text_of(data, "actor", path),
        _text_of(data, "kind", path),
        _text_of(data, "source", path),
        _text_of(data, "target", path),
        None if data.get("transition") is None else _text_of(data, "transition", path),
        None if data.get("reason") is None else _text_of(data, "reason", path, blank=True),
        tuple(diff),
        None if data.get("note") is None else _text_of(data, "note", path, blank=True),
        public,
    )


def event_to_data(event: Event, workflow: Workflow) -> dict[str, Any]:
    """One event of a record on ``workflow`` as plain data (what an adapter stores per row).

    Field values are written by the workflow's field kinds (instants as ISO 8601 text, sets
    of names as sorted lists, mappings as objects).
    """
    if not isinstance(event, Event) or not isinstance(workflow, Workflow):
        raise ValidationError(f"expected an Event and a Workflow, got {event!r}, {workflow!r}")
    return _event_to_data(event, workflow.fields)


def event_from_data(data: object, workflow: Workflow, *, path: str = "$") -> Event:
    """An event of a record on ``workflow`` read back from :func:`event_to_data`'s form."""
    if not isinstance(workflow, Workflow):
        raise ValidationError(f"expected a Workflow to read the event for, got {workflow!r}")
    return _event_from_data(data, path, workflow.fields)


def _row_to_data(row: Row, kinds: Mapping[str, FieldKind] | None) -> dict[str, Any]:
    seq, at, actor, kind, source, target, transition, reason, diff, note, public = row
    data: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "kind": kind,
        "source": source,
        "target": target,
    }
    if transition is not None:
        data["transition"] = transition
    if reason is not None:
        data["reason"] = reason
    if diff:
        changes: dict[str, list[Any]] = {}
        for name, old, new in diff:
            of = None if kinds is None else kinds.get(name)
            changes[name] = [_value_to_data(of, old, name), _value_to_data(of, new, name)]
        data["changes"] = changes
    if note is not None:
        data["note"] = note
    if public:
        data["public"] = True
    return data


def _record_to_data(record: Record) -> dict[str, Any]:
    kinds = record.workflow.fields
    history = record.history
    rows = history._rows
    return {
        "record_type": registry.record_type_name(type(record)),
        "number": record.number,
        "workflow": {"name": record.workflow.name, "version": record.workflow.version},
        "events": [_row_to_data(rows[i], kinds) for i in range(history._length)],
    }


def _record_from_data(raw: object, path: str) -> Record:
    data = only_keys(raw, path, _RECORD_KEYS, required=_RECORD_KEYS)
    cls = _guarded(
        at_key(path, "record_type"),
        lambda: registry.record_type(expect_text(data["record_type"], at_key(path, "record_type"))),
    )
    number = expect_text(data["number"], at_key(path, "number"))
    where = at_key(path, "workflow")
    ref = only_keys(data["workflow"], where, ("name", "version"), required=("name", "version"))
    name = expect_text(ref["name"], at_key(where, "name"))
    version = expect_int(ref["version"], at_key(where, "version"))
    flow = _guarded(where, lambda: registry.workflow(name, version))
    where = at_key(path, "events")
    rows = [
        _row_from_data(e, at_index(where, i), flow.fields)
        for i, e in enumerate(expect_list(data["events"], where))
    ]
    return replay_rows(flow, number, rows, record_type=cls, path=where)


register(Workflow, "workflow", unstructure=_workflow_to_data, structure=_workflow_from_data)
register(Record, "record", unstructure=_record_to_data, structure=_record_from_data)
