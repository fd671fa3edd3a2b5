"""The default incident workflow, following ServiceNow's incident state model.

new → in_progress ⇄ on_hold → resolved → closed, with cancel from any open state and reopen
from resolved back to in_progress. Priority follows impact and urgency through a priority
matrix (ServiceNow's by default); every change of either is a recorded update.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Protocol

from itsmcore.errors import ConfigurationError, UnknownValueError, allowed_list
from itsmcore.workflow import Attempt, FieldRule, State, Transition, Workflow

__all__ = [
    "HOLD_REASONS",
    "INCIDENT_FIELDS",
    "PriorityLevel",
    "PriorityLookup",
    "default_incident_workflow",
    "default_matrix",
    "incident_workflow",
]

HOLD_REASONS = ("awaiting_caller", "awaiting_change", "awaiting_problem", "awaiting_vendor")
"""ServiceNow's On hold reasons."""

INCIDENT_FIELDS = frozenset(
    {
        "caller",
        "short_description",
        "description",
        "category",
        "subcategory",
        "configuration_item",
        "service",
        "assignment_group",
        "assigned_to",
        "impact",
        "urgency",
        "priority",
        "priority_label",
        "hold_reason",
        "resolution_code",
        "resolution_notes",
        "resolved_at",
        "resolved_by",
        "reopen_count",
        "last_reopened_at",
        "last_reopened_by",
        "reassignment_count",
    }
)
"""The fields an incident may carry (others are refused with the list of these)."""

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


def _priority_rule(matrix: PriorityLookup) -> FieldRule:
    def compute(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
        impact, urgency = new.get("impact"), new.get("urgency")
        if impact is None or urgency is None:
            return {"priority": None, "priority_label": None}
        level = matrix.lookup(impact, urgency)  # type: ignore[arg-type]
        return {"priority": level.value, "priority_label": level.label}

    return FieldRule(name="priority", watch=("impact", "urgency"), compute=compute)


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


def _caller_comment(attempt: Attempt) -> Iterable[str]:
    return ("comment",) if attempt.value("hold_reason") == "awaiting_caller" else ()


def _clear_hold(attempt: Attempt) -> Mapping[str, object]:
    return {"hold_reason": None}


def _stamp_resolution(attempt: Attempt) -> Mapping[str, object]:
    return {"resolved_at": attempt.at, "resolved_by": attempt.actor, "hold_reason": None}


def _stamp_reopen(attempt: Attempt) -> Mapping[str, object]:
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


_OPEN = ("new", "in_progress", "on_hold")


@functools.cache
def default_incident_workflow() -> Workflow:
    """The default incident workflow with ServiceNow's matrix, built once."""
    return incident_workflow()


def incident_workflow(matrix: PriorityLookup | None = None) -> Workflow:
    """ServiceNow's incident workflow; ``matrix`` computes priority (ServiceNow's by default).

    Resolving needs ``resolution_code`` and ``resolution_notes``; on hold needs a
    ``hold_reason`` (one of :data:`HOLD_REASONS`) and, for ``awaiting_caller``, a comment;
    reopening needs a comment saying why.
    """
    lookup = default_matrix() if matrix is None else matrix
    return Workflow(
        name="incident",
        initial="new",
        states=[
            State(name="new"),
            State(name="in_progress"),
            State(name="on_hold", requires="hold_reason", requirements=[_caller_comment]),
            State(name="resolved", requires=("resolution_code", "resolution_notes")),
            State(name="closed", final=True),
            State(name="canceled", final=True),
        ],
        transitions=[
            Transition(name="start", sources="new", target="in_progress"),
            Transition(name="hold", sources=("new", "in_progress"), target="on_hold"),
            Transition(name="resume", sources="on_hold", target="in_progress", hooks=[_clear_hold]),
            Transition(name="resolve", sources=_OPEN, target="resolved", hooks=[_stamp_resolution]),
            Transition(
                name="reopen",
                sources="resolved",
                target="in_progress",
                requires="comment",
                hooks=[_stamp_reopen],
            ),
            Transition(name="close", sources="resolved", target="closed"),
            Transition(name="cancel", sources=_OPEN, target="canceled"),
        ],
        field_rules=[
            FieldRule(name="hold_reason", watch="hold_reason", compute=_check_hold_reason),
            _priority_rule(lookup),
            FieldRule(
                name="reassignment_count", watch="assignment_group", compute=_count_reassignment
            ),
        ],
        field_names=INCIDENT_FIELDS,
        protected_fields=PROTECTED_FIELDS,
    )
