"""Weekly opening hours: time-of-day intervals per weekday, overnight shifts and "24:00"."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

import attrs

from itsmcore.errors import ConfigurationError, allowed_list

__all__ = ["WEEKDAYS", "Interval", "WeeklySchedule", "check_name", "parse_intervals"]

DAY = 86_400
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_WEEKDAY_NAMES = {
    **{short: i for i, short in enumerate(WEEKDAYS)},
    **{
        full: i
        for i, full in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_DAY_ALIASES = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekend": (5, 6),
    "daily": (0, 1, 2, 3, 4, 5, 6),
    "all": (0, 1, 2, 3, 4, 5, 6),
}


def check_name(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: a name is text, empty (no name) or with a visible character."""
    if not isinstance(value, str) or (value and not value.strip()):
        raise ConfigurationError(
            f"{attribute.name} {value!r} is not a name; allowed: text with a visible "
            "character, or '' for none"
        )


def _parse_time(text: str, *, allow_24: bool) -> int:
    match = _TIME.match(text)
    if match is None:
        raise ConfigurationError(f"time {text!r} is not 'HH:MM' or 'HH:MM:SS'")
    h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
    if h == 24 and m == 0 and s == 0:
        if not allow_24:
            raise ConfigurationError(f"time {text!r}: '24:00' is allowed only as an interval end")
        return DAY
    if h > 23 or m > 59 or s > 59:
        raise ConfigurationError(f"time {text!r} is out of range; allowed: 00:00 to 23:59:59")
    return h * 3600 + m * 60 + s


