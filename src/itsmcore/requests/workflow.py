"""The default service request workflow (ServiceNow requested item states plus approval).

new → (awaiting_approval → approved | rejected) → work_in_progress ⇄ pending → closed
complete / closed incomplete / closed skipped. Items that need approval cannot start before it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from itsmcore.workflow import Attempt, FieldKind, State, Transition, Workflow, registry

__all__ = [
    "REQUEST_FIELDS",
    "REQUEST_FIELD_KINDS",
    "default_request_workflow",
    "request_workflow",
]

REQUEST_FIELD_KINDS: Mapping[str, FieldKind] = {
    "catalog_item": "text",
    "needs_approval": "bool",
    "requested_for": "text",
    "quantity": "int",
    "short_description": "text",
    "assignment_group": "text",
    "assigned_to": "text",
    "approval": "text",
    "approved_by": "text",
    "approved_at": "instant",
    "pending_reason": "text",
    "close_notes": "text",
}
"""The fields a service request may carry and the kind of each."""

REQUEST_FIELDS = frozenset(REQUEST_FIELD_KINDS)
"""The names of the service request fields."""


def _needs_approval(attempt: Attempt) -> bool | str:
    if attempt.record.fields.get("needs_approval"):
        return True
    item = attempt.record.fields.get("catalog_item")
    return f"catalog item {item!r} needs no approval; use 'start'"


def _approval_done_or_not_needed(attempt: Attempt) -> bool | str:
    if not attempt.record.fields.get("needs_approval"):
        return True
    item = attempt.record.fields.get("catalog_item")
    return f"catalog item {item!r} needs approval first; use 'request_approval'"


def _requested(attempt: Attempt) -> Mapping[str, object]:
    return {"approval": "requested"}


def _approved(attempt: Attempt) -> Mapping[str, object]:
    return {"approval": "approved", "approved_by": attempt.actor, "approved_at": attempt.at}


def _rejected(attempt: Attempt) -> Mapping[str, object]:
    return {"approval": "rejected"}


def _clear_pending(attempt: Attempt) -> Mapping[str, object]:
    return {"pending_reason": None}


registry.register_guard("request.needs_approval", _needs_approval)
registry.register_guard("request.approval_done_or_not_needed", _approval_done_or_not_needed)
registry.register_hook("request.requested", _requested)
registry.register_hook("request.approved", _approved)
registry.register_hook("request.rejected", _rejected)
registry.register_hook("request.clear_pending", _clear_pending)

_OPEN = ("new", "awaiting_approval", "work_in_progress", "pending")


@functools.cache
def default_request_workflow() -> Workflow:
    """The default request workflow, built once and registered as ``service_request`` v1."""
    return registry.register_workflow(request_workflow())


def request_workflow() -> Workflow:
    """ServiceNow-style requested item workflow with an approval step for items needing it.

    Rejecting needs a comment; pending needs a ``pending_reason``; closing incomplete or
    skipped needs ``close_notes``.
    """
    return Workflow(
        name="service_request",
        initial="new",
        states=[
            State(name="new"),
            State(name="awaiting_approval"),
            State(name="work_in_progress"),
            State(name="pending", requires="pending_reason"),
            State(name="closed_complete", final=True),
            State(name="closed_incomplete", final=True, requires="close_notes"),
            State(name="closed_skipped", final=True, requires="close_notes"),
        ],
        transitions=[
            Transition(
                name="request_approval",
                sources="new",
                target="awaiting_approval",
                guards=[_needs_approval],
                hooks=[_requested],
            ),
            Transition(
                name="approve",
                sources="awaiting_approval",
                target="work_in_progress",
                hooks=[_approved],
            ),
            Transition(
                name="reject",
                sources="awaiting_approval",
                target="closed_incomplete",
                requires="comment",
                hooks=[_rejected],
            ),
            Transition(
                name="start",
                sources="new",
                target="work_in_progress",
                guards=[_approval_done_or_not_needed],
            ),
            Transition(name="pend", sources="work_in_progress", target="pending"),
            Transition(
                name="resume", sources="pending", target="work_in_progress", hooks=[_clear_pending]
            ),
            Transition(name="complete", sources="work_in_progress", target="closed_complete"),
            Transition(
                name="close_incomplete",
                sources=("work_in_progress", "pending"),
                target="closed_incomplete",
            ),
            Transition(name="skip", sources=_OPEN, target="closed_skipped"),
        ],
        fields=REQUEST_FIELD_KINDS,
        protected_fields=(
            "catalog_item",
            "needs_approval",
            "approval",
            "approved_by",
            "approved_at",
        ),
    )


default_request_workflow()  # registered when the package loads, so stored requests find it
