"""The declarative workflow engine every itsmcore ticket type runs on.

Define states and named transitions (with guards, required fields and hooks) as a
:class:`Workflow`; it is validated when built. Records are immutable snapshots: each
transition, field update or note returns a new :class:`Record` with one more history
:class:`Event`. Refused transitions raise and change nothing.
"""

from __future__ import annotations

from itsmcore.workflow.definition import (
    Attempt,
    FieldRule,
    Guard,
    Hook,
    Requirement,
    State,
    Transition,
    Workflow,
)
from itsmcore.workflow.engine import Option, Record, allowed, apply, explain, note, start, update
from itsmcore.workflow.history import Event, EventKind, History
from itsmcore.workflow.loader import workflow_from_dict, workflow_to_dict
from itsmcore.workflow.render import to_dot, to_mermaid
from itsmcore.workflow.validate import validate

__all__ = [
    "Attempt",
    "Event",
    "EventKind",
    "FieldRule",
    "Guard",
    "History",
    "Hook",
    "Option",
    "Record",
    "Requirement",
    "State",
    "Transition",
    "Workflow",
    "allowed",
    "apply",
    "explain",
    "note",
    "start",
    "to_dot",
    "to_mermaid",
    "update",
    "validate",
    "workflow_from_dict",
    "workflow_to_dict",
]
