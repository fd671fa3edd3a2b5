"""Data forms of the sla package's calendars (registered with :mod:`itsmcore.data`).

A business calendar's data is the hand-written configuration format of docs/calendars.md
(TOML or JSON); every key but ``timezone`` and ``hours`` is optional and unknown keys are
refused with a :class:`~itsmcore.errors.DataError` naming their path::

    {
      "name": "Service desk",
      "timezone": "Europe/Berlin",
      "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00"},  # or "24x7"
      "holidays": ["2025-12-25", "2025-12-24..2025-12-26",
                   {"date": "2025-05-01", "name": "Labour day"},
                   {"from": "2025-08-04", "to": "2025-08-08", "name": "Summer close"}],
      "recurring_holidays": ["01-01", {"date": "12-25", "name": "Christmas"}],
      "country_holidays": [{"country": "DE", "subdiv": "BY"}],
      "overrides": {"2025-12-23": ["09:00-12:00"], "2025-12-27": [],
                    "2025-12-31": {"hours": "09:00-12:00", "name": "New Year's Eve"}},
    }

A combined calendar is ``{"mode": "all" | "any", "members": [{"type": ..., "data": ...}]}``
with each member in its own form. Holidays, overrides, recurring and country holidays and
weekly hours have forms of their own too (the entries above).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from itsmcore.data import register
from itsmcore.data._read import (
    at_index,
    at_key,
    expect_list,
    expect_mapping,
    expect_text,
    only_keys,
)
from itsmcore.data._read import built as _built
from itsmcore.data._values import date_from_data, date_to_data
from itsmcore.errors import DataError
from itsmcore.sla.calendar import BaseCalendar, BusinessCalendar, HolidayLike
from itsmcore.sla.combine import CombinedCalendar
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.schedule import WeeklySchedule

__all__: list[str] = []


_CALENDAR_KEYS = (
    "name",
    "timezone",
    "hours",
    "holidays",
    "recurring_holidays",
    "country_holidays",
    "overrides",
)


def _name(data: Mapping[str, object], path: str) -> str:
    if "name" not in data:
        return ""
    name = expect_text(data["name"], at_key(path, "name"), blank=True)
    if name and not name.strip():
        raise DataError("a name needs a visible character ('' for none)", path=at_key(path, "name"))
    return name


# -- holidays and overrides -------------------------------------------------------------------
def holiday_to_data(holiday: Holiday) -> object:
    if holiday.last is None and not holiday.name:
        return date_to_data(holiday.first)
    entry: dict[str, object] = (
        {"date": date_to_data(holiday.first)}
        if holiday.last is None
        else {"from": date_to_data(holiday.first), "to": date_to_data(holiday.last)}
    )
    if holiday.name:
        entry["name"] = holiday.name
    return entry


def holiday_from_data(value: object, path: str) -> Holiday:
    if isinstance(value, str) and ".." in value:
        low, _, high = value.partition("..")
        return _built(path, lambda: Holiday(date_from_data(low, path), date_from_data(high, path)))
    if not isinstance(value, Mapping):
        return Holiday(date_from_data(value, path))
    data = only_keys(value, path, ("date", "from", "to", "name"))
    name = _name(data, path)
    if "date" in data:
        if "from" in data or "to" in data:
            raise DataError("give 'date' or 'from'/'to', not both", path=path)
        day = date_from_data(data["date"], at_key(path, "date"))
        return _built(path, lambda: Holiday(day, name=name))
    if "from" not in data:
        raise DataError("a holiday needs 'date' or 'from' (and 'to')", path=path)
    first = date_from_data(data["from"], at_key(path, "from"))
    last = date_from_data(data.get("to", data["from"]), at_key(path, "to"))
    return _built(path, lambda: Holiday(first, last, name=name))


def recurring_to_data(holiday: RecurringHoliday) -> object:
    day = f"{holiday.month:02d}-{holiday.day:02d}"
    return {"date": day, "name": holiday.name} if holiday.name else day


def recurring_from_data(value: object, path: str) -> RecurringHoliday:
    name, where = "", path
    if isinstance(value, Mapping):
        data = only_keys(value, path, ("date", "name"), required=("date",))
        name, value, where = _name(data, path), data["date"], at_key(path, "date")
    text = expect_text(value, where)
    month, dash, day = text.strip().partition("-")
    if not (dash and month.isdigit() and day.isdigit() and len(month) <= 2 and len(day) <= 2):
        raise DataError(f"{text!r} is not a month-day; allowed: 'MM-DD' like '12-25'", path=where)
    return _built(where, lambda: RecurringHoliday(int(month), int(day), name=name))


def country_to_data(holiday: CountryHolidays) -> object:
    entry: dict[str, object] = {"country": holiday.country}
    if holiday.subdiv is not None:
        entry["subdiv"] = holiday.subdiv
    return entry


def country_from_data(value: object, path: str) -> CountryHolidays:
    data = only_keys(value, path, ("country", "subdiv"), required=("country",))
    country = expect_text(data["country"], at_key(path, "country"))
    subdiv = data.get("subdiv")
    if subdiv is not None:
        subdiv = expect_text(subdiv, at_key(path, "subdiv"))
    return _built(path, lambda: CountryHolidays(country, subdiv))


def _hours_to_data(override: Override) -> list[str]:
    return [str(interval) for interval in override.hours]


def override_to_data(override: Override) -> object:
    """One override as ``{"day": ..., "hours": [...], "name": ...}`` (its own form)."""
    entry: dict[str, object] = {
        "day": date_to_data(override.day),
        "hours": _hours_to_data(override),
    }
    if override.name:
        entry["name"] = override.name
    return entry


def _hours_from_data(value: object, path: str) -> object:
    if value is None or isinstance(value, str):
        return value
    return [expect_text(item, at_index(path, i)) for i, item in enumerate(expect_list(value, path))]


def override_from_data(value: object, path: str) -> Override:
    data = only_keys(value, path, ("day", "hours", "name"), required=("day", "hours"))
    day = date_from_data(data["day"], at_key(path, "day"))
    hours = _hours_from_data(data["hours"], at_key(path, "hours"))
    name = _name(data, path)
    return _built(path, lambda: Override(day, hours, name=name))


def _overrides_to_data(overrides: tuple[Override, ...]) -> dict[str, object]:
    out: dict[str, object] = {}
    for override in overrides:
        hours = _hours_to_data(override)
        out[date_to_data(override.day)] = (
            {"hours": hours, "name": override.name} if override.name else hours
        )
    return out


def _overrides_from_data(value: object, path: str) -> list[Override]:
    out: list[Override] = []
    for key, entry in expect_mapping(value, path).items():
        where = at_key(path, key)
        day = date_from_data(key, where)
        name = ""
        if isinstance(entry, Mapping):
            data = only_keys(entry, where, ("hours", "name"), required=("hours",))
            name, entry = _name(data, where), data["hours"]
            hours = _hours_from_data(entry, at_key(where, "hours"))
        else:
            hours = _hours_from_data(entry, where)
        out.append(_override(where, day, hours, name))
    return out


def _override(path: str, day: date, hours: object, name: str) -> Override:
    return _built(path, lambda: Override(day, hours, name=name))


# -- weekly hours -----------------------------------------------------------------------------
def schedule_to_data(schedule: WeeklySchedule) -> object:
    if schedule == WeeklySchedule.always():
        return "24x7"
    return schedule.to_spec()


def schedule_from_data(value: object, path: str) -> WeeklySchedule:
    if isinstance(value, str):
        if value.strip().lower() in {"24x7", "24/7", "always"}:
            return WeeklySchedule.always()
        raise DataError(
            f"{value!r} is not weekly hours; allowed: a mapping like "
            "{'mon-fri': '09:00-17:00'} or '24x7'",
            path=path,
        )
    spec = expect_mapping(value, path)
    for key, hours in spec.items():
        _hours_from_data(hours, at_key(path, key))
    return _built(path, lambda: WeeklySchedule.from_spec(spec))


# -- calendars --------------------------------------------------------------------------------
def calendar_to_data(calendar: BusinessCalendar) -> dict[str, Any]:
    holidays: list[object] = []
    recurring: list[object] = []
    countries: list[object] = []
    for holiday in calendar.holidays:
        if isinstance(holiday, Holiday):
            holidays.append(holiday_to_data(holiday))
        elif isinstance(holiday, RecurringHoliday):
            recurring.append(recurring_to_data(holiday))
        else:
            countries.append(country_to_data(holiday))
    data: dict[str, Any] = {}
    if calendar.name:
        data["name"] = calendar.name
    data["timezone"] = calendar.zone
    data["hours"] = schedule_to_data(calendar.schedule)
    if holidays:
        data["holidays"] = holidays
    if recurring:
        data["recurring_holidays"] = recurring
    if countries:
        data["country_holidays"] = countries
    if calendar.overrides:
        data["overrides"] = _overrides_to_data(calendar.overrides)
    return data


def _entries(data: Mapping[str, object], key: str, path: str) -> list[tuple[object, str]]:
    """The items of the optional list ``data[key]`` with their paths."""
    if key not in data:
        return []
    where = at_key(path, key)
    value = data[key]
    if key == "country_holidays" and isinstance(value, Mapping):
        return [(value, where)]  # a single country may be written as one table
    return [(item, at_index(where, i)) for i, item in enumerate(expect_list(value, where))]


def calendar_from_data(value: object, path: str) -> BusinessCalendar:
    data = only_keys(value, path, _CALENDAR_KEYS, required=("timezone", "hours"))
    zone = expect_text(data["timezone"], at_key(path, "timezone"))
    schedule = schedule_from_data(data["hours"], at_key(path, "hours"))
    holidays: list[HolidayLike] = [
        holiday_from_data(item, where) for item, where in _entries(data, "holidays", path)
    ]
    holidays += [
        recurring_from_data(item, where)
        for item, where in _entries(data, "recurring_holidays", path)
    ]
    holidays += [
        country_from_data(item, where) for item, where in _entries(data, "country_holidays", path)
    ]
    overrides = (
        _overrides_from_data(data["overrides"], at_key(path, "overrides"))
        if "overrides" in data
        else []
    )
    name = _name(data, path)
    return _built(
        path,
        lambda: BusinessCalendar(
            zone=zone, schedule=schedule, holidays=holidays, overrides=overrides, name=name
        ),
    )


def _member_to_data(member: BaseCalendar) -> dict[str, Any]:
    if isinstance(member, CombinedCalendar):
        return {"type": "combined-calendar", "data": combined_to_data(member)}
    if isinstance(member, BusinessCalendar):
        return {"type": "business-calendar", "data": calendar_to_data(member)}
    raise DataError(f"{member!r} has no data form; allowed: business or combined calendars")


def combined_to_data(calendar: CombinedCalendar) -> dict[str, Any]:
    return {"mode": calendar.mode, "members": [_member_to_data(m) for m in calendar.members]}


def combined_from_data(value: object, path: str, depth: int = 0) -> CombinedCalendar:
    data = only_keys(value, path, ("mode", "members"), required=("mode", "members"))
    mode = expect_text(data["mode"], at_key(path, "mode"))
    where = at_key(path, "members")
    members: list[BaseCalendar] = []
    for i, item in enumerate(expect_list(data["members"], where)):
        item_path = at_index(where, i)
        entry = only_keys(item, item_path, ("type", "data"), required=("type", "data"))
        kind, body_path = entry["type"], at_key(item_path, "data")
        if kind == "business-calendar":
            members.append(calendar_from_data(entry["data"], body_path))
        elif kind == "combined-calendar":
            if depth >= 16:
                raise DataError("calendars combine at most 16 levels deep", path=item_path)
            members.append(combined_from_data(entry["data"], body_path, depth + 1))
        else:
            raise DataError(
                f"member type {kind!r} is not a calendar; allowed: 'business-calendar', "
                "'combined-calendar'",
                path=at_key(item_path, "type"),
            )
    return _built(path, lambda: CombinedCalendar(mode, tuple(members)))


register(
    BusinessCalendar,
    "business-calendar",
    unstructure=calendar_to_data,
    structure=calendar_from_data,
)
register(
    CombinedCalendar,
    "combined-calendar",
    unstructure=combined_to_data,
    structure=combined_from_data,
)
register(
    WeeklySchedule, "weekly-schedule", unstructure=schedule_to_data, structure=schedule_from_data
)
register(Holiday, "holiday", unstructure=holiday_to_data, structure=holiday_from_data)
register(
    RecurringHoliday,
    "recurring-holiday",
    unstructure=recurring_to_data,
    structure=recurring_from_data,
)
register(
    CountryHolidays, "country-holidays", unstructure=country_to_data, structure=country_from_data
)
register(Override, "override", unstructure=override_to_data, structure=override_from_data)
