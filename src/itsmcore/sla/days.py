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
from itsmcore.sla._index import MAX_YEAR, US
from itsmcore.sla._wall import (
    DAY,
    EPOCH_ORDINAL,
    date_of,
    day_seconds,
    first_instant_with_offset,
    offset_at,
)

if TYPE_CHECKING:
    from itsmcore.sla.calendar import BaseCalendar

__all__ = ["DayRule", "add_business_days"]

_LAST_ORDINAL = date.max.toordinal()


class DayRule(enum.StrEnum):
    """How :meth:`BaseCalendar.add_days` counts a business day."""

    SAME_TIME = "same_time"
    """Default. From the next open instant, the same local wall time on the Nth next working
    day (then the next open instant, if that time is closed on a short day)."""
    END_OF_DAY = "end_of_day"
    """The closing time of the Nth next working day (0: of the start's own working day)."""
    ELAPSED = "elapsed"
    """``N * day_length`` of business time (e.g. 8 hours, or Znuny's 24 hours)."""


_RULES: dict[object, DayRule] = {rule.value: rule for rule in DayRule}


def _rule(value: object) -> DayRule:
    found = _RULES.get(value) if isinstance(value, str) else None
    if found is None:
        raise UnknownValueError(
            f"business-day rule {value!r} is not known; allowed: "
            f"{allowed_list(r.value for r in DayRule)}"
        )
    return found


def _nth_working_ordinal(calendar: BaseCalendar, ordinal: int, n: int) -> int:
    """The ordinal of the Nth working day strictly after ``ordinal`` (n >= 1), by years."""
    year = date.fromordinal(ordinal).year
    limit = year + _index.HORIZON_YEARS
    remaining = n
    while year <= min(limit, MAX_YEAR):
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


def _local(ordinal: int, start: object) -> int:
    """``ordinal`` when it is a date of years 1-9999 (a local date can fall just outside)."""
    if not 1 <= ordinal <= _LAST_ORDINAL:
        raise ValidationError(
            f"start {start!r} falls on a local date outside years 1 to 9999 in the calendar's "
            "zone, so business days cannot be counted from it; allowed: later/earlier starts"
        )
    return ordinal


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
    zone = calendar._tz()
    if chosen is DayRule.SAME_TIME:
        opened = calendar._first_open(_micros(start, "start"))
        if days == 0:
            return calendar._out(opened)
        seconds, fraction = divmod(opened, US)
        offset = offset_at(zone, seconds)
        ordinal, time_of_day = divmod(seconds + offset, DAY)
        target = _nth_working_ordinal(calendar, _local(ordinal + EPOCH_ORDINAL, start), days)
        ws = (target - EPOCH_ORDINAL) * DAY + time_of_day
        instant = first_instant_with_offset(zone, ws, offset) * US + fraction
        if instant >= _index.END_US:
            raise ConfigurationError(
                f"{days} business days after {start!r} fall after year 9999; "
                "allowed: answers within UTC years 1 to 9999"
            )
        return calendar._out(calendar._first_open(instant))
    # END_OF_DAY
    seconds = _micros(start, "start") // US
    ordinal = _local((seconds + offset_at(zone, seconds)) // DAY + EPOCH_ORDINAL, start)
    day = date.fromordinal(ordinal)
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
