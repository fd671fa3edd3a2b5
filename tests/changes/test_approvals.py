"""Staged approvals: stage rules, segregation of duties, delegation, and their invariants."""

from __future__ import annotations

import contextlib
import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.changes import (
    ApprovalPolicy,
    Change,
    Delegation,
    PolicyCondition,
    PolicyRule,
    Stage,
    decide,
    open_change,
    stage_outcome,
    submit,
)
from itsmcore.errors import ConfigurationError, ItsmError, TransitionRefusedError, ValidationError
from itsmcore.testing._change_strategies import (
    BASE,
    approval_policies,
    approval_stages,
    decision_attempts,
    delegations,
)

ROLES = {"requester": "ann", "assigned_to": "ben", "implementer": "cat"}
PLANS = {"implementation_plan": "do", "backout_plan": "undo", "test_plan": "check"}


def new_change(at: datetime = BASE, **extra: object) -> Change:
    return open_change(
        "CHG1",
        at=at,
        actor="ann",
        requester="ann",
        short_description="Upgrade the database",
        affected_cis=["db"],
        fields={"assigned_to": "ben", "implementer": "cat", **PLANS, **extra},
    )


def one_stage(stage: Stage) -> ApprovalPolicy:
    return ApprovalPolicy(rules=[PolicyRule(name="all", stages=[stage])])


def eligible(stage: Stage) -> frozenset[str]:
    return frozenset(stage.users) - set(ROLES.values())


def required(stage: Stage, n: int) -> int:
    return {
        "any": 1,
        "all": n,
        "count": stage.count or 0,
        "percent": max(1, math.ceil(n * (stage.percent or 0) / 100)),
    }[stage.rule]


# -- examples -----------------------------------------------------------------------------------


def test_technical_approval_then_cab_then_schedule() -> None:
    policy = ApprovalPolicy(
        rules=[
            PolicyRule(
                name="normal",
                stages=[
                    Stage(name="technical", state="assess", groups=["dba"]),
                    Stage(name="cab", users=["dan", "eve", "fay"], rule="count", count=2),
                ],
            )
        ]
    )
    change = submit(new_change(), policy, at=BASE, actor="ann", groups={"dba": ["ben", "gus"]})
    assert change.state == "assess"
    assert change.approval == "requested"
    assert [s.pool for s in change.stages] == [frozenset({"gus"}), frozenset({"dan", "eve", "fay"})]
    with pytest.raises(TransitionRefusedError, match="not approved yet"):
        change.apply("authorise", at=BASE, actor="ann")
    change = decide(change, verdict="approved", at=BASE, actor="gus")
    change = change.apply("authorise", at=BASE, actor="ann")
    change = decide(change, verdict="approved", at=BASE, actor="dan")
    assert change.stages[1].outcome == "pending"
    change = decide(change, verdict="approved", at=BASE, actor="eve", comment="fine")
    assert change.approval == "approved"
    with pytest.raises(TransitionRefusedError, match="every stage is decided"):
        decide(change, verdict="approved", at=BASE, actor="fay")
    change = change.apply(
        "schedule",
        at=BASE,
        actor="ann",
        fields={
            "planned_start": BASE + timedelta(days=1),
            "planned_end": BASE + timedelta(days=1, hours=2),
        },
    )
    assert change.state == "scheduled"
    decisions = [e for e in change.history if e.transition == "decide"]
    assert [e.actor for e in decisions] == ["gus", "dan", "eve"]
    last = change.decisions[-1]
    assert (last.stage, last.approver, last.on_behalf_of, last.verdict, last.comment) == (
        "cab",
        "eve",
        None,
        "approved",
        "fine",
    )


