"""Problem → incident synchronisation, as ServiceNow does it when a problem is fixed.

When a problem is resolved or closed with *fix applied*, its linked incidents that are on hold
*awaiting problem* are resolved with the code ``resolved_by_problem``. This is a pure function:
it returns the new incident snapshots and the caller stores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from itsmcore.incidents import Incident
from itsmcore.problems.problem import Problem

__all__ = ["resolve_linked_incidents"]


def resolve_linked_incidents(
    problem: Problem, incidents: Iterable[Incident], *, at: datetime, actor: str
) -> tuple[Incident, ...]:
    """The given incidents after syncing with ``problem`` (unchanged ones returned as-is).

    Only incidents linked to the problem, on hold with reason ``awaiting_problem``, move; and
    only when the problem is resolved or closed with ``fix_applied``.
    """
    fixed = problem.state in ("resolved", "closed") and problem.resolution_code == "fix_applied"
    notes = f"Resolved by problem {problem.number}: {problem.fields.get('fix_notes') or 'fixed'}"
    result = []
    for incident in incidents:
        if (
            fixed
            and incident.number in problem.incidents
            and incident.state == "on_hold"
            and incident.hold_reason == "awaiting_problem"
        ):
            incident = incident.apply(
                "resolve",
                at=at,
                actor=actor,
                reason=f"problem {problem.number} fixed",
                fields={"resolution_code": "resolved_by_problem", "resolution_notes": notes},
            )
        result.append(incident)
    return tuple(result)
