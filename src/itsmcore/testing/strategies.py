"""Hypothesis strategies for itsmcore's value objects, for your own property-based tests.

Every strategy here is a function returning a ``SearchStrategy``; none raises when called
(bad arguments surface when the strategy is drawn from, as in hypothesis itself). The
strategies for each domain live in a private module beside this one and are re-exported here.
"""

from __future__ import annotations

# Each domain's strategies are re-exported below, one import line per domain.
from itsmcore.testing._calendar_strategies import (
    business_calendars,
    day_intervals,
    weekly_schedules,
)
from itsmcore.testing._change_strategies import (
    approval_policies,
    approval_stages,
    change_templates,
    conflict_cmdbs,
    decision_attempts,
    delegations,
    planned_changes,
)
from itsmcore.testing._cmdb_strategies import cis, cmdbs
from itsmcore.testing._priority_strategies import (
    MatrixSpec,
    impact_assessments,
    impact_facts,
    impact_rule_sets,
    impact_rules,
    invalid_matrix_specs,
    matrices_with_holes,
    matrix_cells,
    non_monotone_matrices,
    priority_labels,
    priority_levels,
    priority_matrices,
    priority_scales,
)
from itsmcore.testing._ticket_strategies import (
    catalog_items,
    incident_fields_for,
    incident_updates,
    incidents,
    problem_fields_for,
    problem_updates,
    problems,
    random_walk,
    request_fields_for,
    service_requests,
)
from itsmcore.testing._time_strategies import aware_datetimes, utc_datetimes, zone_names
from itsmcore.testing._workflow_strategies import (
    check_record_invariants,
    workflow_state_machine,
    workflows,
)

__all__ = [
    "MatrixSpec",
    "approval_policies",
    "approval_stages",
    "aware_datetimes",
    "business_calendars",
    "catalog_items",
    "change_templates",
    "check_record_invariants",
    "cis",
    "cmdbs",
    "conflict_cmdbs",
    "day_intervals",
    "decision_attempts",
    "delegations",
    "impact_assessments",
    "impact_facts",
    "impact_rule_sets",
    "impact_rules",
    "incident_fields_for",
    "incident_updates",
    "incidents",
    "invalid_matrix_specs",
    "matrices_with_holes",
    "matrix_cells",
    "non_monotone_matrices",
    "planned_changes",
    "priority_labels",
    "priority_levels",
    "priority_matrices",
    "priority_scales",
    "problem_fields_for",
    "problem_updates",
    "problems",
    "random_walk",
    "request_fields_for",
    "service_requests",
    "utc_datetimes",
    "weekly_schedules",
    "workflow_state_machine",
    "workflows",
    "zone_names",
]
