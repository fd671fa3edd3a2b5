"""Strategies for changes: change records, approval stages, conditions, rules and policies,
decision attempts, planned changes and their conflicts, small CMDBs to detect conflicts on,
change templates, maintenance and blackout windows, and the risk engines' definitions."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from itsmcore.changes import (
    APPROVAL_RULES,
    CLOSE_CODES,
    CONFLICT_KINDS,
    RISK_SCALE,
    WINDOW_KINDS,
    ApprovalPolicy,
    Change,
    ChangeTemplate,
    ChangeWindow,
    Conflict,
    Delegation,
    PlannedChange,
    PolicyCondition,
    PolicyRule,
    Question,
    Questionnaire,
    RiskCondition,
    RiskModel,
    RiskRule,
    Stage,
    decide,
    default_risk_matrix,
    open_change,
    submit,
)
from itsmcore.cmdb import CI, CMDB
from itsmcore.errors import ItsmError
from itsmcore.priority import Scale
from itsmcore.testing._calendar_strategies import business_calendars
from itsmcore.testing._priority_strategies import priority_scales
from itsmcore.testing._ticket_strategies import random_walk
from itsmcore.workflow import Record

__all__ = [
    "PEOPLE",
    "approval_policies",
    "approval_stages",
    "change_conflicts",
    "change_fields_for",
    "change_templates",
    "change_windows",
    "changes",
    "conflict_cmdbs",
    "decision_attempts",
    "delegations",
    "planned_changes",
    "policy_conditions",
    "policy_rules",
    "risk_conditions",
    "risk_models",
    "risk_questionnaires",
    "risk_questions",
    "risk_rules",
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


_CIS = ("c0", "c1", "c2", "c3", "c4")
_SERVICES = ("email", "payroll", "web shop")
_NUMBERS = st.from_regex(r"CHG[0-9]{7}", fullmatch=True)
_PLANS = (
    ("implementation_plan", "upgrade the firmware"),
    ("backout_plan", "flash the old image"),
    ("test_plan", "ping every port"),
)


@st.composite
def planned_changes(
    draw: st.DrawFn,
    *,
    number: str | None = None,
    cis: tuple[str, ...] = _CIS,
    people: tuple[str, ...] = PEOPLE[:3],
) -> PlannedChange:
    """A planned change of a few hours within two days of BASE, on some of ``cis`` (and
    services); ``number`` is drawn (``CHG0000042``) unless given."""
    start = BASE + timedelta(hours=draw(st.integers(0, 48)))
    hours = draw(st.integers(1, 8))
    return PlannedChange(
        number=number if number is not None else draw(_NUMBERS),
        start=start,
        end=start + timedelta(hours=hours),
        cis=draw(st.frozensets(st.sampled_from(cis), max_size=3)),
        services=draw(st.frozensets(st.sampled_from(_SERVICES), max_size=2)),
        assignee=draw(st.none() | st.sampled_from(people)),
    )


@st.composite
def change_conflicts(draw: st.DrawFn) -> Conflict:
    """Conflicts of every kind, naming the objects that kind names."""
    kind = draw(st.sampled_from(CONFLICT_KINDS))
    change, other = draw(st.lists(_NUMBERS, min_size=2, max_size=2, unique=True))
    ci = draw(st.sampled_from(_CIS))
    if kind == "same_ci":
        return Conflict(kind=kind, change=change, other_change=other, ci=ci, other_ci=ci)
    if kind == "related_ci":
        return Conflict(
            kind=kind,
            change=change,
            other_change=other,
            ci=ci,
            other_ci=draw(st.sampled_from([c for c in _CIS if c != ci])),
            direction=draw(st.sampled_from(["upstream", "downstream"])),
        )
    if kind == "same_assignee":
        return Conflict(
            kind=kind, change=change, other_change=other, assignee=draw(st.sampled_from(PEOPLE))
        )
    windows = draw(
        st.lists(
            st.sampled_from(["weekend", "nightly", "year-end freeze"]), min_size=1, unique=True
        )
    )
    return Conflict(
        kind=kind, change=change, ci=draw(st.none() | st.just(ci)), windows=tuple(windows)
    )


def _text() -> st.SearchStrategy[str]:
    return st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12)


def change_templates() -> st.SearchStrategy[ChangeTemplate]:
    """Standard change templates with their three plans."""
    text = _text()
    return st.builds(
        ChangeTemplate,
        name=text,
        short_description=text,
        implementation_plan=text,
        backout_plan=text,
        test_plan=text,
        category=st.none() | text,
        assignment_group=st.none() | st.sampled_from(["network", "dba", "platform"]),
        affected_cis=st.frozensets(text, max_size=3),
    )


def change_fields_for(record: Record, transition: str) -> st.SearchStrategy[Mapping[str, object]]:
    """Values for a change transition: complete most of the time, sometimes missing."""
    complete: st.SearchStrategy[Mapping[str, object]] = st.just({})
    at = record.history.last.at if record.history.last is not None else BASE
    if transition in ("assess", "authorise"):
        complete = st.just(dict(_PLANS))
    elif transition == "schedule":
        complete = st.integers(1, 72).map(
            lambda hours: {
                "planned_start": at + timedelta(hours=hours),
                "planned_end": at + timedelta(hours=hours + 2),
            }
        )
    elif transition in ("review", "close"):
        complete = st.fixed_dictionaries(
            {"close_code": st.sampled_from(CLOSE_CODES)},
            optional={"review_notes": st.just("went as planned"), "test_plan": st.just("smoke")},
        )
    return st.one_of(complete, complete, st.just({}))


@st.composite
def changes(draw: st.DrawFn, *, max_steps: int = 10) -> Change:
    """Change records in any state: normal, emergency or standard (from a template).

    A normal or emergency change is often submitted for approval under a drawn policy and
    gets a few decisions (some refused, as :func:`decision_attempts` draws them); then
    random allowed transitions move it on.
    """
    kind = draw(st.sampled_from(["normal", "emergency", "standard"]))
    requester, assignee = draw(
        st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=2, unique=True)
    )
    at = BASE + timedelta(hours=draw(st.integers(0, 24 * 400)))
    change = open_change(
        draw(_NUMBERS),
        at=at,
        actor=requester,
        requester=requester,
        type="normal" if kind == "standard" else kind,
        short_description="replace the core switch",
        affected_cis=draw(st.frozensets(st.sampled_from(_CIS), max_size=3)),
        template=draw(change_templates()) if kind == "standard" else None,
        fields={"assigned_to": assignee, **draw(st.sampled_from([{}, dict(_PLANS)]))},
    )
    gaps = st.integers(1, 600).map(lambda minutes: timedelta(minutes=minutes))
    if kind != "standard" and draw(st.sampled_from([True, True, True, False])):
        at += draw(gaps)
        with contextlib.suppress(ItsmError):
            change = submit(change, draw(approval_policies()), at=at, actor=requester)
        for actor, behalf, verdict in draw(st.lists(decision_attempts(), min_size=1, max_size=8)):
            at += draw(gaps)
            with contextlib.suppress(ItsmError):
                change = decide(change, verdict=verdict, at=at, actor=actor, on_behalf_of=behalf)
    walked = draw(random_walk(change, change_fields_for, max_steps=max_steps))
    assert isinstance(walked, Change)  # noqa: S101 - random_walk keeps the record type
    return walked


def _some_names(names: tuple[str, ...]) -> st.SearchStrategy[frozenset[str] | None]:
    return st.none() | st.frozensets(st.sampled_from(names), min_size=1, max_size=3)


_CHANGE_TYPES = ("standard", "normal", "emergency")


def policy_conditions() -> st.SearchStrategy[PolicyCondition]:
    """When an approval rule applies: change types, risks, services, a least number of CIs."""
    return st.builds(
        PolicyCondition,
        types=_some_names(_CHANGE_TYPES),
        risks=_some_names(RISK_SCALE.labels),
        services=_some_names(_SERVICES),
        min_cis=st.none() | st.integers(0, 20),
    )


@st.composite
def policy_rules(draw: st.DrawFn, *, name: str | None = None) -> PolicyRule:
    """A rule with a condition and up to three stages (decided in assess or authorise)."""
    count = draw(st.integers(0, 3))
    stages = [
        draw(approval_stages(state=draw(st.sampled_from(["assess", "authorise"])), name=f"st{i}"))
        for i in range(count)
    ]
    return PolicyRule(
        name=name if name is not None else draw(st.sampled_from(["cab", "high risk", "network"])),
        when=draw(policy_conditions()),
        stages=stages,
    )


def change_windows() -> st.SearchStrategy[ChangeWindow]:
    """Maintenance and blackout windows: global, or on some CIs and services."""
    return st.builds(
        ChangeWindow,
        name=st.sampled_from(["weekend", "nightly", "year-end freeze"]),
        kind=st.sampled_from(WINDOW_KINDS),
        calendar=business_calendars(max_intervals=2, named=True),
        cis=st.frozensets(st.sampled_from(_CIS), max_size=3),
        services=st.frozensets(st.sampled_from(_SERVICES), max_size=2),
    )


def risk_conditions() -> st.SearchStrategy[RiskCondition]:
    """When a risk rule matches: types, criticality, blast radius, services, window facts."""
    return st.builds(
        RiskCondition,
        types=_some_names(_CHANGE_TYPES),
        criticality=st.none() | st.integers(1, 5),
        min_blast_radius=st.none() | st.integers(0, 50),
        services=_some_names(_SERVICES),
        outside_maintenance=st.none() | st.booleans(),
        in_blackout=st.none() | st.booleans(),
    )


def risk_rules(*, scale: Scale = RISK_SCALE) -> st.SearchStrategy[RiskRule]:
    """A rule giving one of ``scale``'s labels when its condition holds."""
    return st.builds(
        RiskRule,
        name=st.sampled_from(["critical service", "big blast radius", "blackout", "emergency"]),
        when=risk_conditions(),
        risk=st.sampled_from(scale.labels),
    )


