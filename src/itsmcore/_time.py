"""Aware-datetime coercion shared by every module.

The domain has no clock: every instant is passed in, must be timezone-aware, and is stored
and compared in UTC as a :class:`pendulum.DateTime`.
"""

from __future__ import annotations

import typing
from datetime import UTC as _STD_UTC
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pendulum

from itsmcore.errors import NaiveDatetimeError, ValidationError

__all__ = ["UTC", "to_instant", "to_utc", "to_zone", "utc_or_none"]

UTC = pendulum.UTC
_DateTime = pendulum.DateTime


def to_instant(value: object, *, name: str = "at") -> datetime:
    """Return ``value`` as the library's instant: a stdlib ``datetime`` in UTC.

    Records store their event times this way: converting an aware datetime is one offset
    subtraction, whatever zone or datetime class it comes in. A naive datetime, a date or
    anything else is refused with :class:`~itsmcore.errors.ValidationError`.

    >>> from datetime import datetime, timezone, timedelta
    >>> to_instant(datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.timezone.utc)
    """
    if type(value) is datetime:
        zone = value.tzinfo
        if zone is _STD_UTC:
            return value
        if type(zone) is ZoneInfo or type(zone) is timezone:  # zones that always know
            try:
                return value.astimezone(_STD_UTC)
            except OverflowError:
                _out_of_range(value, name)
    elif type(value) is _DateTime and value.tzinfo is UTC:
        return datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            _STD_UTC,
        )
    return _general_instant(value, name)


def _general_instant(value: object, name: str) -> datetime:
    """The slow path of :func:`to_instant`: datetime subclasses and errors."""
    if not isinstance(value, datetime):
        kind = "a date without a time" if isinstance(value, date) else type(value).__name__
        raise ValidationError(
            f"{name!r} must be a timezone-aware datetime, got {kind} ({value!r}); "
            "pass a datetime with tzinfo or a pendulum.DateTime"
        )
    zone = value.tzinfo
    if zone is None:
        offset = None
    else:
        # The wall clock as a plain datetime, read by the zone: the same answer as
        # ``value.utcoffset()``, without the zone reading a datetime subclass's attributes.
        wall = datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            fold=value.fold,
        )
        offset = zone.utcoffset(wall)
    if offset is None:
        raise NaiveDatetimeError(
            f"{name!r} is a naive datetime ({value.isoformat()}); itsmcore needs an instant: "
            "pass a timezone-aware datetime, e.g. datetime(..., tzinfo=timezone.utc) "
            "or pendulum.datetime(..., tz='Europe/Berlin')"
        )
    try:
        return (wall - offset).replace(tzinfo=_STD_UTC)
    except OverflowError:
        _out_of_range(value, name)


def _out_of_range(value: datetime, name: str) -> typing.NoReturn:
    raise ValidationError(
        f"{name!r} {value.isoformat()} is outside the range of UTC instants "
        "(years 1 to 9999 once its offset is applied)"
    )


def to_utc(value: object, *, name: str = "at") -> pendulum.DateTime:
    """Return ``value`` as an aware UTC :class:`pendulum.DateTime`.

    Accepts a stdlib ``datetime`` or a ``pendulum.DateTime`` in any zone; a naive datetime is
    an error, never silently taken as local or UTC.

    >>> from datetime import datetime, timezone, timedelta
    >>> to_utc(datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))).isoformat()
    '2026-03-01T08:00:00+00:00'
    """
    if type(value) is _DateTime and value.tzinfo is UTC:
        return value
    if not isinstance(value, datetime):
        kind = "a date without a time" if isinstance(value, date) else type(value).__name__
        raise ValidationError(
            f"{name!r} must be a timezone-aware datetime, got {kind} ({value!r}); "
            "pass a datetime with tzinfo or a pendulum.DateTime"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{name!r} is a naive datetime ({value.isoformat()}); itsmcore needs an instant: "
            "pass a timezone-aware datetime, e.g. datetime(..., tzinfo=timezone.utc) "
            "or pendulum.datetime(..., tz='Europe/Berlin')"
        )
    if isinstance(value, _DateTime):
        return value.in_timezone(UTC)
    return pendulum.instance(value.astimezone(UTC), tz=UTC)


def utc_or_none(value: object, *, name: str = "at") -> pendulum.DateTime | None:
    """Like :func:`to_utc`, but ``None`` passes through."""
    return None if value is None else to_utc(value, name=name)


def to_zone(value: object, tz: str | pendulum.Timezone, *, name: str = "at") -> pendulum.DateTime:
    """Return the aware instant ``value`` expressed in the zone ``tz``."""
    return to_utc(value, name=name).in_timezone(tz)