def test_rejection_ends_the_round_with_its_reason() -> None:
    change = submit(
        new_change(),
        one_stage(Stage(name="t", state="assess", users=["dan"])),
        at=BASE,
        actor="ann",
    )
    with pytest.raises(TransitionRefusedError, match="needs a comment"):
        decide(change, verdict="rejected", at=BASE, actor="dan")
    change = decide(change, verdict="rejected", at=BASE, actor="dan", comment="no backout tested")
    assert change.approval == "rejected"
    with pytest.raises(TransitionRefusedError, match="rejected the change"):
        change.apply("authorise", at=BASE, actor="ann")
    change = change.apply("revert", at=BASE, actor="ann", comment="rework")
    assert (change.state, change.approval) == ("new", "not_requested")


def test_revert_cancels_pending_approvals() -> None:
    stage = Stage(name="t", state="assess", users=["dan", "eve"], rule="all")
    change = submit(new_change(), one_stage(stage), at=BASE, actor="ann")
    change = decide(change, verdict="approved", at=BASE, actor="dan")
    change = change.apply("revert", at=BASE, actor="ann", comment="scope changed")
    assert change.approval == "canceled"
    assert change.stages[0].outcome == "canceled"
    with pytest.raises(TransitionRefusedError):
        decide(change, verdict="approved", at=BASE, actor="eve")
    again = submit(change, one_stage(stage), at=BASE, actor="ann")
    assert again.stages[0].approvals == frozenset()


@pytest.mark.parametrize(
    ("actor", "behalf", "match"),
    [
        ("ann", None, "requester"),
        ("ben", None, "assignee"),
        ("cat", None, "implementer"),
        ("dan", "ann", "not even through a delegate"),
        ("ann", "dan", "requester"),
        ("hal", None, "not an eligible approver"),
    ],
)
def test_segregation_of_duties(actor: str, behalf: str | None, match: str) -> None:
    stage = Stage(name="t", state="assess", users=["ann", "ben", "cat", "dan"])
    change = submit(new_change(), one_stage(stage), at=BASE, actor="ann")
    given = (
        [Delegation(delegator=behalf, delegate=actor, start=BASE, end=BASE + timedelta(hours=1))]
        if behalf
        else []
    )
    with pytest.raises(TransitionRefusedError, match=match):
        decide(
            change, verdict="approved", at=BASE, actor=actor, on_behalf_of=behalf, delegations=given
        )


def test_role_holders_are_never_in_the_pool_and_cannot_join_mid_round() -> None:
    stage = Stage(name="t", state="assess", users=["ann", "dan", "eve"], rule="all")
    change = submit(new_change(), one_stage(stage), at=BASE, actor="ann")
    assert change.stages[0].pool == frozenset({"dan", "eve"})
    with pytest.raises(ValidationError, match="cannot become its implementer"):
        change.update({"implementer": "dan"}, at=BASE, actor="ann")


def test_delegation_is_time_boxed_and_does_not_cascade() -> None:
    stage = Stage(name="t", state="assess", users=["dan", "gus"], rule="all")
    change = submit(new_change(), one_stage(stage), at=BASE, actor="ann")
    later = BASE + timedelta(hours=2)
    window = Delegation(delegator="dan", delegate="eve", start=BASE, end=BASE + timedelta(hours=1))
    with pytest.raises(TransitionRefusedError, match="not in force"):
        decide(
            change,
            verdict="approved",
            at=later,
            actor="eve",
            on_behalf_of="dan",
            delegations=[window],
        )
    chain = [window, Delegation(delegator="eve", delegate="fay", start=BASE, end=later)]
    with pytest.raises(TransitionRefusedError, match="does not cascade"):
        decide(
            change, verdict="approved", at=BASE, actor="fay", on_behalf_of="dan", delegations=chain
        )
    done = decide(
        change, verdict="approved", at=BASE, actor="eve", on_behalf_of="dan", delegations=[window]
    )
    assert (done.decisions[0].approver, done.decisions[0].on_behalf_of) == ("eve", "dan")
    with pytest.raises(TransitionRefusedError, match="already decided"):
        decide(done, verdict="approved", at=BASE, actor="dan")


