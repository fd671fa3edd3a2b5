"""The default problem workflow, following ServiceNow's (Madrid and later) problem model.

new → assess → root_cause_analysis → fix_in_progress → resolved → closed; from assess a
problem can be marked a duplicate, from root cause analysis its risk accepted; any open
problem can be canceled; re-analyse sends a fix in progress, resolved or closed problem
back to root cause analysis.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from itsmcore.errors import MissingFieldsError
from itsmcore.workflow import Attempt, FieldKind, FieldRule, State, Transition, Workflow, registry

__all__ = [
    "PROBLEM_FIELDS",
    "PROBLEM_FIELD_KINDS",
    "RESOLUTION_CODES",
    "default_problem_workflow",
    "problem_workflow",
]

RESOLUTION_CODES = ("fix_applied", "risk_accepted", "duplicate")
"""How a problem ends (ServiceNow's resolution codes); cancel is a state of its own."""

PROBLEM_FIELD_KINDS: Mapping[str, FieldKind] = {
    "short_description": "text",
    "description": "text",
    "category": "text",
    "service": "text",
    "configuration_item": "text",
    "assignment_group": "text",
    "assigned_to": "text",
    "impact": "level",
    "urgency": "level",
    "root_cause": "text",
    "fix_notes": "text",
    "workaround": "text",
    "known_error": "bool",
    "risk_accepted_reason": "text",
    "duplicate_of": "text",
    "resolution_code": "text",
    "resolved_at": "instant",
    "resolved_by": "text",
    "incidents": "names",
}
"""The fields a problem may carry and the kind of each."""

PROBLEM_FIELDS = frozenset(PROBLEM_FIELD_KINDS)
"""The names of the problem fields."""


def _not_itself(attempt: Attempt) -> bool | str:
    original = attempt.value("duplicate_of")
    if original == attempt.record.number:
        return f"a problem cannot be a duplicate of itself ({original})"
    return True


def _resolution(code: str, attempt: Attempt) -> Mapping[str, object]:
    return {"resolution_code": code, "resolved_at": attempt.at, "resolved_by": attempt.actor}


def resolution_duplicate(attempt: Attempt) -> Mapping[str, object]:
    """Hook: a duplicate ends with resolution code ``duplicate``, stamped."""
    return _resolution("duplicate", attempt)


def resolution_risk_accepted(attempt: Attempt) -> Mapping[str, object]:
    """Hook: accepting the risk ends with resolution code ``risk_accepted``, stamped."""
    return _resolution("risk_accepted", attempt)


def resolution_fix_applied(attempt: Attempt) -> Mapping[str, object]:
    """Hook: a fix ends with resolution code ``fix_applied``, stamped."""
    return _resolution("fix_applied", attempt)


def _complete_code(attempt: Attempt) -> Mapping[str, object]:
    if attempt.record.state == "fix_in_progress":
        return {
            "resolution_code": "fix_applied",
            "resolved_at": attempt.at,
            "resolved_by": attempt.actor,
        }
    return {}


def _fix_notes_when_fixing(attempt: Attempt) -> Iterable[str]:
    return ("fix_notes",) if attempt.record.state == "fix_in_progress" else ()


def _reopen_analysis(attempt: Attempt) -> Mapping[str, object]:
    return {"resolution_code": None, "resolved_at": None, "resolved_by": None}


def _known_error_needs_workaround(
    old: Mapping[str, object], new: Mapping[str, object]
) -> Mapping[str, object]:
    workaround = new.get("workaround")
    if new.get("known_error") and (not isinstance(workaround, str) or not workaround.strip()):
        raise MissingFieldsError(
            "a known error needs a workaround: set 'workaround' with 'known_error'"
        )
    return {}


def _known_error_rule(params: Mapping[str, object]) -> FieldRule:
    return FieldRule(
        name="problem.known_error",
        watch=("known_error", "workaround"),
        compute=_known_error_needs_workaround,
    )


registry.register_guard("problem.not_itself", _not_itself)
registry.register_hook("problem.resolution_duplicate", resolution_duplicate)
registry.register_hook("problem.resolution_risk_accepted", resolution_risk_accepted)
registry.register_hook("problem.resolution_fix_applied", resolution_fix_applied)
registry.register_hook("problem.complete_code", _complete_code)
registry.register_hook("problem.reopen_analysis", _reopen_analysis)
registry.register_requirement("problem.fix_notes_when_fixing", _fix_notes_when_fixing)
registry.register_field_rule("problem.known_error", _known_error_rule)

_OPEN = ("new", "assess", "root_cause_analysis", "fix_in_progress")


@functools.cache
def default_problem_workflow() -> Workflow:
    """The default problem workflow, built once and registered as ``problem`` version 1."""
    return registry.register_workflow(problem_workflow())


def problem_workflow() -> Workflow:
    """ServiceNow's problem workflow.

    Fixing needs a ``root_cause``; resolving (and completing from fix in progress) needs
    ``fix_notes``; accepting the risk needs ``risk_accepted_reason``; marking a duplicate
    needs ``duplicate_of``; canceling and re-analysing need a comment.
    """
    return Workflow(
        name="problem",
        initial="new",
        states=[
            State(name="new"),
            State(name="assess"),
            State(name="root_cause_analysis", label="Root cause analysis"),
            State(name="fix_in_progress"),
            State(name="resolved"),
            State(name="closed"),
            State(name="canceled", final=True),
        ],
        transitions=[
            Transition(name="assess", sources="new", target="assess"),
            Transition(name="confirm", sources="assess", target="root_cause_analysis"),
            Transition(
                name="mark_duplicate",
                sources=("new", "assess"),
                target="closed",
                requires="duplicate_of",
                guards=[_not_itself],
                hooks=[resolution_duplicate],
            ),
            Transition(
                name="fix",
                sources="root_cause_analysis",
                target="fix_in_progress",
                requires="root_cause",
            ),
            Transition(
                name="accept_risk",
                sources="root_cause_analysis",
                target="resolved",
                requires="risk_accepted_reason",
                hooks=[resolution_risk_accepted],
            ),
            Transition(
                name="resolve",
                sources="fix_in_progress",
                target="resolved",
                requires="fix_notes",
                hooks=[resolution_fix_applied],
            ),
            Transition(
                name="complete",
                sources=("fix_in_progress", "resolved"),
                target="closed",
                requirements=[_fix_notes_when_fixing],
                hooks=[_complete_code],
            ),
            Transition(
                name="reanalyse",
                sources=("fix_in_progress", "resolved", "closed"),
                target="root_cause_analysis",
                requires="comment",
                hooks=[_reopen_analysis],
            ),
            Transition(name="cancel", sources=_OPEN, target="canceled", requires="comment"),
        ],
        field_rules=[_known_error_rule({})],
        fields=PROBLEM_FIELD_KINDS,
        protected_fields=("resolution_code", "resolved_at", "resolved_by"),
    )


default_problem_workflow()  # registered when the package loads, so stored problems find it
