"""Aware-datetime coercion shared by every module.

The domain has no clock: every instant is passed in, must be timezone-aware, and is stored
and compared in UTC as a :class:`pendulum.DateTime`.
"""

from __future__ import annotations

from datetime import date, datetime

import pendulum

from itsmcore.errors import NaiveDatetimeError, ValidationError

__all__ = ["UTC", "to_utc", "to_zone", "utc_or_none"]

UTC = pendulum.UTC
_DateTime = pendulum.DateTime


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
