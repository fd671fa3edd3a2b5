"""Service-level time: business-hours calendars (the SLA engine builds on them).

A :class:`BusinessCalendar` is an IANA zone, weekly hours, holidays and per-date overrides;
it answers ``is_open``, ``next_open``/``next_close``, ``add``/``subtract`` business time,
``between`` two instants and business-day arithmetic, in real elapsed time across DST.
"""

from __future__ import annotations

from itsmcore.sla.calendar import BaseCalendar, BusinessCalendar, DurationLike, HolidayLike
from itsmcore.sla.combine import CombinedCalendar, intersection, union
from itsmcore.sla.days import DayRule
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.loader import (
    calendar_from_dict,
    calendar_from_json,
    calendar_from_toml,
    calendar_to_dict,
)
from itsmcore.sla.schedule import Interval, WeeklySchedule

__all__ = [
    "BaseCalendar",
    "BusinessCalendar",
    "CombinedCalendar",
    "CountryHolidays",
    "DayRule",
    "DurationLike",
    "Holiday",
    "HolidayLike",
    "Interval",
    "Override",
    "RecurringHoliday",
    "WeeklySchedule",
    "calendar_from_dict",
    "calendar_from_json",
    "calendar_from_toml",
    "calendar_to_dict",
    "intersection",
    "union",
]
