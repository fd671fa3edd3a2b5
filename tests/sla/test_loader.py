"""Calendars as data: the hand-written dict / JSON / TOML form, read through itsmcore.data."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pendulum
import pytest
from hypothesis import given

import itsmcore.sla as sla
from itsmcore.data import dumps, from_data, load, loads, to_data, unstructure
from itsmcore.errors import DataError
from itsmcore.sla import BusinessCalendar, CountryHolidays, Holiday, Override, RecurringHoliday
from itsmcore.testing.strategies import business_calendars

DESK = {
    "name": "Service desk",
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00"},
    "holidays": [
        "2025-12-25",
        "2025-12-29..2025-12-31",
        {"date": "2025-05-01", "name": "Labour day"},
        {"from": "2025-08-04", "to": "2025-08-08"},
    ],
    "recurring_holidays": ["01-01", {"date": "12-26", "name": "Boxing day"}],
    "country_holidays": {"country": "DE", "subdiv": "BY"},
    "overrides": {"2025-12-23": ["09:00-12:00"], "2025-12-27": []},
}


def test_from_dict() -> None:
    calendar = from_data(DESK, BusinessCalendar)
    assert calendar.name == "Service desk"
    assert Holiday(date(2025, 12, 29), date(2025, 12, 31)) in calendar.holidays
    assert RecurringHoliday(12, 26, name="Boxing day") in calendar.holidays
    assert CountryHolidays("DE", "BY") in calendar.holidays
    assert not calendar.is_working_day(date(2025, 12, 27))  # a Saturday, overridden closed
    assert calendar.is_working_day(date(2025, 12, 20))
    monday = pendulum.datetime(2025, 3, 3, tz="Europe/Berlin")
    assert calendar.between(monday, monday.add(days=1)) == timedelta(hours=7)


def test_json_and_toml() -> None:
    assert loads(json.dumps(DESK), BusinessCalendar) == from_data(DESK, BusinessCalendar)
    toml = """
timezone = "America/New_York"
holidays = ["2025-07-04"]
[hours]
mon-fri = "08:00-18:00"
[overrides]
2025-11-28 = ["08:00-12:00"]
"""
    calendar = loads(toml, BusinessCalendar, format="toml")
    assert calendar.zone == "America/New_York"
    assert not calendar.is_working_day(date(2025, 7, 4))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**DESK, "timezone_name": "UTC"}, "unknown key"),
        ({"timezone": "UTC"}, "missing required key.*'hours'"),
        ({**DESK, "holidays": [{"day": "2025-01-01"}]}, "unknown key"),
        ({**DESK, "holidays": ["25/12/2025"]}, "not a date"),
        ({**DESK, "recurring_holidays": ["2025-12-25"]}, "month-day"),
        ({**DESK, "country_holidays": [{"country": "DE", "region": "BY"}]}, "unknown key"),
        ({**DESK, "hours": {"mon": "9-5"}}, "HH:MM"),
        ({**DESK, "timezone": "Berlin"}, "not known"),
    ],
)
def test_bad_data_is_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        from_data(data, BusinessCalendar)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({**DESK, "holidays": ["2025-12-25", 7]}, "$.holidays[1]"),
        ({**DESK, "overrides": {"2025-12-23": ["09:00-12:00", 5]}}, "$.overrides['2025-12-23'][1]"),
        ({**DESK, "hours": {"monkey": "09:00-17:00"}}, "$.hours"),
        ({**DESK, "name": 3}, "$.name"),
        ({**DESK, "name": "   "}, "$.name"),
        (
            {**DESK, "recurring_holidays": [{"date": "12-25", "name": "  "}]},
            "$.recurring_holidays[0].name",
        ),
        ({**DESK, "holidays": None}, "$.holidays"),
    ],
)
def test_errors_name_the_path_of_the_bad_value(data: dict[str, object], path: str) -> None:
    with pytest.raises(DataError) as caught:
        from_data(data, BusinessCalendar)
    assert caught.value.path == path


def test_bad_text_is_refused() -> None:
    with pytest.raises(DataError, match="JSON"):
        loads("{", BusinessCalendar)
    with pytest.raises(DataError, match="TOML"):
        loads("timezone = ", BusinessCalendar, format="toml")
    with pytest.raises(DataError, match="expected a mapping"):
        loads("[]", BusinessCalendar)


def test_a_calendar_file_loads_and_the_old_names_are_gone(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "hours.toml"  # type: ignore[operator]
    path.write_text('timezone = "UTC"\nhours = "24x7"\n', encoding="utf-8")
    assert load(path, BusinessCalendar) == BusinessCalendar.always_open("UTC", name="")
    for old in (
        "calendar_from_dict",
        "calendar_from_json",
        "calendar_from_toml",
        "calendar_to_dict",
    ):
        assert not hasattr(sla, old)


def test_the_data_form_is_versioned_and_override_names_are_kept() -> None:
    calendar = from_data(
        {**DESK, "overrides": {"2025-12-31": {"hours": "09:00-12:00", "name": "New Year's Eve"}}},
        BusinessCalendar,
    )
    assert calendar.overrides == (
        Override(date(2025, 12, 31), "09:00-12:00", name="New Year's Eve"),
    )
    data = to_data(calendar)
    assert (data["itsmcore"], data["type"]) == (1, "business-calendar")
    assert from_data(json.loads(dumps(calendar))) == calendar
    assert unstructure(calendar) == data["data"]


@given(business_calendars())
def test_the_data_form_round_trips(calendar: BusinessCalendar) -> None:
    assert from_data(json.loads(json.dumps(to_data(calendar))), BusinessCalendar) == calendar
