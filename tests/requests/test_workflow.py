"""Service requests: approval when the item needs it, fulfilment, three ways to close."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import MissingFieldsError, TransitionRefusedError, ValidationError
from itsmcore.requests import (
    CatalogItem,
    ServiceRequest,
    approval_status,
    default_request_workflow,
    open_request,
    rollup_closure,
)
from itsmcore.testing._ticket_strategies import service_requests

T0 = pendulum.datetime(2026, 4, 1, 8, tz="UTC")
LAPTOP = CatalogItem(name="Laptop", needs_approval=True, fulfilment_group="hardware")
MOUSE = CatalogItem(name="Mouse")


def order(item: CatalogItem) -> ServiceRequest:
    return open_request("RITM0010001", at=T0, actor="sam", item=item, requested_for="sam")


def test_an_item_without_approval_starts_straight_away() -> None:
    request = order(MOUSE)
    assert (request.approval, request.catalog_item, request.quantity) == (
        "not_required",
        "Mouse",
        1,
    )
    with pytest.raises(TransitionRefusedError, match="'Mouse' needs no approval; use 'start'"):
        request.apply("request_approval", at=T0, actor="sam")
    done = request.apply("start", at=T0, actor="hw").apply(
        "complete", at=T0.add(hours=2), actor="hw"
    )
    assert done.state == "closed_complete"
    assert done.is_final


def test_an_item_needing_approval_cannot_start_before_it() -> None:
    request = order(LAPTOP)
    assert request.fields["assignment_group"] == "hardware"
    with pytest.raises(TransitionRefusedError, match="'Laptop' needs approval first"):
        request.apply("start", at=T0, actor="hw")
    asked = request.apply("request_approval", at=T0, actor="sam")
    approved = asked.apply("approve", at=T0.add(hours=1), actor="boss")
    assert (approved.state, approved.approval, approved.approved_at) == (
        "work_in_progress",
        "approved",
        T0.add(hours=1),
    )
    with pytest.raises(MissingFieldsError, match="'comment'"):
        asked.apply("reject", at=T0, actor="boss")
    with pytest.raises(MissingFieldsError, match="'close_notes'"):
        asked.apply("reject", at=T0, actor="boss", comment="budget")
    rejected = asked.apply(
        "reject", at=T0, actor="boss", comment="no budget", fields={"close_notes": "rejected"}
    )
    assert (rejected.state, rejected.approval) == ("closed_incomplete", "rejected")


def test_pending_and_closing_incomplete_or_skipped() -> None:
    working = order(MOUSE).apply("start", at=T0, actor="hw")
    with pytest.raises(MissingFieldsError, match="'pending_reason'"):
        working.apply("pend", at=T0, actor="hw")
    pending = working.apply("pend", at=T0, actor="hw", fields={"pending_reason": "stock"})
    resumed = pending.apply("resume", at=T0, actor="hw")
    assert "pending_reason" not in resumed.fields
    incomplete = pending.apply(
        "close_incomplete", at=T0, actor="hw", fields={"close_notes": "out of stock"}
    )
    assert incomplete.state == "closed_incomplete"
    skipped = order(MOUSE).apply("skip", at=T0, actor="hw", fields={"close_notes": "dup"})
    assert skipped.state == "closed_skipped"
    assert default_request_workflow().final_states == {
        "closed_complete",
        "closed_incomplete",
        "closed_skipped",
    }


def test_bad_orders_are_refused() -> None:
    with pytest.raises(ValidationError, match="'quantity'"):
        open_request("R1", at=T0, actor="a", item=MOUSE, requested_for="a", quantity=0)
    with pytest.raises(ValidationError, match="'item'"):
        open_request("R1", at=T0, actor="a", item="Mouse", requested_for="a")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'name'"):
        CatalogItem(name=" ")


@given(service_requests())
def test_stored_approval_equals_the_history(request: ServiceRequest) -> None:
    assert request.approval == approval_status(request.history)
    if request.state in ("work_in_progress", "pending", "closed_complete"):
        assert request.approval in ("approved", "not_required")


CLOSED = ["closed_complete", "closed_incomplete", "closed_skipped"]


@given(st.lists(st.sampled_from([*CLOSED, "work_in_progress", "new"]), max_size=6))
def test_rollup_follows_servicenows_rules(states: list[str]) -> None:
    result = rollup_closure(states)
    if not states or any(s not in CLOSED for s in states):
        assert result is None
    elif "closed_incomplete" in states:
        assert result == "closed_incomplete"
    elif set(states) == {"closed_skipped"}:
        assert result == "closed_skipped"
    else:
        assert result == "closed_complete"
        assert "closed_complete" in states


def test_rollup_rejects_non_states() -> None:
    with pytest.raises(ValidationError, match="state names"):
        rollup_closure([1])  # type: ignore[list-item]


def test_approval_cannot_be_forged_at_creation() -> None:
    with pytest.raises(ValidationError, match="field 'approval' is set by the workflow"):
        open_request(
            "R1", at=T0, actor="a", item=LAPTOP, requested_for="a", fields={"approval": "approved"}
        )
