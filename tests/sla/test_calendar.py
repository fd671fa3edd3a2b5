"""BusinessCalendar: the laws of business-time arithmetic, DST cases worked by hand, errors."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, NaiveDatetimeError, ValidationError
from itsmcore.sla import BusinessCalendar, Holiday, Override, WeeklySchedule
from itsmcore.testing.strategies import business_calendars, utc_datetimes

starts = utc_datetimes(min_value=datetime(2024, 6, 1), max_value=datetime(2026, 6, 1))
durations = st.integers(0, 3000 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us))
small = st.integers(0, 300 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us))
calendars = business_calendars().filter(lambda c: not c.schedule.is_empty)

BERLIN_9_5 = BusinessCalendar(zone="Europe/Berlin", schedule=WeeklySchedule.weekdays())


# -- laws ---------------------------------------------------------------------------------------
@given(calendars, starts, durations)
def test_between_measures_what_add_added(
    calendar: BusinessCalendar, a: pendulum.DateTime, d: timedelta
) -> None:
    assert calendar.between(a, calendar.add(a, d)) == d


@given(calendars, starts, small, small)
def test_add_is_additive(
    calendar: BusinessCalendar, a: pendulum.DateTime, x: timedelta, y: timedelta
) -> None:
    assume(y > timedelta(0))  # add(b, 0) moves a closing instant on to the next opening
    assert calendar.add(calendar.add(a, x), y) == calendar.add(a, x + y)


@given(calendars, starts, starts, small, small)
def test_add_is_monotone(
    calendar: BusinessCalendar,
    a: pendulum.DateTime,
    b: pendulum.DateTime,
    x: timedelta,
    y: timedelta,
) -> None:
    a, b = min(a, b), max(a, b)
    x, y = min(x, y), max(x, y)
    assert calendar.add(a, x) <= calendar.add(b, x)
    assert calendar.add(a, x) <= calendar.add(a, y)


@given(calendars, starts, starts, starts)
def test_between_is_additive_and_never_negative(
    calendar: BusinessCalendar, a: pendulum.DateTime, b: pendulum.DateTime, c: pendulum.DateTime
) -> None:
    a, b, c = sorted([a, b, c])
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)
    assert calendar.between(c, a) == timedelta(0)
    assert timedelta(0) <= calendar.between(a, b) <= b - a


@given(calendars, starts, small)
def test_subtract_inverts_add(
    calendar: BusinessCalendar, a: pendulum.DateTime, d: timedelta
) -> None:
    assume(d > timedelta(0))
    opened = calendar.next_open(a)
    assert calendar.subtract(calendar.add(opened, d), d) == opened
    assert calendar.between(calendar.subtract(a, d), a) == d


@given(calendars, starts)
def test_next_open_and_next_close_bracket_an_open_period(
    calendar: BusinessCalendar, a: pendulum.DateTime
) -> None:
    opened = calendar.next_open(a)
    assert opened >= a
    assert calendar.is_open(opened)
    assert calendar.is_open(a) == (opened == a)
    closed = calendar.next_close(opened)
    if closed is not None:
        assert closed > opened
        assert not calendar.is_open(closed)
        assert calendar.between(opened, closed) == closed - opened


@given(calendars, starts, starts)
def test_open_intervals_add_up_to_between(
    calendar: BusinessCalendar, a: pendulum.DateTime, b: pendulum.DateTime
) -> None:
    a, b = min(a, b), max(a, b)
    b = min(b, a + timedelta(days=40))
    pieces = calendar.open_intervals(a, b)
    assert sum((hi - lo for lo, hi in pieces), timedelta(0)) == calendar.between(a, b)
    assert all(lo < hi for lo, hi in pieces)
    assert all(p[1] < q[0] for p, q in itertools.pairwise(pieces))


# -- hand-worked cases ------------------------------------------------------------------------
def test_a_working_day_from_mid_morning() -> None:
    start = pendulum.datetime(2025, 3, 3, 10, 30, tz="Europe/Berlin")  # a Monday
    assert BERLIN_9_5.add(start, timedelta(hours=8)) == pendulum.datetime(
        2025, 3, 4, 10, 30, tz="Europe/Berlin"
    )
    assert BERLIN_9_5.add(start, timedelta(hours=6, minutes=30)) == start.set(hour=17, minute=0)
    assert BERLIN_9_5.next_close(start) == start.set(hour=17, minute=0)
    friday_evening = pendulum.datetime(2025, 3, 7, 18, tz="Europe/Berlin")
    assert BERLIN_9_5.next_open(friday_evening) == pendulum.datetime(
        2025, 3, 10, 9, tz="Europe/Berlin"
    )


def test_results_are_utc_instants_whatever_the_input_zone() -> None:
    start = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)  # 10:30 in Berlin
    result = BERLIN_9_5.add(start, 3600)
    assert isinstance(result, pendulum.DateTime)
    assert result.timezone_name == "UTC"
    local = result.in_timezone("Europe/Berlin")
    assert (local.hour, local.minute) == (11, 30)


def test_a_dst_night_counts_real_hours() -> None:
    night = BusinessCalendar(zone="Europe/Berlin", schedule={"daily": "01:00-04:00"})
    start = pendulum.datetime(2025, 3, 30, 1, 30, tz="Europe/Berlin")
    # 02:00-03:00 does not exist that night: only 01:30-02:00 and 03:00-04:00 are open
    assert night.between(start, start.set(hour=4)) == timedelta(hours=1, minutes=30)
    assert night.add(start, timedelta(hours=2)) == pendulum.datetime(
        2025, 3, 31, 1, 30, tz="Europe/Berlin"
    )


def test_the_repeated_hour_is_counted_twice() -> None:
    night = BusinessCalendar(zone="America/New_York", schedule={"daily": "00:00-03:00"})
    start = pendulum.datetime(2025, 11, 2, 0, tz="America/New_York")
    assert night.between(start, start.add(hours=5)) == timedelta(hours=4)


def test_an_interval_starting_in_the_dst_gap_opens_at_the_transition() -> None:
    calendar = BusinessCalendar(zone="America/New_York", schedule={"sun": "02:30-04:00"})
    day = pendulum.datetime(2025, 3, 9, 0, tz="America/New_York")
    assert calendar.next_open(day) == pendulum.datetime(2025, 3, 9, 3, tz="America/New_York")


def test_an_overnight_shift_belongs_to_the_day_it_starts_on() -> None:
    nights = BusinessCalendar(
        zone="Europe/London",
        schedule={"mon-fri": "22:00-06:00"},
        holidays=[date(2025, 3, 7)],  # Friday's shift is off; Thursday's runs into Friday
    )
    friday = pendulum.datetime(2025, 3, 7, 3, tz="Europe/London")
    assert nights.is_open(friday)
    assert not nights.is_open(friday.set(hour=23))
    saturday = pendulum.datetime(2025, 3, 8, 3, tz="Europe/London")
    assert not nights.is_open(saturday)
    assert nights.next_close(friday) == friday.set(hour=6)


def test_sao_paulo_midnight_dst_day_starts_at_one() -> None:
    calendar = BusinessCalendar(zone="America/Sao_Paulo", schedule={"daily": "00:00-02:00"})
    day = pendulum.datetime(2018, 11, 3, 12, tz="America/Sao_Paulo")
    first = calendar.next_open(day)
    local = first.in_timezone("America/Sao_Paulo")
    assert (local.day, local.hour) == (4, 1)  # 00:00 did not exist on 2018-11-04
    assert calendar.next_close(first) == first.add(hours=1)


def test_24_00_and_24x7_have_no_gap_at_midnight() -> None:
    always = BusinessCalendar.always_open("Europe/Berlin")
    midnight = pendulum.datetime(2025, 6, 1, tz="Europe/Berlin")
    assert always.is_open(midnight)
    assert always.next_close(midnight) is None
    assert always.add(midnight, timedelta(days=3)) == midnight.add(days=3)
    evening = BusinessCalendar(zone="UTC", schedule={"daily": "09:00-24:00"})
    assert evening.between(midnight, midnight.add(days=1)) == timedelta(hours=15)


def test_override_and_holiday() -> None:
    calendar = BusinessCalendar(
        zone="Europe/Berlin",
        schedule=WeeklySchedule.weekdays(),
        holidays=[Holiday(date(2025, 12, 24), date(2025, 12, 26))],
        overrides=[
            Override(date(2025, 12, 24), "09:00-12:00"),  # wins over the holiday
            Override(date(2025, 12, 27), ["10:00-14:00"]),  # an extra Saturday
        ],
    )
    week = pendulum.datetime(2025, 12, 22, tz="Europe/Berlin")
    assert calendar.between(week, week.add(days=7)) == timedelta(hours=8 + 8 + 3 + 4)


def test_a_huge_duration_is_answered_without_a_day_walk() -> None:
    start = pendulum.datetime(2025, 1, 1, tz="UTC")
    result = BERLIN_9_5.add(start, timedelta(hours=8 * 261 * 30))
    assert 2054 <= result.year <= 2055
    assert BERLIN_9_5.between(start, result) == timedelta(hours=8 * 261 * 30)


def test_int_and_float_seconds_are_durations() -> None:
    start = pendulum.datetime(2025, 3, 3, 9, tz="Europe/Berlin")
    assert BERLIN_9_5.add(start, 90) == BERLIN_9_5.add(start, timedelta(seconds=90))
    assert BERLIN_9_5.add(start, 0.5) == start.add(microseconds=500_000)


# -- errors -------------------------------------------------------------------------------------
def test_a_calendar_without_open_time_raises_instead_of_looping() -> None:
    closed = BusinessCalendar(zone="UTC", schedule={})
    at = pendulum.datetime(2025, 1, 1, tz="UTC")
    with pytest.raises(ConfigurationError, match="no open time at all"):
        closed.add(at, 60)
    with pytest.raises(ConfigurationError, match="no open time at all"):
        closed.next_open(at)
    assert closed.between(at, at.add(days=9)) == timedelta(0)


def test_open_time_far_away_is_found_and_none_left_is_a_clear_error() -> None:
    rare = BusinessCalendar(
        zone="UTC", schedule={}, overrides=[Override(date(2090, 1, 2), "09:00-10:00")]
    )
    opening = pendulum.datetime(2090, 1, 2, 9, tz="UTC")
    assert rare.next_open(pendulum.datetime(2025, 1, 1, tz="UTC")) == opening  # 65 years on
    assert rare.next_open(pendulum.datetime(2089, 1, 1, tz="UTC")) == opening
    assert rare.subtract(pendulum.datetime(2200, 1, 1, tz="UTC"), 0) == opening.add(hours=1)
    with pytest.raises(ConfigurationError, match="before the end of year 9999"):
        rare.next_open(pendulum.datetime(2091, 1, 1, tz="UTC"))
    with pytest.raises(ConfigurationError, match="after the start of year 1"):
        rare.subtract(pendulum.datetime(2089, 1, 1, tz="UTC"), 60)


def test_bad_inputs_are_errors() -> None:
    at = pendulum.datetime(2025, 1, 1, tz="UTC")
    with pytest.raises(NaiveDatetimeError):
        BERLIN_9_5.is_open(datetime(2025, 1, 1))
    with pytest.raises(ValidationError, match="negative"):
        BERLIN_9_5.add(at, timedelta(hours=-1))
    with pytest.raises(ValidationError, match="not a duration"):
        BERLIN_9_5.add(at, "1h")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="finite"):
        BERLIN_9_5.add(at, float("nan"))
    with pytest.raises(ConfigurationError, match="not known"):
        BusinessCalendar(zone="Mars/Olympus", schedule="24x7")
    with pytest.raises(ConfigurationError, match="overlap"):
        BusinessCalendar(zone="UTC", schedule={"mon": "09:00-12:00, 11:00-13:00"})
    with pytest.raises(ConfigurationError, match="two overrides"):
        BusinessCalendar(
            zone="UTC",
            schedule="24x7",
            overrides=[Override(date(2025, 1, 1), ()), Override(date(2025, 1, 1), ())],
        )
    with pytest.raises(ValidationError, match="not a date"):
        BERLIN_9_5.is_working_day(at)
