"""Maintenance and blackout windows: business calendars attached to CIs, services or everything.

A :class:`ChangeWindow` is a calendar whose open time *is* the window: a maintenance window
"Saturdays 22:00-06:00 Europe/Berlin" is a weekly schedule in that zone, a year-end freeze
a calendar open on the frozen dates (:func:`freeze_calendar`). Calendars bring their zones,
recurrences and DST, so a window means the same wall-clock hours all year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

import attrs

from itsmcore.changes._checks import check_choice, check_instant, check_names, check_text
from itsmcore.errors import ValidationError
from itsmcore.sla import BaseCalendar, BusinessCalendar, Override, WeeklySchedule

__all__ = ["WINDOW_KINDS", "ChangeWindow", "WindowKind", "freeze_calendar"]

WindowKind = Literal["maintenance", "blackout"]
WINDOW_KINDS: tuple[WindowKind, ...] = ("maintenance", "blackout")

MAX_FREEZE_DAYS = 3660


def _kind(value: object) -> WindowKind:
    return check_choice(value, "window kind", WINDOW_KINDS)  # type: ignore[return-value]


def _ids(value: object) -> frozenset[str]:
    return check_names(value, "window scope")


def _calendar(_: object, __: attrs.Attribute[BaseCalendar], value: object) -> None:
    if not isinstance(value, BaseCalendar):
        raise ValidationError(f"a window's calendar must be a business calendar, got {value!r}")


def _name(_: object, __: attrs.Attribute[str], value: object) -> None:
    check_text(value, "window name")


@attrs.frozen(kw_only=True)
class ChangeWindow:
    """A maintenance or blackout window: ``calendar`` is open exactly while the window is.

    It applies to the CIs in ``cis`` and to changes impacting the services in ``services``;
    with neither, it applies to every change (a global window).
    """

    name: str = attrs.field(validator=_name)
    kind: WindowKind = attrs.field(converter=_kind)
    calendar: BaseCalendar = attrs.field(validator=_calendar)
    cis: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    services: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)

    @property
    def is_global(self) -> bool:
        """True when the window applies to every change."""
        return not self.cis and not self.services

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether ``[start, end)`` lies wholly inside the window."""
        return self.calendar.between(start, end) >= end - start

    def touches(self, start: datetime, end: datetime) -> bool:
        """Whether any instant of ``[start, end)`` lies inside the window."""
        return self.calendar.between(start, end) > timedelta(0)


def freeze_calendar(
    first: date, last: date, *, zone: str = "UTC", name: str = ""
) -> BusinessCalendar:
    """A calendar open all day from the local date ``first`` to ``last`` (inclusive): the
    shape of a change freeze. Combine several with :func:`itsmcore.sla.union`."""
    for label, value in (("first", first), ("last", last)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError(f"{label!r} must be a date, got {value!r}")
    days = (last - first).days
    if days < 0:
        raise ValidationError(f"a freeze ends ({last}) before it starts ({first})")
    if days >= MAX_FREEZE_DAYS:
        raise ValidationError(f"a freeze of {days + 1} days is longer than {MAX_FREEZE_DAYS}")
    closed = WeeklySchedule(tuple(() for _ in range(7)))
    overrides = [Override(first + timedelta(days=i), "00:00-24:00") for i in range(days + 1)]
    return BusinessCalendar(zone=zone, schedule=closed, overrides=overrides, name=name)


def check_windows(value: Iterable[ChangeWindow]) -> tuple[ChangeWindow, ...]:
    """``value`` as a tuple of windows, or a :class:`ValidationError`."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(f"'windows' must be a collection of ChangeWindow, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, ChangeWindow):
            raise ValidationError(f"'windows' must hold ChangeWindow values, got {item!r}")
    return items


def check_span(start: object, end: object) -> tuple[datetime, datetime]:
    """An aware ``[start, end)`` with ``start < end``."""
    a, b = check_instant(start, "start"), check_instant(end, "end")
    if not a < b:
        raise ValidationError(
            f"a change window needs start < end, got {a.isoformat()} .. {b.isoformat()}"
        )
    return a, b
