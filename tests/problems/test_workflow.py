"""Problems: assess, root cause analysis, fix, known error, duplicates, re-analysis."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given

from itsmcore.errors import MissingFieldsError, TransitionRefusedError, ValidationError
from itsmcore.problems import (
    Problem,
    default_problem_workflow,
    link_incident,
    linked_incidents,
    mark_known_error,
    open_problem,
    reanalysis_count,
    unlink_incident,
)
from itsmcore.testing._ticket_strategies import problems

T0 = pendulum.datetime(2026, 5, 4, 10, tz="UTC")


def fresh() -> Problem:
    return open_problem(
        "PRB0040001", at=T0, actor="pm", short_description="VPN drops", incidents=["INC1"]
    )


def test_states_follow_servicenow() -> None:
    flow = default_problem_workflow()
    assert flow.state_names == (
        "new",
        "assess",
        "root_cause_analysis",
        "fix_in_progress",
        "resolved",
        "closed",
        "canceled",
    )
    assert flow.final_states == {"canceled"}
    assert flow.transitions_from("closed") == ("reanalyse",)


def test_fix_path_sets_resolution_codes() -> None:
    rca = fresh().apply("assess", at=T0, actor="pm").apply("confirm", at=T0, actor="pm")
    with pytest.raises(MissingFieldsError, match="'root_cause'"):
        rca.apply("fix", at=T0, actor="pm")
    fixing = rca.apply("fix", at=T0, actor="pm", fields={"root_cause": "expired certificate"})
    resolved = fixing.apply(
        "resolve", at=T0.add(days=1), actor="eng", fields={"fix_notes": "renewed"}
    )
    assert (resolved.resolution_code, resolved.root_cause) == ("fix_applied", "expired certificate")
    closed = resolved.apply("complete", at=T0.add(days=2), actor="pm")
    assert closed.state == "closed"
    again = closed.apply("reanalyse", at=T0.add(days=9), actor="pm", comment="it came back")
    assert (again.state, again.resolution_code) == ("root_cause_analysis", None)
    assert reanalysis_count(again.history) == 1


def test_complete_from_fix_in_progress_needs_fix_notes() -> None:
    fixing = (
        fresh()
        .apply("assess", at=T0, actor="pm")
        .apply("confirm", at=T0, actor="pm")
        .apply("fix", at=T0, actor="pm", fields={"root_cause": "rc"})
    )
    with pytest.raises(MissingFieldsError, match="'fix_notes'"):
        fixing.apply("complete", at=T0, actor="pm")
    done = fixing.apply("complete", at=T0, actor="pm", fields={"fix_notes": "patched"})
    assert done.resolution_code == "fix_applied"


def test_accept_risk_duplicate_and_cancel() -> None:
    rca = fresh().apply("assess", at=T0, actor="pm").apply("confirm", at=T0, actor="pm")
    accepted = rca.apply(
        "accept_risk", at=T0, actor="pm", fields={"risk_accepted_reason": "retiring"}
    )
    assert (accepted.state, accepted.resolution_code) == ("resolved", "risk_accepted")
    with pytest.raises(TransitionRefusedError, match="duplicate of itself"):
        fresh().apply("mark_duplicate", at=T0, actor="pm", fields={"duplicate_of": "PRB0040001"})
    duplicate = fresh().apply(
        "mark_duplicate", at=T0, actor="pm", fields={"duplicate_of": "PRB0000007"}
    )
    assert (duplicate.state, duplicate.resolution_code) == ("closed", "duplicate")
    with pytest.raises(MissingFieldsError, match="'comment'"):
        fresh().apply("cancel", at=T0, actor="pm")
    assert fresh().apply("cancel", at=T0, actor="pm", comment="not a problem").is_final


def test_known_error_needs_a_workaround() -> None:
    problem = fresh()
    with pytest.raises(MissingFieldsError, match="needs a workaround"):
        problem.update({"known_error": True}, at=T0, actor="pm")
    known = mark_known_error(problem, workaround="reconnect with split tunnel", at=T0, actor="pm")
    assert (known.known_error, known.workaround) == (True, "reconnect with split tunnel")
    with pytest.raises(MissingFieldsError):
        known.update({"workaround": ""}, at=T0, actor="pm")


def test_linking_incidents_is_recorded() -> None:
    problem = link_incident(fresh(), "INC2", at=T0, actor="pm")
    assert problem.incidents == {"INC1", "INC2"}
    assert link_incident(problem, "INC2", at=T0, actor="pm") is problem
    fewer = unlink_incident(problem, "INC1", at=T0, actor="pm")
    assert fewer.incidents == {"INC2"}
    assert linked_incidents(fewer.history) == {"INC2"}
    with pytest.raises(ValidationError, match="not linked to 'INC9'; linked: \\['INC2'\\]"):
        unlink_incident(fewer, "INC9", at=T0, actor="pm")
    with pytest.raises(ValidationError, match="non-empty"):
        link_incident(fewer, " ", at=T0, actor="pm")


@given(problems())
def test_derived_values_equal_the_history(problem: Problem) -> None:
    assert problem.incidents == linked_incidents(problem.history)
    assert reanalysis_count(problem.history) == [e.transition for e in problem.history].count(
        "reanalyse"
    )
    if problem.state in ("resolved",):
        assert problem.resolution_code in ("fix_applied", "risk_accepted")
    if problem.state == "root_cause_analysis":
        assert problem.resolution_code is None
