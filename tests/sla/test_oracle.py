"""A minute-by-minute brute-force oracle for business calendars, written from the definition.

An instant is open when its wall time in the calendar's zone lies in an interval of its local
date D (override hours if any, else none on a holiday, else the weekday's hours), or in an
overnight interval of D - 1. It reads only the calendar's data, never its index.
"""

from __future__ import annotations

import os
import zoneinfo
from datetime import date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.sla import BusinessCalendar, Holiday, Interval, Override, RecurringHoliday
from itsmcore.testing.strategies import business_calendars

MINUTE = 60


def hours(calendar: BusinessCalendar, day: date) -> tuple[Interval, ...]:
    for override in calendar.overrides:
        if isinstance(override, Override) and override.day == day:
            return override.hours
    for holiday in calendar.holidays:
        if isinstance(holiday, Holiday):
            last = holiday.last or holiday.first
            if holiday.first <= day <= last:
                return ()
        elif isinstance(holiday, RecurringHoliday) and (day.month, day.day) == (
            holiday.month,
            holiday.day,
        ):
            return ()
    return calendar.schedule.days[day.weekday()]


def open_at(calendar: BusinessCalendar, t: int) -> bool:
    """Is the calendar open at the UTC epoch second ``t``?"""
    wall = datetime.fromtimestamp(t, zoneinfo.ZoneInfo(calendar.zone)).replace(tzinfo=None)
    for day in (wall.date(), wall.date() - timedelta(days=1)):
        midnight = datetime(day.year, day.month, day.day)
        for interval in hours(calendar, day):
            begin = midnight + timedelta(seconds=interval.start)
            end = midnight + timedelta(seconds=interval.end)
            if begin <= wall < end:
                return True
    return False


def minutes(calendar: BusinessCalendar, lo: int, hi: int) -> list[bool]:
    """Open flags of each minute in ``[lo, hi)`` (epoch seconds, minute-aligned)."""
    return [open_at(calendar, t) for t in range(lo, hi, MINUTE)]


def runs(flags: list[bool], lo: int) -> list[tuple[int, int]]:
    """Maximal open runs as (start, end) epoch seconds."""
    out: list[tuple[int, int]] = []
    for i, flag in enumerate(flags):
        t = lo + i * MINUTE
        if not flag:
            continue
        if out and out[-1][1] == t:
            out[-1] = (out[-1][0], t + MINUTE)
        else:
            out.append((t, t + MINUTE))
    return out


# -- the properties ---------------------------------------------------------------------------

# (zone, a date near a DST change or other quirk)
QUIRKS = [
    ("America/New_York", date(2025, 3, 9)),
    ("America/New_York", date(2025, 11, 2)),
    ("Europe/Berlin", date(2025, 3, 30)),
    ("Europe/Berlin", date(2025, 10, 26)),
    ("Australia/Lord_Howe", date(2025, 4, 6)),
    ("Australia/Lord_Howe", date(2025, 10, 5)),
    ("America/Sao_Paulo", date(2018, 11, 4)),  # midnight does not exist
    ("America/Sao_Paulo", date(2018, 2, 17)),  # 23:00-24:00 happens twice
    ("Asia/Kolkata", date(2025, 6, 1)),
]
SPAN_DAYS = 4


@st.composite
def windows(draw: st.DrawFn) -> tuple[BusinessCalendar, int, int]:
    """A calendar and a minute-aligned window of a few days near one of its zone's quirks."""
    zone, quirk = draw(st.sampled_from(QUIRKS))
    calendar = draw(
        business_calendars(zones=st.just(zone), around=quirk, spread_days=6, max_intervals=3)
    )
    first = quirk + timedelta(days=draw(st.integers(-3, 1)))
    lo = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp())
    return calendar, lo, lo + SPAN_DAYS * 86_400


def at(t: int) -> pendulum.DateTime:
    return pendulum.from_timestamp(t, tz="UTC")


def seconds(value: datetime) -> int:
    return int(value.timestamp())


UTC = pendulum.UTC


@given(windows())
@settings(max_examples=int(os.environ.get("ORACLE_EXAMPLES", "40")))
def test_open_intervals_match_the_minute_oracle(window: tuple[BusinessCalendar, int, int]) -> None:
    calendar, lo, hi = window
    expected = runs(minutes(calendar, lo, hi), lo)
    got = [(seconds(a), seconds(b)) for a, b in calendar.open_intervals(at(lo), at(hi))]
    assert got == expected


@given(windows(), st.data())
@settings(max_examples=int(os.environ.get("ORACLE_EXAMPLES", "40")))
def test_queries_match_the_minute_oracle(
    window: tuple[BusinessCalendar, int, int], data: st.DataObject
) -> None:
    calendar, lo, hi = window
    flags = minutes(calendar, lo, hi)
    count = len(flags)
    i = data.draw(st.integers(0, count - 1), label="start minute")
    j = data.draw(st.integers(i, count), label="end minute")
    a = lo + i * MINUTE
    # is_open, also inside the minute
    inside = data.draw(st.integers(0, MINUTE - 1), label="second in minute")
    assert calendar.is_open(at(a)) == flags[i]
    assert calendar.is_open(at(a + inside)) == flags[i]
    # between
    assert calendar.between(at(a), at(lo + j * MINUTE)) == timedelta(minutes=sum(flags[i:j]))
    # add: the minute at which the n-th open minute after a ends (n = 0: first open minute)
    n = data.draw(st.integers(0, 600), label="minutes to add")
    seen = 0
    expected_add = None
    for k in range(i, count):
        if n == 0 and flags[k]:
            expected_add = lo + k * MINUTE
            break
        seen += flags[k]
        if n and seen == n:
            expected_add = lo + (k + 1) * MINUTE
            break
    if expected_add is not None:
        assert seconds(calendar.add(at(a), timedelta(minutes=n))) == expected_add
    # subtract: from the end of minute j-1 back n > 0 open minutes, the latest start
    b = lo + j * MINUTE
    seen = 0
    expected_sub = None
    if n:
        for k in range(j - 1, -1, -1):
            seen += flags[k]
            if seen == n:
                expected_sub = lo + k * MINUTE
                break
    if expected_sub is not None:
        assert seconds(calendar.subtract(at(b), timedelta(minutes=n))) == expected_sub
    # next_close: the end of the run containing a, else of the next run
    for _start, end in runs(flags, lo):
        if end > a and end < hi:
            assert seconds(calendar.next_close(at(a))) == end  # type: ignore[arg-type]
            break
        if end > a:
            break


@pytest.mark.parametrize("zone", sorted({z for z, _ in QUIRKS}))
def test_a_24x7_calendar_counts_real_seconds_across_the_year(zone: str) -> None:
    calendar = BusinessCalendar.always_open(zone)
    a = pendulum.datetime(2025, 1, 1, tz=zone)
    b = pendulum.datetime(2026, 1, 1, tz=zone)
    assert calendar.between(a, b) == b - a  # the real elapsed time, DST nights included
