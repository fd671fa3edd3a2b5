"""The default problem workflow, following ServiceNow's (Madrid and later) problem model.

new → assess → root_cause_analysis → fix_in_progress → resolved → closed; from assess a
problem can be marked a duplicate, from root cause analysis its risk accepted; any open
problem can be canceled; re-analyse sends a fix in progress, resolved or closed problem
back to root cause analysis.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

from itsmcore.errors import MissingFieldsError
from itsmcore.workflow import Attempt, FieldRule, State, Transition, Workflow

__all__ = ["PROBLEM_FIELDS", "RESOLUTION_CODES", "default_problem_workflow", "problem_workflow"]

RESOLUTION_CODES = ("fix_applied", "risk_accepted", "duplicate")
"""How a problem ends (ServiceNow's resolution codes); cancel is a state of its own."""

PROBLEM_FIELDS = frozenset(
    {
        "short_description",
        "description",
        "category",
        "service",
        "configuration_item",
        "assignment_group",
        "assigned_to",
        "impact",
        "urgency",
        "root_cause",
        "fix_notes",
        "workaround",
        "known_error",
        "risk_accepted_reason",
        "duplicate_of",
        "resolution_code",
        "resolved_at",
        "resolved_by",
        "incidents",
    }
)
"""The fields a problem may carry."""


def _not_itself(attempt: Attempt) -> bool | str:
    original = attempt.value("duplicate_of")
    if original == attempt.record.number:
        return f"a problem cannot be a duplicate of itself ({original})"
    return True


def _code(code: str) -> Callable[[Attempt], Mapping[str, object]]:
    def hook(attempt: Attempt) -> Mapping[str, object]:
        return {"resolution_code": code, "resolved_at": attempt.at, "resolved_by": attempt.actor}

    hook.__name__ = f"resolution_{code}"
    return hook


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


_OPEN = ("new", "assess", "root_cause_analysis", "fix_in_progress")


@functools.cache
def default_problem_workflow() -> Workflow:
    """The default problem workflow, built once."""
    return problem_workflow()


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
                hooks=[_code("duplicate")],
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
                hooks=[_code("risk_accepted")],
            ),
            Transition(
                name="resolve",
                sources="fix_in_progress",
                target="resolved",
                requires="fix_notes",
                hooks=[_code("fix_applied")],
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
        field_rules=[
            FieldRule(
                name="known_error",
                watch=("known_error", "workaround"),
                compute=_known_error_needs_workaround,
            )
        ],
        field_names=PROBLEM_FIELDS,
        protected_fields=("resolution_code", "resolved_at", "resolved_by"),
    )
