"""Combined calendars: AND / OR of calendars, checked against their members."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError
from itsmcore.sla import BusinessCalendar, CombinedCalendar, intersection, union
from itsmcore.testing.strategies import business_calendars, utc_datetimes

instants = utc_datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2025, 12, 1))


@given(business_calendars(), business_calendars(), st.lists(instants, min_size=1, max_size=20))
def test_combinations_are_open_exactly_when_their_members_say(
    first: BusinessCalendar, second: BusinessCalendar, moments: list[pendulum.DateTime]
) -> None:
    both, either = first & second, first | second
    for t in moments:
        assert both.is_open(t) == (first.is_open(t) and second.is_open(t))
        assert either.is_open(t) == (first.is_open(t) or second.is_open(t))


@given(business_calendars(), business_calendars(), instants)
def test_inclusion_exclusion(
    first: BusinessCalendar, second: BusinessCalendar, a: pendulum.DateTime
) -> None:
    b = a + timedelta(days=10)
    total = first.between(a, b) + second.between(a, b)
    assert (first & second).between(a, b) + (first | second).between(a, b) == total


def test_service_hours_and_team_shift() -> None:
    service = BusinessCalendar(zone="Europe/Berlin", schedule={"mon-fri": "08:00-20:00"})
    team = BusinessCalendar(zone="America/New_York", schedule={"mon-fri": "09:00-17:00"})
    both = intersection(service, team)
    monday = pendulum.datetime(2025, 3, 3, tz="Europe/Berlin")
    # New York 09:00 is 15:00 in Berlin; the overlap is 15:00-20:00 Berlin time
    assert both.open_intervals(monday, monday.add(days=1)) == [
        (monday.set(hour=15), monday.set(hour=20))
    ]
    assert both.zone == "Europe/Berlin"
    either = union(service, team)
    assert either.next_close(monday.set(hour=9)) == monday.set(hour=23)
    assert either.is_working_day(date(2025, 3, 3))
    assert not both.is_working_day(date(2025, 3, 8))
    assert both.add_days(monday.set(hour=16), 1) == monday.add(days=1).set(hour=16)


def test_a_combination_needs_calendars() -> None:
    calendar = BusinessCalendar.always_open()
    with pytest.raises(ConfigurationError, match="at least two"):
        intersection(calendar)
    with pytest.raises(ConfigurationError, match="not a calendar"):
        CombinedCalendar("all", (calendar, "x"))  # type: ignore[arg-type]
