"""The interval index: spans of whole years, growth in both directions, the search horizon."""

from __future__ import annotations

import copy
import pickle
from datetime import timedelta

import pendulum
import pytest

from itsmcore.errors import ConfigurationError, ValidationError
from itsmcore.sla import BusinessCalendar, WeeklySchedule
from itsmcore.sla._index import US, HorizonError, Index, year_of, year_start


def weekdays() -> BusinessCalendar:
    return BusinessCalendar(zone="America/New_York", schedule=WeeklySchedule.weekdays())


def test_a_fresh_index_spans_the_year_of_the_query_with_a_year_each_side() -> None:
    calendar = weekdays()
    calendar.is_open(pendulum.datetime(2025, 6, 1, tz="UTC"))
    index = calendar._index
    assert (index.lo_year, index.hi_year) == (2024, 2026)
    assert index.lo == year_start(2024)
    assert year_of(index.hi - 1) == 2026


def test_long_adds_grow_forward_and_long_subtracts_grow_backward() -> None:
    calendar = weekdays()
    start = pendulum.datetime(2025, 6, 2, 10, tz="America/New_York")
    twenty_years = timedelta(hours=8 * 261 * 20)
    later = calendar.add(start, twenty_years)
    assert calendar._index.hi_year >= later.year
    earlier = calendar.subtract(start, twenty_years)
    assert calendar._index.lo_year <= earlier.year
    assert calendar.between(earlier, start) == twenty_years == calendar.between(start, later)


def test_a_far_query_starts_a_new_span_instead_of_bridging_the_gap() -> None:
    calendar = weekdays()
    calendar.is_open(pendulum.datetime(2025, 6, 1, tz="UTC"))
    calendar.is_open(pendulum.datetime(2300, 6, 1, tz="UTC"))
    index = calendar._index
    assert (index.lo_year, index.hi_year) == (2299, 2301)
    assert len(index._years) == 6  # 2024-2026 and 2299-2301, nothing in between


def test_between_far_apart_instants_covers_both() -> None:
    calendar = BusinessCalendar.always_open("UTC")
    a = pendulum.datetime(2025, 1, 1, tz="UTC")
    b = pendulum.datetime(2065, 1, 1, tz="UTC")
    assert calendar.between(a, b) == b - a


def test_the_horizon_bounds_every_search() -> None:
    index = Index(lambda lo, hi: [])
    t = year_start(2025) + 5 * US
    with pytest.raises(HorizonError):
        index.add(t, 1)
    with pytest.raises(HorizonError):
        index.subtract(t, 1)
    with pytest.raises(HorizonError):
        index.next_close(t)
    assert index.hi_year - index.lo_year <= 2 * 50 + 2


def test_a_huge_duration_beyond_the_horizon_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="within 50 years"):
        weekdays().add(pendulum.datetime(2025, 1, 1, tz="UTC"), timedelta(days=10_000))


def test_instants_outside_the_supported_years_are_refused() -> None:
    with pytest.raises(ValidationError, match="outside the calendar's range"):
        weekdays().is_open(pendulum.datetime(9999, 6, 1, tz="UTC"))


def test_a_used_calendar_pickles_and_copies_with_a_fresh_index() -> None:
    calendar = weekdays()
    at = pendulum.datetime(2025, 6, 2, 15, tz="UTC")
    later = calendar.add(at, timedelta(hours=100))
    unpickled = pickle.loads(pickle.dumps(calendar))  # noqa: S301 - our own data
    for twin in (unpickled, copy.deepcopy(calendar), copy.copy(calendar)):
        assert twin == calendar
        assert twin.add(at, timedelta(hours=100)) == later
        assert twin.between(at, later) == timedelta(hours=100)
    assert unpickled._index is not calendar._index
    assert pickle.loads(pickle.dumps(calendar._index)).hi == 0  # noqa: S301 - starts empty
