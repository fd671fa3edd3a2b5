"""Calendars at the edges: years 1 to 9999, long spans, far answers, zero-duration subtract.

The long-span answers come from year totals in which years with the same key are built once;
the tests check that claim year by year against direct builds, check whole-span answers
against a counting oracle, and check that near and far answers agree with each other.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, ItsmError, ValidationError
from itsmcore.sla import BusinessCalendar, Holiday, Override, RecurringHoliday, WeeklySchedule
from itsmcore.sla._index import US, year_start
from itsmcore.testing.strategies import business_calendars

ONE_US = timedelta(microseconds=1)
NEW_YORK = BusinessCalendar(
    zone="America/New_York",
    schedule={"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "22:00-02:00"},
    holidays=[RecurringHoliday(12, 25), Holiday(date(2025, 7, 4))],
    overrides=[Override(date(2025, 12, 24), "09:00-12:00")],
)
UTC_DESK = BusinessCalendar(
    zone="UTC", schedule=WeeklySchedule.weekdays(), holidays=[RecurringHoliday(12, 25)]
)


def direct_total(calendar: BusinessCalendar, year: int) -> int:
    """The open time of the UTC ``year``, built from the calendar's hours for that year."""
    lo, hi = year_start(year) // US, year_start(year + 1) // US
    return sum(b - a for a, b in calendar._raw_segments(lo, hi))


def weekday_hours_oracle(first_year: int, last_year: int) -> timedelta:
    """UTC_DESK's open time from 1 Jan ``first_year`` to 1 Jan ``last_year``, by counting:
    8 hours on every Monday-Friday that is not 25 December."""
    lo, hi = date(first_year, 1, 1).toordinal(), date(last_year, 1, 1).toordinal()
    weeks, rest = divmod(hi - lo, 7)
    days = weeks * 5 + sum(1 for o in range(lo, lo + rest) if (o - 1) % 7 < 5)
    christmas = sum(1 for y in range(first_year, last_year) if date(y, 12, 25).weekday() < 5)
    return timedelta(hours=8 * (days - christmas))


# -- year keys --------------------------------------------------------------------------------
@given(business_calendars(), st.integers(2, 9998), st.integers(1, 60))
@settings(max_examples=30)
def test_years_with_the_same_key_have_the_same_open_time(
    calendar: BusinessCalendar, year: int, step: int
) -> None:
    key = calendar._year_key(year)
    assume(key is not None)
    other = next(
        (
            y
            for y in range(year + step, min(year + step + 450, 9999))
            if calendar._year_key(y) == key
        ),
        None,
    )
    assume(other is not None)
    assert direct_total(calendar, year) == direct_total(calendar, other)  # type: ignore[arg-type]


def test_irregular_years_are_the_ones_with_something_of_their_own() -> None:
    keys = {year: NEW_YORK._year_key(year) for year in (1, 1500, 1900, 2025, 2100, 9999)}
    assert keys[1] is None  # cut by the range
    assert keys[9999] is None
    assert keys[1900] is None  # New York lists offset changes 1883-2037
    assert keys[2025] is None  # a one-time holiday and an override
    assert keys[1500] is not None
    assert keys[2100] is not None
    assert keys[1500] != keys[2100]  # local mean time then, the DST rule now


# -- long spans -------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "last"), [(3, 2026), (2026, 9990), (1, 9999), (1999, 2001)])
def test_between_over_any_span_matches_the_counting_oracle(first: int, last: int) -> None:
    a = pendulum.datetime(first, 1, 1, tz="UTC")
    b = pendulum.datetime(last, 1, 1, tz="UTC")
    assert UTC_DESK.between(a, b) == weekday_hours_oracle(first, last)


instants = st.integers(year_start(1), year_start(10000) - 1).map(
    lambda us: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
)


@given(instants, instants, instants)
@settings(max_examples=40)
def test_between_is_additive_across_near_and_far_spans(
    a: pendulum.DateTime, b: pendulum.DateTime, c: pendulum.DateTime
) -> None:
    a, b, c = sorted([a, b, c])
    assert NEW_YORK.between(a, b) + NEW_YORK.between(b, c) == NEW_YORK.between(a, c)


@given(instants, st.integers(0, 5000 * 365 * 24 * 3600 * US))
@settings(max_examples=40)
def test_far_adds_and_subtracts_measure_and_invert(a: pendulum.DateTime, micros: int) -> None:
    d = timedelta(microseconds=micros)
    last = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    left = NEW_YORK.between(a, last)
    if left < d or (left == d == timedelta(0) and not NEW_YORK.is_open(a)):
        # no answer before the end of the range (for 0: no open instant at or after a)
        with pytest.raises(ConfigurationError, match="before the end of year 9999"):
            NEW_YORK.add(a, d)
        return
    later = NEW_YORK.add(a, d)
    assert NEW_YORK.between(a, later) == d
    if micros and NEW_YORK.is_open(a):
        assert NEW_YORK.subtract(later, d) == a


