"""Holidays, recurring holidays and overrides."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from itsmcore.errors import ConfigurationError
from itsmcore.sla import BusinessCalendar, Holiday, Interval, Override, RecurringHoliday


def test_holiday_ranges_and_recurring_days() -> None:
    assert Holiday(date(2025, 1, 1)).dates() == (date(2025, 1, 1), date(2025, 1, 1))
    assert RecurringHoliday(12, 25).matches(date(2031, 12, 25))
    assert not RecurringHoliday(12, 25).matches(date(2031, 12, 24))
    with pytest.raises(ConfigurationError, match="before it starts"):
        Holiday(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ConfigurationError, match="not a month-day"):
        RecurringHoliday(2, 30)
    with pytest.raises(ConfigurationError, match="not a date"):
        Holiday("2025-01-01")  # type: ignore[arg-type]


def test_leap_day_recurs_only_in_leap_years() -> None:
    calendar = BusinessCalendar(zone="UTC", schedule="24x7", holidays=[RecurringHoliday(2, 29)])
    assert not calendar.is_working_day(date(2028, 2, 29))
    assert calendar.is_working_day(date(2027, 2, 28))
    assert calendar.is_working_day(date(2027, 3, 1))


def test_override_hours_replace_the_day() -> None:
    override = Override(date(2025, 12, 24), "09:00-12:00")
    assert override.hours == (Interval(9 * 3600, 12 * 3600),)
    calendar = BusinessCalendar(
        zone="UTC", schedule={"mon-fri": "09:00-17:00"}, overrides=[override]
    )
    assert calendar.hours_on(date(2025, 12, 24)) == override.hours
    assert not calendar.is_open(pendulum.datetime(2025, 12, 24, 13, tz="UTC"))
    closed = BusinessCalendar(
        zone="UTC", schedule={"mon-fri": "09:00-17:00"}, overrides=[Override(date(2025, 1, 6), [])]
    )
    assert not closed.is_working_day(date(2025, 1, 6))
    assert closed.is_working_day(date(2025, 1, 7))


def test_a_holiday_range_spanning_years() -> None:
    calendar = BusinessCalendar(
        zone="UTC", schedule="24x7", holidays=[Holiday(date(2025, 12, 30), date(2026, 1, 2))]
    )
    assert calendar.is_holiday(date(2025, 12, 31))
    assert calendar.is_holiday(date(2026, 1, 2))
    assert not calendar.is_holiday(date(2026, 1, 3))
    start = pendulum.datetime(2025, 12, 29, tz="UTC")
    assert calendar.between(start, start.add(days=6)).days == 2
