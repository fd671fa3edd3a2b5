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


def test_a_fresh_index_spans_only_the_year_of_the_query() -> None:
    calendar = weekdays()
    calendar.is_open(pendulum.datetime(2025, 6, 1, tz="UTC"))
    index = calendar._index
    assert (index.lo_year, index.hi_year) == (2025, 2025)
    assert index.lo == year_start(2025)
    assert year_of(index.hi - 1) == 2025
    calendar.is_open(pendulum.datetime(2026, 1, 1, tz="UTC"))  # the next year joins the span
    assert (index.lo_year, index.hi_year) == (2025, 2026)


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
    assert (index.lo_year, index.hi_year) == (2300, 2300)
    assert sorted(index._years) == [2025, 2300]  # nothing in between


def test_between_far_apart_instants_covers_both() -> None:
    calendar = BusinessCalendar.always_open("UTC")
    a = pendulum.datetime(2025, 1, 1, tz="UTC")
    b = pendulum.datetime(2065, 1, 1, tz="UTC")
    assert calendar.between(a, b) == b - a


def test_every_search_ends_at_the_edge_of_the_range() -> None:
    index = Index(lambda lo, hi: [], lambda year: "empty")  # every year alike: no open time
    t = year_start(2025) + 5 * US
    with pytest.raises(HorizonError):
        index.add(t, 1)
    with pytest.raises(HorizonError):
        index.subtract(t, 1)
    with pytest.raises(HorizonError):
        index.subtract(t, 0)
    with pytest.raises(HorizonError):
        index.next_close(t)
    assert index.hi_year - index.lo_year <= 2 * 50 + 2


def test_years_with_one_key_are_built_once() -> None:
    built: list[int] = []

    def source(lo: int, hi: int) -> list[tuple[int, int]]:
        built.append(year_of(lo * US))
        return [(lo, lo + 3600)]  # an hour at the start of every year

    index = Index(source, lambda year: None if year in (1, 2000, 9999) else "plain")
    totals = index.totals()
    assert totals[10000] == 9999 * 3600 * US
    assert sorted(built) == [1, 2, 2000, 9999]  # year 2 stands for every other year
    a, b = year_start(3) + 5 * 3600 * US, year_start(9990)
    assert index.between(a, b) == (9990 - 4) * 3600 * US
    assert index.add(a, 3600 * US) == year_start(4) + 3600 * US
    assert index.add(a, 3000 * 3600 * US) == year_start(3003) + 3600 * US  # a far answer
    assert index.subtract(b, 3600 * US) == year_start(9989)


def test_a_duration_longer_than_the_range_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="longer than all the time"):
        weekdays().add(pendulum.datetime(2025, 1, 1, tz="UTC"), timedelta(days=4_000_000))
    with pytest.raises(ConfigurationError, match="before the end of year 9999"):
        weekdays().add(pendulum.datetime(2025, 1, 1, tz="UTC"), timedelta(days=3_000_000))


def test_instants_outside_the_supported_years_are_refused() -> None:
    edge = pendulum.datetime(1, 1, 1, tz="UTC")
    assert weekdays().is_open(pendulum.datetime(9999, 6, 1, tz="UTC")) is False  # a Tuesday
    with pytest.raises(ValidationError, match="outside the instants a calendar knows"):
        weekdays().is_open(edge.replace(tzinfo=pendulum.fixed_timezone(3600)))


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
