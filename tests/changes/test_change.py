"""The change record and its workflow, standard changes, risk and impacted services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from itsmcore.changes import (
    CHANGE_FIELD_TYPES,
    CHANGE_GUARDS,
    CHANGE_HOOKS,
    CHANGE_REQUIREMENTS,
    Change,
    ChangeTemplate,
    Question,
    Questionnaire,
    RiskCondition,
    RiskFacts,
    RiskModel,
    RiskRule,
    assess_risk,
    default_change_workflow,
    default_risk_matrix,
    open_change,
    refresh_impact,
)
from itsmcore.cmdb import CI, CMDB
from itsmcore.errors import (
    ConfigurationError,
    ItsmError,
    MissingFieldsError,
    TransitionRefusedError,
)
from itsmcore.testing._change_strategies import BASE

TEMPLATE = ChangeTemplate(
    name="restart web tier",
    short_description="Rolling restart of the web tier",
    implementation_plan="restart nodes one by one",
    backout_plan="none needed",
    test_plan="health checks",
    affected_cis=["web"],
)
SPAN = {"planned_start": BASE, "planned_end": BASE + timedelta(hours=1)}


def test_standard_change_from_a_template_is_pre_approved() -> None:
    change = open_change("CHG1", at=BASE, actor="ann", requester="ann", template=TEMPLATE)
    assert (change.type, change.approval, change.template) == (
        "standard",
        "not_required",
        TEMPLATE.name,
    )
    assert change.affected_cis == frozenset({"web"})
    change = change.apply("schedule", at=BASE, actor="ann", fields=SPAN)
    change = change.apply("implement", at=BASE, actor="ann")
    change = change.apply("review", at=BASE, actor="ann", fields={"close_code": "successful"})
    assert change.apply("close", at=BASE, actor="ann").state == "closed"


def test_normal_change_cannot_skip_authorisation() -> None:
    change = open_change("CHG2", at=BASE, actor="ann", requester="ann", short_description="x")
    with pytest.raises(TransitionRefusedError, match="needs authorisation"):
        change.apply("schedule", at=BASE, actor="ann", fields=SPAN)
    with pytest.raises(TransitionRefusedError, match="no approval plan"):
        change.apply("assess", at=BASE, actor="ann")


def test_unsuccessful_change_needs_a_review() -> None:
    change = open_change("CHG3", at=BASE, actor="ann", requester="ann", template=TEMPLATE)
    change = change.apply("schedule", at=BASE, actor="ann", fields=SPAN)
    change = change.apply("implement", at=BASE, actor="ann")
    change = change.apply("review", at=BASE, actor="ann", fields={"close_code": "unsuccessful"})
    with pytest.raises(MissingFieldsError, match="review_notes"):
        change.apply("close", at=BASE, actor="ann")
    with pytest.raises(ItsmError, match="close_code"):
        change.update({"close_code": "fine"}, at=BASE, actor="ann")


def test_approval_fields_are_protected() -> None:
    change = open_change("CHG4", at=BASE, actor="ann", requester="ann", short_description="x")
    for name, value in (("approval", "approved"), ("type", "standard"), ("approvals", ())):
        with pytest.raises(ItsmError):
            change.update({name: value}, at=BASE, actor="ann")
    with pytest.raises(ItsmError, match="decide"):
        change.update({"decision": {"verdict": "approved"}}, at=BASE, actor="ann")
    with pytest.raises(ItsmError, match="planned_end"):
        change.update({"planned_start": BASE, "planned_end": BASE}, at=BASE, actor="ann")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"requester": None},
        {"requester": " "},
        {"type": "urgent"},
        {"type": "standard"},
        {"type": "emergency", "template": TEMPLATE},
        {"short_description": None},
        {"affected_cis": "db"},
        {"affected_cis": [1]},
        {"fields": ["x"]},
        {"template": "restart"},
    ],
)
def test_open_change_checks_its_input(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {"requester": "ann", "short_description": "x", **kwargs}
    if kwargs.get("short_description", "x") is None:
        arguments.pop("short_description")
    with pytest.raises(ItsmError):
        open_change("CHG5", at=BASE, actor="ann", **arguments)  # type: ignore[arg-type]


def test_named_guards_hooks_and_field_types() -> None:
    workflow = default_change_workflow()
    used = {g for t in workflow.transitions for g in t.guards}
    assert used == set(CHANGE_GUARDS.values())
    assert {h for t in workflow.transitions for h in t.hooks} == set(CHANGE_HOOKS.values())
    assert {r for s in workflow.states for r in s.requirements} == set(CHANGE_REQUIREMENTS.values())
    for name, guard in CHANGE_GUARDS.items():
        assert name == f"changes.{guard.__name__}"
    assert set(CHANGE_FIELD_TYPES.values()) <= {
        "text",
        "int",
        "level",
        "instant",
        "bool",
        "names",
        "data",
    }


def cmdb() -> CMDB:
    db = CMDB()
    db.add_cis(
        [
            CI(id="db", ci_class="database"),
            CI(id="db2", ci_class="database"),
            CI(id="shop", ci_class="business_service", criticality=1),
            CI(id="wiki", ci_class="business_service", criticality=4),
        ]
    )
    db.add_relationship("shop", "Depends on", "db")
    db.add_relationship("shop", "Depends on", "db2")
    db.add_relationship("wiki", "Depends on", "db")
    db.add_redundancy_group("shop", ["db", "db2"], 1)
    return db


def test_impacted_services_are_redundancy_aware() -> None:
    change = open_change(
        "CHG6", at=BASE, actor="ann", requester="ann", short_description="x", affected_cis=["db"]
    )
    change = refresh_impact(change, cmdb(), at=BASE, actor="ann")
    assert change.impacted_services == frozenset({"shop", "wiki"})  # shop degraded, wiki down


MODEL = RiskModel(
    rules=[
        RiskRule(name="critical service", when=RiskCondition(criticality=1), risk="High"),
        RiskRule(name="emergency", when=RiskCondition(types=["emergency"]), risk="High"),
    ],
    questionnaire=Questionnaire(
        questions=[Question(id="tested", text="Tested in staging?", answers={"yes": 0, "no": 5})],
        thresholds=[(0, "Low"), (5, "Very high")],
    ),
    matrix=default_risk_matrix(),
)


def test_risk_is_the_most_severe_engine_with_reasons() -> None:
    facts = RiskFacts(type="normal", criticality=1)
    only_rules = MODEL.assess(facts)
    assert only_rules.risk.label == "High"
    worst = MODEL.assess(facts, answers={"tested": "no"}, impact="Low", probability="Low")
    assert worst.risk.label == "Very high"
    assert [r.split(":")[0] for r in worst.reasons] == ["rules", "questionnaire", "matrix"]
    assert MODEL.assess(RiskFacts(type="normal")).risk.label == "Low"


def test_assess_risk_records_it() -> None:
    change = open_change(
        "CHG7",
        at=BASE,
        actor="ann",
        requester="ann",
        short_description="x",
        affected_cis=["db"],
        fields={"impact": "Medium", "probability": "High"},
    )
    change = assess_risk(change, MODEL, at=BASE, actor="ann", cmdb=cmdb())
    assert isinstance(change, Change)
    assert change.risk_label == "High"
    assert "critical service" in change.fields["risk_reasons"][0]  # type: ignore[index]


def test_risk_definitions_are_checked() -> None:
    with pytest.raises(ConfigurationError):
        RiskModel(rules=[RiskRule(name="x", risk="Catastrophic")])
    with pytest.raises(ConfigurationError):
        Questionnaire(
            questions=[Question(id="q", text="?", answers={"a": 1})], thresholds=[(1, "Low")]
        )
    with pytest.raises(ItsmError):
        MODEL.assess(RiskFacts(type="normal"), answers={"tested": "maybe"})
    with pytest.raises(ItsmError):
        RiskCondition(min_blast_radius=True)
