"""Weekly schedules and intervals: parsing, 24:00, overnight shifts, validation."""

from __future__ import annotations

import pytest
from hypothesis import given

from itsmcore.errors import ConfigurationError
from itsmcore.sla import Interval, WeeklySchedule
from itsmcore.testing.strategies import weekly_schedules


def test_interval_parsing() -> None:
    assert Interval.parse("09:00-17:30") == Interval(9 * 3600, 17 * 3600 + 1800)
    assert Interval.parse("13:00-24:00").end == 86_400
    night = Interval.parse("22:00-06:00")
    assert night.overnight
    assert night.seconds == 8 * 3600
    assert str(night) == "22:00-06:00"
    assert str(Interval.parse("00:00-24:00")) == "00:00-24:00"
    assert Interval.parse("08:15:30-09:00").start == 8 * 3600 + 15 * 60 + 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("09:00-09:00", "empty"),
        ("24:00-06:00", "only as an interval end"),
        ("25:00-26:00", "out of range"),
        ("9-17", "not 'HH:MM'"),
        ("09:00", "not 'HH:MM-HH:MM'"),
    ],
)
def test_bad_intervals(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Interval.parse(text)


def test_from_spec_keys() -> None:
    schedule = WeeklySchedule.from_spec(
        {"mon-thu": ["09:00-12:00", "13:00-17:00"], "friday": "09:00-15:00", "sun": []}
    )
    assert len(schedule.days[0]) == 2
    assert schedule.days[4] == (Interval.parse("09:00-15:00"),)
    assert schedule.days[5] == schedule.days[6] == ()
    wrap = WeeklySchedule.from_spec({"sat-mon": "10:00-11:00"})
    assert [bool(d) for d in wrap.days] == [True, False, False, False, False, True, True]


def test_from_spec_errors() -> None:
    with pytest.raises(ConfigurationError, match="given twice"):
        WeeklySchedule.from_spec({"mon-fri": "09:00-17:00", "fri": "10:00-11:00"})
    with pytest.raises(ConfigurationError, match="not known"):
        WeeklySchedule.from_spec({"funday": "09:00-17:00"})
    with pytest.raises(ConfigurationError, match="overlaps"):
        WeeklySchedule.from_spec({"mon": "22:00-06:00", "tue": "05:00-09:00"})
    with pytest.raises(ConfigurationError, match="overlap"):
        WeeklySchedule.from_spec({"mon": ["09:00-12:00", "11:59-13:00"]})
    with pytest.raises(ConfigurationError, match="7 days"):
        WeeklySchedule(((),))


def test_always_and_weekdays() -> None:
    assert all(day == (Interval(0, 86_400),) for day in WeeklySchedule.always().days)
    assert WeeklySchedule.weekdays().days[5] == ()
    assert WeeklySchedule.from_spec({}).is_empty


@given(weekly_schedules())
def test_to_spec_round_trips(schedule: WeeklySchedule) -> None:
    assert WeeklySchedule.from_spec(schedule.to_spec()) == schedule
