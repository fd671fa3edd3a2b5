"""Impact rules: each condition, both match modes, the default, and their validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, ValidationError
from itsmcore.priority import (
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    Level,
    MatchMode,
    MostSevere,
    Scale,
    ServiceState,
)
from itsmcore.testing.strategies import priority_scales

IMPACT = Scale.from_labels(["High", "Medium", "Low"], name="impact")
CRITICALITIES: list[int | str] = ["critical", "high", "medium", "low", 1, 2, 3]


def _rules(mode: MatchMode = MatchMode.MOST_SEVERE) -> ImpactRules:
    return ImpactRules(
        scale=IMPACT,
        mode=mode,
        rules=[
            ImpactRule(name="vip", impact="Medium", vip_caller=True),
            ImpactRule(name="many users", impact=2, min_affected_users=50),
            ImpactRule(
                name="critical service down",
                impact="High",
                service_criticality=["Critical", "high"],
                service_state=["down"],
            ),
            ImpactRule(name="crowd", impact="High", min_affected_users=500),
        ],
    )


def test_the_default_is_the_least_severe_level() -> None:
    assessment = _rules().assess(ImpactFacts())
    assert assessment.level == Level(3, "Low")
    assert assessment.rule is None
    assert assessment.matched == ()
    assert _rules().default_level == Level(3, "Low")


def test_each_condition() -> None:
    rules = _rules()
    assert rules.impact_for(ImpactFacts(vip_caller=True)).label == "Medium"
    assert rules.impact_for(ImpactFacts(affected_users=49)).label == "Low"
    assert rules.impact_for(ImpactFacts(affected_users=50)).label == "Medium"
    down = ImpactFacts(service_criticality="CRITICAL", service_state="down")
    assert rules.impact_for(down).label == "High"
    degraded = ImpactFacts(service_criticality="critical", service_state=ServiceState.DEGRADED)
    assert rules.impact_for(degraded).label == "Low"
    other = ImpactFacts(service_criticality="low", service_state="down")
    assert rules.impact_for(other).label == "Low"
    assert rules.impact_for(ImpactFacts(service_state="down")).label == "Low"


def test_most_severe_wins_regardless_of_order() -> None:
    facts = ImpactFacts(vip_caller=True, affected_users=600)
    assessment = _rules().assess(facts)
    assert assessment.level.label == "High"
    assert assessment.rule == "crowd"
    assert assessment.matched == ("vip", "many users", "crowd")


def test_first_match_takes_the_first_listed_rule() -> None:
    facts = ImpactFacts(vip_caller=True, affected_users=600)
    assessment = _rules(MatchMode.FIRST_MATCH).assess(facts)
    assert assessment.level.label == "Medium"
    assert assessment.rule == "vip"


def test_vip_false_matches_only_non_vip_callers() -> None:
    rules = ImpactRules(
        scale=IMPACT, rules=[ImpactRule(name="ordinary", impact=2, vip_caller=False)], default=1
    )
    assert rules.impact_for(ImpactFacts(vip_caller=False)).value == 2
    assert rules.impact_for(ImpactFacts(vip_caller=True)).value == 1


_SCALE = priority_scales(name="impact", max_size=5)


@st.composite
def _rule_sets(draw: st.DrawFn) -> tuple[ImpactRules, list[dict[str, object]]]:
    scale = draw(_SCALE)
    raw = draw(
        st.lists(
            st.fixed_dictionaries(
                {"impact": st.sampled_from(scale.values)},
                optional={
                    "min_affected_users": st.integers(0, 1000),
                    "vip_caller": st.booleans(),
                    "service_criticality": st.lists(
                        st.sampled_from(CRITICALITIES), min_size=1, unique=True
                    ),
                    "service_state": st.lists(
                        st.sampled_from(["up", "degraded", "down"]), min_size=1
                    ),
                },
            ).filter(lambda d: len(d) > 1),
            max_size=6,
        )
    )
    rules = ImpactRules(
        scale=scale,
        rules=[ImpactRule(name=f"r{n}", **spec) for n, spec in enumerate(raw)],  # type: ignore[arg-type]
        default=draw(st.sampled_from(scale.values)),
        mode=draw(st.sampled_from(MatchMode)),
    )
    return rules, raw


_FACTS = st.builds(
    ImpactFacts,
    affected_users=st.integers(0, 1200),
    vip_caller=st.booleans(),
    service_criticality=st.none() | st.sampled_from([*CRITICALITIES, "Critical", " LOW ", 4]),
    service_state=st.sampled_from(["up", "degraded", "down"]),
)


def _oracle_matches(spec: dict[str, object], facts: ImpactFacts) -> bool:
    if "min_affected_users" in spec and facts.affected_users < spec["min_affected_users"]:  # type: ignore[operator]
        return False
    if "vip_caller" in spec and facts.vip_caller != spec["vip_caller"]:
        return False
    if "service_criticality" in spec:
        crit = facts.service_criticality
        wanted = spec["service_criticality"]
        if isinstance(crit, str):
            crit = crit.strip().lower()
        if crit is None or crit not in wanted:  # type: ignore[operator]
            return False
    return "service_state" not in spec or facts.service_state.value in spec["service_state"]  # type: ignore[operator]


@given(_rule_sets(), _FACTS)
def test_assessment_agrees_with_a_brute_force_oracle(
    ruleset: tuple[ImpactRules, list[dict[str, object]]], facts: ImpactFacts
) -> None:
    rules, raw = ruleset
    hits = [n for n, spec in enumerate(raw) if _oracle_matches(spec, facts)]
    assessment = rules.assess(facts)
    assert assessment.matched == tuple(f"r{n}" for n in hits)
    ascending = sorted(rules.scale.values)

    def severity(value: int) -> int:  # 0 = most severe
        i = ascending.index(value)
        return i if rules.scale.most_severe is MostSevere.LOWEST else len(ascending) - 1 - i

    if not hits:
        assert assessment.level.value == rules.default
        assert assessment.rule is None
    elif rules.mode is MatchMode.FIRST_MATCH:
        assert assessment.level.value == raw[hits[0]]["impact"]
        assert assessment.rule == f"r{hits[0]}"
    else:
        best = min(severity(raw[n]["impact"]) for n in hits)  # type: ignore[arg-type]
        assert severity(assessment.level.value) == best


def test_numeric_criticality_and_foreign_state_enums() -> None:
    import enum

    class CmdbState(enum.IntEnum):  # the shape of the CMDB's own state enum
        UP = 0
        DEGRADED = 1
        DOWN = 2

    rules = ImpactRules(
        scale=IMPACT,
        rules=[
            ImpactRule(
                name="tier 1 down", impact=1, service_criticality=[1], service_state=["down"]
            )
        ],
    )
    facts = ImpactFacts(service_criticality=1, service_state=CmdbState.DOWN)
    assert facts.service_state is ServiceState.DOWN
    assert rules.assess(facts).rule == "tier 1 down"
    assert rules.assess(ImpactFacts(service_criticality="1", service_state="down")).rule is None
    assert rules.assess(ImpactFacts(service_criticality=2, service_state="down")).rule is None


def test_assess_worst_takes_the_most_severe_service() -> None:
    rules = _rules()
    per_service = [
        ImpactFacts(vip_caller=True, service_criticality="low", service_state="down"),
        ImpactFacts(vip_caller=True, service_criticality="critical", service_state="down"),
        ImpactFacts(vip_caller=True, service_criticality="high", service_state="degraded"),
    ]
    worst = rules.assess_worst(per_service)
    assert worst.level.label == "High"
    assert worst.rule == "critical service down"
    assert rules.assess_worst(per_service[:1]).level.label == "Medium"
    with pytest.raises(ValidationError, match="at least one"):
        rules.assess_worst([])


def test_facts_are_validated() -> None:
    with pytest.raises(ValidationError, match="affected_users"):
        ImpactFacts(affected_users=-1)
    with pytest.raises(ValidationError, match="unknown service state 'broken'"):
        ImpactFacts(service_state="broken")
    with pytest.raises(ValidationError, match="vip_caller"):
        ImpactFacts(vip_caller="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="service_criticality"):
        ImpactFacts(service_criticality=" ")


def test_rules_are_validated() -> None:
    with pytest.raises(ConfigurationError, match="has no condition"):
        ImpactRule(name="always", impact=1)
    with pytest.raises(ConfigurationError, match="min_affected_users"):
        ImpactRule(name="x", impact=1, min_affected_users=-5)
    with pytest.raises(ConfigurationError, match="unknown service state"):
        ImpactRule(name="x", impact=1, service_state=["exploded"])
    with pytest.raises(ConfigurationError, match="list of criticalities"):
        ImpactRule(name="x", impact=1, service_criticality="critical")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="unknown impact 'Huge'"):
        ImpactRules(scale=IMPACT, rules=[ImpactRule(name="x", impact="Huge", vip_caller=True)])
    with pytest.raises(ConfigurationError, match="repeated: 'x'"):
        ImpactRules(
            scale=IMPACT,
            rules=[
                ImpactRule(name="x", impact=1, vip_caller=True),
                ImpactRule(name="x", impact=2, vip_caller=False),
            ],
        )
    with pytest.raises(ConfigurationError, match="unknown impact rule mode 'best'"):
        ImpactRules(scale=IMPACT, rules=[], mode="best")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ImpactFacts"):
        _rules().assess({"vip_caller": True})  # type: ignore[arg-type]
