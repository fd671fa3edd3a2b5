"""Strategies for business calendars: minute-aligned intervals, weekly hours, exceptions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from itsmcore.sla import (
    BusinessCalendar,
    Holiday,
    HolidayLike,
    Interval,
    Override,
    RecurringHoliday,
    WeeklySchedule,
)
from itsmcore.testing._time_strategies import zone_names

__all__ = ["business_calendars", "day_intervals", "weekly_schedules"]

_DAY_MINUTES = 24 * 60


@st.composite
def day_intervals(
    draw: st.DrawFn, *, max_intervals: int = 3, overnight: bool = True
) -> tuple[Interval, ...]:
    """Disjoint, minute-aligned intervals of one day; the last may run past midnight."""
    count = draw(st.integers(0, max_intervals))
    cuts = sorted(
        draw(st.sets(st.integers(0, _DAY_MINUTES), min_size=2 * count, max_size=2 * count))
    )
    intervals = [Interval(cuts[2 * i] * 60, cuts[2 * i + 1] * 60) for i in range(count)]
    last_start = intervals[-1].start if intervals else 0
    if last_start > 60 and overnight and intervals[-1].end < 86_400 and draw(st.booleans()):
        last = intervals[-1]
        spill = draw(st.integers(1, min(12 * 60, last_start // 60 - 1))) * 60
        intervals[-1] = Interval(last.start, 86_400 + spill)
    return tuple(intervals)


@st.composite
def weekly_schedules(
    draw: st.DrawFn, *, max_intervals: int = 3, overnight: bool = True
) -> WeeklySchedule:
    """Weekly hours with up to ``max_intervals`` per day, overnight shifts that never collide
    with the next day's hours."""
    days = [draw(day_intervals(max_intervals=max_intervals, overnight=overnight)) for _ in range(7)]
    for index, intervals in enumerate(days):
        if intervals and intervals[-1].overnight:
            following = days[(index + 1) % 7]
            spill = intervals[-1].end - 86_400
            if following and following[0].start < spill:
                last = intervals[-1]
                days[index] = (*intervals[:-1], Interval(last.start, 86_400))
    return WeeklySchedule(tuple(days))


@st.composite
def business_calendars(
    draw: st.DrawFn,
    *,
    zones: st.SearchStrategy[str] | None = None,
    around: date = date(2025, 1, 1),
    spread_days: int = 400,
    max_intervals: int = 3,
) -> BusinessCalendar:
    """Calendars in awkward zones, with holidays, recurring holidays and overrides placed
    within ``spread_days`` of ``around`` (so they matter for tests near that date)."""
    zone = draw(zones if zones is not None else zone_names())
    schedule = draw(weekly_schedules(max_intervals=max_intervals))
    days = st.integers(-spread_days, spread_days).map(lambda n: around + timedelta(days=n))
    holidays: list[HolidayLike] = []
    for first in draw(st.lists(days, max_size=4)):
        length = draw(st.none() | st.integers(0, 3))
        last = None if length is None else first + timedelta(days=length)
        holidays.append(Holiday(first, last))
    for day in draw(st.lists(days, max_size=2)):
        holidays.append(RecurringHoliday(day.month, day.day))
    override_days = draw(st.lists(days, max_size=3, unique=True))
    overrides = [
        Override(day, draw(day_intervals(max_intervals=2, overnight=False)))
        for day in override_days
    ]
    return BusinessCalendar(zone=zone, schedule=schedule, holidays=holidays, overrides=overrides)