def test_unplannable_stage_is_a_configuration_error() -> None:
    stage = Stage(name="cab", users=["ann", "ben", "dan"], rule="count", count=2)
    change = new_change()
    with pytest.raises(ConfigurationError, match="needs 2 approval"):
        submit(change, one_stage(stage), at=BASE, actor="ann")


def test_policy_conditions_pick_stages() -> None:
    cab = Stage(name="cab", users=["dan"])
    policy = ApprovalPolicy(
        rules=[
            PolicyRule(name="tech", stages=[Stage(name="tech", state="assess", users=["eve"])]),
            PolicyRule(name="risky", when=PolicyCondition(risks=["High"]), stages=[cab]),
        ]
    )
    assert [s.name for s in policy.stages_for({"type": "normal"})] == ["tech"]
    assert [s.name for s in policy.stages_for({"type": "normal", "risk_label": "High"})] == [
        "tech",
        "cab",
    ]
    assert {s.state for s in policy.stages_for({"type": "emergency", "risk_label": "High"})} == {
        "authorise"
    }


def test_emergency_change_authorised_retrospectively() -> None:
    ecab = Stage(name="ecab", users=["dan", "eve"])
    change = open_change(
        "CHG9",
        at=BASE,
        actor="ann",
        requester="ann",
        type="emergency",
        short_description="Fix outage",
        fields={"implementation_plan": "patch", "backout_plan": "rollback"},
    )
    change = submit(change, one_stage(ecab), at=BASE, actor="ann")
    assert change.state == "authorise"
    span = {"planned_start": BASE, "planned_end": BASE + timedelta(hours=1)}
    change = change.apply("schedule", at=BASE, actor="ann", fields=span)
    change = change.apply("implement", at=BASE, actor="ann")
    change = decide(change, verdict="approved", at=BASE + timedelta(hours=2), actor="dan")
    assert change.authorised_retrospectively
    assert change.decisions[0].retrospective
    change = change.apply(
        "review", at=BASE + timedelta(hours=3), actor="ann", fields={"close_code": "successful"}
    )
    with pytest.raises(ItsmError, match="review_notes"):
        change.apply("close", at=BASE + timedelta(hours=3), actor="ann")
    closed = change.apply(
        "close",
        at=BASE + timedelta(hours=3),
        actor="ann",
        fields={"review_notes": "PIR held", "test_plan": "smoke tests"},
    )
    assert closed.state == "closed"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"verdict": "yes"},
        {"verdict": None},
        {"verdict": "approved", "actor": "  "},
        {"verdict": "approved", "actor": None},
        {"verdict": "approved", "on_behalf_of": ""},
        {"verdict": "approved", "delegations": "dan"},
        {"verdict": "approved", "delegations": [1]},
        {"verdict": "approved", "comment": 3},
    ],
)
def test_decide_checks_its_input(kwargs: dict[str, object]) -> None:
    change = submit(
        new_change(),
        one_stage(Stage(name="t", state="assess", users=["dan"])),
        at=BASE,
        actor="ann",
    )
    arguments: dict[str, object] = {"at": BASE, "actor": "dan", **kwargs}
    with pytest.raises(ItsmError):
        decide(change, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": " ", "users": ["a"]},
        {"name": "s"},
        {"name": "s", "users": "dan"},
        {"name": "s", "users": ["a"], "rule": "most"},
        {"name": "s", "users": ["a"], "rule": "count"},
        {"name": "s", "users": ["a"], "rule": "count", "count": True},
        {"name": "s", "users": ["a"], "rule": "percent", "percent": 0},
        {"name": "s", "users": ["a"], "rule": "percent", "percent": 101},
        {"name": "s", "users": ["a"], "count": 2},
    ],
)
def test_stage_checks_its_input(kwargs: dict[str, object]) -> None:
    with pytest.raises(ItsmError):
        Stage(**kwargs)  # type: ignore[arg-type]


