"""Strategies for business calendars: minute-aligned intervals, weekly hours, exceptions
(holidays, recurring and country holidays, overrides) and combined calendars."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from itsmcore.sla import (
    BaseCalendar,
    BusinessCalendar,
    CombinedCalendar,
    CountryHolidays,
    Holiday,
    HolidayLike,
    Interval,
    Override,
    RecurringHoliday,
    WeeklySchedule,
)
from itsmcore.testing._time_strategies import zone_names

__all__ = [
    "business_calendars",
    "calendar_holidays",
    "calendar_names",
    "calendar_overrides",
    "combined_calendars",
    "country_holidays",
    "day_intervals",
    "recurring_holidays",
    "weekly_schedules",
]

_DAY_MINUTES = 24 * 60
_AROUND = date(2025, 1, 1)
_NAMES = ("", "", "Christmas", "Labour day", "Summer close", "Service desk", "Stocktake")
_COUNTRIES = (("DE", None), ("DE", "BY"), ("US", None), ("US", "CA"), ("GB", "SCT"), ("FR", None))
"""Country / subdivision codes the ``holidays`` package knows (and that stay known)."""


def calendar_names() -> st.SearchStrategy[str]:
    """Names of calendars, holidays and overrides: often none (``""``), else a short label."""
    label = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12)
    return st.sampled_from(_NAMES) | label


def _days(around: date, spread_days: int) -> st.SearchStrategy[date]:
    return st.integers(-spread_days, spread_days).map(lambda n: around + timedelta(days=n))


def calendar_holidays(
    *, around: date = _AROUND, spread_days: int = 400
) -> st.SearchStrategy[Holiday]:
    """One-time holidays: a single date or a range of up to a week, maybe named."""
    return st.builds(
        lambda first, length, name: Holiday(
            first, None if length is None else first + timedelta(days=length), name=name
        ),
        _days(around, spread_days),
        st.none() | st.integers(0, 6),
        calendar_names(),
    )


def recurring_holidays() -> st.SearchStrategy[RecurringHoliday]:
    """Holidays every year on a month-day (02-29 included), maybe named."""
    return st.builds(
        lambda day, name: RecurringHoliday(day.month, day.day, name=name),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),
        calendar_names(),
    )


def country_holidays() -> st.SearchStrategy[CountryHolidays]:
    """Public holidays of a few countries and subdivisions (needs the ``holidays`` extra)."""
    return st.sampled_from(_COUNTRIES).map(lambda pair: CountryHolidays(*pair))


def calendar_overrides(
    *, around: date = _AROUND, spread_days: int = 400
) -> st.SearchStrategy[Override]:
    """Per-date hours replacing the weekly ones (empty hours close the date), maybe named."""
    return st.builds(
        lambda day, hours, name: Override(day, hours, name=name),
        _days(around, spread_days),
        day_intervals(max_intervals=2, overnight=False),
        calendar_names(),
    )


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
    named: bool = False,
) -> BusinessCalendar:
    """Calendars in awkward zones, with holidays, recurring holidays and overrides placed
    within ``spread_days`` of ``around`` (so they matter for tests near that date).

    With ``named``, the calendar and its holidays and overrides sometimes have names.
    """
    zone = draw(zones if zones is not None else zone_names())
    schedule = draw(weekly_schedules(max_intervals=max_intervals))
    days = _days(around, spread_days)
    names = calendar_names() if named else st.just("")
    holidays: list[HolidayLike] = []
    for first in draw(st.lists(days, max_size=4)):
        length = draw(st.none() | st.integers(0, 3))
        last = None if length is None else first + timedelta(days=length)
        holidays.append(Holiday(first, last, name=draw(names)))
    for day in draw(st.lists(days, max_size=2)):
        holidays.append(RecurringHoliday(day.month, day.day, name=draw(names)))
    override_days = draw(st.lists(days, max_size=3, unique=True))
    overrides = [
        Override(day, draw(day_intervals(max_intervals=2, overnight=False)), name=draw(names))
        for day in override_days
    ]
    return BusinessCalendar(
        zone=zone,
        schedule=schedule,
        holidays=holidays,
        overrides=overrides,
        name=draw(names),
    )


@st.composite
def combined_calendars(
    draw: st.DrawFn, *, max_members: int = 3, depth: int = 2
) -> CombinedCalendar:
    """``all`` / ``any`` combinations of two to ``max_members`` calendars, nested up to
    ``depth`` levels (a member may itself be a combination)."""
    count = draw(st.integers(2, max_members))
    members: list[BaseCalendar] = []
    for _ in range(count):
        if depth > 1 and draw(st.integers(0, 3)) == 0:
            members.append(draw(combined_calendars(max_members=2, depth=depth - 1)))
        else:
            members.append(draw(business_calendars(max_intervals=2, named=True)))
    return CombinedCalendar(draw(st.sampled_from(["all", "any"])), tuple(members))
