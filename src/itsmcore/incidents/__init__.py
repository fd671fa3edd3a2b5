"""Incidents on ServiceNow's state model: an immutable :class:`Incident` on a workflow.

Open one with :func:`open_incident`, move it with ``incident.apply("resolve", ...)``, change
fields with ``incident.update(...)`` (priority follows impact and urgency), add work notes
and comments with ``incident.note(...)``. Counters and stamps are derived from the history.
"""

from __future__ import annotations

from itsmcore.incidents.autoclose import (
    AutoCloseBasis,
    BusinessDays,
    auto_close,
    auto_close_due_at,
    due_for_auto_close,
)
from itsmcore.incidents.derived import (
    first_response_at,
    reassignment_count,
    reopen_count,
    resolution,
)
from itsmcore.incidents.incident import Incident, open_incident
from itsmcore.incidents.workflow import (
    HOLD_REASONS,
    INCIDENT_FIELD_KINDS,
    INCIDENT_FIELDS,
    PriorityFromMatrix,
    PriorityLevel,
    PriorityLookup,
    default_incident_workflow,
    default_matrix,
    incident_workflow,
)

__all__ = [
    "HOLD_REASONS",
    "INCIDENT_FIELDS",
    "INCIDENT_FIELD_KINDS",
    "AutoCloseBasis",
    "BusinessDays",
    "Incident",
    "PriorityFromMatrix",
    "PriorityLevel",
    "PriorityLookup",
    "auto_close",
    "auto_close_due_at",
    "default_incident_workflow",
    "default_matrix",
    "due_for_auto_close",
    "first_response_at",
    "incident_workflow",
    "open_incident",
    "reassignment_count",
    "reopen_count",
    "resolution",
]
