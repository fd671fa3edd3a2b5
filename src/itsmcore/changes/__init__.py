"""Change enablement: change requests, risk, staged approvals, windows and conflicts.

Raise a change with :func:`open_change` (from a :class:`ChangeTemplate` for a pre-approved
standard change), assess its risk with :func:`assess_risk`, start its approval round with
:func:`submit` and record each approver's decision with :func:`decide`; stages (technical
approval, CAB ...) come from an :class:`ApprovalPolicy`. Before scheduling, ask
:func:`detect_conflicts` what it clashes with: changes on the same or related CIs, the same
assignee, maintenance and blackout windows. See ``docs/changes.md``.
"""

from __future__ import annotations

from itsmcore.changes._approvals import (
    APPROVAL_RULES,
    ApprovalPolicy,
    ApprovalRule,
    Decision,
    Delegation,
    PolicyCondition,
    PolicyRule,
    Stage,
    StageOutcome,
    StageStatus,
    Verdict,
    stage_outcome,
)
from itsmcore.changes._change import (
    Change,
    ChangeTemplate,
    decide,
    open_change,
    refresh_impact,
    submit,
)
from itsmcore.changes._conflicts import (
    CONFLICT_KINDS,
    ChangeSchedule,
    Conflict,
    ConflictKind,
    PlannedChange,
    detect_conflicts,
    planned,
    related_cis,
)
from itsmcore.changes._risk import (
    RISK_SCALE,
    Question,
    Questionnaire,
    RiskAssessment,
    RiskCondition,
    RiskFacts,
    RiskModel,
    RiskRule,
    assess_risk,
    default_risk_matrix,
    risk_facts,
)
from itsmcore.changes._windows import WINDOW_KINDS, ChangeWindow, WindowKind, freeze_calendar
from itsmcore.changes._workflow import (
    CHANGE_FIELD_RULES,
    CHANGE_FIELD_TYPES,
    CHANGE_FIELDS,
    CHANGE_GUARDS,
    CHANGE_HOOKS,
    CHANGE_REQUIREMENTS,
    CHANGE_TYPES,
    CLOSE_CODES,
    change_workflow,
    default_change_workflow,
)

__all__ = [
    "APPROVAL_RULES",
    "CHANGE_FIELDS",
    "CHANGE_FIELD_RULES",
    "CHANGE_FIELD_TYPES",
    "CHANGE_GUARDS",
    "CHANGE_HOOKS",
    "CHANGE_REQUIREMENTS",
    "CHANGE_TYPES",
    "CLOSE_CODES",
    "CONFLICT_KINDS",
    "RISK_SCALE",
    "WINDOW_KINDS",
    "ApprovalPolicy",
    "ApprovalRule",
    "Change",
    "ChangeSchedule",
    "ChangeTemplate",
    "ChangeWindow",
    "Conflict",
    "ConflictKind",
    "Decision",
    "Delegation",
    "PlannedChange",
    "PolicyCondition",
    "PolicyRule",
    "Question",
    "Questionnaire",
    "RiskAssessment",
    "RiskCondition",
    "RiskFacts",
    "RiskModel",
    "RiskRule",
    "Stage",
    "StageOutcome",
    "StageStatus",
    "Verdict",
    "WindowKind",
    "assess_risk",
    "change_workflow",
    "decide",
    "default_change_workflow",
    "default_risk_matrix",
    "detect_conflicts",
    "freeze_calendar",
    "open_change",
    "planned",
    "refresh_impact",
    "related_cis",
    "risk_facts",
    "stage_outcome",
    "submit",
]
