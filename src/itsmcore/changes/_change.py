"""The change record, change templates, and the submit / decide steps of an approval round."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from itsmcore.changes._approvals import (
    VERDICTS,
    ApprovalPolicy,
    Decision,
    Delegation,
    StageStatus,
    find_delegation,
    refusal,
    stage_statuses,
)
from itsmcore.changes._checks import (
    check_choice,
    check_instant,
    check_names,
    check_optional_text,
    check_text,
)
from itsmcore.changes._workflow import CHANGE_TYPES, default_change_workflow
from itsmcore.errors import TransitionRefusedError, ValidationError, allowed_list
from itsmcore.workflow import Record, Workflow, registry, start

if TYPE_CHECKING:
    from itsmcore.cmdb import CMDB

__all__ = [
    "Change",
    "ChangeTemplate",
    "decide",
    "open_change",
    "refresh_impact",
    "submit",
]


def _text_field(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name)


def _optional_field(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    check_optional_text(value, attribute.name)


def _cis(value: object) -> frozenset[str]:
    return check_names(value, "affected_cis")


@attrs.frozen(kw_only=True)
class ChangeTemplate:
    """A standard change model: pre-approved, low-risk work done the same way every time.

    A change opened from a template is a standard change: it takes the template's plans and
    skips authorisation (ServiceNow's standard change catalog).
    """

    name: str = attrs.field(validator=_text_field)
    short_description: str = attrs.field(validator=_text_field)
    implementation_plan: str = attrs.field(validator=_text_field)
    backout_plan: str = attrs.field(validator=_text_field)
    test_plan: str = attrs.field(validator=_text_field)
    category: str | None = attrs.field(default=None, validator=_optional_field)
    assignment_group: str | None = attrs.field(default=None, validator=_optional_field)
    affected_cis: frozenset[str] = attrs.field(default=frozenset(), converter=_cis)

    def fields(self) -> dict[str, object]:
        """The change fields this template fills in."""
        values: dict[str, object] = {
            "short_description": self.short_description,
            "implementation_plan": self.implementation_plan,
            "backout_plan": self.backout_plan,
            "test_plan": self.test_plan,
            "category": self.category,
            "assignment_group": self.assignment_group,
        }
        if self.affected_cis:
            values["affected_cis"] = self.affected_cis
        return {k: v for k, v in values.items() if v is not None}


class Change(Record):
    """A change request snapshot: typed views over its fields, and its approval state.

    Decisions live in the protected ``approvals`` field (each one also in the history event
    that recorded it); :attr:`stages` evaluates them against the approval plan.
    """

    __slots__ = ()

    @property
    def type(self) -> str:
        """``standard``, ``normal`` or ``emergency``."""
        return self.text("type") or "normal"

    @property
    def short_description(self) -> str | None:
        """One-line summary."""
        return self.text("short_description")

    @property
    def requester(self) -> str | None:
        """Who asked for the change (never an approver of it)."""
        return self.text("requester")

    @property
    def assigned_to(self) -> str | None:
        """Who owns the change (never an approver of it)."""
        return self.text("assigned_to")

    @property
    def implementer(self) -> str | None:
        """Who carries it out (never an approver of it)."""
        return self.text("implementer")

    @property
    def template(self) -> str | None:
        """The standard change template it came from."""
        return self.text("template")

    @property
    def affected_cis(self) -> frozenset[str]:
        """The CIs the change touches."""
        return _names(self.fields.get("affected_cis"))

    @property
    def impacted_services(self) -> frozenset[str]:
        """The services in its blast radius (see :func:`refresh_impact`)."""
        return _names(self.fields.get("impacted_services"))

    @property
    def planned_start(self) -> datetime | None:
        """When the work is planned to start."""
        value = self.fields.get("planned_start")
        return value if isinstance(value, datetime) else None

    @property
    def planned_end(self) -> datetime | None:
        """When the work is planned to end."""
        value = self.fields.get("planned_end")
        return value if isinstance(value, datetime) else None

    @property
    def approval(self) -> str:
        """``not_requested``, ``not_required``, ``requested``, ``approved``, ``rejected`` or
        ``canceled``."""
        return self.text("approval") or "not_requested"

    @property
    def authorised_retrospectively(self) -> bool:
        """True for an emergency change whose authorisation completed after it went ahead."""
        return self.fields.get("authorised_retrospectively") is True

    @property
    def risk_label(self) -> str | None:
        """The assessed risk (see :func:`itsmcore.changes.assess_risk`)."""
        return self.text("risk_label")

    @property
    def stages(self) -> tuple[StageStatus, ...]:
        """Every stage of the current approval round, with its outcome."""
        return stage_statuses(self.fields)

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every decision of the current approval round, oldest first."""
        found = self.fields.get("approvals") or ()
        return tuple(Decision.from_field(d) for d in found)  # type: ignore[attr-defined]

    @property
    def close_code(self) -> str | None:
        """``successful``, ``successful_with_issues`` or ``unsuccessful``."""
        return self.text("close_code")


def _names(value: object) -> frozenset[str]:
    return value if isinstance(value, frozenset) else frozenset()


def _check_change(change: object) -> Change:
    if not isinstance(change, Change):
        raise ValidationError(f"expected a Change, got {type(change).__name__} {change!r}")
    return change


def open_change(
    number: str,
    *,
    at: datetime,
    actor: str,
    requester: str,
    type: str = "normal",
    short_description: str | None = None,
    affected_cis: Iterable[str] = (),
    template: ChangeTemplate | None = None,
    fields: Mapping[str, object] | None = None,
    workflow: Workflow | None = None,
) -> Change:
    """Raise a change request (state ``new``).

    A ``template`` makes it a standard change (pre-approved: approval ``not_required``) with
    the template's plans; ``type="standard"`` without one is refused. ``fields`` sets any
    other change field (assigned_to, implementer, planned_start ...).
    """
    check_text(number, "number")
    check_text(requester, "requester")
    if template is not None and not isinstance(template, ChangeTemplate):
        raise ValidationError(f"'template' must be a ChangeTemplate, got {template!r}")
    kind = check_choice(type, "change type", CHANGE_TYPES)
    if template is not None and kind != "standard":
        if type != "normal":
            raise ValidationError(f"a change from a template is a standard change, not {kind!r}")
        kind = "standard"
    if kind == "standard" and template is None:
        raise ValidationError(
            "a standard change comes from a pre-approved template; pass template=ChangeTemplate"
        )
    if fields is not None and not isinstance(fields, Mapping):
        raise ValidationError(f"'fields' must be a mapping of change fields, got {fields!r}")
    values: dict[str, object] = dict(template.fields()) if template is not None else {}
    if short_description is not None:
        values["short_description"] = check_text(short_description, "short_description")
    if "short_description" not in values:
        raise ValidationError("a change needs a short_description")
    cis = check_names(affected_cis, "affected_cis")
    if cis:
        extra = values.get("affected_cis")
        values["affected_cis"] = cis | (extra if isinstance(extra, frozenset) else frozenset())
    values["requester"] = requester
    values.update(fields or {})
    initial: dict[str, object] = {
        "type": kind,
        "approval": "not_required" if kind == "standard" else "not_requested",
    }
    if template is not None:
        initial["template"] = template.name
    flow = default_change_workflow() if workflow is None else workflow
    return start(
        flow,
        number=number,
        at=at,
        actor=actor,
        fields=values,
        initial=initial,
        record_type=Change,
    )


def submit(
    change: Change,
    policy: ApprovalPolicy,
    *,
    at: datetime,
    actor: str,
    groups: Mapping[str, Iterable[str]] | None = None,
    comment: str | None = None,
) -> Change:
    """Start the change's approval round: plan its stages and move it on.

    A normal change goes to ``assess``, an emergency change straight to ``authorise``.
    ``groups`` maps approver group names to their members. The plan freezes each stage's
    eligible approvers (the requester, assignee and implementer are never among them).
    """
    _check_change(change)
    if not isinstance(policy, ApprovalPolicy):
        raise ValidationError(f"'policy' must be an ApprovalPolicy, got {policy!r}")
    if change.type == "standard":
        raise ValidationError(
            f"{change.number} is a standard change: pre-approved, it needs no approval round; "
            "apply 'schedule' instead"
        )
    plan = policy.plan(change.fields, groups=groups, number=change.number)
    transition = "assess" if change.type == "normal" else "authorise"
    return change.apply(
        transition, at=at, actor=actor, comment=comment, fields={"approval_request": plan}
    )


def decide(
    change: Change,
    *,
    verdict: str,
    at: datetime,
    actor: str,
    on_behalf_of: str | None = None,
    delegations: Iterable[Delegation] = (),
    comment: str | None = None,
    stage: str | None = None,
) -> Change:
    """Record one approval decision (``"approved"`` or ``"rejected"``) on the current stage.

    ``actor`` decides for themselves, or for ``on_behalf_of`` under one of ``delegations``
    (in force at ``at``; a delegate's delegate gets nothing). A refused decision (not an
    eligible approver, a duplicate, a decided stage, the requester / assignee / implementer
    or their delegate) raises :class:`~itsmcore.errors.TransitionRefusedError` and records
    nothing. The decision becomes one ``decide`` event of the change history.
    """
    _check_change(change)
    check_choice(verdict, "verdict", VERDICTS)
    check_text(actor, "actor")
    check_optional_text(on_behalf_of, "on_behalf_of")
    check_optional_text(comment, "comment")
    check_optional_text(stage, "stage")
    if isinstance(delegations, str | bytes) or not isinstance(delegations, Iterable):
        raise ValidationError(
            f"'delegations' must be a collection of Delegation, got {delegations!r}"
        )
    given = tuple(delegations)
    bad = [d for d in given if not isinstance(d, Delegation)]
    if bad:
        raise ValidationError(f"'delegations' must hold Delegation values, got {allowed_list(bad)}")
    instant = check_instant(at, "at")
    decision: dict[str, object] = {
        "verdict": verdict,
        "on_behalf_of": on_behalf_of,
        "comment": comment,
        "stage": stage,
        "delegation": None,
    }
    if on_behalf_of is not None:
        found = find_delegation(given, delegator=on_behalf_of, delegate=actor, at=instant)
        if found is None:
            raise TransitionRefusedError(
                f"cannot record the decision of {actor!r} on {change.number}: "
                + _no_delegation(given, on_behalf_of, actor, instant)
            )
        decision["delegation"] = {"start": found.start.isoformat(), "end": found.end.isoformat()}
    why = refusal(change.fields, change.state, decision, actor=actor, at=instant)
    if why is not None:
        raise TransitionRefusedError(
            f"cannot record the decision of {actor!r} on {change.number}: {why}"
        )
    return change.apply(
        "decide", at=at, actor=actor, comment=comment, fields={"decision": decision}
    )


def _no_delegation(
    delegations: tuple[Delegation, ...], delegator: str, delegate: str, at: datetime
) -> str:
    chain = [
        d.delegate
        for d in delegations
        if d.delegator == delegator
        and d.active(at)
        and find_delegation(delegations, delegator=d.delegate, delegate=delegate, at=at)
    ]
    if chain:
        return (
            f"{delegate!r} is a delegate of {chain[0]!r}, who is a delegate of {delegator!r}; "
            "delegation does not cascade"
        )
    windows = [d for d in delegations if d.delegator == delegator and d.delegate == delegate]
    if windows:
        spans = ", ".join(f"{d.start.isoformat()} to {d.end.isoformat()}" for d in windows)
        return (
            f"the delegation from {delegator!r} to {delegate!r} is not in force at "
            f"{at.isoformat()} ({spans})"
        )
    return f"{delegator!r} has not delegated approvals to {delegate!r}"


def refresh_impact(
    change: Change,
    cmdb: CMDB,
    *,
    at: datetime,
    actor: str,
    max_depth: int | None = None,
) -> Change:
    """Set ``impacted_services`` from the CMDB: the services in the blast radius of the
    affected CIs (redundancy-aware: a service still served by a redundant peer is degraded,
    and listed; one out of reach is not)."""
    _check_change(change)
    from itsmcore.cmdb import CMDB as _CMDB

    if not isinstance(cmdb, _CMDB):
        raise ValidationError(f"'cmdb' must be a CMDB, got {type(cmdb).__name__}")
    radius = cmdb.blast_radius(sorted(change.affected_cis), max_depth=max_depth)
    services = frozenset(s.ci_id for s in radius.services)
    return change.update({"impacted_services": services}, at=at, actor=actor)


registry.register_record_type("change", Change)
