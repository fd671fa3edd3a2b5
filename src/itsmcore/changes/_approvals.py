"""Approval policies, stages, delegations and the evaluation of decisions.

An :class:`ApprovalPolicy` maps a change (its type, risk, impacted services and size) to
:class:`Stage` s run in sequence, e.g. technical approval in ``assess`` then the CAB in
``authorise``. Planning a change freezes each stage into its pool of eligible approvers (users
plus group members, minus the change's requester, assignee and implementer) and the number of
approvals it needs. A stage is approved as soon as it has that many approvals and rejected as
soon as they can no longer be reached; both depend only on the counts, never on the order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

import attrs

from itsmcore.changes._checks import (
    check_choice,
    check_instant,
    check_names,
    check_text,
    check_whole,
    freeze,
)
from itsmcore.errors import ConfigurationError, ValidationError, allowed_list

__all__ = [
    "APPROVAL_RULES",
    "ApprovalPolicy",
    "ApprovalRule",
    "Decision",
    "Delegation",
    "PolicyCondition",
    "PolicyRule",
    "Stage",
    "StageOutcome",
    "StageStatus",
    "Verdict",
    "find_delegation",
    "overall_status",
    "refusal",
    "stage_outcome",
    "stage_statuses",
]

ApprovalRule = Literal["any", "all", "count", "percent"]
APPROVAL_RULES: tuple[ApprovalRule, ...] = ("any", "all", "count", "percent")
Verdict = Literal["approved", "rejected"]
VERDICTS: tuple[Verdict, ...] = ("approved", "rejected")
StageOutcome = Literal["pending", "approved", "rejected", "waiting", "canceled"]

ROLES = ("requester", "assigned_to", "implementer")
ROLE_LABELS = {"requester": "requester", "assigned_to": "assignee", "implementer": "implementer"}
"""The fields whose holders may never approve their own change (segregation of duties)."""

RETROSPECTIVE_STATES = frozenset({"scheduled", "implement", "review"})
"""States in which an emergency change still accepts (retrospective) decisions."""


def _names_field(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    return check_names(value, "approvers")


def _optional_names(value: object) -> frozenset[str] | None:
    return None if value is None else check_names(value, "names")


def _non_blank(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name)


@attrs.frozen(kw_only=True)
class Stage:
    """One approval stage: who may approve, in which state, and how many approvals it needs.

    ``rule`` is ``"any"`` (one approval), ``"all"``, ``"count"`` (``count`` of them, k of n)
    or ``"percent"`` (a quorum: ``percent`` of the eligible approvers, rounded up).
    """

    name: str = attrs.field(validator=_non_blank)
    state: str = attrs.field(default="authorise", validator=_non_blank)
    users: frozenset[str] = attrs.field(default=frozenset(), converter=_names_field)
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=_names_field)
    rule: ApprovalRule = "any"
    count: int | None = None
    percent: int | None = None

    def __attrs_post_init__(self) -> None:
        check_choice(self.rule, "approval rule", APPROVAL_RULES)
        if not self.users and not self.groups:
            raise ConfigurationError(f"stage {self.name!r} has no approvers; give users or groups")
        if self.rule == "count":
            if self.count is None:
                raise ConfigurationError(f"stage {self.name!r}: rule 'count' needs count=k")
            check_whole(self.count, "count", least=1)
        elif self.count is not None:
            raise ConfigurationError(f"stage {self.name!r}: count is only for rule 'count'")
        if self.rule == "percent":
            if self.percent is None:
                raise ConfigurationError(f"stage {self.name!r}: rule 'percent' needs percent=p")
            check_whole(self.percent, "percent", least=1, most=100)
        elif self.percent is not None:
            raise ConfigurationError(f"stage {self.name!r}: percent is only for rule 'percent'")

    def required(self, eligible: int) -> int:
        """How many approvals the stage needs out of ``eligible`` approvers."""
        if self.rule == "any":
            return 1
        if self.rule == "all":
            return eligible
        if self.rule == "count":
            return self.count or 1
        return max(1, math.ceil(eligible * (self.percent or 100) / 100))

    def pool(
        self, groups: Mapping[str, frozenset[str]], excluded: frozenset[str]
    ) -> frozenset[str]:
        """The eligible approvers: users plus group members, minus ``excluded`` people."""
        people = set(self.users)
        for group in sorted(self.groups):
            if group not in groups:
                raise ConfigurationError(
                    f"stage {self.name!r}: unknown approver group {group!r}; "
                    f"groups given: {allowed_list(sorted(groups))}"
                )
            people.update(groups[group])
        return frozenset(people - excluded)


@attrs.frozen(kw_only=True)
class PolicyCondition:
    """When a policy rule applies; every given part must hold (``None`` means any).

    ``types``: change types; ``risks``: risk labels; ``services``: at least one impacted
    service among these; ``min_cis``: at least this many affected CIs.
    """

    types: frozenset[str] | None = attrs.field(default=None, converter=_optional_names)
    risks: frozenset[str] | None = attrs.field(default=None, converter=_optional_names)
    services: frozenset[str] | None = attrs.field(default=None, converter=_optional_names)
    min_cis: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.min_cis is not None:
            check_whole(self.min_cis, "min_cis", least=0)

    def matches(self, fields: Mapping[str, object]) -> bool:
        """Whether a change with these field values meets the condition."""
        if self.types is not None and fields.get("type") not in self.types:
            return False
        if self.risks is not None and fields.get("risk_label") not in self.risks:
            return False
        if self.services is not None:
            impacted = fields.get("impacted_services") or frozenset()
            if not self.services & frozenset(impacted):  # type: ignore[call-overload]
                return False
        if self.min_cis is not None:
            cis = fields.get("affected_cis") or frozenset()
            if len(cis) < self.min_cis:  # type: ignore[arg-type]
                return False
        return True


def _stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    items = tuple(value)
    bad = [s for s in items if not isinstance(s, Stage)]
    if bad:
        raise ConfigurationError(f"expected Stage values, got {allowed_list(bad)}")
    return items


@attrs.frozen(kw_only=True)
class PolicyRule:
    """A named decision of a policy: when ``when`` holds, ``stages`` apply."""

    name: str = attrs.field(validator=_non_blank)
    when: PolicyCondition = attrs.field(factory=PolicyCondition)
    stages: tuple[Stage, ...] = attrs.field(converter=_stages)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.when, PolicyCondition):
            raise ConfigurationError(f"rule {self.name!r}: 'when' must be a PolicyCondition")


def _rules(value: Iterable[PolicyRule]) -> tuple[PolicyRule, ...]:
    items = tuple(value)
    bad = [r for r in items if not isinstance(r, PolicyRule)]
    if bad:
        raise ConfigurationError(f"expected PolicyRule values, got {allowed_list(bad)}")
    return items


def _state_order(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(check_text(s, "state_order") for s in value)


@attrs.frozen(kw_only=True)
class ApprovalPolicy:
    """Rules mapping a change to approval stages (ServiceNow's change approval policy).

    Every matching rule contributes its stages; a stage named by several rules is applied
    once. Stages run in the order of ``state_order`` (the states they are decided in), then
    in the order they first appear. Emergency changes run every stage in ``authorise``
    (the emergency change authority, expedited).
    """

    rules: tuple[PolicyRule, ...] = attrs.field(converter=_rules)
    state_order: tuple[str, ...] = attrs.field(
        default=("assess", "authorise"), converter=_state_order
    )

    def __attrs_post_init__(self) -> None:
        seen: dict[str, Stage] = {}
        for rule in self.rules:
            for stage in rule.stages:
                known = seen.setdefault(stage.name, stage)
                if known != stage:
                    raise ConfigurationError(
                        f"stage {stage.name!r} is defined twice with different settings "
                        f"(rule {rule.name!r}); give one definition per stage name"
                    )
                if stage.state not in self.state_order:
                    raise ConfigurationError(
                        f"stage {stage.name!r} is decided in state {stage.state!r}; "
                        f"allowed: {allowed_list(self.state_order)}"
                    )

    def stages_for(self, fields: Mapping[str, object]) -> tuple[Stage, ...]:
        """The stages that apply to a change with these fields, in the order they run."""
        found: dict[str, Stage] = {}
        for rule in self.rules:
            if rule.when.matches(fields):
                for stage in rule.stages:
                    found.setdefault(stage.name, stage)
        emergency = fields.get("type") == "emergency"
        order = {s: i for i, s in enumerate(self.state_order)}
        stages = list(found.values())
        if emergency:
            stages = [attrs.evolve(s, state="authorise") for s in stages]
            return tuple(stages)
        return tuple(sorted(stages, key=lambda s: order[s.state]))  # stable: first appearance

    def plan(
        self,
        fields: Mapping[str, object],
        *,
        groups: Mapping[str, Iterable[str]] | None = None,
        number: str = "the change",
    ) -> tuple[Mapping[str, object], ...]:
        """The frozen approval plan of a change: each stage with its pool and required count.

        Raises :class:`~itsmcore.errors.ConfigurationError` when a stage can never be
        approved (fewer eligible approvers than it needs).
        """
        members = _groups(groups)
        excluded = frozenset(v for v in (fields.get(role) for role in ROLES) if isinstance(v, str))
        plan = []
        for stage in self.stages_for(fields):
            pool = stage.pool(members, excluded)
            needed = stage.required(len(pool))
            if not pool or needed > len(pool):
                raise ConfigurationError(
                    f"{number}: stage {stage.name!r} needs {needed} approval(s) but has "
                    f"{len(pool)} eligible approver(s) {allowed_list(sorted(pool))} once the "
                    f"requester, assignee and implementer {allowed_list(sorted(excluded))} are "
                    "excluded; add approvers or change the rule"
                )
            plan.append(
                freeze(
                    {
                        "name": stage.name,
                        "state": stage.state,
                        "rule": stage.rule,
                        "required": needed,
                        "pool": tuple(sorted(pool)),
                    }
                )
            )
        return tuple(plan)  # type: ignore[arg-type]


def _groups(groups: Mapping[str, Iterable[str]] | None) -> dict[str, frozenset[str]]:
    if groups is None:
        return {}
    if not isinstance(groups, Mapping):
        raise ValidationError(f"'groups' must map group names to members, got {groups!r}")
    return {
        check_text(name, "group"): check_names(people, f"members of {name}")
        for name, people in groups.items()
    }


def _window_start(instance: Delegation, _: attrs.Attribute[datetime], value: object) -> None:
    if instance.end <= instance.start:
        raise ValidationError(
            f"delegation from {instance.delegator!r} to {instance.delegate!r} ends "
            f"({instance.end.isoformat()}) before it starts ({instance.start.isoformat()})"
        )


def _start(value: object) -> datetime:
    return check_instant(value, "start")


def _end(value: object) -> datetime:
    return check_instant(value, "end")


@attrs.frozen(kw_only=True)
class Delegation:
    """``delegate`` may decide for ``delegator`` from ``start`` until (excluding) ``end``.

    Delegation does not cascade: a delegate of a delegate gets nothing.
    """

    delegator: str = attrs.field(validator=_non_blank)
    delegate: str = attrs.field(validator=_non_blank)
    start: datetime = attrs.field(converter=_start)
    end: datetime = attrs.field(converter=_end, validator=_window_start)

    def __attrs_post_init__(self) -> None:
        if self.delegator == self.delegate:
            raise ValidationError(f"{self.delegator!r} cannot delegate to themselves")

    def active(self, at: datetime) -> bool:
        """Whether the delegation is in force at the instant ``at``."""
        return self.start <= at < self.end


def find_delegation(
    delegations: Iterable[Delegation], *, delegator: str, delegate: str, at: datetime
) -> Delegation | None:
    """The direct delegation ``delegator -> delegate`` in force at ``at`` (chains ignored)."""
    for d in delegations:
        if d.delegator == delegator and d.delegate == delegate and d.active(at):
            return d
    return None


@attrs.frozen(kw_only=True)
class Decision:
    """One recorded approval decision, as the change history keeps it."""

    stage: str
    approver: str
    on_behalf_of: str | None
    verdict: Verdict
    at: datetime
    comment: str | None
    retrospective: bool

    @property
    def identity(self) -> str:
        """Whose approval this is: the delegator when a delegate decided."""
        return self.on_behalf_of or self.approver

    @classmethod
    def from_field(cls, data: Mapping[str, object]) -> Decision:
        """A decision from its stored (JSON-like) form."""
        return cls(
            stage=str(data["stage"]),
            approver=str(data["approver"]),
            on_behalf_of=data.get("on_behalf_of"),  # type: ignore[arg-type]
            verdict=data["verdict"],  # type: ignore[arg-type]
            at=datetime.fromisoformat(str(data["at"])),
            comment=data.get("comment"),  # type: ignore[arg-type]
            retrospective=bool(data.get("retrospective")),
        )


@attrs.frozen(kw_only=True)
class StageStatus:
    """Where a planned stage stands: its pool, what it needs, who decided, the outcome."""

    name: str
    state: str
    rule: str
    required: int
    pool: frozenset[str]
    approvals: frozenset[str]
    rejections: frozenset[str]
    outcome: StageOutcome


def stage_outcome(required: int, eligible: int, approvals: int, rejections: int) -> StageOutcome:
    """``approved`` once enough approved, ``rejected`` once that can no longer happen."""
    if approvals >= required:
        return "approved"
    if eligible - rejections < required:
        return "rejected"
    return "pending"


def _decisions(fields: Mapping[str, object]) -> tuple[Mapping[str, object], ...]:
    return fields.get("approvals") or ()  # type: ignore[return-value]


def _plan(fields: Mapping[str, object]) -> tuple[Mapping[str, object], ...]:
    return fields.get("approval_plan") or ()  # type: ignore[return-value]


def stage_statuses(fields: Mapping[str, object]) -> tuple[StageStatus, ...]:
    """Every planned stage with its outcome; stages after an undecided one are waiting."""
    decisions = _decisions(fields)
    canceled = fields.get("approval") == "canceled"
    out: list[StageStatus] = []
    blocked = False
    for stage in _plan(fields):
        name = str(stage["name"])
        mine = [d for d in decisions if d["stage"] == name]
        ok = frozenset(
            str(d.get("on_behalf_of") or d["approver"]) for d in mine if d["verdict"] == "approved"
        )
        no = frozenset(
            str(d.get("on_behalf_of") or d["approver"]) for d in mine if d["verdict"] == "rejected"
        )
        pool = frozenset(stage["pool"])  # type: ignore[call-overload]
        required = int(stage["required"])  # type: ignore[call-overload]
        outcome: StageOutcome
        if blocked:
            outcome = "waiting"
        else:
            outcome = stage_outcome(required, len(pool), len(ok), len(no))
            if outcome == "pending" and canceled:
                outcome = "canceled"
            if outcome != "approved":
                blocked = True
        out.append(
            StageStatus(
                name=name,
                state=str(stage["state"]),
                rule=str(stage["rule"]),
                required=required,
                pool=pool,
                approvals=ok,
                rejections=no,
                outcome=outcome,
            )
        )
    return tuple(out)


def overall_status(statuses: Iterable[StageStatus]) -> str:
    """``approved`` when every stage is, ``rejected`` when one is, else ``requested``."""
    outcomes = [s.outcome for s in statuses]
    if "rejected" in outcomes:
        return "rejected"
    if all(o == "approved" for o in outcomes):
        return "approved"
    return "requested"


def refusal(
    fields: Mapping[str, object],
    state: str,
    decision: Mapping[str, object],
    *,
    actor: str,
    at: datetime,
) -> str | None:
    """Why ``decision`` by ``actor`` may not be recorded on the change, or ``None``."""
    approval = fields.get("approval")
    if approval not in ("requested", "approved", "rejected"):
        return f"no approval is in progress (approval is {approval!r}); submit the change first"
    verdict = decision.get("verdict")
    if verdict not in VERDICTS:
        return f"unknown verdict {verdict!r}; allowed: {allowed_list(VERDICTS)}"
    if verdict == "rejected" and not decision.get("comment"):
        return "a rejection needs a comment giving the reason"
    statuses = stage_statuses(fields)
    current = next((s for s in statuses if s.outcome == "pending"), None)
    wanted = decision.get("stage")
    if wanted is not None:
        named = next((s for s in statuses if s.name == wanted), None)
        if named is None:
            return f"no stage {wanted!r}; stages: {allowed_list(s.name for s in statuses)}"
        if named.outcome in ("approved", "rejected"):
            return (
                f"stage {named.name!r} is already decided ({named.outcome}); "
                "later decisions are refused"
            )
        if named is not current:
            where = current.name if current is not None else None
            return f"stage {named.name!r} has not started; the current stage is {where!r}"
    if current is None:
        return f"every stage is decided (approval is {approval!r}); later decisions are refused"
    if state != current.state:
        retro = fields.get("type") == "emergency" and state in RETROSPECTIVE_STATES
        if not retro:
            return (
                f"stage {current.name!r} is decided in state {current.state!r}, "
                f"the change is in {state!r}"
            )
    behalf = decision.get("on_behalf_of")
    identity = behalf if isinstance(behalf, str) else actor
    for role in ROLES:
        holder = fields.get(role)
        label = ROLE_LABELS.get(role, role)
        if holder is not None and holder == actor:
            return f"{actor!r} is the change's {label} and cannot approve it; segregation of duties"
        if holder is not None and holder == identity:
            return (
                f"{identity!r} is the change's {label} and cannot approve it, not even through "
                f"a delegate ({actor!r}); segregation of duties"
            )
    if identity not in current.pool:
        return (
            f"{identity!r} is not an eligible approver of stage {current.name!r}; "
            f"eligible: {allowed_list(sorted(current.pool))}"
        )
    if isinstance(behalf, str):
        if behalf == actor:
            return f"{actor!r} cannot act on behalf of themselves"
        window = decision.get("delegation")
        if not isinstance(window, Mapping):
            return f"{actor!r} acts for {behalf!r} without a delegation"
        start = datetime.fromisoformat(str(window.get("start")))
        end = datetime.fromisoformat(str(window.get("end")))
        if not start <= at < end:
            return (
                f"the delegation from {behalf!r} to {actor!r} is not in force at {at.isoformat()}"
            )
    if identity in current.approvals | current.rejections:
        return f"{identity!r} has already decided stage {current.name!r}; one decision each"
    return None
