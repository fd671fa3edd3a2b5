"""The incident record: an immutable snapshot on the incident workflow."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from itsmcore.incidents.workflow import PriorityLookup, default_incident_workflow, incident_workflow
from itsmcore.workflow import Record, Workflow, registry, start

__all__ = ["Incident", "open_incident"]


class Incident(Record):
    """An incident snapshot: typed views over its fields, plus everything a :class:`Record` has.

    Stored counters and stamps (``reopen_count``, ``reassignment_count``, ``resolved_at`` ...)
    are written by the workflow's hooks and field rules into the history, and always equal
    what :mod:`itsmcore.incidents.derived` recomputes from the history.
    """

    __slots__ = ()

    @property
    def caller(self) -> str | None:
        """Who reported the incident."""
        return self.text("caller")

    @property
    def short_description(self) -> str | None:
        """One-line summary."""
        return self.text("short_description")

    @property
    def category(self) -> str | None:
        """Category (free text; products configure their own lists)."""
        return self.text("category")

    @property
    def assignment_group(self) -> str | None:
        """The group working on it."""
        return self.text("assignment_group")

    @property
    def assigned_to(self) -> str | None:
        """The assignee within the group."""
        return self.text("assigned_to")

    @property
    def configuration_item(self) -> str | None:
        """The affected configuration item."""
        return self.text("configuration_item")

    @property
    def service(self) -> str | None:
        """The affected service."""
        return self.text("service")

    @property
    def impact(self) -> object:
        """Impact as given (level number or label)."""
        return self.fields.get("impact")

    @property
    def urgency(self) -> object:
        """Urgency as given (level number or label)."""
        return self.fields.get("urgency")

    @property
    def priority(self) -> int | None:
        """Priority level computed by the matrix from impact and urgency."""
        value = self.fields.get("priority")
        return value if isinstance(value, int) else None

    @property
    def priority_label(self) -> str | None:
        """The priority's label, e.g. ``"Critical"``."""
        return self.text("priority_label")

    @property
    def hold_reason(self) -> str | None:
        """Why it is on hold (``None`` unless on hold)."""
        return self.text("hold_reason")

    @property
    def resolution_code(self) -> str | None:
        """How it was resolved."""
        return self.text("resolution_code")

    @property
    def resolved_at(self) -> datetime | None:
        """When it was (last) resolved; cleared by reopening."""
        return self.instant("resolved_at")

    @property
    def resolved_by(self) -> str | None:
        """Who resolved it; cleared by reopening."""
        return self.text("resolved_by")

    @property
    def reopen_count(self) -> int:
        """How many times it was reopened."""
        return self.count("reopen_count")

    @property
    def reassignment_count(self) -> int:
        """How many times its assignment group changed after the first assignment."""
        return self.count("reassignment_count")


def open_incident(
    number: str,
    *,
    at: datetime,
    actor: str,
    caller: str,
    short_description: str,
    impact: int | str,
    urgency: int | str,
    fields: Mapping[str, object] | None = None,
    workflow: Workflow | None = None,
    matrix: PriorityLookup | None = None,
) -> Incident:
    """Log a new incident (state ``new``, version 1) and compute its priority.

    ``fields`` sets any other incident field (category, assignment_group, configuration_item
    ...). ``workflow`` replaces the default one (e.g. a customised copy); ``matrix`` picks the
    priority matrix of the default workflow.
    """
    if workflow is not None:
        flow = workflow
    else:
        flow = default_incident_workflow() if matrix is None else incident_workflow(matrix)
    values: dict[str, object] = {
        "caller": caller,
        "short_description": short_description,
        "impact": impact,
        "urgency": urgency,
    }
    values.update(fields or {})
    return start(flow, number=number, at=at, actor=actor, fields=values, record_type=Incident)


registry.register_record_type("incident", Incident)
