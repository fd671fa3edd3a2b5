"""Fast, exact conversions of the public inputs: instants and durations to microseconds."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from itsmcore._time import to_utc
from itsmcore.errors import ValidationError
from itsmcore.sla._wall import DAY

__all__: list[str] = []

US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_sub = datetime.__sub__


def micros(value: object, name: str) -> int:
    """Microseconds since the epoch of an aware datetime (naive or non-datetime: an error)."""
    try:
        delta: timedelta = _sub(value, _EPOCH)  # type: ignore[call-overload]
    except TypeError:  # naive, or not a datetime at all
        to_utc(value, name=name)  # raises the library's error for the value
        raise  # pragma: no cover
    return (delta.days * DAY + delta.seconds) * US + delta.microseconds


def duration_micros(value: object, name: str = "duration") -> int:
    if isinstance(value, timedelta):
        micros = (value.days * DAY + value.seconds) * US + value.microseconds
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValidationError(f"{name} {value!r} is not a finite number of seconds")
        micros = round(value * US)
    else:
        raise ValidationError(
            f"{name} {value!r} is not a duration; allowed: a timedelta or seconds (int/float)"
        )
    if micros < 0:
        raise ValidationError(
            f"{name} {value!r} is negative; allowed: zero or more "
            "(use subtract() to go back in time)"
        )
    return micros
