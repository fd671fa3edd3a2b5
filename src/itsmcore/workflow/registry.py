"""Names for workflows, record types, guards, hooks, requirements and field rules.

A stored record names its workflow (name and version) and its type; a workflow written as
data names its guards, hooks, requirements and field rules. This registry maps those names
to the Python objects, so stored data is rebuilt on the right workflow and a workflow can be
written as data that refers to the shipped guards and hooks. The shipped ticket types
register theirs when imported (names are prefixed: ``incident.stamp_resolution``).

A name is bound once: registering the same object again is a no-op, registering another
object under a taken name raises :class:`~itsmcore.errors.DuplicateError`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from itsmcore.errors import DuplicateError, UnknownValueError, ValidationError, allowed_list
from itsmcore.workflow.definition import FieldRule, Guard, Hook, Requirement, Workflow

if TYPE_CHECKING:
    from itsmcore.workflow.engine import Record

__all__ = [
    "FieldRuleFactory",
    "field_rule",
    "guard",
    "hook",
    "is_registered",
    "name_of",
    "record_type",
    "record_type_name",
    "register_field_rule",
    "register_guard",
    "register_hook",
    "register_record_type",
    "register_requirement",
    "register_workflow",
    "requirement",
    "workflow",
    "workflows",
]

T = TypeVar("T")

FieldRuleFactory = Callable[[Mapping[str, object]], FieldRule]
"""Builds a field rule from its ``params`` (data); the rule's ``params`` must equal them."""

_SHIPPED = ("itsmcore.incidents", "itsmcore.requests", "itsmcore.problems", "itsmcore.changes")
"""Packages whose import registers the shipped ticket types (loaded on first look-up)."""

_lock = threading.RLock()
_guards: dict[str, Guard] = {}
_hooks: dict[str, Hook] = {}
_requirements: dict[str, Requirement] = {}
_rules: dict[str, FieldRuleFactory] = {}
_workflows: dict[tuple[str, int], Workflow] = {}
_record_types: dict[str, type[Record]] = {}
_shipped_loaded = False


def _load_shipped() -> None:
    global _shipped_loaded
    if _shipped_loaded:
        return
    _shipped_loaded = True
    for package in _SHIPPED:
        try:
            importlib.import_module(package)
        except ModuleNotFoundError as error:
            if error.name != package:
                raise


def _check_name(name: object, kind: str) -> str:
    if type(name) is not str or not name.strip():
        raise ValidationError(f"a {kind} is registered under a non-blank name, got {name!r}")
    return name


def _bind(table: dict[str, T], name: object, value: T, kind: str) -> T:
    key = _check_name(name, kind)
    if not callable(value) and kind != "record type":
        raise ValidationError(f"a {kind} must be callable, got {value!r}")
    with _lock:
        known = table.get(key)
        if known is not None and known is not value:
            raise DuplicateError(f"{kind} name {key!r} is taken by {known!r}")
        table[key] = value
    return value


def _find(table: Mapping[str, T], name: object, kind: str) -> T:
    _load_shipped()
    found = table.get(name) if type(name) is str else None
    if found is None:
        raise UnknownValueError(
            f"no {kind} registered as {name!r}; registered: {allowed_list(sorted(table))}"
        )
    return found


def register_guard(name: str, guard: Guard) -> Guard:
    """Register ``guard`` under ``name``; returns it (usable as a decorator's body)."""
    return _bind(_guards, name, guard, "guard")


def register_hook(name: str, hook: Hook) -> Hook:
    """Register ``hook`` under ``name``."""
    return _bind(_hooks, name, hook, "hook")


def register_requirement(name: str, requirement: Requirement) -> Requirement:
    """Register a conditional requirement (a callable) under ``name``."""
    return _bind(_requirements, name, requirement, "requirement")


def register_field_rule(name: str, factory: FieldRuleFactory) -> FieldRuleFactory:
    """Register the factory that builds field rule ``name`` from its ``params``."""
    return _bind(_rules, name, factory, "field rule")


