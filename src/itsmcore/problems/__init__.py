"""Problems on ServiceNow's model: root cause analysis, fix, known errors and workarounds.

Open one with :func:`open_problem`; move it with ``problem.apply("confirm", ...)``; record
a known error with :func:`mark_known_error` and link incidents with :func:`link_incident`.
"""

from __future__ import annotations

from itsmcore.problems.problem import (
    Problem,
    link_incident,
    linked_incidents,
    mark_known_error,
    open_problem,
    reanalysis_count,
    unlink_incident,
)
from itsmcore.problems.sync import resolve_linked_incidents
from itsmcore.problems.workflow import (
    PROBLEM_FIELDS,
    RESOLUTION_CODES,
    default_problem_workflow,
    problem_workflow,
)

__all__ = [
    "PROBLEM_FIELDS",
    "RESOLUTION_CODES",
    "Problem",
    "default_problem_workflow",
    "link_incident",
    "linked_incidents",
    "mark_known_error",
    "open_problem",
    "problem_workflow",
    "reanalysis_count",
    "resolve_linked_incidents",
    "unlink_incident",
]
