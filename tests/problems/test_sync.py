"""Fixing a problem resolves its linked incidents that wait for it (ServiceNow's sync)."""

from __future__ import annotations

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.incidents import Incident, open_incident
from itsmcore.problems import Problem, open_problem, resolve_linked_incidents

T0 = pendulum.datetime(2026, 5, 4, 10, tz="UTC")
REASONS = ["awaiting_problem", "awaiting_vendor", None]


def incident(number: str, hold: str | None) -> Incident:
    inc = open_incident(
        number, at=T0, actor="desk", caller="c", short_description="s", impact=2, urgency=2
    )
    if hold is not None:
        inc = inc.apply("hold", at=T0, actor="desk", fields={"hold_reason": hold}, comment="x")
    return inc


def fixed_problem(linked: list[str]) -> Problem:
    prb = open_problem("PRB1", at=T0, actor="pm", short_description="s", incidents=linked)
    prb = prb.apply("assess", at=T0, actor="pm").apply("confirm", at=T0, actor="pm")
    prb = prb.apply("fix", at=T0, actor="pm", fields={"root_cause": "rc"})
    return prb.apply("resolve", at=T0, actor="pm", fields={"fix_notes": "patched"})


@given(
    holds=st.lists(st.sampled_from(REASONS), min_size=1, max_size=5),
    linked=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_only_linked_incidents_awaiting_the_problem_are_resolved(
    holds: list[str | None], linked: list[bool]
) -> None:
    incidents = [incident(f"INC{i}", hold) for i, hold in enumerate(holds)]
    numbers = [inc.number for inc, link in zip(incidents, linked, strict=False) if link]
    after = resolve_linked_incidents(
        fixed_problem(numbers), incidents, at=T0.add(hours=1), actor="pm"
    )
    for before, now in zip(incidents, after, strict=True):
        if before.number in numbers and before.hold_reason == "awaiting_problem":
            assert now.state == "resolved"
            assert now.resolution_code == "resolved_by_problem"
            assert now.fields["resolution_notes"] == "Resolved by problem PRB1: patched"
        else:
            assert now is before


def test_nothing_moves_before_the_fix_or_on_accepted_risk() -> None:
    waiting = incident("INC9", "awaiting_problem")
    open_prb = open_problem("PRB2", at=T0, actor="pm", short_description="s", incidents=["INC9"])
    assert resolve_linked_incidents(open_prb, [waiting], at=T0, actor="pm") == (waiting,)
    rca = open_prb.apply("assess", at=T0, actor="pm").apply("confirm", at=T0, actor="pm")
    accepted = rca.apply(
        "accept_risk", at=T0, actor="pm", fields={"risk_accepted_reason": "legacy"}
    )
    assert resolve_linked_incidents(accepted, [waiting], at=T0, actor="pm") == (waiting,)