def register_workflow(flow: Workflow) -> Workflow:
    """Register ``flow`` under its name and version (an equal workflow is accepted again)."""
    if not isinstance(flow, Workflow):
        raise ValidationError(f"expected a Workflow to register, got {flow!r}")
    key = (flow.name, flow.version)
    with _lock:
        known = _workflows.get(key)
        if known is not None and known != flow:
            raise DuplicateError(
                f"workflow {flow.name!r} version {flow.version} is registered already with "
                "another definition; register the changed one as a new version"
            )
        if known is None:
            _workflows[key] = flow
    return flow


def register_record_type(name: str, cls: type[Record]) -> type[Record]:
    """Register a ticket type (a :class:`~itsmcore.workflow.Record` subclass) under ``name``."""
    from itsmcore.workflow.engine import Record

    if not (isinstance(cls, type) and issubclass(cls, Record)):
        raise ValidationError(f"a record type must be a Record subclass, got {cls!r}")
    return _bind(_record_types, name, cls, "record type")


def guard(name: str) -> Guard:
    """The guard registered as ``name``."""
    return _find(_guards, name, "guard")


def hook(name: str) -> Hook:
    """The hook registered as ``name``."""
    return _find(_hooks, name, "hook")


def requirement(name: str) -> Requirement:
    """The requirement registered as ``name``."""
    return _find(_requirements, name, "requirement")


def field_rule(name: str, params: Mapping[str, object] | None = None) -> FieldRule:
    """The field rule ``name`` built from ``params``."""
    factory = _find(_rules, name, "field rule")
    return factory({} if params is None else params)


def record_type(name: str) -> type[Record]:
    """The ticket type registered as ``name``."""
    return _find(_record_types, name, "record type")


def record_type_name(cls: type[Record]) -> str:
    """The name ``cls`` is registered under (``"record"`` for the plain Record)."""
    _load_shipped()
    for name, known in _record_types.items():
        if known is cls:
            return name
    raise UnknownValueError(
        f"record type {cls.__qualname__} is not registered; "
        "call register_record_type(name, cls) to store it"
    )


def workflow(name: str, version: int | None = None) -> Workflow:
    """The workflow registered as ``name`` (``version``, or the newest one)."""
    _load_shipped()
    versions = sorted(v for (n, v) in _workflows if n == name)
    if not versions:
        raise UnknownValueError(
            f"no workflow registered as {name!r}; registered: "
            f"{allowed_list(sorted({n for n, _ in _workflows}))}"
        )
    if version is None:
        return _workflows[(name, versions[-1])]
    found = _workflows.get((name, version)) if type(version) is int else None
    if found is None:
        raise UnknownValueError(
            f"workflow {name!r} has no version {version!r}; registered versions: "
            f"{allowed_list(versions)}"
        )
    return found


def is_registered(flow: Workflow) -> bool:
    """Whether ``flow`` itself is the workflow registered under its name and version."""
    return _workflows.get((flow.name, flow.version)) is flow


def workflows() -> tuple[Workflow, ...]:
    """Every registered workflow, by name then version."""
    _load_shipped()
    return tuple(_workflows[key] for key in sorted(_workflows))


def name_of(item: object, kind: str) -> str:
    """The name a guard / hook / requirement / field rule is registered under."""
    _load_shipped()
    if kind == "field rule":
        if isinstance(item, FieldRule) and item.name in _rules:
            return item.name
        raise UnknownValueError(
            f"field rule {getattr(item, 'name', item)!r} is not registered; register its "
            "factory with register_field_rule(name, factory) to write it as data"
        )
    tables: dict[str, Mapping[str, object]] = {
        "guard": _guards,
        "hook": _hooks,
        "requirement": _requirements,
    }
    table = tables[kind]
    for name, value in table.items():
        if value is item:
            return name
    raise UnknownValueError(
        f"{kind} {getattr(item, '__name__', item)!r} is not registered; register it with "
        f"register_{kind}(name, {kind}) to write the workflow as data"
    )