def _format_time(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def _check_interval(instance: Interval, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(
            f"interval {attribute.name} {value!r} is not whole seconds after midnight; "
            "allowed: an int, e.g. 9 * 3600 for 09:00"
        )
    if attribute.name == "start":
        return  # both are checked together once ``end`` is known
    if not 0 <= instance.start < DAY:
        raise ConfigurationError(
            f"interval start {instance.start}s is outside a day; allowed: 0 <= start < {DAY}"
        )
    if not (instance.start < instance.end <= DAY or DAY < instance.end < instance.start + DAY):
        raise ConfigurationError(
            f"interval {instance.start}s-{instance.end}s is empty or a day long or longer; "
            f"allowed: start < end <= {DAY} ('24:00'), or an overnight end before the next "
            "day's start time (write a whole day as '00:00-24:00')"
        )


@attrs.frozen(order=True)
class Interval:
    """Local opening time of one day, in seconds after the day's midnight (wall clock).

    ``end`` may pass ``86400`` ("24:00"); beyond it the interval is an overnight shift that
    runs into the next day but still belongs to the day it starts on.
    """

    start: int = attrs.field(validator=_check_interval)
    end: int = attrs.field(validator=_check_interval)

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Parse ``"09:00-17:00"``, ``"13:00-24:00"`` or the overnight ``"22:00-06:00"``.

        An end before the start is an overnight shift; an end equal to the start is an error
        (write ``"00:00-24:00"`` for a whole day).
        """
        if not isinstance(text, str):
            raise ConfigurationError(
                f"interval {text!r} is not text like '09:00-17:00' or '22:00-06:00'"
            )
        parts = text.split("-")
        if len(parts) != 2:
            raise ConfigurationError(
                f"interval {text!r} is not 'HH:MM-HH:MM' (e.g. '09:00-17:00', '22:00-06:00')"
            )
        start = _parse_time(parts[0], allow_24=False)
        end = _parse_time(parts[1], allow_24=True)
        if end == start:
            raise ConfigurationError(
                f"interval {text!r} is empty; write '00:00-24:00' for a whole day"
            )
        if end < start:
            end += DAY
        return cls(start, end)

    @property
    def overnight(self) -> bool:
        """True when the interval runs past midnight into the next day."""
        return self.end > DAY

    @property
    def seconds(self) -> int:
        """Length of the interval on the wall clock (real time may differ on a DST day)."""
        return self.end - self.start

    def __str__(self) -> str:
        end = self.end - DAY if self.overnight else self.end
        return f"{_format_time(self.start)}-{_format_time(end)}"


def _as_interval(value: object) -> Interval:
    if isinstance(value, Interval):
        return value
    if isinstance(value, str):
        return Interval.parse(value)
    raise ConfigurationError(
        f"interval {value!r} is neither an Interval nor a string like '09:00-17:00'"
    )


def parse_intervals(spec: object, *, where: str = "intervals") -> tuple[Interval, ...]:
    """Turn ``"09:00-12:00, 13:00-17:00"``, a list of such strings or Intervals into a sorted,
    validated tuple; overlapping intervals are a :class:`ConfigurationError`."""
    if spec is None:
        return ()
    if isinstance(spec, str):
        items: list[object] = [p for p in spec.split(",") if p.strip()]
    elif isinstance(spec, Interval):
        items = [spec]
    elif isinstance(spec, Iterable):
        items = list(spec)
    else:
        raise ConfigurationError(f"{where}: {spec!r} is not an interval list")
    intervals = tuple(sorted(_as_interval(i) for i in items))
    _check_disjoint(intervals, where)
    return intervals


def _check_disjoint(intervals: tuple[Interval, ...], where: str) -> None:
    for before, after in itertools.pairwise(intervals):
        if after.start < before.end:
            raise ConfigurationError(
                f"{where}: intervals {before} and {after} overlap; allowed: disjoint intervals"
            )


def _days_of(key: str) -> tuple[int, ...]:
    name = key.strip().lower()
    if name in _DAY_ALIASES:
        return _DAY_ALIASES[name]
    if "-" in name:
        first, _, last = name.partition("-")
        a, b = _day_index(first), _day_index(last)
        if b < a:
            return (*range(a, 7), *range(b + 1))
        return tuple(range(a, b + 1))
    return (_day_index(name),)


def _day_index(name: str) -> int:
    """The index of a weekday written in full or in three letters (never a guessed prefix:
    'monkey' is not Monday)."""
    found = _WEEKDAY_NAMES.get(name.strip().lower())
    if found is None:
        raise ConfigurationError(
            f"weekday {name!r} is not known; allowed: {allowed_list(WEEKDAYS)} or full names "
            f"like 'monday', ranges like 'mon-fri', or {allowed_list(_DAY_ALIASES)}"
        )
    return found


def _check_days(instance: WeeklySchedule, attribute: object, value: object) -> None:
    days = instance.days
    if not isinstance(days, tuple) or not all(
        isinstance(day, tuple) and all(isinstance(i, Interval) for i in day) for day in days
    ):
        raise ConfigurationError(
            f"weekly days {days!r} are not 7 tuples of Interval (Mon..Sun); build hours from "
            "a mapping with WeeklySchedule.from_spec({'mon-fri': '09:00-17:00'})"
        )
    if len(days) != 7:
        raise ConfigurationError(f"a weekly schedule needs 7 days (Mon..Sun), got {len(days)}")
    for index, intervals in enumerate(days):
        _check_disjoint(intervals, WEEKDAYS[index])
        for interval in intervals:
            if not interval.overnight:
                continue
            spill = interval.end - DAY
            following = days[(index + 1) % 7]
            if following and following[0].start < spill:
                raise ConfigurationError(
                    f"{WEEKDAYS[index]} overnight interval {interval} overlaps "
                    f"{WEEKDAYS[(index + 1) % 7]} {following[0]}; allowed: disjoint hours"
                )


@attrs.frozen
class WeeklySchedule:
    """Opening intervals for each weekday, Monday first (``days[0]``) to Sunday (``days[6]``)."""

    days: tuple[tuple[Interval, ...], ...] = attrs.field(validator=_check_days)

    @classmethod
    def from_spec(cls, spec: Mapping[str, object]) -> WeeklySchedule:
        """Build from ``{"mon-fri": "09:00-17:00", "sat": ["10:00-12:00"]}``.

        Keys are weekdays (``"mon"``, ``"monday"``), ranges (``"mon-fri"``) or ``"weekdays"``,
        ``"weekend"``, ``"daily"``; a day named twice is an error.
        """
        if not isinstance(spec, Mapping):
            raise ConfigurationError(
                f"weekly hours {spec!r} are not a mapping like {{'mon-fri': '09:00-17:00'}}"
            )
        days: list[tuple[Interval, ...] | None] = [None] * 7
        for key, value in spec.items():
            if not isinstance(key, str):
                raise ConfigurationError(f"weekday key {key!r} is not a string")
            intervals = parse_intervals(value, where=key)
            for index in _days_of(key):
                if days[index] is not None:
                    raise ConfigurationError(
                        f"{WEEKDAYS[index]} is given twice (key {key!r}); name each day once"
                    )
                days[index] = intervals
        return cls(tuple(d or () for d in days))

    @classmethod
    def weekdays(cls, hours: object = "09:00-17:00") -> WeeklySchedule:
        """Monday to Friday with the same ``hours``; closed at the weekend."""
        return cls.from_spec({"mon-fri": hours})

    @classmethod
    def always(cls) -> WeeklySchedule:
        """Open 24 hours a day, 7 days a week."""
        return cls.from_spec({"daily": "00:00-24:00"})

    @property
    def is_empty(self) -> bool:
        """True when no weekday has any opening interval."""
        return not any(self.days)

    def to_spec(self) -> dict[str, list[str]]:
        """The plain-data form read by :meth:`from_spec` (one key per open weekday)."""
        return {WEEKDAYS[i]: [str(iv) for iv in day] for i, day in enumerate(self.days) if day}
