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
from itsmcore.sla._wall import DAY

__all__: list[str] = []

US = 1_000_000
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
    return (delta.days * DAY + delta.seconds) * US + delta.microseconds


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
    if type(value) is timedelta:
        if len(_durations) >= _DURATIONS_KEPT:
            _durations.clear()
        _durations[value] = micros
    return micros
