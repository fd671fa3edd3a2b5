"""Calendars as plain data (dict, JSON, TOML), so applications can store them.

The format (every key but ``timezone`` and ``hours`` optional; unknown keys are errors)::

    {
      "name": "Service desk",
      "timezone": "Europe/Berlin",
      "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00"},  # or "24x7"
      "holidays": ["2025-12-25", "2025-12-24..2025-12-26",
                   {"date": "2025-05-01", "name": "Labour day"},
                   {"from": "2025-08-04", "to": "2025-08-08", "name": "Summer close"}],
      "recurring_holidays": ["01-01", {"date": "12-25", "name": "Christmas"}],
      "country_holidays": [{"country": "DE", "subdiv": "BY"}],
      "overrides": {"2025-12-23": ["09:00-12:00"], "2025-12-27": []},
    }
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from datetime import date
from typing import cast

from itsmcore.errors import ConfigurationError, allowed_list
from itsmcore.sla.calendar import BusinessCalendar, HolidayLike
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.schedule import WeeklySchedule

__all__ = ["calendar_from_dict", "calendar_from_json", "calendar_from_toml", "calendar_to_dict"]

_KEYS = (
    "name",
    "timezone",
    "hours",
    "holidays",
    "recurring_holidays",
    "country_holidays",
    "overrides",
)


def _check_keys(data: Mapping[str, object], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown key(s) {allowed_list(unknown)}; allowed: {allowed_list(allowed)}"
        )


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{where}: {value!r} is not a mapping")
    return cast(Mapping[str, object], value)


def _list(value: object, where: str) -> list[object]:
    if isinstance(value, list | tuple):
        return list(value)
    raise ConfigurationError(f"{where}: {value!r} is not a list")


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigurationError(f"{where}: {value!r} is not a date 'YYYY-MM-DD'")


def _holiday(item: object) -> Holiday:
    if isinstance(item, str) and ".." in item:
        low, _, high = item.partition("..")
        return Holiday(_date(low, "holidays"), _date(high, "holidays"))
    if isinstance(item, Mapping):
        data = _mapping(item, "holidays")
        _check_keys(data, ("date", "from", "to", "name"), "holiday")
        name = str(data.get("name", ""))
        if "date" in data:
            if "from" in data or "to" in data:
                raise ConfigurationError("holiday: give 'date' or 'from'/'to', not both")
            return Holiday(_date(data["date"], "holiday date"), name=name)
        if "from" not in data:
            raise ConfigurationError(f"holiday {dict(data)!r} needs 'date' or 'from'/'to'")
        first = _date(data["from"], "holiday from")
        last = _date(data.get("to", data["from"]), "holiday to")
        return Holiday(first, last, name=name)
    return Holiday(_date(item, "holidays"))


def _recurring(item: object) -> RecurringHoliday:
    name = ""
    if isinstance(item, Mapping):
        data = _mapping(item, "recurring_holidays")
        _check_keys(data, ("date", "name"), "recurring holiday")
        name, item = str(data.get("name", "")), data.get("date")
    if not isinstance(item, str) or item.count("-") != 1:
        raise ConfigurationError(f"recurring holiday {item!r} is not a month-day 'MM-DD'")
    month, _, day = item.partition("-")
    if not (month.strip().isdigit() and day.strip().isdigit()):
        raise ConfigurationError(f"recurring holiday {item!r} is not a month-day 'MM-DD'")
    return RecurringHoliday(int(month), int(day), name=name)


def _country(item: object) -> CountryHolidays:
    data = _mapping(item, "country_holidays")
    _check_keys(data, ("country", "subdiv"), "country holidays")
    if not isinstance(data.get("country"), str):
        raise ConfigurationError(f"country holidays {dict(data)!r} need a 'country' code")
    subdiv = data.get("subdiv")
    return CountryHolidays(str(data["country"]), None if subdiv is None else str(subdiv))


def calendar_from_dict(data: Mapping[str, object]) -> BusinessCalendar:
    """Build a :class:`BusinessCalendar` from plain data (the format in this module's doc)."""
    data = _mapping(data, "calendar")
    _check_keys(data, _KEYS, "calendar")
    for required in ("timezone", "hours"):
        if required not in data:
            raise ConfigurationError(f"calendar: key {required!r} is missing")
    hours = data["hours"]
    schedule: object = hours if isinstance(hours, str) else _mapping(hours, "hours")
    holidays: list[HolidayLike] = [_holiday(i) for i in _list(data.get("holidays", []), "holidays")]
    holidays += [_recurring(i) for i in _list(data.get("recurring_holidays", []), "recurring")]
    countries = data.get("country_holidays", [])
    if isinstance(countries, Mapping):
        countries = [countries]
    holidays += [_country(i) for i in _list(countries, "country_holidays")]
    overrides = [
        Override(_date(day, "overrides"), value if value is not None else ())
        for day, value in _mapping(data.get("overrides", {}), "overrides").items()
    ]
    return BusinessCalendar(
        zone=cast(str, data["timezone"]),
        schedule=schedule,
        holidays=holidays,
        overrides=overrides,
        name=str(data.get("name", "")),
    )


def calendar_from_json(text: str) -> BusinessCalendar:
    """Parse a calendar from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"calendar JSON is not valid: {error}") from None
    return calendar_from_dict(_mapping(data, "calendar"))


def calendar_from_toml(text: str) -> BusinessCalendar:
    """Parse a calendar from TOML text (``timezone = ...`` and an ``[hours]`` table)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"calendar TOML is not valid: {error}") from None
    return calendar_from_dict(data)


def calendar_to_dict(calendar: BusinessCalendar) -> dict[str, object]:
    """The plain-data form of ``calendar``; ``calendar_from_dict`` reads it back equal."""
    holidays: list[object] = []
    recurring: list[object] = []
    countries: list[object] = []
    for holiday in calendar.holidays:
        if isinstance(holiday, Holiday):
            entry: dict[str, object] = (
                {"date": holiday.first.isoformat()}
                if holiday.last is None
                else {"from": holiday.first.isoformat(), "to": holiday.last.isoformat()}
            )
            if holiday.name:
                entry["name"] = holiday.name
            holidays.append(entry)
        elif isinstance(holiday, RecurringHoliday):
            recurring.append(
                {"date": f"{holiday.month:02d}-{holiday.day:02d}", "name": holiday.name}
            )
        else:
            country: dict[str, object] = {"country": holiday.country}
            if holiday.subdiv is not None:
                country["subdiv"] = holiday.subdiv
            countries.append(country)
    data: dict[str, object] = {
        "timezone": calendar.zone,
        "hours": WeeklySchedule.to_spec(calendar.schedule),
    }
    if calendar.name:
        data["name"] = calendar.name
    if holidays:
        data["holidays"] = holidays
    if recurring:
        data["recurring_holidays"] = recurring
    if countries:
        data["country_holidays"] = countries
    if calendar.overrides:
        data["overrides"] = {
            o.day.isoformat(): [str(i) for i in o.hours] for o in calendar.overrides
        }
    return data
