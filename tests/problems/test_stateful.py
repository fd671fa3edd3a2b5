"""Stateful test of the default problem workflow with the shipped factory."""

from __future__ import annotations

import pendulum
from hypothesis import settings

from itsmcore.problems import Problem, default_problem_workflow, linked_incidents, open_problem
from itsmcore.testing._ticket_strategies import problem_fields_for, problem_updates
from itsmcore.testing._workflow_strategies import workflow_state_machine
from itsmcore.workflow import Record, Workflow


def new_problem(workflow: Workflow, at: pendulum.DateTime) -> Record:
    return open_problem("PRB0000042", at=at, actor="pm", short_description="VPN drops")


def problem_invariants(record: Record) -> None:
    assert isinstance(record, Problem)
    assert record.incidents == linked_incidents(record.history)
    if record.known_error:
        assert record.workaround
    if record.state in ("resolved", "closed"):
        assert record.resolution_code in ("fix_applied", "risk_accepted", "duplicate")


ProblemMachine = workflow_state_machine(
    default_problem_workflow(),
    new_record=new_problem,
    fields_for=problem_fields_for,
    updates=problem_updates(),
    checks=[problem_invariants],
)
ProblemMachine.TestCase.settings = settings(stateful_step_count=25)
TestProblemWorkflow = ProblemMachine.TestCase
