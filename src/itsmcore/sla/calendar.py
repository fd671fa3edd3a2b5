"""Business calendars: is it open, when will N business hours have passed, how many lie between.

Every operation takes aware instants in any zone and answers with UTC
:class:`pendulum.DateTime` instants; durations are real elapsed time.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias, cast

import attrs
import pendulum

from itsmcore.errors import ConfigurationError, ValidationError
from itsmcore.sla import _index
from itsmcore.sla._convert import duration_micros as _duration_micros
from itsmcore.sla._convert import micros as _micros
from itsmcore.sla._index import US, HorizonError, Index
from itsmcore.sla._wall import (
    DAY,
    EPOCH_ORDINAL,
    Segment,
    Stretches,
    clip,
    date_of,
    day_seconds,
    load_zone,
    merge,
)
from itsmcore.sla.days import DayRule, add_business_days
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.schedule import Interval, WeeklySchedule

if TYPE_CHECKING:
    from itsmcore.sla.combine import CombinedCalendar

__all__ = ["BaseCalendar", "BusinessCalendar", "DurationLike", "HolidayLike"]

DurationLike: TypeAlias = "timedelta | int | float"
HolidayLike: TypeAlias = "Holiday | RecurringHoliday | CountryHolidays"

_EPOCH_P = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC)
_UTC_ZONE = _EPOCH_P.tzinfo
_DateTime = pendulum.DateTime
_new = datetime.__new__
_ONE_US = timedelta(microseconds=1)
_HOUR_MINUTE = [divmod(minutes, 60) for minutes in range(24 * 60)]
_DATES_KEPT = 20_000  # about 55 years of distinct result days
_dates: dict[int, tuple[int, int, int]] = {}  # days since the epoch -> (year, month, day)


def _utc(micros: int) -> pendulum.DateTime:
    """The instant ``micros`` as a UTC :class:`pendulum.DateTime` (what ``EPOCH + timedelta``
    gives, built directly from its fields with the calendar date of each day cached)."""
    seconds, fraction = divmod(micros, US)
    day, rest = divmod(seconds, DAY)
    found = _dates.get(day)
    if found is None:
        if len(_dates) >= _DATES_KEPT:
            _dates.clear()
        value = date.fromordinal(day + EPOCH_ORDINAL)
        found = _dates[day] = (value.year, value.month, value.day)
    year, month, mday = found
    minutes, second = divmod(rest, 60)
    hour, minute = _HOUR_MINUTE[minutes]
    return _new(_DateTime, year, month, mday, hour, minute, second, fraction, _UTC_ZONE)


class BaseCalendar(abc.ABC):
    """The operations every calendar offers (a single calendar or a combination of them).

    Results are UTC :class:`pendulum.DateTime` instants (show them with
    ``.in_timezone(calendar.zone)``); inputs may be aware datetimes in any zone.
    """

    __slots__ = ("_hot",)
    _hot: Index  # the index once built, kept only when the calendar has open time at all

    # -- what a concrete calendar provides ---------------------------------------------------
    @property
    @abc.abstractmethod
    def zone(self) -> str:
        """The IANA zone whose wall clock the calendar reads."""

    @abc.abstractmethod
    def _raw_segments(self, lo: int, hi: int) -> list[Segment]:
        """Sorted, disjoint open UTC segments (seconds) clipped to ``[lo, hi)``."""

    @abc.abstractmethod
    def _working_ordinals(self, year: int) -> list[int]:
        """Sorted ordinals of the working days of ``year``."""

    @abc.abstractmethod
    def _has_open_time(self) -> bool:
        """False when the calendar can never be open (so searching is pointless)."""

    @abc.abstractmethod
    def _cache(self) -> dict[str, object]:
        """Per-instance memo for the index and derived tables."""

    # -- plumbing ------------------------------------------------------------------------
    @property
    def _index(self) -> Index:
        cache = self._cache()
        index = cache.get("index")
        if index is None:  # two threads may both get here: setdefault keeps a single index
            index = cache.setdefault("index", Index(self._raw_segments))
        return cast(Index, index)

    def _open_index(self) -> Index | None:
        """The index of a calendar that has open time, or None when it never opens.

        Once known to open, the index is kept in a slot: the hot paths then skip both the
        open-time check and the memo look-up (a frozen calendar never changes its hours).
        """
        try:
            return self._hot
        except AttributeError:
            pass
        if not self._has_open_time():
            return None
        index = self._index
        object.__setattr__(self, "_hot", index)
        return index

    def _any_index(self) -> Index:
        """The index, kept in the slot too when the calendar has open time."""
        index = self._open_index()
        return self._index if index is None else index

    def _out(self, micros: int) -> pendulum.DateTime:
        # UTC on purpose: Python compares and subtracts datetimes that share a tzinfo by wall
        # clock, ignoring ``fold``, so local results would mis-order in a repeated DST hour.
        return _utc(micros)

    def _wall(self, micros: int) -> datetime:
        """The naive local wall time of the instant ``micros`` in the calendar's zone."""
        seconds, fraction = divmod(micros, US)
        local = datetime.fromtimestamp(seconds, load_zone(self.zone))
        return local.replace(tzinfo=None, microsecond=fraction)

    def _never(self, what: str, at: int) -> ConfigurationError:
        when = self._out(at).isoformat()
        if not self._has_open_time():
            return ConfigurationError(
                f"calendar {self!r} has no open time at all, so {what} from {when} never "
                "happens; allowed: a calendar with at least one opening interval"
            )
        return ConfigurationError(
            f"calendar {self!r}: {what} from {when} does not happen within "
            f"{_index.HORIZON_YEARS} years; allowed: calendars open within that horizon"
        )

    # -- instants ------------------------------------------------------------------------
    def is_open(self, at: datetime) -> bool:
        """True when the calendar is open at the instant ``at``."""
        t = _micros(at, "at")
        try:
            index = self._hot
        except AttributeError:
            index = self._any_index()
        return index.is_open(t)

    def next_open(self, at: datetime) -> pendulum.DateTime:
        """``at`` itself when open, else the next instant the calendar opens."""
        return self._out(self._first_open(_micros(at, "at")))

    def _first_open(self, t: int) -> int:
        index = self._open_index()
        if index is None:
            raise self._never("the next opening", t)
        try:
            return index.add(t, 0)
        except HorizonError:
            raise self._never("the next opening", t) from None

    def next_close(self, at: datetime) -> pendulum.DateTime | None:
        """When the open period containing ``at`` (or else the next one) ends.

        ``None`` when the calendar does not close within the search horizon (e.g. 24x7).
        """
        t = _micros(at, "at")
        index = self._open_index()
        if index is None:
            raise self._never("the next close", t)
        try:
            return _utc(index.next_close(t))
        except HorizonError:
            return None

    # -- durations -----------------------------------------------------------------------
    def add(self, start: datetime, duration: DurationLike) -> pendulum.DateTime:
        """The first instant at which ``duration`` of business time has elapsed since ``start``.

        A zero duration gives the next open instant (``start`` itself when open). A positive
        duration may end exactly at a closing time (09:00 + 8 h is 17:00, not 09:00 next day).
        """
        t = _micros(start, "start")
        amount = _duration_micros(duration)
        try:
            index = self._hot
        except AttributeError:
            found = self._open_index()
            if found is None:
                raise self._never(f"adding {timedelta(microseconds=amount)}", t) from None
            index = found
        try:
            return _utc(index.add(t, amount))
        except HorizonError:
            raise self._never(f"adding {timedelta(microseconds=amount)}", t) from None

    def subtract(self, end: datetime, duration: DurationLike) -> pendulum.DateTime:
        """The latest instant from which ``duration`` of business time runs until ``end``.

        The inverse of :meth:`add`: ``subtract(add(a, d), d) == a`` for an open ``a`` and
        ``d > 0``. A zero duration gives ``end`` itself.
        """
        t = _micros(end, "end")
        amount = _duration_micros(duration)
        if amount == 0:
            return _utc(t)
        index = self._open_index()
        if index is None:
            raise self._never(f"subtracting {timedelta(microseconds=amount)}", t)
        try:
            return _utc(index.subtract(t, amount))
        except HorizonError:
            raise self._never(f"subtracting {timedelta(microseconds=amount)}", t) from None

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end`` (zero when ``end`` is not after ``start``)."""
        a, b = _micros(start, "start"), _micros(end, "end")
        try:
            index = self._hot
        except AttributeError:
            index = self._any_index()
        return _ONE_US * index.between(a, b)

    def open_intervals(
        self, start: datetime, end: datetime
    ) -> list[tuple[pendulum.DateTime, pendulum.DateTime]]:
        """The open periods within ``[start, end)``, clipped to it, in time order."""
        a, b = _micros(start, "start"), _micros(end, "end")
        return [(_utc(lo), _utc(hi)) for lo, hi in self._index.segments(a, b)]

    # -- days ----------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        """True when ``day`` (a local date) has opening hours and is not a holiday."""
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError(f"day {day!r} is not a date; allowed: a datetime.date")
        return day.toordinal() in self._working_set(day.year)

    def _working_sorted(self, year: int) -> list[int]:
        cache = self._cache()
        key = f"wlist{year}"
        found = cache.get(key)
        if found is None:
            found = cache[key] = sorted(self._working_set(year))
        return cast(list[int], found)

    def _working_set(self, year: int) -> frozenset[int]:
        cache = self._cache()
        key = f"wset{year}"
        found = cache.get(key)
        if found is None:
            found = cache[key] = frozenset(self._working_ordinals(year))
        return cast(frozenset[int], found)

    def add_days(
        self,
        start: datetime,
        days: int,
        *,
        rule: DayRule | str = "same_time",
        day_length: timedelta | None = None,
    ) -> pendulum.DateTime:
        """``start`` plus ``days`` business days under ``rule`` (see :class:`DayRule`)."""
        return add_business_days(self, start, days, rule=rule, day_length=day_length)

    def _day_close_seconds(self, day: date) -> int | None:
        """UTC seconds at which the local date ``day``'s last opening ends (None: closed)."""
        if not self.is_working_day(day):
            return None
        stretches = Stretches(
            load_zone(self.zone), day_seconds(day) - 3 * DAY, day_seconds(day) + 4 * DAY
        )
        lo = stretches.first_at_or_after(day_seconds(day)) * US
        hi = stretches.first_at_or_after(day_seconds(day) + DAY) * US
        pieces = self._index.segments(lo, hi)
        if not pieces:
            return None
        try:
            return self._index.next_close(pieces[-1][1] - 1) // US
        except HorizonError:
            return None

    # -- combining -----------------------------------------------------------------------
    def __and__(self, other: BaseCalendar) -> CombinedCalendar:
        from itsmcore.sla.combine import intersection

        return intersection(self, other)

    def __or__(self, other: BaseCalendar) -> CombinedCalendar:
        from itsmcore.sla.combine import union

        return union(self, other)