# -- properties ----------------------------------------------------------------------------------


def test_stage_outcome_formula() -> None:
    assert stage_outcome(2, 3, 2, 0) == "approved"
    assert stage_outcome(2, 3, 1, 2) == "rejected"
    assert stage_outcome(3, 3, 2, 0) == "pending"


def _run_votes(stage: Stage, votes: list[tuple[str, str]]) -> str:
    change = submit(new_change(), one_stage(stage), at=BASE, actor="ann")
    for actor, verdict in votes:
        try:
            change = decide(change, verdict=verdict, at=BASE, actor=actor, comment="why")
        except TransitionRefusedError:
            assert change.stages[0].outcome != "pending" or actor not in change.stages[0].pool
    return change.stages[0].outcome


@given(data=st.data(), stage=approval_stages(state="assess"))
def test_stage_outcome_does_not_depend_on_decision_order(data: st.DataObject, stage: Stage) -> None:
    pool = eligible(stage)
    n = len(pool)
    if n == 0 or required(stage, n) > n:
        return
    voters = data.draw(st.lists(st.sampled_from(sorted(pool)), unique=True))
    verdicts = [data.draw(st.sampled_from(("approved", "rejected"))) for _ in voters]
    votes = list(zip(voters, verdicts, strict=True))
    shuffled = data.draw(st.permutations(votes))
    first, second = _run_votes(stage, votes), _run_votes(stage, list(shuffled))
    assert first == second
    yes = sum(v == "approved" for v in verdicts)
    no = len(verdicts) - yes
    assert first == stage_outcome(required(stage, n), n, yes, no)


@given(
    policy=approval_policies(),
    attempts=st.lists(decision_attempts(), max_size=25),
    given_delegations=st.lists(delegations(), max_size=4),
    hours=st.lists(st.integers(-1, 3), min_size=25, max_size=25),
)
def test_no_decision_sequence_breaks_segregation_or_the_rules(
    policy: ApprovalPolicy,
    attempts: list[tuple[str, str | None, str]],
    given_delegations: list[Delegation],
    hours: list[int],
) -> None:
    try:
        start = BASE - timedelta(hours=2)
        change = submit(new_change(at=start), policy, at=start, actor="ann")
    except ConfigurationError:
        return  # a stage left without enough eligible approvers is refused up front
    roles = set(ROLES.values())
    for (actor, behalf, verdict), hour in zip(attempts, hours, strict=False):
        at = BASE + timedelta(hours=hour, minutes=len(change.history))  # may go back: refused
        before = change
        try:
            change = decide(
                change,
                verdict=verdict,
                at=at,
                actor=actor,
                on_behalf_of=behalf,
                delegations=given_delegations,
                comment="because",
            )
        except ItsmError:
            assert change is before
            continue
        if change.state == "assess" and change.stages[0].outcome == "approved":
            with contextlib.suppress(ItsmError):
                change = change.apply("authorise", at=at, actor="ann")
    for decision in change.decisions:
        assert decision.approver not in roles
        assert decision.identity not in roles
        if decision.on_behalf_of is not None:
            assert any(
                d.delegator == decision.on_behalf_of
                and d.delegate == decision.approver
                and d.active(decision.at)
                for d in given_delegations
            )
    by_stage = {s.name: s for s in policy.rules[0].stages}
    for status in change.stages:
        identities = [d.identity for d in change.decisions if d.stage == status.name]
        assert len(identities) == len(set(identities))  # one decision each
        assert set(identities) <= status.pool
        if status.outcome == "approved":
            stage = by_stage[status.name]
            pool = eligible(stage)
            approvals = {
                d.identity
                for d in change.decisions
                if d.stage == status.name and d.verdict == "approved"
            }
            assert approvals <= pool
            assert len(approvals) >= required(stage, len(pool))
    if change.approval == "approved":
        assert all(s.outcome == "approved" for s in change.stages)
