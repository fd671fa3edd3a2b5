"""Round trips of the change package's values through the one data form."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from itsmcore.changes import (
    ApprovalPolicy,
    Conflict,
    Delegation,
    PolicyCondition,
    PolicyRule,
    Question,
    Questionnaire,
    RiskCondition,
    RiskModel,
    RiskRule,
    default_risk_matrix,
)
from itsmcore.data import dumps, loads
from itsmcore.testing._change_strategies import (
    BASE,
    approval_policies,
    change_templates,
    delegations,
    planned_changes,
)


def round_trip(value: object) -> object:
    return loads(dumps(value), type(value))


@given(
    st.one_of(
        approval_policies(),
        delegations(),
        change_templates(),
        planned_changes(number="CHG1", cis=("a", "b", "c")),
    )
)
def test_values_round_trip(value: object) -> None:
    assert round_trip(value) == value


def test_definitions_round_trip() -> None:
    model = RiskModel(
        rules=[
            RiskRule(name="crit", when=RiskCondition(criticality=1, types=["normal"]), risk="High")
        ],
        questionnaire=Questionnaire(
            questions=[Question(id="q", text="Tested?", answers={"yes": 0, "no": 3})],
            thresholds=[(0, "Low"), (3, "High")],
        ),
        matrix=default_risk_matrix(),
    )
    policy = ApprovalPolicy(
        rules=[PolicyRule(name="cab", when=PolicyCondition(risks=["High"], min_cis=2), stages=[])]
    )
    conflict = Conflict(
        kind="related_ci", change="A", other_change="B", ci="x", other_ci="y", direction="upstream"
    )
    for value in (model, policy, conflict):
        assert round_trip(value) == value


def test_bad_data_names_the_path() -> None:
    import pytest

    from itsmcore.errors import DataError

    text = dumps(Delegation(delegator="a", delegate="b", start=BASE, end=BASE + timedelta(hours=1)))
    with pytest.raises(DataError, match=r"\$\.data"):
        loads(text.replace('"delegate"', '"deputy"'), Delegation)
    with pytest.raises(DataError):
        loads(text.replace('"b"', '"a"'), Delegation)