def test_a_year_3_to_2026_between_and_a_5000_year_add_are_answered() -> None:
    a, b = pendulum.datetime(3, 3, 3, 10, tz="UTC"), pendulum.datetime(2026, 3, 3, 10, tz="UTC")
    span = NEW_YORK.between(a, b)
    assert span == NEW_YORK.between(a, pendulum.datetime(1500, 1, 1, tz="UTC")) + (
        NEW_YORK.between(pendulum.datetime(1500, 1, 1, tz="UTC"), b)
    )
    assert NEW_YORK.add(a, span) == NEW_YORK.subtract(b, 0)  # b is closed: the last close


# -- the edges of the range -------------------------------------------------------------------
edge_instants = st.builds(
    lambda day, minute, hours: (
        datetime(day.year, day.month, day.day, tzinfo=UTC).replace(
            tzinfo=timezone(timedelta(hours=hours))
        )
        + timedelta(minutes=minute)
    ),
    st.sampled_from([date(1, 1, 1), date(1, 1, 2), date(9999, 12, 30), date(9999, 12, 31)]),
    st.integers(0, 24 * 60 - 1),
    st.integers(-14, 14),
)


@given(business_calendars(), edge_instants, st.integers(0, 200 * 3600))
@settings(max_examples=40)
def test_instants_at_the_edges_give_answers_or_library_errors(
    calendar: BusinessCalendar, at: datetime, seconds: int
) -> None:
    queries = [
        lambda: calendar.is_open(at),
        lambda: calendar.add(at, seconds),
        lambda: calendar.subtract(at, seconds),
        lambda: calendar.subtract(at, 0),
        lambda: calendar.next_close(at),
        lambda: calendar.between(pendulum.datetime(5000, 1, 1, tz="UTC"), at),
        lambda: calendar.add_days(at, 2),
        lambda: calendar.add_days(at, 1, rule="end_of_day"),
    ]
    for query in queries:
        with contextlib.suppress(ItsmError):  # a library error is allowed; nothing else is
            query()


def test_an_instant_whose_utc_time_is_outside_the_range_is_refused_by_name() -> None:
    early = datetime(1, 1, 1, 3, tzinfo=timezone(timedelta(hours=5)))
    late = datetime(9999, 12, 31, 22, tzinfo=timezone(timedelta(hours=-5)))
    for bad in (early, late):
        with pytest.raises(ValidationError, match="outside the instants a calendar knows"):
            NEW_YORK.add(bad, 0)
    assert UTC_DESK.is_open(datetime(1, 1, 1, 9, 30, tzinfo=UTC))  # 0001-01-01 is a Monday
    assert UTC_DESK.add(datetime(9999, 12, 31, 16, tzinfo=UTC), 3599) == pendulum.datetime(
        9999, 12, 31, 16, 59, 59, tz="UTC"
    )
    with pytest.raises(ConfigurationError, match="before the end of year 9999"):
        UTC_DESK.add(datetime(9999, 12, 31, 16, tzinfo=UTC), 3601)


# -- zero-duration subtract, the mirror of zero-duration add -------------------------------------
near = st.integers(year_start(2024), year_start(2027) - 1).map(
    lambda us: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
)
open_calendars = business_calendars().filter(lambda c: not c.schedule.is_empty)


@given(open_calendars, near)
@settings(max_examples=60)
def test_subtract_zero_is_the_last_open_instant_at_or_before(
    calendar: BusinessCalendar, t: pendulum.DateTime
) -> None:
    x = calendar.subtract(t, 0)
    assert x <= t
    assert calendar.between(x, t) == timedelta(0)
    if calendar.is_open(t):
        assert x == t
    else:
        assert calendar.is_open(x - ONE_US)  # an open period ends at x
        assert not calendar.is_open(x)
        assert calendar.subtract(t, ONE_US) == x - ONE_US  # the limit of tiny durations


@given(open_calendars, near)
@settings(max_examples=60)
def test_add_zero_and_subtract_zero_mirror_each_other(
    calendar: BusinessCalendar, t: pendulum.DateTime
) -> None:
    y = calendar.add(t, 0)
    assert y >= t
    assert calendar.between(t, y) == timedelta(0)
    assert calendar.is_open(y)
    x = calendar.subtract(t, 0)
    assert calendar.add(x, 0) == x if calendar.is_open(x) else calendar.add(x, 0) >= t
    assert calendar.subtract(y, 0) == y  # open at y
    assert (x == t == y) == calendar.is_open(t)


def test_subtract_zero_worked_by_hand() -> None:
    desk = BusinessCalendar(zone="Europe/Berlin", schedule=WeeklySchedule.weekdays())
    saturday = pendulum.datetime(2025, 3, 8, 12, tz="Europe/Berlin")
    friday_close = pendulum.datetime(2025, 3, 7, 17, tz="Europe/Berlin")
    monday_open = pendulum.datetime(2025, 3, 10, 9, tz="Europe/Berlin")
    assert desk.subtract(saturday, 0) == friday_close
    assert desk.add(saturday, 0) == monday_open
    assert desk.subtract(friday_close, 0) == friday_close  # a period ends exactly there
    assert desk.subtract(monday_open, 0) == monday_open  # open at that instant
