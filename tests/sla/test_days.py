"""Business days under each rule, against a day-by-day reference walk."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, UnknownValueError, ValidationError
from itsmcore.sla import BusinessCalendar, DayRule, WeeklySchedule
from itsmcore.testing.strategies import business_calendars, utc_datetimes

BERLIN = BusinessCalendar(
    zone="Europe/Berlin", schedule=WeeklySchedule.weekdays(), holidays=[date(2025, 3, 5)]
)
MONDAY = pendulum.datetime(2025, 3, 3, 10, 30, tz="Europe/Berlin")


def test_same_time_on_the_nth_working_day() -> None:
    assert BERLIN.add_days(MONDAY, 1) == MONDAY.add(days=1)
    assert BERLIN.add_days(MONDAY, 2) == MONDAY.add(days=3)  # skips the Wednesday holiday
    assert BERLIN.add_days(MONDAY, 4) == MONDAY.add(days=7)  # and the weekend
    evening = MONDAY.set(hour=19)
    assert BERLIN.add_days(evening, 1) == MONDAY.add(days=3).set(hour=9, minute=0)  # Tue 09:00 + 1
    assert BERLIN.add_days(MONDAY, 0) == MONDAY


def test_end_of_day_and_elapsed() -> None:
    assert BERLIN.add_days(MONDAY, 0, rule="end_of_day") == MONDAY.set(hour=17, minute=0)
    assert BERLIN.add_days(MONDAY, 1, rule=DayRule.END_OF_DAY) == MONDAY.add(days=1).set(
        hour=17, minute=0
    )
    assert BERLIN.add_days(MONDAY.set(hour=18), 0, rule="end_of_day") == MONDAY.add(days=1).set(
        hour=17, minute=0
    )
    assert BERLIN.add_days(MONDAY, 2, rule="elapsed", day_length=timedelta(hours=8)) == BERLIN.add(
        MONDAY, timedelta(hours=16)
    )


def test_same_time_across_dst_keeps_the_wall_clock() -> None:
    friday = pendulum.datetime(2025, 3, 28, 10, tz="Europe/Berlin")
    monday = BERLIN.add_days(friday, 1).in_timezone("Europe/Berlin")
    assert (monday.day, monday.hour) == (31, 10)
    assert monday - friday == timedelta(days=3, hours=-1)  # a 23-hour Sunday


def test_day_rule_errors() -> None:
    with pytest.raises(UnknownValueError, match="same_time"):
        BERLIN.add_days(MONDAY, 1, rule="calendar_days")
    with pytest.raises(ValidationError, match="day_length"):
        BERLIN.add_days(MONDAY, 1, rule="elapsed")
    with pytest.raises(ValidationError, match="only used"):
        BERLIN.add_days(MONDAY, 1, day_length=timedelta(hours=8))
    with pytest.raises(ValidationError, match="whole number"):
        BERLIN.add_days(MONDAY, -1)
    closed = BusinessCalendar(zone="UTC", schedule={})
    with pytest.raises(ConfigurationError):
        closed.add_days(MONDAY, 1, rule="end_of_day")


@given(
    business_calendars().filter(lambda c: not c.schedule.is_empty),
    utc_datetimes(min_value=datetime(2024, 6, 1), max_value=datetime(2026, 1, 1)),
    st.integers(1, 40),
)
def test_end_of_day_lands_on_the_nth_working_day(
    calendar: BusinessCalendar, start: pendulum.DateTime, n: int
) -> None:
    local = start.in_timezone(calendar.zone).date()
    day, found = local, 0
    for _ in range(5000):  # the reference walk, bounded
        day += timedelta(days=1)
        found += calendar.is_working_day(day)
        if found == n:
            break
    assert found == n
    result = calendar.add_days(start, n, rule="end_of_day").in_timezone(calendar.zone)
    hours = calendar.hours_on(day)
    last = hours[-1]
    expected_wall = datetime(day.year, day.month, day.day) + timedelta(seconds=last.end)
    assert result.replace(tzinfo=None) >= expected_wall - timedelta(hours=1)
    assert result.replace(tzinfo=None) <= expected_wall + timedelta(hours=1)