def _schedule(value: object) -> WeeklySchedule:
    if isinstance(value, WeeklySchedule):
        return value
    if isinstance(value, str) and value.strip().lower() in {"24x7", "24/7", "always"}:
        return WeeklySchedule.always()
    if isinstance(value, Mapping):
        return WeeklySchedule.from_spec(value)
    raise ConfigurationError(
        f"schedule {value!r} is not a WeeklySchedule, a mapping like "
        "{'mon-fri': '09:00-17:00'} or '24x7'"
    )


def _holidays(value: Iterable[object]) -> tuple[HolidayLike, ...]:
    out: list[HolidayLike] = []
    for item in value:
        if isinstance(item, Holiday | RecurringHoliday | CountryHolidays):
            out.append(item)
        elif isinstance(item, date) and not isinstance(item, datetime):
            out.append(Holiday(item))
        else:
            raise ConfigurationError(
                f"holiday {item!r} is not a date, Holiday, RecurringHoliday or CountryHolidays"
            )
    return tuple(out)


def _overrides(value: Iterable[object]) -> tuple[Override, ...]:
    items = tuple(value)
    seen: set[date] = set()
    for item in items:
        if not isinstance(item, Override):
            raise ConfigurationError(f"override {item!r} is not an Override")
        if item.day in seen:
            raise ConfigurationError(f"date {item.day} has two overrides; allowed: one per date")
        seen.add(item.day)
    return cast(tuple[Override, ...], items)


