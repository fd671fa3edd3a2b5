"""Auto-close: a resolved incident closes by itself after N days (ServiceNow's policy).

ServiceNow's ``glide.ui.autoclose.time`` counts calendar days from ``resolved_at`` (or from
the last update); 0 disables it. These are pure functions of the incident and an instant, so
a scheduler (or a test) decides when to ask. Pass ``calendar=`` (e.g. an
:class:`itsmcore.sla.BusinessCalendar`) to count business days instead, as newer ServiceNow
releases can.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, Protocol

from itsmcore._time import to_instant
from itsmcore.errors import ValidationError
from itsmcore.incidents.derived import resolution
from itsmcore.incidents.incident import Incident

__all__ = [
    "AutoCloseBasis",
    "BusinessDays",
    "auto_close",
    "auto_close_due_at",
    "due_for_auto_close",
]

AutoCloseBasis = Literal["resolved", "updated"]


class BusinessDays(Protocol):
    """Business-day arithmetic, as :meth:`itsmcore.sla.BusinessCalendar.add_days` offers."""

    def add_days(self, start: datetime, days: int) -> datetime: ...


def _check_days(after_days: object) -> int:
    if type(after_days) is not int or after_days < 0:
        raise ValidationError(
            f"'after_days' must be a whole number of days >= 0 (0 disables auto-close), "
            f"got {after_days!r}"
        )
    return after_days


def auto_close_due_at(
    incident: Incident,
    *,
    after_days: int,
    basis: AutoCloseBasis = "resolved",
    calendar: BusinessDays | None = None,
    resolved_state: str = "resolved",
) -> datetime | None:
    """When ``incident`` becomes due for auto-close, or ``None`` (not resolved, or disabled).

    ``basis="resolved"`` counts from the resolution (ServiceNow's default since London);
    ``"updated"`` from the last event of any kind. Days are calendar days, or business days
    of ``calendar`` when one is given.
    """
    days = _check_days(after_days)
    if basis not in ("resolved", "updated"):
        raise ValidationError(f"'basis' must be 'resolved' or 'updated', got {basis!r}")
    if days == 0 or incident.state != resolved_state:
        return None
    if basis == "resolved":
        found = resolution(incident.history)
        if found is None:
            return None
        start = found[0]
    else:
        last = incident.history.last
        if last is None:
            return None
        start = last.at
    if calendar is not None:
        return calendar.add_days(start, days)
    return start + timedelta(days=days)


def due_for_auto_close(
    incident: Incident,
    *,
    at: datetime,
    after_days: int,
    basis: AutoCloseBasis = "resolved",
    calendar: BusinessDays | None = None,
) -> bool:
    """Whether ``incident`` should be auto-closed at instant ``at``."""
    instant = to_instant(at)
    due = auto_close_due_at(incident, after_days=after_days, basis=basis, calendar=calendar)
    return due is not None and instant >= due


def auto_close(
    incident: Incident,
    *,
    at: datetime,
    after_days: int,
    actor: str = "system",
    basis: AutoCloseBasis = "resolved",
    calendar: BusinessDays | None = None,
) -> Incident:
    """Close ``incident`` if it is due at ``at``; otherwise return it unchanged."""
    if not due_for_auto_close(
        incident, at=at, after_days=after_days, basis=basis, calendar=calendar
    ):
        return incident
    unit = "day(s)" if calendar is None else "business day(s)"
    return incident.apply(
        "close", at=at, actor=actor, reason=f"auto-closed after {after_days} {unit} resolved"
    )
