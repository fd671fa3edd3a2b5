"""Workflows as data: build a :class:`Workflow` from a dict (e.g. loaded from JSON or YAML).

Guards, hooks and requirements are named references to callables you register in code,
never code in the data; unknown keys and unknown names raise
:class:`~itsmcore.errors.ConfigurationError` listing what is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from itsmcore.errors import ConfigurationError, allowed_list
from itsmcore.workflow.definition import Guard, Hook, Requirement, State, Transition, Workflow

__all__ = ["workflow_from_dict", "workflow_to_dict"]

T = TypeVar("T")

_WORKFLOW_KEYS = {"name", "initial", "states", "transitions", "field_names", "protected_fields"}
_STATE_KEYS = {"name", "final", "requires", "label"}
_TRANSITION_KEYS = {"name", "from", "to", "guards", "requires", "requirements", "hooks", "label"}


def _check_keys(where: str, data: object, allowed: set[str]) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"{where} must be a mapping, got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise ConfigurationError(
            f"{where} has unknown key(s) {allowed_list(unknown)}; allowed: "
            f"{allowed_list(sorted(allowed))}"
        )
    return data


def _strings(where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigurationError(f"{where} must be a name or a list of names, got {value!r}")


def _resolve(where: str, names: tuple[str, ...], registry: Mapping[str, T], kind: str) -> list[T]:
    missing = [n for n in names if n not in registry]
    if missing:
        raise ConfigurationError(
            f"{where} names unregistered {kind}(s) {allowed_list(missing)}; "
            f"registered: {allowed_list(sorted(registry))}"
        )
    return [registry[n] for n in names]


def _text(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"{where} must be text, got {value!r}")
    return value


def workflow_from_dict(
    data: Mapping[str, object],
    *,
    guards: Mapping[str, Guard] | None = None,
    hooks: Mapping[str, Hook] | None = None,
    requirements: Mapping[str, Requirement] | None = None,
) -> Workflow:
    """Build and validate a workflow from plain data.

    ``{"name", "initial", "states": [{"name", "final", "requires", "label"}], "transitions":
    [{"name", "from", "to", "guards", "requires", "requirements", "hooks", "label"}]}``;
    guard, hook and requirement names are looked up in the given registries.
    """
    top = _check_keys("workflow", data, _WORKFLOW_KEYS)
    name = _text("workflow 'name'", top.get("name"))
    states_data = top.get("states")
    transitions_data = top.get("transitions", [])
    if not isinstance(states_data, list) or not isinstance(transitions_data, list):
        raise ConfigurationError("workflow 'states' and 'transitions' must be lists")
    states = []
    for index, raw in enumerate(states_data):
        item = _check_keys(f"state #{index + 1}", raw, _STATE_KEYS)
        final = item.get("final", False)
        if not isinstance(final, bool):
            raise ConfigurationError(f"state #{index + 1} 'final' must be true or false")
        label = item.get("label")
        states.append(
            State(
                name=_text(f"state #{index + 1} 'name'", item.get("name")),
                final=final,
                requires=_strings(f"state #{index + 1} 'requires'", item.get("requires")),
                label=None if label is None else _text(f"state #{index + 1} 'label'", label),
            )
        )
    transitions = []
    for index, raw in enumerate(transitions_data):
        where = f"transition #{index + 1}"
        item = _check_keys(where, raw, _TRANSITION_KEYS)
        label = item.get("label")
        transitions.append(
            Transition(
                name=_text(f"{where} 'name'", item.get("name")),
                sources=_strings(f"{where} 'from'", item.get("from")),
                target=_text(f"{where} 'to'", item.get("to")),
                guards=_resolve(
                    where, _strings(f"{where} 'guards'", item.get("guards")), guards or {}, "guard"
                ),
                hooks=_resolve(
                    where, _strings(f"{where} 'hooks'", item.get("hooks")), hooks or {}, "hook"
                ),
                requirements=_resolve(
                    where,
                    _strings(f"{where} 'requirements'", item.get("requirements")),
                    requirements or {},
                    "requirement",
                ),
                requires=_strings(f"{where} 'requires'", item.get("requires")),
                label=None if label is None else _text(f"{where} 'label'", label),
            )
        )
    field_names = top.get("field_names")
    return Workflow(
        name=name,
        initial=_text("workflow 'initial'", top.get("initial")),
        states=states,
        transitions=transitions,
        field_names=None if field_names is None else _strings("'field_names'", field_names),
        protected_fields=_strings("'protected_fields'", top.get("protected_fields")),
    )


def _name_of(item: object, registry: Mapping[str, object], kind: str, where: str) -> str:
    for name, value in registry.items():
        if value is item:
            return name
    raise ConfigurationError(
        f"{where}: {kind} {item!r} is not in the registry; register it by name to export it"
    )


def workflow_to_dict(
    workflow: Workflow,
    *,
    guards: Mapping[str, Guard] | None = None,
    hooks: Mapping[str, Hook] | None = None,
    requirements: Mapping[str, Requirement] | None = None,
) -> dict[str, object]:
    """The data form of ``workflow`` (callables named through the registries).

    Field rules are code only and are not exported; a workflow with field rules raises.
    """
    if workflow.field_rules or any(s.requirements for s in workflow.states):
        raise ConfigurationError(
            f"workflow {workflow.name!r} has field rules or state requirements, which have "
            "no data form; export a workflow without them"
        )
    states: list[dict[str, object]] = []
    for s in workflow.states:
        state: dict[str, object] = {"name": s.name}
        if s.final:
            state["final"] = True
        if s.requires:
            state["requires"] = sorted(s.requires)
        if s.label is not None:
            state["label"] = s.label
        states.append(state)
    transitions: list[dict[str, object]] = []
    for t in workflow.transitions:
        where = f"transition {t.name!r}"
        item: dict[str, object] = {"name": t.name, "from": sorted(t.sources), "to": t.target}
        if t.guards:
            item["guards"] = [_name_of(g, guards or {}, "guard", where) for g in t.guards]
        if t.hooks:
            item["hooks"] = [_name_of(h, hooks or {}, "hook", where) for h in t.hooks]
        if t.requirements:
            item["requirements"] = [
                _name_of(r, requirements or {}, "requirement", where) for r in t.requirements
            ]
        if t.requires:
            item["requires"] = sorted(t.requires)
        if t.label is not None:
            item["label"] = t.label
        transitions.append(item)
    data: dict[str, object] = {
        "name": workflow.name,
        "initial": workflow.initial,
        "states": states,
        "transitions": transitions,
    }
    if workflow.field_names is not None:
        data["field_names"] = sorted(workflow.field_names)
    if workflow.protected_fields:
        data["protected_fields"] = sorted(workflow.protected_fields)
    return data
