"""The service request record, its approval status and ServiceNow's closure roll-up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from itsmcore.errors import ValidationError
from itsmcore.requests.catalog import CatalogItem
from itsmcore.requests.workflow import default_request_workflow
from itsmcore.workflow import Event, Record, Workflow, registry, start

__all__ = [
    "ApprovalStatus",
    "ServiceRequest",
    "approval_status",
    "open_request",
    "rollup_closure",
]

ApprovalStatus = Literal["not_required", "not_yet_requested", "requested", "approved", "rejected"]
_CLOSED = ("closed_complete", "closed_incomplete", "closed_skipped")


class ServiceRequest(Record):
    """A service request snapshot: typed views over its fields."""

    __slots__ = ()

    @property
    def catalog_item(self) -> str | None:
        """The requested catalog item's name."""
        return self.text("catalog_item")

    @property
    def requested_for(self) -> str | None:
        """Who the request is for."""
        return self.text("requested_for")

    @property
    def quantity(self) -> int:
        """How many."""
        return self.count("quantity")

    @property
    def approval(self) -> str | None:
        """Approval status stored by the workflow's hooks (see :func:`approval_status`)."""
        return self.text("approval")

    @property
    def approved_at(self) -> datetime | None:
        """When it was approved."""
        return self.instant("approved_at")


def open_request(
    number: str,
    *,
    at: datetime,
    actor: str,
    item: CatalogItem,
    requested_for: str,
    quantity: int = 1,
    fields: Mapping[str, object] | None = None,
    workflow: Workflow | None = None,
) -> ServiceRequest:
    """Log a request for ``item`` (state ``new``); approval status follows the item."""
    if not isinstance(item, CatalogItem):
        raise ValidationError(f"'item' must be a CatalogItem, got {item!r}")
    if type(quantity) is not int or quantity < 1:
        raise ValidationError(f"'quantity' must be a whole number >= 1, got {quantity!r}")
    values: dict[str, object] = {
        "catalog_item": item.name,
        "needs_approval": item.needs_approval,
        "requested_for": requested_for,
        "quantity": quantity,
        "approval": "not_yet_requested" if item.needs_approval else "not_required",
        "assignment_group": item.fulfilment_group,
    }
    flow = default_request_workflow() if workflow is None else workflow
    return start(
        flow,
        number=number,
        at=at,
        actor=actor,
        fields=fields,
        initial=values,
        record_type=ServiceRequest,
    )


def approval_status(history: Iterable[Event]) -> ApprovalStatus:
    """The approval status, recomputed from the history alone."""
    status: ApprovalStatus = "not_required"
    for event in history:
        if event.kind == "created":
            needs = event.changes.get("needs_approval", (None, False))[1]
            status = "not_yet_requested" if needs else "not_required"
        elif event.transition == "request_approval":
            status = "requested"
        elif event.transition == "approve":
            status = "approved"
        elif event.transition == "reject":
            status = "rejected"
    return status


def rollup_closure(states: Iterable[str]) -> str | None:
    """The closed state a parent takes from its children's states (ServiceNow's roll-up).

    Any child closed incomplete → ``closed_incomplete``; all skipped → ``closed_skipped``;
    otherwise, once every child is closed, ``closed_complete``. ``None`` while a child is
    still open (or there are no children).
    """
    found = list(states)
    bad = [s for s in found if not isinstance(s, str)]
    if bad:
        raise ValidationError(f"child states must be state names (str), got {bad!r}")
    if not found or any(s not in _CLOSED for s in found):
        return None
    if "closed_incomplete" in found:
        return "closed_incomplete"
    if all(s == "closed_skipped" for s in found):
        return "closed_skipped"
    return "closed_complete"


registry.register_record_type("service_request", ServiceRequest)
