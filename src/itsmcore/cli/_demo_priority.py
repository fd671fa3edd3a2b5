"""The priority section of ``itsmcore demo``: matrices, lookup, reverse query, impact rules."""

from __future__ import annotations

from itsmcore import data
from itsmcore.priority import ImpactFacts, ImpactRules, preset

__all__ = ["demo_priority"]

_RULES = """
[impact]
most_severe = "lowest"
levels = ["High", "Medium", "Low"]

[impact_rules]
mode = "most-severe"
default = "Low"

[[impact_rules.rules]]
name = "business-critical service down"
impact = "High"
service_criticality = ["critical"]
service_state = ["down"]

[[impact_rules.rules]]
name = "many users affected"
impact = "High"
min_affected_users = 100

[[impact_rules.rules]]
name = "VIP caller"
impact = "Medium"
vip_caller = true

[[impact_rules.rules]]
name = "service degraded"
impact = "Medium"
service_state = ["degraded"]
"""

_INCIDENTS = (
    ("Payroll down", ImpactFacts(service_criticality="critical", service_state="down")),
    ("CEO's laptop", ImpactFacts(affected_users=1, vip_caller=True)),
    ("Wiki slow", ImpactFacts(affected_users=12, service_state="degraded")),
    ("Printer jam", ImpactFacts(affected_users=1)),
)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def demo_priority() -> None:
    """Print the priority walk-through (sample data only, no clock)."""
    servicenow = preset("servicenow")
    print("ServiceNow's default priority lookup (1 is the most severe level):")
    print(_indent(servicenow.render()))
    print()
    print(f"  lookup('High', 'Medium') -> {servicenow.lookup('High', 'Medium')}")
    print(f"  lookup(3, 3)             -> {servicenow.lookup(3, 3)}")
    pairs = ", ".join(f"({i}, {u})" for i, u in servicenow.pairs_for("Moderate"))
    print(f"  pairs giving 3 Moderate  -> {pairs}")
    print()
    glpi = preset("glpi")
    print("GLPI's default matrix counts the other way (5 Very high is the most severe):")
    print(_indent(glpi.render(values=False)))
    print()
    rules = data.loads(_RULES, ImpactRules, format="toml")
    print("Impact from facts, by declarative rules (the most severe matching rule wins),")
    print("then priority with urgency 'High' from the ServiceNow matrix:")
    for title, facts in _INCIDENTS:
        assessment = rules.assess(facts)
        because = assessment.rule or "no rule matched: default"
        priority = servicenow.lookup(assessment.level, "High")
        print(f"  {title:<13} impact {assessment.level!s:<9} ({because}) -> priority {priority}")
