"""Fast, exact conversions of the public inputs: instants and durations to microseconds.

The fast path reads an aware datetime's wall clock and asks the zone for its offset with a
plain stdlib datetime. That is the same computation ``datetime.__sub__`` performs, minus the
slow attribute look-ups the C ``zoneinfo`` code makes on datetime subclasses such as
:class:`pendulum.DateTime`; anything it cannot vouch for takes the general path.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

from itsmcore._time import to_utc
from itsmcore.errors import ValidationError
from itsmcore.sla._wall import DAY, END_SECOND, FIRST_SECOND

__all__: list[str] = []

US = 1_000_000
FIRST_US, END_US = FIRST_SECOND * US, END_SECOND * US
MAX_DURATION_US = END_US - FIRST_US
"""The longest duration that means anything to a calendar: all of UTC years 1 to 9999."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_EPOCH = datetime(1970, 1, 1)
_sub = datetime.__sub__
_combine = datetime.combine
_time_of = datetime.time
_zone_offset = cast(Callable[[object, datetime], timedelta], zoneinfo.ZoneInfo.utcoffset)

# What the zone's offset depends on: the C ``zoneinfo`` reads these from a datetime subclass
# by attribute look-up (and ``tzinfo`` is read here), so a subclass overriding any of them
# takes the general path.
_READ = ("tzinfo", "toordinal", "hour", "minute", "second", "fold")
_plain_types: dict[type, bool] = {}  # datetime (sub)class -> its wall fields are the raw ones
_zone_types: dict[type, bool] = {}  # tzinfo class -> it is a ZoneInfo with the C utcoffset


def _learn(value: object, zone: object) -> None:
    """Record whether the fast path is exact for this datetime class and this tzinfo class."""
    kind = type(value)
    _plain_types[kind] = issubclass(kind, datetime) and all(
        getattr(kind, name) is getattr(datetime, name) for name in _READ
    )
    kind = type(zone)
    _zone_types[kind] = (
        issubclass(kind, zoneinfo.ZoneInfo) and kind.utcoffset is zoneinfo.ZoneInfo.utcoffset
    )


def micros(value: object, name: str) -> int:
    """Microseconds since the epoch of an aware datetime (naive or non-datetime: an error)."""
    zone = None
    try:
        zone = value.tzinfo  # type: ignore[attr-defined]
        fast = _zone_types[type(zone)] and _plain_types[type(value)]
    except KeyError:
        _learn(value, zone)
        fast = _zone_types[type(zone)] and _plain_types[type(value)]
    except AttributeError:
        fast = False
    if fast:
        # A stdlib copy of the wall clock (fold included), read by the zone exactly as
        # ``value - epoch`` reads ``value`` itself.
        wall = _combine(value, _time_of(value))  # type: ignore[arg-type]
        delta = _sub(wall, _WALL_EPOCH) - _zone_offset(zone, wall)
    else:
        try:
            delta = _sub(value, _EPOCH)  # type: ignore[call-overload]
        except TypeError:  # naive, or not a datetime at all
            to_utc(value, name=name)  # raises the library's error for the value
            raise  # pragma: no cover
    result = (delta.days * DAY + delta.seconds) * US + delta.microseconds
    if not FIRST_US <= result < END_US:
        raise ValidationError(
            f"{name} {value!r} is outside the instants a calendar knows (its UTC time is "
            "before year 1 or after year 9999); allowed: instants from "
            "0001-01-01T00:00:00+00:00 to 9999-12-31T23:59:59.999999+00:00"
        )
    return result


_durations: dict[timedelta, int] = {}  # the few SLA durations a deployment uses, converted
_DURATIONS_KEPT = 1024


def duration_micros(value: object, name: str = "duration") -> int:
    """Microseconds of a non-negative duration (a timedelta, or seconds as int/float)."""
    if type(value) is timedelta:
        found = _durations.get(value)
        if found is not None:
            return found
    if isinstance(value, timedelta):
        micros = (value.days * DAY + value.seconds) * US + value.microseconds
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValidationError(
                f"{name} {value!r} is not a finite number of seconds; allowed: a timedelta "
                "or seconds (int/float) from 0 to the calendar's range"
            )
        if abs(value) > MAX_DURATION_US // US:
            micros = MAX_DURATION_US + 1 if value > 0 else -1  # refused just below
        else:
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
    if micros > MAX_DURATION_US:
        raise ValidationError(
            f"{name} {value!r} is longer than all the time a calendar knows (UTC years 1 to "
            f"9999, {MAX_DURATION_US // US} s); allowed: zero to that"
        )
    if type(value) is timedelta:
        if len(_durations) >= _DURATIONS_KEPT:
            _durations.clear()
        _durations[value] = micros
    return micros
