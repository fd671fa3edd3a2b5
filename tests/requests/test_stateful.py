"""Stateful test of the default service request workflow with the shipped factory."""

from __future__ import annotations

import pendulum
from hypothesis import settings
from hypothesis import strategies as st

from itsmcore.requests import (
    CatalogItem,
    ServiceRequest,
    approval_status,
    default_request_workflow,
    open_request,
)
from itsmcore.testing._ticket_strategies import request_fields_for
from itsmcore.testing._workflow_strategies import workflow_state_machine
from itsmcore.workflow import Record, Workflow


def new_request(workflow: Workflow, at: pendulum.DateTime) -> Record:
    item = CatalogItem(name="Laptop", needs_approval=at.day % 2 == 0)
    return open_request("RITM0000001", at=at, actor="sam", item=item, requested_for="sam")


def approval_matches(record: Record) -> None:
    assert isinstance(record, ServiceRequest)
    assert record.approval == approval_status(record.history)
    if record.fields["needs_approval"] and record.state == "work_in_progress":
        assert record.approval == "approved"


RequestMachine = workflow_state_machine(
    default_request_workflow(),
    new_record=new_request,
    fields_for=request_fields_for,
    updates=st.sampled_from([{"assigned_to": "hw"}, {"quantity": 2}, {"approval": None}]),
    checks=[approval_matches],
)
RequestMachine.TestCase.settings = settings(stateful_step_count=25)
TestRequestWorkflow = RequestMachine.TestCase
