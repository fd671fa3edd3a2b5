"""The data forms of the basic values every package stores.

Instants are ISO 8601 text with their UTC offset (``"2026-03-06T15:00:00+00:00"``), dates
``"YYYY-MM-DD"``, durations whole or fractional seconds.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pendulum

from itsmcore.data._read import expect_text
from itsmcore.errors import DataError

__all__ = [
    "date_from_data",
    "date_to_data",
    "instant_from_data",
    "instant_to_data",
    "seconds_from_data",
    "seconds_to_data",
]


def instant_to_data(value: datetime) -> str:
    """An aware instant as ISO 8601 text with its offset."""
    return value.isoformat()


def instant_from_data(value: object, path: str) -> pendulum.DateTime:
    """ISO 8601 text with an offset (or ``Z``) as a UTC instant; a naive one is refused."""
    text = expect_text(value, path)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise DataError(
            f"{text!r} is not an ISO 8601 instant; allowed: e.g. '2026-03-06T15:00:00+00:00'",
            path=path,
        ) from None
    if parsed.tzinfo is None:
        raise DataError(
            f"{text!r} has no UTC offset; stored instants carry one (e.g. '+00:00')", path=path
        )
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        raise DataError(f"{text!r} is out of the range of instants", path=path) from None
    return pendulum.instance(utc, tz=pendulum.UTC)


def date_to_data(value: date) -> str:
    """A calendar date as ``YYYY-MM-DD``."""
    return value.isoformat()


def date_from_data(value: object, path: str) -> date:
    """``YYYY-MM-DD`` text (or a TOML date) as a :class:`datetime.date`."""
    if type(value) is date:
        return value
    text = expect_text(value, path)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DataError(f"{text!r} is not a date; allowed: 'YYYY-MM-DD'", path=path) from None


def seconds_to_data(value: timedelta) -> int | float:
    """A duration as seconds (a whole number when it is one)."""
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def seconds_from_data(value: object, path: str) -> timedelta:
    """Seconds (a finite, non-negative number) as a :class:`datetime.timedelta`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"expected seconds as a number, got {value!r}", path=path)
    if not math.isfinite(value) or value < 0:
        raise DataError(f"{value!r} seconds is not a finite, non-negative duration", path=path)
    try:
        return timedelta(seconds=value)
    except OverflowError:
        raise DataError(
            f"{value!r} seconds is longer than any duration allowed", path=path
        ) from None