def _zone(value: object) -> str:
    load_zone(value)
    return cast(str, value)


@attrs.frozen(kw_only=True)
class BusinessCalendar(BaseCalendar):
    """Weekly hours in an IANA zone, with holidays and per-date overrides.

    A local date's hours are its override if any, else none on a holiday, else the weekly
    hours of its weekday; an instant is open when its wall time lies in the hours of its
    date (or in an overnight shift of the day before).
    """

    zone: str = attrs.field(converter=_zone)
    schedule: WeeklySchedule = attrs.field(converter=_schedule)
    holidays: tuple[HolidayLike, ...] = attrs.field(default=(), converter=_holidays)
    overrides: tuple[Override, ...] = attrs.field(default=(), converter=_overrides)
    name: str = ""
    _memo: dict[str, object] = attrs.field(
        init=False, factory=dict, eq=False, repr=False, hash=False
    )

    @classmethod
    def always_open(cls, zone: str = "UTC", *, name: str = "24x7") -> BusinessCalendar:
        """A 24x7 calendar (the default of most products when no schedule is set)."""
        return cls(zone=zone, schedule=WeeklySchedule.always(), name=name)

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.name or self.zone!r}>"

    def _cache(self) -> dict[str, object]:
        return self._memo

    def _has_open_time(self) -> bool:
        found = self._memo.get("has_open")
        if found is None:
            found = self._memo["has_open"] = not self.schedule.is_empty or any(
                o.hours for o in self.overrides
            )
        return bool(found)

    # -- the hours of a date ---------------------------------------------------------------
    def _closed_dates(self, year: int) -> frozenset[date]:
        key = f"closed{year}"
        found = self._memo.get(key)
        if found is None:
            closed: set[date] = set()
            first_day, last_day = date(year, 1, 1), date(year, 12, 31)
            for holiday in self.holidays:
                if isinstance(holiday, Holiday):
                    lo, hi = holiday.dates()
                    lo, hi = max(lo, first_day), min(hi, last_day)
                    closed.update(
                        date.fromordinal(o) for o in range(lo.toordinal(), hi.toordinal() + 1)
                    )
                elif isinstance(holiday, RecurringHoliday):
                    with contextlib.suppress(ValueError):  # 02-29 outside a leap year
                        closed.add(date(year, holiday.month, holiday.day))
                else:
                    closed.update(holiday.dates_in(year))
            found = self._memo[key] = frozenset(closed)
        return cast(frozenset[date], found)

    def _override_map(self) -> dict[date, tuple[Interval, ...]]:
        found = self._memo.get("overrides")
        if found is None:
            found = self._memo["overrides"] = {o.day: o.hours for o in self.overrides}
        return cast(dict[date, tuple[Interval, ...]], found)

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The opening intervals of the local date ``day`` (overrides and holidays applied)."""
        override = self._override_map().get(day)
        if override is not None:
            return override
        if day in self._closed_dates(day.year):
            return ()
        return self.schedule.days[day.weekday()]

    def is_holiday(self, day: date) -> bool:
        """True when ``day`` is closed by a holiday (an override may still open it)."""
        return day in self._closed_dates(day.year)

    def _raw_segments(self, lo: int, hi: int) -> list[Segment]:
        stretches = Stretches(load_zone(self.zone), lo - 4 * DAY, hi + 4 * DAY)
        out: list[Segment] = []
        first = date_of(lo).toordinal() - 3
        last = date_of(hi).toordinal() + 2
        for ordinal in range(first, last + 1):
            hours = self.hours_on(date.fromordinal(ordinal))
            base = (ordinal - EPOCH_ORDINAL) * DAY
            for interval in hours:
                stretches.instants(base + interval.start, base + interval.end, out)
        return clip(merge(out), lo, hi)

    def _working_ordinals(self, year: int) -> list[int]:
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        return [o for o in range(first, last + 1) if self.hours_on(date.fromordinal(o))]

    def _day_close_seconds(self, day: date) -> int | None:
        hours = self.hours_on(day)
        if not hours:
            return None
        base = day_seconds(day)
        stretches = Stretches(load_zone(self.zone), base - 3 * DAY, base + 4 * DAY)
        pieces: list[Segment] = []
        for interval in hours:
            stretches.instants(base + interval.start, base + interval.end, pieces)
        return max(hi for _, hi in pieces) if pieces else None
