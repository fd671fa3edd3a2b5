"""The shipped stateful-test factory on random valid workflows and on a hand-made one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from itsmcore.testing._workflow_strategies import workflow_state_machine, workflows
from itsmcore.workflow import Workflow


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given])
@given(workflows())
def test_random_workflows_keep_the_invariants(workflow: Workflow) -> None:
    machine = workflow_state_machine(
        workflow, updates=st.sampled_from([{"block": True}, {"block": None}, {"x": 1}])
    )
    run_state_machine_as_test(
        machine, settings=settings(max_examples=5, stateful_step_count=15, deadline=None)
    )


@given(workflows())
def test_random_workflows_are_valid_and_reachable(workflow: Workflow) -> None:
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        state = frontier.pop()
        for t in workflow.transitions:
            if state in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(workflow.state_names)
