"""The declarative workflow engine every itsmcore ticket type runs on.

Define states and named transitions (with guards, required fields and hooks) as a
:class:`Workflow`; it is validated when built. Records are immutable snapshots: each
transition, field update or note returns a new :class:`Record` with one more history
:class:`Event`. Refused changes raise and change nothing. :func:`replay` rebuilds a record
from stored events; :mod:`itsmcore.workflow.registry` names workflows, ticket types, guards
and hooks so that records and workflows have a data form (:mod:`itsmcore.data`).
"""

from __future__ import annotations

from itsmcore.workflow import registry
from itsmcore.workflow._data import event_from_data, event_to_data
from itsmcore.workflow._replay import replay
from itsmcore.workflow.definition import (
    Attempt,
    FieldRule,
    Guard,
    Hook,
    RequiredWhen,
    Requirement,
    State,
    Transition,
    Workflow,
)
from itsmcore.workflow.engine import Option, Record, allowed, apply, explain, note, start, update
from itsmcore.workflow.fields import FIELD_KINDS, FieldKind
from itsmcore.workflow.history import Event, EventKind, History
from itsmcore.workflow.render import to_dot, to_mermaid
from itsmcore.workflow.validate import validate

__all__ = [
    "FIELD_KINDS",
    "Attempt",
    "Event",
    "EventKind",
    "FieldKind",
    "FieldRule",
    "Guard",
    "History",
    "Hook",
    "Option",
    "Record",
    "RequiredWhen",
    "Requirement",
    "State",
    "Transition",
    "Workflow",
    "allowed",
    "apply",
    "event_from_data",
    "event_to_data",
    "explain",
    "note",
    "registry",
    "replay",
    "start",
    "to_dot",
    "to_mermaid",
    "update",
    "validate",
]

registry.register_record_type("record", Record)
