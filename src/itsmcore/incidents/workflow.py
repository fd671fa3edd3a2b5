"""The default incident workflow, following ServiceNow's incident state model.

new → in_progress ⇄ on_hold → resolved → closed, with cancel from any open state and reopen
from resolved back to in_progress. Priority follows impact and urgency through a priority
matrix (ServiceNow's by default); every change of either is a recorded update.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Protocol

import attrs

from itsmcore.errors import ConfigurationError, ItsmError, UnknownValueError, allowed_list
from itsmcore.workflow import (
    Attempt,
    FieldKind,
    FieldRule,
    RequiredWhen,
    State,
    Transition,
    Workflow,
    registry,
)

__all__ = [
    "CALLER_COMMENT",
    "HOLD_REASONS",
    "INCIDENT_FIELDS",
    "INCIDENT_FIELD_KINDS",
    "PriorityFromMatrix",
    "PriorityLevel",
    "PriorityLookup",
    "clear_hold",
    "default_incident_workflow",
    "default_matrix",
    "incident_workflow",
    "stamp_reopen",
    "stamp_resolution",
]

HOLD_REASONS = ("awaiting_caller", "awaiting_change", "awaiting_problem", "awaiting_vendor")
"""ServiceNow's On hold reasons."""

INCIDENT_FIELD_KINDS: Mapping[str, FieldKind] = {
    "caller": "text",
    "short_description": "text",
    "description": "text",
    "category": "text",
    "subcategory": "text",
    "configuration_item": "text",
    "service": "text",
    "assignment_group": "text",
    "assigned_to": "text",
    "impact": "level",
    "urgency": "level",
    "priority": "int",
    "priority_label": "text",
    "hold_reason": "text",
    "resolution_code": "text",
    "resolution_notes": "text",
    "resolved_at": "instant",
    "resolved_by": "text",
    "reopen_count": "int",
    "last_reopened_at": "instant",
    "last_reopened_by": "text",
    "reassignment_count": "int",
}
"""The fields an incident may carry and the kind of each (others are refused)."""

INCIDENT_FIELDS = frozenset(INCIDENT_FIELD_KINDS)
"""The names of the incident fields."""

PROTECTED_FIELDS = frozenset(
    {
        "priority",
        "priority_label",
        "reopen_count",
        "reassignment_count",
        "resolved_at",
        "resolved_by",
        "last_reopened_at",
        "last_reopened_by",
    }
)
"""Fields only the workflow sets (from impact/urgency, or derived from the history)."""


class PriorityLevel(Protocol):
    """What a priority matrix returns: a level with a numeric value and a label."""

    @property
    def value(self) -> int: ...
    @property
    def label(self) -> str: ...


class PriorityLookup(Protocol):
    """Anything with ``lookup(impact, urgency)``, e.g. :class:`itsmcore.priority.PriorityMatrix`."""

    def lookup(self, impact: int | str, urgency: int | str, /) -> PriorityLevel: ...


def default_matrix() -> PriorityLookup:
    """ServiceNow's 3×3 priority matrix, from :mod:`itsmcore.priority`."""
    try:
        from itsmcore.priority import preset
    except ImportError as error:  # pragma: no cover - only before itsmcore.priority exists
        raise ConfigurationError(
            "itsmcore.priority is not available; pass matrix= to choose a priority matrix"
        ) from error
    matrix: PriorityLookup = preset("servicenow")
    return matrix


@attrs.frozen
class PriorityFromMatrix:
    """Computes ``priority`` and ``priority_label`` from impact and urgency with ``matrix``."""

    matrix: PriorityLookup

    def __call__(
        self, old: Mapping[str, object], new: Mapping[str, object]
    ) -> Mapping[str, object]:
        """The priority fields for the new impact and urgency (unset while either is)."""
        impact, urgency = new.get("impact"), new.get("urgency")
        if impact is None or urgency is None:
            return {"priority": None, "priority_label": None}
        level = self.matrix.lookup(impact, urgency)  # type: ignore[arg-type]
        return {"priority": level.value, "priority_label": level.label}


def _priority_rule(params: Mapping[str, object]) -> FieldRule:
    """The priority field rule; ``params["matrix"]`` is a matrix's data form (default:
    ServiceNow's)."""
    if "matrix" in params:
        from itsmcore.data import structure
        from itsmcore.priority import PriorityMatrix

        matrix: PriorityLookup = structure(params["matrix"], PriorityMatrix, path="$.matrix")
    else:
        matrix = default_matrix()
    return FieldRule(
        name="incident.priority",
        watch=("impact", "urgency"),
        compute=PriorityFromMatrix(matrix),
        params=params,
    )


def _count_reassignment(
    old: Mapping[str, object], new: Mapping[str, object]
) -> Mapping[str, object]:
    before, after = old.get("assignment_group"), new.get("assignment_group")
    if before is None or before == after:
        return {}
    count = old.get("reassignment_count") or 0
    return {"reassignment_count": int(count) + 1}  # type: ignore[call-overload]


