"""Business days: what "N business days after" means, with the common rules as options.

ITSM tools disagree: ServiceNow and Zendesk users think of "the same time on the Nth next
working day", ServiceNow's relative durations and GLPI's ``end_of_working_day`` of "the end of
the Nth working day", and Znuny and GLPI's hours mode of a fixed number of business hours per
day. All three are here; the first is the default.
"""

from __future__ import annotations

import bisect
import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pendulum

from itsmcore.errors import ConfigurationError, UnknownValueError, ValidationError, allowed_list
from itsmcore.sla import _index
from itsmcore.sla._convert import micros as _micros
from itsmcore.sla._index import US
from itsmcore.sla._wall import (
    DAY,
    date_of,
    day_seconds,
    first_instant_at_or_after,
    load_zone,
)

if TYPE_CHECKING:
    from itsmcore.sla.calendar import BaseCalendar

__all__ = ["DayRule", "add_business_days"]


class DayRule(enum.StrEnum):
    """How :meth:`BaseCalendar.add_days` counts a business day."""

    SAME_TIME = "same_time"
    """Default. From the next open instant, the same local wall time on the Nth next working
    day (then the next open instant, if that time is closed on a short day)."""
    END_OF_DAY = "end_of_day"
    """The closing time of the Nth next working day (0: of the start's own working day)."""
    ELAPSED = "elapsed"
    """``N * day_length`` of business time (e.g. 8 hours, or Znuny's 24 hours)."""


def _rule(value: object) -> DayRule:
    try:
        return DayRule(str(value))
    except ValueError:
        raise UnknownValueError(
            f"business-day rule {value!r} is not known; allowed: "
            f"{allowed_list(r.value for r in DayRule)}"
        ) from None


def _nth_working_ordinal(calendar: BaseCalendar, ordinal: int, n: int) -> int:
    """The ordinal of the Nth working day strictly after ``ordinal`` (n >= 1), by years."""
    year = date.fromordinal(ordinal).year
    limit = year + _index.HORIZON_YEARS
    remaining = n
    while year <= min(limit, _index.MAX_YEAR):
        ordinals = calendar._working_sorted(year)
        position = bisect.bisect_right(ordinals, ordinal)
        available = len(ordinals) - position
        if remaining <= available:
            return ordinals[position + remaining - 1]
        remaining -= available
        year += 1
    raise ConfigurationError(
        f"calendar {calendar!r} has fewer than {n} working days within "
        f"{_index.HORIZON_YEARS} years; allowed: a calendar with working days"
    )


def add_business_days(
    calendar: BaseCalendar,
    start: datetime,
    days: int,
    *,
    rule: DayRule | str = DayRule.SAME_TIME,
    day_length: timedelta | None = None,
) -> pendulum.DateTime:
    """``start`` plus ``days`` business days of ``calendar`` under ``rule``."""
    chosen = _rule(rule)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValidationError(f"days {days!r} is not a whole number >= 0")
    if chosen is DayRule.ELAPSED:
        if not isinstance(day_length, timedelta) or day_length <= timedelta(0):
            raise ValidationError(
                f"day_length {day_length!r}: rule 'elapsed' needs a positive timedelta, "
                "e.g. timedelta(hours=8)"
            )
        return calendar.add(start, day_length * days)
    if day_length is not None:
        raise ValidationError(f"day_length is only used by rule 'elapsed', not {chosen.value!r}")
    zone = load_zone(calendar.zone)
    if chosen is DayRule.SAME_TIME:
        opened = calendar._first_open(_micros(start, "start"))
        if days == 0:
            return calendar._out(opened)
        wall = calendar._wall(opened)
        day = wall.date()
        target = _nth_working_ordinal(calendar, day.toordinal(), days)
        seconds = wall.hour * 3600 + wall.minute * 60 + wall.second
        ws = (target - date_of(0).toordinal()) * DAY + seconds
        instant = first_instant_at_or_after(zone, ws) * US + wall.microsecond
        return calendar._out(calendar._first_open(instant))
    # END_OF_DAY
    day = calendar._wall(_micros(start, "start")).date()
    ordinal = day.toordinal()
    if days == 0:
        close = calendar._day_close_seconds(day)
        if close is not None and close * US > _micros(start, "start"):
            return calendar._out(close * US)
        days = 1
    target = _nth_working_ordinal(calendar, ordinal, days)
    close = calendar._day_close_seconds(date_of(day_seconds(day) + (target - ordinal) * DAY))
    if close is None:  # pragma: no cover - a working day always has a close
        raise ConfigurationError(f"calendar {calendar!r} has no closing time on day {target}")
    return calendar._out(close * US)
