"""Strategies for changes: approval stages and policies, decision attempts, planned changes,
small CMDBs to detect conflicts on, and change templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from itsmcore.changes import (
    APPROVAL_RULES,
    ApprovalPolicy,
    ChangeTemplate,
    Delegation,
    PlannedChange,
    PolicyRule,
    Stage,
)
from itsmcore.cmdb import CI, CMDB

__all__ = [
    "PEOPLE",
    "approval_policies",
    "approval_stages",
    "change_templates",
    "conflict_cmdbs",
    "decision_attempts",
    "delegations",
    "planned_changes",
]

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The instant the generated changes and decisions are planned around."""

PEOPLE = ("ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal")
"""Everyone a generated change or decision may name."""

_PROPAGATING = ("Depends on", "Runs on", "Hosted on", "Contains")
_INERT = ("Manages", "Owns")


@st.composite
def approval_stages(draw: st.DrawFn, *, state: str = "authorise", name: str = "cab") -> Stage:
    """A stage over a few of :data:`PEOPLE` with any rule (k and percent within range)."""
    users = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=6, unique=True))
    rule = draw(st.sampled_from(APPROVAL_RULES))
    count = draw(st.integers(1, len(users))) if rule == "count" else None
    percent = draw(st.integers(1, 100)) if rule == "percent" else None
    return Stage(name=name, state=state, users=users, rule=rule, count=count, percent=percent)


@st.composite
def approval_policies(draw: st.DrawFn) -> ApprovalPolicy:
    """A policy of one to three stages (technical in assess, then CAB stages)."""
    stages = [draw(approval_stages(state="assess", name="technical"))]
    for i in range(draw(st.integers(0, 2))):
        stages.append(draw(approval_stages(state="authorise", name=f"cab{i}")))
    return ApprovalPolicy(rules=[PolicyRule(name="every change", stages=stages)])


def delegations() -> st.SearchStrategy[Delegation]:
    """A delegation between two of :data:`PEOPLE`, in force for a few hours around BASE."""
    return st.builds(
        lambda pair, offset, hours: Delegation(
            delegator=pair[0],
            delegate=pair[1],
            start=BASE + timedelta(hours=offset),
            end=BASE + timedelta(hours=offset + hours),
        ),
        st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=2, unique=True),
        st.integers(-2, 3),
        st.integers(1, 4),
    )


def decision_attempts() -> st.SearchStrategy[tuple[str, str | None, str]]:
    """(actor, on behalf of or None, verdict) triples, any of them possibly refused."""
    return st.tuples(
        st.sampled_from(PEOPLE),
        st.none() | st.sampled_from(PEOPLE),
        st.sampled_from(("approved", "approved", "rejected")),
    )


@st.composite
def conflict_cmdbs(draw: st.DrawFn, *, max_cis: int = 10) -> CMDB:
    """A small CMDB ``c0 .. cN`` with propagating and inert relationships (cycles allowed)."""
    n = draw(st.integers(2, max_cis))
    cmdb = CMDB()
    cmdb.add_cis([CI(id=f"c{i}", ci_class="server") for i in range(n)])
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            max_size=2 * n,
            unique_by=lambda p: (min(p), max(p)),
        )
    )
    for a, b in pairs:
        label = draw(st.sampled_from(_PROPAGATING + _INERT))
        cmdb.add_relationship(f"c{a}", label, f"c{b}")
    return cmdb


@st.composite
def planned_changes(
    draw: st.DrawFn, *, number: str, cis: tuple[str, ...], people: tuple[str, ...] = PEOPLE[:3]
) -> PlannedChange:
    """A planned change of a few hours within two days of BASE, on some of ``cis``."""
    start = BASE + timedelta(hours=draw(st.integers(0, 48)))
    hours = draw(st.integers(1, 8))
    return PlannedChange(
        number=number,
        start=start,
        end=start + timedelta(hours=hours),
        cis=draw(st.frozensets(st.sampled_from(cis), max_size=3)),
        assignee=draw(st.none() | st.sampled_from(people)),
    )


def change_templates() -> st.SearchStrategy[ChangeTemplate]:
    """Standard change templates with their three plans."""
    text = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12)
    return st.builds(
        ChangeTemplate,
        name=text,
        short_description=text,
        implementation_plan=text,
        backout_plan=text,
        test_plan=text,
        category=st.none() | text,
        affected_cis=st.frozensets(text, max_size=3),
    )
