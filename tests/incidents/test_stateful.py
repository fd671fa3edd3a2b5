"""Stateful test of the default incident workflow with the shipped state-machine factory."""

from __future__ import annotations

import pendulum
from hypothesis import settings

from itsmcore.incidents import (
    Incident,
    default_incident_workflow,
    open_incident,
    reassignment_count,
    reopen_count,
    resolution,
)
from itsmcore.testing._ticket_strategies import incident_fields_for, incident_updates
from itsmcore.testing._workflow_strategies import workflow_state_machine
from itsmcore.workflow import Record, Workflow


def new_incident(workflow: Workflow, at: pendulum.DateTime) -> Record:
    return open_incident(
        "INC0009999",
        at=at,
        actor="desk",
        caller="carla",
        short_description="printer on fire",
        impact=2,
        urgency=2,
        workflow=workflow,
    )


def derived_match(record: Record) -> None:
    assert isinstance(record, Incident)
    assert record.reopen_count == reopen_count(record.history)
    assert record.reassignment_count == reassignment_count(record.history)
    found = resolution(record.history)
    assert (record.resolved_at, record.resolved_by) == (found or (None, None))
    if record.state == "on_hold":
        assert record.hold_reason is not None


IncidentMachine = workflow_state_machine(
    default_incident_workflow(),
    new_record=new_incident,
    fields_for=incident_fields_for,
    updates=incident_updates(),
    checks=[derived_match],
)
IncidentMachine.TestCase.settings = settings(stateful_step_count=25)
TestIncidentWorkflow = IncidentMachine.TestCase