def risk_questions(*, id: str | None = None) -> st.SearchStrategy[Question]:
    """A question with two to four weighted answers."""
    return st.builds(
        Question,
        id=st.just(id) if id is not None else st.sampled_from(["tested", "backout", "users"]),
        text=st.sampled_from(["Was it tested?", "Can it be backed out?", "How many users?"]),
        answers=st.dictionaries(
            st.sampled_from(["yes", "no", "partly", "unknown"]),
            st.integers(0, 10),
            min_size=2,
            max_size=4,
        ),
    )


@st.composite
def risk_questionnaires(draw: st.DrawFn, *, scale: Scale = RISK_SCALE) -> Questionnaire:
    """Questionnaires of one to three questions; thresholds from 0 up to labels of ``scale``."""
    count = draw(st.integers(1, 3))
    questions = [draw(risk_questions(id=f"q{i}")) for i in range(count)]
    scores = sorted(draw(st.sets(st.integers(1, 30), max_size=len(scale.labels) - 1)))
    labels = draw(st.permutations(scale.labels))
    thresholds = list(zip([0, *scores], labels, strict=False))
    return Questionnaire(questions=questions, thresholds=thresholds)


@st.composite
def risk_models(draw: st.DrawFn) -> RiskModel:
    """Risk models on ServiceNow's risk scale (with or without its matrix), or on a drawn
    scale (without a matrix): rules, a default, maybe a questionnaire."""
    if draw(st.booleans()):
        scale, matrix = RISK_SCALE, draw(st.none() | st.just(default_risk_matrix()))
    else:
        scale, matrix = draw(priority_scales(name="risk", min_size=2, max_size=5)), None
    rules = draw(st.lists(risk_rules(scale=scale), max_size=4))
    return RiskModel(
        rules=rules,
        default=draw(st.sampled_from(scale.labels)),
        questionnaire=draw(st.none() | risk_questionnaires(scale=scale)),
        matrix=matrix,
        scale=scale,
    )
