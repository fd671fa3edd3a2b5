"""The problem record: known error and workaround, root cause, linked incidents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from itsmcore.errors import ValidationError
from itsmcore.problems.workflow import default_problem_workflow
from itsmcore.workflow import Event, Record, Workflow, registry, start

__all__ = [
    "Problem",
    "link_incident",
    "linked_incidents",
    "mark_known_error",
    "open_problem",
    "reanalysis_count",
    "unlink_incident",
]


class Problem(Record):
    """A problem snapshot: typed views over its fields."""

    __slots__ = ()

    @property
    def short_description(self) -> str | None:
        """One-line summary."""
        return self.text("short_description")

    @property
    def root_cause(self) -> str | None:
        """The root cause, once found."""
        return self.text("root_cause")

    @property
    def known_error(self) -> bool:
        """Whether it is a known error (a documented workaround exists)."""
        return bool(self.fields.get("known_error"))

    @property
    def workaround(self) -> str | None:
        """The workaround for affected incidents."""
        return self.text("workaround")

    @property
    def resolution_code(self) -> str | None:
        """fix_applied, risk_accepted or duplicate once resolved or closed."""
        return self.text("resolution_code")

    @property
    def incidents(self) -> frozenset[str]:
        """Numbers of the incidents linked to this problem."""
        value = self.fields.get("incidents")
        return value if isinstance(value, frozenset) else frozenset()


def open_problem(
    number: str,
    *,
    at: datetime,
    actor: str,
    short_description: str,
    incidents: Iterable[str] = (),
    fields: Mapping[str, object] | None = None,
    workflow: Workflow | None = None,
) -> Problem:
    """Log a new problem (state ``new``), optionally linked to incidents already."""
    values: dict[str, object] = {
        "short_description": short_description,
        "incidents": _numbers(incidents),
        "known_error": False,
    }
    values.update(fields or {})
    flow = default_problem_workflow() if workflow is None else workflow
    return start(flow, number=number, at=at, actor=actor, fields=values, record_type=Problem)


def _numbers(incidents: Iterable[str]) -> frozenset[str]:
    if isinstance(incidents, str):
        incidents = (incidents,)
    found = frozenset(incidents)
    bad = sorted(repr(n) for n in found if not isinstance(n, str) or not n.strip())
    if bad:
        raise ValidationError(f"incident numbers must be non-empty text, got {', '.join(bad)}")
    return found


def mark_known_error(problem: Problem, *, workaround: str, at: datetime, actor: str) -> Problem:
    """Flag ``problem`` as a known error with its workaround (a recorded update)."""
    return problem.update(
        {"known_error": True, "workaround": workaround},
        at=at,
        actor=actor,
        reason="known error",
    )


def link_incident(problem: Problem, incident: str, *, at: datetime, actor: str) -> Problem:
    """Link an incident (by number); linking one already linked changes nothing."""
    linked = problem.incidents | _numbers((incident,))
    return problem.update({"incidents": linked}, at=at, actor=actor)


def unlink_incident(problem: Problem, incident: str, *, at: datetime, actor: str) -> Problem:
    """Remove the link to an incident; unknown numbers are an error listing the linked ones."""
    if incident not in problem.incidents:
        raise ValidationError(
            f"{problem.number} is not linked to {incident!r}; linked: "
            f"{sorted(problem.incidents) or 'none'}"
        )
    return problem.update({"incidents": problem.incidents - {incident}}, at=at, actor=actor)


def linked_incidents(history: Iterable[Event]) -> frozenset[str]:
    """The linked incidents, replayed from the history alone."""
    linked: frozenset[str] = frozenset()
    for event in history:
        if "incidents" in event.changes:
            value = event.changes["incidents"][1]
            linked = value if isinstance(value, frozenset) else frozenset()
    return linked


def reanalysis_count(history: Iterable[Event], *, reanalyse: str = "reanalyse") -> int:
    """How many times the problem went back to root cause analysis."""
    return sum(1 for e in history if e.kind == "transition" and e.transition == reanalyse)


registry.register_record_type("problem", Problem)
