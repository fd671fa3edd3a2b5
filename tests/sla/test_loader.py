"""Calendars from plain data: dict, JSON and TOML, with unknown keys refused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pendulum
import pytest
from hypothesis import given

from itsmcore.errors import ConfigurationError
from itsmcore.sla import (
    BusinessCalendar,
    CountryHolidays,
    Holiday,
    RecurringHoliday,
    calendar_from_dict,
    calendar_from_json,
    calendar_from_toml,
    calendar_to_dict,
)
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
    calendar = calendar_from_dict(DESK)
    assert calendar.name == "Service desk"
    assert Holiday(date(2025, 12, 29), date(2025, 12, 31)) in calendar.holidays
    assert RecurringHoliday(12, 26, name="Boxing day") in calendar.holidays
    assert CountryHolidays("DE", "BY") in calendar.holidays
    assert not calendar.is_working_day(date(2025, 12, 27))  # a Saturday, overridden closed
    assert calendar.is_working_day(date(2025, 12, 20))
    monday = pendulum.datetime(2025, 3, 3, tz="Europe/Berlin")
    assert calendar.between(monday, monday.add(days=1)) == timedelta(hours=7)


def test_json_and_toml() -> None:
    assert calendar_from_json(json.dumps(DESK)) == calendar_from_dict(DESK)
    toml = """
timezone = "America/New_York"
holidays = ["2025-07-04"]
[hours]
mon-fri = "08:00-18:00"
[overrides]
2025-11-28 = ["08:00-12:00"]
"""
    calendar = calendar_from_toml(toml)
    assert calendar.zone == "America/New_York"
    assert not calendar.is_working_day(date(2025, 7, 4))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**DESK, "timezone_name": "UTC"}, "unknown key"),
        ({"timezone": "UTC"}, "'hours' is missing"),
        ({**DESK, "holidays": [{"day": "2025-01-01"}]}, "unknown key"),
        ({**DESK, "holidays": ["25/12/2025"]}, "not a date"),
        ({**DESK, "recurring_holidays": ["2025-12-25"]}, "month-day"),
        ({**DESK, "country_holidays": [{"country": "DE", "region": "BY"}]}, "unknown key"),
        ({**DESK, "hours": {"mon": "9-5"}}, "HH:MM"),
        ({**DESK, "timezone": "Berlin"}, "not known"),
    ],
)
def test_bad_data_is_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        calendar_from_dict(data)


def test_bad_text_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="JSON"):
        calendar_from_json("{")
    with pytest.raises(ConfigurationError, match="TOML"):
        calendar_from_toml("timezone = ")
    with pytest.raises(ConfigurationError, match="not a mapping"):
        calendar_from_json("[]")


@given(business_calendars())
def test_to_dict_round_trips(calendar: BusinessCalendar) -> None:
    data = calendar_to_dict(calendar)
    assert calendar_from_dict(json.loads(json.dumps(data))) == calendar
