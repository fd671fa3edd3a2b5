"""Exceptions to the weekly hours: one-time and recurring holidays, and per-date overrides."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from itsmcore.errors import ConfigurationError
from itsmcore.sla.schedule import Interval, check_name, parse_intervals

__all__ = ["Holiday", "Override", "RecurringHoliday"]


def _check_range(instance: Holiday, attribute: attrs.Attribute[date], value: date) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ConfigurationError(
            f"holiday {attribute.name}: {value!r} is not a date; allowed: a datetime.date"
        )
    if instance.last is not None and instance.last < instance.first:
        raise ConfigurationError(
            f"holiday {instance.name or ''} ends ({instance.last}) before it starts "
            f"({instance.first}); allowed: last >= first"
        )


def _check_optional_date(
    instance: Holiday, attribute: attrs.Attribute[date | None], value: date | None
) -> None:
    if value is not None:
        _check_range(instance, attribute, value)  # type: ignore[arg-type]


@attrs.frozen
class Holiday:
    """A one-time closed date, or the closed dates ``first`` to ``last`` (inclusive)."""

    first: date = attrs.field(validator=_check_range)
    last: date | None = attrs.field(default=None, validator=_check_optional_date)
    name: str = attrs.field(default="", validator=check_name)

    def dates(self) -> tuple[date, date]:
        """The first and last closed date (equal for a single day)."""
        return self.first, self.last or self.first


def _check_month_day(
    instance: RecurringHoliday, attribute: attrs.Attribute[int], value: int
) -> None:
    try:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError
        date(2000, instance.month, instance.day)  # a leap year, so 02-29 is accepted
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"recurring holiday {instance.month!r}-{instance.day!r} is not a month-day; "
            "allowed: a real calendar day such as 12-25 (02-29 applies in leap years only)"
        ) from None


@attrs.frozen
class RecurringHoliday:
    """A date closed every year (month and day), like GLPI's perpetual or Znuny's vacation days."""

    month: int = attrs.field(validator=_check_month_day)
    day: int = attrs.field(validator=_check_month_day)
    name: str = attrs.field(default="", validator=check_name)

    def matches(self, day: date) -> bool:
        """True when ``day`` falls on this month-day."""
        return day.month == self.month and day.day == self.day


def _check_day(instance: Override, attribute: attrs.Attribute[date], value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ConfigurationError(f"override day {value!r} is not a date; allowed: a datetime.date")


def _to_intervals(value: object) -> tuple[Interval, ...]:
    return parse_intervals(value, where="override")


@attrs.frozen
class Override:
    """Hours that replace the weekly hours on one date (a short day, an extra working Saturday).

    An override wins over a holiday on the same date; empty hours close the date.
    """

    day: date = attrs.field(validator=_check_day)
    hours: tuple[Interval, ...] = attrs.field(converter=_to_intervals)
    name: str = attrs.field(default="", validator=check_name)
