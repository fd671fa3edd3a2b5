"""Every bad value given to a calendar is an ItsmError naming it, one test per family."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.data import from_data, to_data
from itsmcore.errors import ConfigurationError, ItsmError, ValidationError
from itsmcore.sla import (
    BusinessCalendar,
    CombinedCalendar,
    CountryHolidays,
    Holiday,
    Interval,
    Override,
    RecurringHoliday,
    WeeklySchedule,
    intersection,
    union,
)
from itsmcore.testing.strategies import business_calendars

DESK = BusinessCalendar(zone="Europe/Berlin", schedule=WeeklySchedule.weekdays())
AT = pendulum.datetime(2025, 3, 3, 10, tz="Europe/Berlin")


@pytest.mark.parametrize("name", ["monkey", "mo", "fridays", "tues", "satur", "", "mon-funday"])
def test_weekday_names_are_matched_exactly_never_by_prefix(name: str) -> None:
    with pytest.raises(ConfigurationError, match=r"weekday .* is not known"):
        BusinessCalendar(zone="UTC", schedule={name: "09:00-17:00"})


def test_weekdays_in_full_or_three_letters_are_accepted() -> None:
    long = BusinessCalendar(zone="UTC", schedule={"Monday-Friday": "09:00-17:00"})
    short = BusinessCalendar(zone="UTC", schedule={"mon-fri": "09:00-17:00"})
    assert long == short


@pytest.mark.parametrize(
    "duration",
    [1e300, float("inf"), float("-inf"), float("nan"), timedelta.max, 10**20, -(10**20)],
)
def test_huge_or_not_finite_durations_are_refused(duration: object) -> None:
    for query in (DESK.add, DESK.subtract):
        with pytest.raises(ValidationError, match="duration") as caught:
            query(AT, duration)  # type: ignore[arg-type]
        assert repr(duration)[:10] in str(caught.value)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Interval(True, 3600),
        lambda: Interval(0, True),
        lambda: RecurringHoliday(True, 1),
        lambda: RecurringHoliday(12, False),
        lambda: DESK.add_days(AT, True),
        lambda: DESK.add(AT, True),
        lambda: DESK.add_days(AT, 1, rule=True),
    ],
)
def test_bools_are_not_numbers_or_rules(build: object) -> None:
    with pytest.raises(ItsmError, match=r"True|False"):
        build()  # type: ignore[operator]


@pytest.mark.parametrize("value", [None, 42, "2025-12-25", {"2025-12-25": "Christmas"}, b"x"])
def test_holidays_and_overrides_must_be_collections(value: object) -> None:
    with pytest.raises(ConfigurationError, match=r"holidays .* is not a collection"):
        BusinessCalendar(zone="UTC", schedule="24x7", holidays=value)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"overrides .* is not a collection"):
        BusinessCalendar(zone="UTC", schedule="24x7", overrides=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "build",
    [
        lambda: BusinessCalendar(zone="UTC", schedule="24x7", name="   "),
        lambda: BusinessCalendar(zone="UTC", schedule="24x7", name=7),
        lambda: Holiday(date(2025, 1, 1), name="\t"),
        lambda: RecurringHoliday(1, 1, name=" "),
        lambda: Override(date(2025, 1, 1), (), name="\n"),
        lambda: CountryHolidays("  "),
        lambda: CountryHolidays("DE", subdiv=" "),
        lambda: BusinessCalendar(zone="   ", schedule="24x7"),
    ],
)
def test_whitespace_names_and_codes_are_refused(build: object) -> None:
    with pytest.raises(ConfigurationError):
        build()  # type: ignore[operator]


@pytest.mark.parametrize("other", ["24x7", None, 3, [DESK]])
def test_only_calendars_combine(other: object) -> None:
    for combine in (
        lambda: DESK & other,  # type: ignore[operator]
        lambda: DESK | other,  # type: ignore[operator]
        lambda: other & DESK,  # type: ignore[operator]
        lambda: other | DESK,  # type: ignore[operator]
        lambda: union(DESK, other),  # type: ignore[arg-type]
        lambda: intersection(other, DESK),  # type: ignore[arg-type]
    ):
        with pytest.raises(ConfigurationError, match="is not a calendar"):
            combine()
    with pytest.raises(ConfigurationError, match="mode"):
        CombinedCalendar("both", (DESK, DESK))
    with pytest.raises(ConfigurationError, match="at least two"):
        union(DESK)


@pytest.mark.parametrize(
    "value",
    [datetime(2025, 1, 1, 9), date(2025, 1, 1), "2025-01-01T09:00Z", None, 1735722000],
)
def test_instants_must_be_aware_datetimes(value: object) -> None:
    with pytest.raises(ValidationError, match="datetime"):
        DESK.is_open(value)  # type: ignore[arg-type]


def test_dates_must_be_dates_not_datetimes() -> None:
    for build in (
        lambda: Holiday(AT),
        lambda: Override(AT, ()),
        lambda: BusinessCalendar(zone="UTC", schedule="24x7", holidays=[AT]),
        lambda: DESK.is_working_day(AT),
        lambda: DESK.hours_on(AT),
    ):
        with pytest.raises(ItsmError, match="not a date"):
            build()  # type: ignore[no-untyped-call]


def test_schedules_of_the_wrong_shape_are_refused() -> None:
    for schedule in (["09:00-17:00"], 24, None, {"mon": 9}, {"mon": ["09:00-17:00", 5]}):
        with pytest.raises(ConfigurationError):
            BusinessCalendar(zone="UTC", schedule=schedule)
    with pytest.raises(ConfigurationError, match="7 tuples of Interval"):
        WeeklySchedule("mon")  # type: ignore[arg-type]


# -- the data form keeps the answers ------------------------------------------------------------
@given(
    business_calendars(),
    st.integers(0, 3 * 365 * 24 * 3600),
    st.integers(0, 500 * 3600),
)
@settings(max_examples=30)
def test_a_calendar_read_back_from_its_data_answers_the_same(
    calendar: BusinessCalendar, offset: int, seconds: int
) -> None:
    again = from_data(json.loads(json.dumps(to_data(calendar))), BusinessCalendar)
    assert again == calendar
    start = pendulum.datetime(2024, 1, 1, tz="UTC").add(seconds=offset)
    end = start.add(seconds=seconds)
    assert again.between(start, end) == calendar.between(start, end)
    if not calendar.schedule.is_empty:
        assert again.add(start, seconds) == calendar.add(start, seconds)


@given(business_calendars(), business_calendars(), st.sampled_from(["all", "any"]))
@settings(max_examples=20)
def test_combined_calendars_round_trip(
    first: BusinessCalendar, second: BusinessCalendar, mode: str
) -> None:
    combined = CombinedCalendar(mode, (first, union(second, first)))
    again = from_data(json.loads(json.dumps(to_data(combined))))
    assert again == combined
    start = pendulum.datetime(2025, 1, 1, tz="UTC")
    assert again.between(start, start.add(days=9)) == combined.between(start, start.add(days=9))