def _check_hold_reason(
    old: Mapping[str, object], new: Mapping[str, object]
) -> Mapping[str, object]:
    reason = new.get("hold_reason")
    if reason is not None and reason not in HOLD_REASONS:
        raise UnknownValueError(
            f"unknown hold_reason {reason!r}; allowed: {allowed_list(HOLD_REASONS)}"
        )
    return {}


def _hold_reason_rule(params: Mapping[str, object]) -> FieldRule:
    return FieldRule(name="incident.hold_reason", watch="hold_reason", compute=_check_hold_reason)


def _reassignment_rule(params: Mapping[str, object]) -> FieldRule:
    return FieldRule(
        name="incident.reassignment_count",
        watch="assignment_group",
        compute=_count_reassignment,
    )


def clear_hold(attempt: Attempt) -> Mapping[str, object]:
    """Hook: leaving on hold clears the hold reason."""
    return {"hold_reason": None}


def stamp_resolution(attempt: Attempt) -> Mapping[str, object]:
    """Hook: resolving stamps who and when, and clears the hold reason."""
    return {"resolved_at": attempt.at, "resolved_by": attempt.actor, "hold_reason": None}


def stamp_reopen(attempt: Attempt) -> Mapping[str, object]:
    """Hook: reopening counts the reopen and clears the resolution."""
    count = attempt.record.fields.get("reopen_count") or 0
    return {
        "reopen_count": int(count) + 1,  # type: ignore[call-overload]
        "last_reopened_at": attempt.at,
        "last_reopened_by": attempt.actor,
        "resolved_at": None,
        "resolved_by": None,
        "resolution_code": None,
        "resolution_notes": None,
    }


registry.register_hook("incident.clear_hold", clear_hold)
registry.register_hook("incident.stamp_resolution", stamp_resolution)
registry.register_hook("incident.stamp_reopen", stamp_reopen)
registry.register_field_rule("incident.priority", _priority_rule)
registry.register_field_rule("incident.hold_reason", _hold_reason_rule)
registry.register_field_rule("incident.reassignment_count", _reassignment_rule)

CALLER_COMMENT = RequiredWhen(field="hold_reason", values=("awaiting_caller",), requires="comment")
"""On hold awaiting the caller needs a comment saying what is asked of them."""


_OPEN = ("new", "in_progress", "on_hold")


@functools.cache
def default_incident_workflow() -> Workflow:
    """The default incident workflow with ServiceNow's matrix, built once and registered as
    ``incident`` version 1."""
    return registry.register_workflow(incident_workflow())


def incident_workflow(
    matrix: PriorityLookup | None = None, *, name: str = "incident", version: int = 1
) -> Workflow:
    """ServiceNow's incident workflow; ``matrix`` computes priority (ServiceNow's by default).

    Resolving needs ``resolution_code`` and ``resolution_notes``; on hold needs a
    ``hold_reason`` (one of :data:`HOLD_REASONS`) and, for ``awaiting_caller``, a comment;
    reopening needs a comment saying why.
    """
    if matrix is None:
        priority = _priority_rule({})
    else:
        from itsmcore.data import unstructure

        try:
            priority = _priority_rule({"matrix": unstructure(matrix)})
        except ItsmError:  # a lookup without a data form still works, it just won't store
            priority = FieldRule(
                name="incident.priority",
                watch=("impact", "urgency"),
                compute=PriorityFromMatrix(matrix),
            )
    return Workflow(
        name=name,
        version=version,
        initial="new",
        states=[
            State(name="new"),
            State(name="in_progress"),
            State(name="on_hold", requires="hold_reason", requirements=[CALLER_COMMENT]),
            State(name="resolved", requires=("resolution_code", "resolution_notes")),
            State(name="closed", final=True),
            State(name="canceled", final=True),
        ],
        transitions=[
            Transition(name="start", sources="new", target="in_progress"),
            Transition(name="hold", sources=("new", "in_progress"), target="on_hold"),
            Transition(name="resume", sources="on_hold", target="in_progress", hooks=[clear_hold]),
            Transition(name="resolve", sources=_OPEN, target="resolved", hooks=[stamp_resolution]),
            Transition(
                name="reopen",
                sources="resolved",
                target="in_progress",
                requires="comment",
                hooks=[stamp_reopen],
            ),
            Transition(name="close", sources="resolved", target="closed"),
            Transition(name="cancel", sources=_OPEN, target="canceled"),
        ],
        field_rules=[_hold_reason_rule({}), priority, _reassignment_rule({})],
        fields=INCIDENT_FIELD_KINDS,
        protected_fields=PROTECTED_FIELDS,
    )


default_incident_workflow()  # registered when the package loads, so stored incidents find it
