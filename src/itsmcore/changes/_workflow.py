"""The default change workflow, after ServiceNow's change state model.

new → assess → authorise → scheduled → implement → review → closed, with canceled, and
``revert`` back to new (which cancels pending approvals). Standard changes go from new
straight to scheduled (pre-approved); emergency changes from new straight to authorise, and
may be implemented before their authorisation is complete (it is then recorded as
retrospective). Approval decisions are a self-loop transition, ``decide``, whose hook records
the decision in the protected ``approvals`` field.

Every guard, hook, requirement and field rule is a module-level function; :data:`CHANGE_HOOKS`
and friends map their stable names (``changes.require_plans`` ...) to them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from itsmcore.changes._approvals import (
    ROLE_LABELS,
    ROLES,
    overall_status,
    refusal,
    stage_statuses,
)
from itsmcore.changes._checks import freeze
from itsmcore.errors import UnknownValueError, ValidationError, allowed_list
from itsmcore.workflow import (
    Attempt,
    FieldRule,
    Guard,
    Hook,
    Requirement,
    State,
    Transition,
    Workflow,
    registry,
)
from itsmcore.workflow.fields import FieldKind

__all__ = [
    "CHANGE_FIELDS",
    "CHANGE_FIELD_RULES",
    "CHANGE_FIELD_TYPES",
    "CHANGE_GUARDS",
    "CHANGE_HOOKS",
    "CHANGE_REQUIREMENTS",
    "CHANGE_TYPES",
    "CLOSE_CODES",
    "PROTECTED_FIELDS",
    "change_workflow",
    "default_change_workflow",
]

CHANGE_TYPES = ("standard", "normal", "emergency")
"""The change types (ITIL 4, ServiceNow)."""

CLOSE_CODES = ("successful", "successful_with_issues", "unsuccessful")
"""How an implemented change ended (ServiceNow's close codes)."""

PLANS = ("implementation_plan", "backout_plan", "test_plan")

CHANGE_FIELD_TYPES: Mapping[str, FieldKind] = MappingProxyType(
    {
        "short_description": "text",
        "description": "text",
        "type": "text",
        "template": "text",
        "category": "text",
        "justification": "text",
        "requester": "text",
        "assignment_group": "text",
        "assigned_to": "text",
        "implementer": "text",
        "affected_cis": "names",
        "impacted_services": "names",
        "planned_start": "instant",
        "planned_end": "instant",
        "implementation_plan": "text",
        "backout_plan": "text",
        "test_plan": "text",
        "impact": "level",
        "probability": "level",
        "risk": "level",
        "risk_label": "text",
        "risk_reasons": "data",
        "approval": "text",
        "approval_plan": "data",
        "approvals": "data",
        "approval_request": "data",
        "decision": "data",
        "approved_at": "instant",
        "authorised_retrospectively": "bool",
        "close_code": "text",
        "close_notes": "text",
        "review_notes": "text",
    }
)
"""The type of every change field, in the vocabulary of the workflow engine's field kinds."""

CHANGE_FIELDS = frozenset(CHANGE_FIELD_TYPES)
"""The fields a change may carry."""

PROTECTED_FIELDS = frozenset(
    {
        "type",
        "template",
        "approval",
        "approval_plan",
        "approvals",
        "approved_at",
        "authorised_retrospectively",
    }
)
"""Fields only the workflow sets: the type at creation, the approval state by its hooks."""

TRANSIENT_FIELDS = ("approval_request", "decision")
"""Inputs of ``submit`` / ``decide``, consumed by their hooks; never kept on a change."""


# -- guards -----------------------------------------------------------------------------------


def _type(attempt: Attempt) -> object:
    return attempt.record.fields.get("type")


def is_normal(attempt: Attempt) -> bool | str:
    """``changes.is_normal``: only normal changes are assessed."""
    kind = _type(attempt)
    return True if kind == "normal" else f"a {kind} change is not assessed"


def is_standard(attempt: Attempt) -> bool | str:
    """``changes.is_standard``: only standard (pre-approved) changes skip authorisation."""
    kind = _type(attempt)
    return True if kind == "standard" else f"a {kind} change needs authorisation first"


def is_emergency(attempt: Attempt) -> bool | str:
    """``changes.is_emergency``: only emergency changes go from new straight to authorise."""
    kind = _type(attempt)
    return True if kind == "emergency" else f"a {kind} change goes through assess first"


def has_approval_request(attempt: Attempt) -> bool | str:
    """``changes.has_approval_request``: approvals start with a plan (see ``submit``)."""
    if attempt.changes.get("approval_request") is not None:
        return True
    return "no approval plan given; submit it with itsmcore.changes.submit(change, policy, ...)"


def stages_approved(attempt: Attempt) -> bool | str:
    """``changes.stages_approved``: every stage decided in the current state is approved.

    An emergency change may move on with stages pending (its authorisation then becomes
    retrospective), never after a rejection.
    """
    fields = attempt.record.fields
    state = attempt.record.state
    statuses = stage_statuses(fields)
    rejected = [s.name for s in statuses if s.outcome == "rejected"]
    if rejected:
        return f"stage(s) {allowed_list(rejected)} rejected the change; revert it to new or cancel"
    if fields.get("type") == "emergency":
        return True
    pending = [s.name for s in statuses if s.state == state and s.outcome != "approved"]
    if pending:
        return f"stage(s) {allowed_list(pending)} are not approved yet"
    return True


def may_close(attempt: Attempt) -> bool | str:
    """``changes.may_close``: an emergency change closes only once its ECAB has decided."""
    fields = attempt.record.fields
    if fields.get("type") == "emergency" and fields.get("approval") == "requested":
        return "the retrospective authorisation of this emergency change is still pending"
    return True


def check_decision(attempt: Attempt) -> bool | str:
    """``changes.check_decision``: the decision is eligible (see ``itsmcore.changes.decide``)."""
    decision = attempt.changes.get("decision")
    if not isinstance(decision, Mapping):
        return "no decision given; record one with itsmcore.changes.decide(change, ...)"
    why = refusal(
        attempt.record.fields,
        attempt.record.state,
        decision,
        actor=attempt.actor,
        at=attempt.at,
    )
    return True if why is None else why


# -- hooks ------------------------------------------------------------------------------------


def start_approvals(attempt: Attempt) -> Mapping[str, object]:
    """``changes.start_approvals``: the submitted plan becomes the change's approval round."""
    plan = freeze(attempt.changes.get("approval_request") or ())
    fields = {"approval_plan": plan, "approvals": (), "approval_request": None}
    status = overall_status(stage_statuses(fields))
    stamp: dict[str, object] = {"approval": status}
    if status == "approved":
        stamp["approved_at"] = attempt.at
    return {**fields, **stamp}


def record_decision(attempt: Attempt) -> Mapping[str, object]:
    """``changes.record_decision``: append the decision and update the approval state."""
    fields = attempt.record.fields
    given = attempt.changes["decision"]
    if not isinstance(given, Mapping):  # pragma: no cover - check_decision refused it
        return {}
    statuses = stage_statuses(fields)
    current = next(s for s in statuses if s.outcome == "pending")
    retrospective = attempt.record.state != current.state
    decision = freeze(
        {
            "stage": current.name,
            "approver": attempt.actor,
            "on_behalf_of": given.get("on_behalf_of"),
            "verdict": given["verdict"],
            "at": attempt.at.isoformat(),
            "comment": attempt.comment if attempt.comment is not None else given.get("comment"),
            "retrospective": retrospective,
            "delegation": given.get("delegation"),
        }
    )
    approvals = (*(fields.get("approvals") or ()), decision)  # type: ignore[misc]
    status = overall_status(stage_statuses({**fields, "approvals": approvals}))
    out: dict[str, object] = {"approvals": approvals, "approval": status, "decision": None}
    if status == "approved":
        out["approved_at"] = attempt.at
        if any(d["retrospective"] for d in approvals):
            out["authorised_retrospectively"] = True
    return out


def cancel_approvals(attempt: Attempt) -> Mapping[str, object]:
    """``changes.cancel_approvals``: going back to new (or canceling) cancels pending stages."""
    if attempt.record.fields.get("approval") == "requested":
        return {"approval": "canceled"}
    return {}


def clear_approvals(attempt: Attempt) -> Mapping[str, object]:
    """``changes.clear_approvals``: back in new, the change awaits a new approval round.

    Pending approvals are canceled; a decided round is kept in the history and the change
    must be submitted again.
    """
    fields = attempt.record.fields
    if fields.get("type") == "standard":
        return {}
    if fields.get("approval") == "requested":
        return {"approval": "canceled"}
    return {"approval": "not_requested"}


# -- requirements -----------------------------------------------------------------------------


def require_plans(attempt: Attempt) -> Iterable[str]:
    """``changes.require_plans``: the implementation, backout and test plans.

    An emergency change may postpone its test plan to the review.
    """
    if attempt.record.fields.get("type") == "emergency":
        return PLANS[:2]
    return PLANS


def require_review(attempt: Attempt) -> Iterable[str]:
    """``changes.require_review``: a post-implementation review for emergency and
    unsuccessful changes (an emergency change also brings its postponed test plan)."""
    needed: list[str] = []
    if attempt.record.fields.get("type") == "emergency":
        needed += ["review_notes", "test_plan"]
    elif attempt.value("close_code") == "unsuccessful":
        needed.append("review_notes")
    return needed


# -- field rules ------------------------------------------------------------------------------


def check_close_code(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    """``changes.check_close_code``: the close code is one of :data:`CLOSE_CODES`."""
    code = new.get("close_code")
    if code is not None and code not in CLOSE_CODES:
        raise UnknownValueError(
            f"unknown close_code {code!r}; allowed: {allowed_list(CLOSE_CODES)}"
        )
    return {}


def check_schedule(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    """``changes.check_schedule``: the planned end comes after the planned start."""
    start, end = new.get("planned_start"), new.get("planned_end")
    if isinstance(start, datetime) and isinstance(end, datetime) and not start < end:
        raise ValidationError(
            f"planned_end {end.isoformat()} is not after planned_start {start.isoformat()}; "
            "a change window needs a positive length"
        )
    return {}


def check_roles(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    """``changes.check_roles``: while approvals run, no approver becomes a role-holder.

    The requester, assignee and implementer are excluded from every stage's pool when the
    change is planned; making an approver one of them mid-round would let them approve their
    own change (or void a decision already taken), so it is refused until the change is
    reverted to new.
    """
    if new.get("approval") != "requested":
        return {}
    statuses = stage_statuses(new)
    involved: set[str] = set()
    for status in statuses:
        involved |= status.approvals | status.rejections
        if status.outcome in ("pending", "waiting"):
            involved |= status.pool
    for role in ROLES:
        holder = new.get(role)
        if holder != old.get(role) and holder in involved:
            raise ValidationError(
                f"{holder!r} is an approver of this change and cannot become its "
                f"{ROLE_LABELS.get(role, role)} while approvals run; revert the change to new first"
            )
    return {}


def refuse_inputs(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    """``changes.refuse_inputs``: approval inputs go through ``submit`` and ``decide`` only."""
    given = [name for name in TRANSIENT_FIELDS if new.get(name) is not None]
    if given:
        raise ValidationError(
            f"field(s) {allowed_list(given)} are inputs of the 'submit' and 'decide' steps; "
            "use itsmcore.changes.submit(...) and itsmcore.changes.decide(...)"
        )
    return {}


CHANGE_GUARDS: Mapping[str, Guard] = {
    "changes.is_normal": is_normal,
    "changes.is_standard": is_standard,
    "changes.is_emergency": is_emergency,
    "changes.has_approval_request": has_approval_request,
    "changes.stages_approved": stages_approved,
    "changes.may_close": may_close,
    "changes.check_decision": check_decision,
}
"""The change workflow's guards by their stable names."""

CHANGE_HOOKS: Mapping[str, Hook] = {
    "changes.start_approvals": start_approvals,
    "changes.record_decision": record_decision,
    "changes.cancel_approvals": cancel_approvals,
    "changes.clear_approvals": clear_approvals,
}
"""The change workflow's hooks by their stable names."""

CHANGE_REQUIREMENTS: Mapping[str, Requirement] = {
    "changes.require_plans": require_plans,
    "changes.require_review": require_review,
}
"""The change workflow's conditional requirements by their stable names."""

_RULES = (
    ("changes.check_close_code", ("close_code",), check_close_code),
    ("changes.check_schedule", ("planned_start", "planned_end"), check_schedule),
    ("changes.check_roles", ROLES, check_roles),
    ("changes.refuse_inputs", TRANSIENT_FIELDS, refuse_inputs),
)

CHANGE_FIELD_RULES: Mapping[str, FieldRule] = {
    name: FieldRule(name=name, watch=watch, compute=compute) for name, watch, compute in _RULES
}
"""The change workflow's field rules by their stable names."""


def _rule_factory(name: str) -> Callable[[Mapping[str, object]], FieldRule]:
    def build(params: Mapping[str, object]) -> FieldRule:
        return CHANGE_FIELD_RULES[name]

    return build


for _name, _guard in CHANGE_GUARDS.items():
    registry.register_guard(_name, _guard)
for _name, _hook in CHANGE_HOOKS.items():
    registry.register_hook(_name, _hook)
for _name, _requirement in CHANGE_REQUIREMENTS.items():
    registry.register_requirement(_name, _requirement)
for _name in CHANGE_FIELD_RULES:
    registry.register_field_rule(_name, _rule_factory(_name))

_OPEN = ("new", "assess", "authorise", "scheduled", "implement")


@functools.cache
def default_change_workflow() -> Workflow:
    """The default change workflow, built once and registered as ``change`` version 1."""
    return registry.register_workflow(change_workflow())


def change_workflow() -> Workflow:
    """ServiceNow's change state model with staged approvals (see the module docstring).

    Customise it like any workflow (``with_guard``, ``extended`` ...); the approval steps
    rely on the ``decide`` transition and on the states named in the approval policy.
    """
    decide_from = ("assess", "authorise", "scheduled", "implement", "review")
    return Workflow(
        name="change",
        initial="new",
        states=[
            State(name="new"),
            State(name="assess"),
            State(name="authorise", requirements=[require_plans]),
            State(
                name="scheduled",
                requires=("planned_start", "planned_end"),
                requirements=[require_plans],
            ),
            State(name="implement"),
            State(name="review", requires="close_code"),
            State(name="closed", final=True, requires="close_code", requirements=[require_review]),
            State(name="canceled", final=True),
        ],
        transitions=[
            Transition(
                name="assess",
                sources="new",
                target="assess",
                guards=[is_normal, has_approval_request],
                hooks=[start_approvals],
            ),
            Transition(
                name="authorise", sources="assess", target="authorise", guards=[stages_approved]
            ),
            Transition(
                name="authorise",
                sources="new",
                target="authorise",
                guards=[is_emergency, has_approval_request],
                hooks=[start_approvals],
            ),
            Transition(
                name="schedule", sources="authorise", target="scheduled", guards=[stages_approved]
            ),
            Transition(name="schedule", sources="new", target="scheduled", guards=[is_standard]),
            Transition(name="implement", sources="scheduled", target="implement"),
            Transition(name="review", sources="implement", target="review"),
            Transition(name="close", sources="review", target="closed", guards=[may_close]),
            *[
                Transition(
                    name="decide",
                    sources=state,
                    target=state,
                    guards=[check_decision],
                    hooks=[record_decision],
                )
                for state in decide_from
            ],
            Transition(
                name="revert",
                sources=("assess", "authorise", "scheduled"),
                target="new",
                requires="comment",
                hooks=[clear_approvals],
            ),
            Transition(
                name="cancel",
                sources=_OPEN,
                target="canceled",
                requires="comment",
                hooks=[cancel_approvals],
            ),
        ],
        field_rules=list(CHANGE_FIELD_RULES.values()),
        fields=CHANGE_FIELD_TYPES,
        protected_fields=PROTECTED_FIELDS,
    )


default_change_workflow()  # registered when the package loads, so stored changes find it
