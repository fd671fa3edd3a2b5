"""Business calendars: is it open, when will N business hours have passed, how many lie between.

Every operation takes aware instants in any zone and answers with UTC
:class:`pendulum.DateTime` instants; durations are real elapsed time.
"""

from __future__ import annotations

import abc
import contextlib
import zoneinfo
from calendar import isleap as _isleap
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias, cast

import attrs
import pendulum

from itsmcore.errors import ConfigurationError, ValidationError
from itsmcore.sla._convert import duration_micros as _duration_micros
from itsmcore.sla._convert import micros as _micros
from itsmcore.sla._index import MAX_YEAR, MIN_YEAR, US, HorizonError, Index
from itsmcore.sla._wall import (
    DAY,
    END_SECOND,
    EPOCH_ORDINAL,
    FIRST_SECOND,
    Segment,
    Stretches,
    clip,
    date_of,
    day_seconds,
    load_zone,
    merge,
    zone_facts,
)
from itsmcore.sla.days import DayRule, add_business_days
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.schedule import Interval, WeeklySchedule, check_name

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
_LAST_ORDINAL = date.max.toordinal()
_END_US = END_SECOND * US
_DATES_KEPT = 20_000  # about 55 years of distinct result days
_dates: dict[int, tuple[int, int, int]] = {}  # days since the epoch -> (year, month, day)


def _utc(micros: int) -> pendulum.DateTime:
    """The instant ``micros`` as a UTC :class:`pendulum.DateTime` (what ``EPOCH + timedelta``
    gives, built directly from its fields with the calendar date of each day cached)."""
    if micros >= _END_US:  # an answer at the very end of year 9999 (10000-01-01T00:00Z)
        raise ConfigurationError(
            "the answer falls at the end of year 9999, after the last instant a datetime can "
            "hold; allowed: answers within UTC years 1 to 9999"
        )
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
    def _year_key(self, year: int) -> Hashable | None:
        """A key shared by the UTC years whose open time is the same as ``year``'s, or None
        when ``year`` must be built on its own (see :mod:`itsmcore.sla._index`)."""

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
            index = cache.setdefault("index", Index(self._raw_segments, self._year_key))
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

    def _tz(self) -> zoneinfo.ZoneInfo:
        """The calendar's zone (kept once loaded)."""
        cache = self._cache()
        found = cache.get("tz")
        if found is None:
            found = cache["tz"] = load_zone(self.zone)
        return cast(zoneinfo.ZoneInfo, found)

    def _never(self, what: str, at: int, *, back: bool = False) -> ConfigurationError:
        when = self._out(at).isoformat()
        if not self._has_open_time():
            return ConfigurationError(
                f"calendar {self!r} has no open time at all, so {what} from {when} never "
                "happens; allowed: a calendar with at least one opening interval"
            )
        edge = "after the start of year 1" if back else "before the end of year 9999"
        return ConfigurationError(
            f"calendar {self!r}: {what} from {when} does not happen {edge}; "
            "allowed: answers within UTC years 1 to 9999"
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
        Any duration is answered in bounded time (see "How it is fast" in the docs).
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
        ``d > 0``. A zero duration is the mirror of ``add(t, 0)``: ``end`` itself when the
        calendar is open at ``end`` (or an open period ends exactly there), else the end of
        the last open period before ``end``.
        """
        t = _micros(end, "end")
        amount = _duration_micros(duration)
        index = self._open_index()
        if index is None:
            raise self._never(f"subtracting {timedelta(microseconds=amount)}", t, back=True)
        try:
            return _utc(index.subtract(t, amount))
        except HorizonError:
            raise self._never(
                f"subtracting {timedelta(microseconds=amount)}", t, back=True
            ) from None

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
        by_year = cast(dict[int, list[int]], self._cache().setdefault("wlist", {}))
        found = by_year.get(year)
        if found is None:
            found = by_year[year] = sorted(self._working_set(year))
        return found

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

    def __rand__(self, other: object) -> CombinedCalendar:
        from itsmcore.sla.combine import check_calendar, intersection

        return intersection(check_calendar(other), self)

    def __ror__(self, other: object) -> CombinedCalendar:
        from itsmcore.sla.combine import check_calendar, union

        return union(check_calendar(other), self)


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


def _collection(value: object, what: str, allowed: str) -> tuple[object, ...]:
    """``value`` as a tuple of items: a list, tuple, set or other iterable of items, never
    ``None``, a single string or a mapping (whose iteration would be a silent guess)."""
    if value is None or isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ConfigurationError(
            f"{what} {value!r} is not a collection; allowed: a list of {allowed} ([] for none)"
        )
    return tuple(value)


def _holidays(value: object) -> tuple[HolidayLike, ...]:
    out: list[HolidayLike] = []
    items = _collection(value, "holidays", "dates, Holiday, RecurringHoliday or CountryHolidays")
    for item in items:
        if isinstance(item, Holiday | RecurringHoliday | CountryHolidays):
            out.append(item)
        elif isinstance(item, date) and not isinstance(item, datetime):
            out.append(Holiday(item))
        else:
            raise ConfigurationError(
                f"holiday {item!r} is not a date, Holiday, RecurringHoliday or CountryHolidays"
            )
    # One order (one-time, recurring, country; each as given), so equal calendars compare
    # equal however their holidays were listed, and their data form reads back equal.
    return tuple(sorted(out, key=_holiday_order))


def _holiday_order(holiday: HolidayLike) -> int:
    return 0 if isinstance(holiday, Holiday) else 1 if isinstance(holiday, RecurringHoliday) else 2


def _overrides(value: object) -> tuple[Override, ...]:
    items = _collection(value, "overrides", "Override values")
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
    name: str = attrs.field(default="", validator=check_name)
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
    def _closed_ordinals(self, year: int) -> frozenset[int]:
        """The ordinals of the dates of ``year`` closed by a holiday."""
        key = f"closed{year}"
        found = self._memo.get(key)
        if found is None:
            closed: set[int] = set()
            first_day, last_day = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            for holiday in self.holidays:
                if isinstance(holiday, Holiday):
                    lo, hi = (d.toordinal() for d in holiday.dates())
                    closed.update(range(max(lo, first_day), min(hi, last_day) + 1))
                elif isinstance(holiday, RecurringHoliday):
                    with contextlib.suppress(ValueError):  # 02-29 outside a leap year
                        closed.add(date(year, holiday.month, holiday.day).toordinal())
                else:
                    closed.update(d.toordinal() for d in holiday.dates_in(year))
            found = self._memo[key] = frozenset(closed)
        return cast(frozenset[int], found)

    def _override_map(self) -> dict[int, tuple[Interval, ...]]:
        """Override hours by the ordinal of their date."""
        found = self._memo.get("overrides")
        if found is None:
            found = self._memo["overrides"] = {o.day.toordinal(): o.hours for o in self.overrides}
        return cast(dict[int, tuple[Interval, ...]], found)

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The opening intervals of the local date ``day`` (overrides and holidays applied)."""
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError(f"day {day!r} is not a date; allowed: a datetime.date")
        return self._hours_of(day.toordinal())

    def _hours_of(self, ordinal: int) -> tuple[Interval, ...]:
        override = self._override_map().get(ordinal)
        if override is not None:
            return override
        if ordinal in self._closed_ordinals(date.fromordinal(ordinal).year):
            return ()
        return self.schedule.days[(ordinal - 1) % 7]  # ordinal 1 (0001-01-01) is a Monday

    def is_holiday(self, day: date) -> bool:
        """True when ``day`` is closed by a holiday (an override may still open it)."""
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError(f"day {day!r} is not a date; allowed: a datetime.date")
        return day.toordinal() in self._closed_ordinals(day.year)

    def _raw_segments(self, lo: int, hi: int) -> list[Segment]:
        lo, hi = max(lo, FIRST_SECOND), min(hi, END_SECOND)
        if hi <= lo:
            return []
        stretches = Stretches(load_zone(self.zone), lo - 4 * DAY, hi + 4 * DAY)
        first = max(1, date_of(lo).toordinal() - 3)
        last = min(_LAST_ORDINAL, date_of(hi - 1).toordinal() + 2)
        overrides = self._override_map()
        closed: set[int] = set()
        for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1):
            closed.update(self._closed_ordinals(year))
        weekly = self.schedule.days
        instants = stretches.instants
        out: list[Segment] = []
        for ordinal in range(first, last + 1):
            hours = overrides.get(ordinal)
            if hours is None:
                hours = () if ordinal in closed else weekly[(ordinal - 1) % 7]
            base = (ordinal - EPOCH_ORDINAL) * DAY
            for interval in hours:
                instants(base + interval.start, base + interval.end, out)
        return clip(merge(out), lo, hi)

    def _working_ordinals(self, year: int) -> list[int]:
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        return [o for o in range(first, last + 1) if self._hours_of(o)]

    # -- which years repeat (for the year totals of far queries) ---------------------------
    def _year_key(self, year: int) -> Hashable | None:
        plan = self._memo.get("years")
        if plan is None:
            plan = self._memo["years"] = _YearPlan.of(self)
        return cast(_YearPlan, plan).key(year)

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


_MARGIN_DAYS = 4  # a local date's hours reach at most this far into a neighbouring UTC year


@attrs.frozen
class _YearPlan:
    """Which UTC years of a :class:`BusinessCalendar` repeat, and under which key.

    A year is *irregular* (built on its own) when a one-time holiday edge, an override or a
    country-holidays year lies within a few days of it, when its zone lists offset changes
    in or next to it, and for years 1 and 9999 (cut by the range). A year inside a one-time
    holiday range is *closed*. Every other year's open time is fixed by the zone's regime
    (before its listed changes, or after them under its yearly rule) and the year's calendar
    (weekday of 1 January, leap-ness of it and of the year before), which is its key.
    """

    irregular: frozenset[int]
    closed: tuple[tuple[int, int], ...]  # (first, last) closed years, sorted
    history: tuple[int, int] | None  # first and last year of listed zone changes
    known_zone: bool

    @classmethod
    def of(cls, calendar: BusinessCalendar) -> _YearPlan:
        irregular: set[int] = {MIN_YEAR, MAX_YEAR}
        closed: list[tuple[int, int]] = []

        def mark(day: int) -> None:  # the years within the margin of the ordinal ``day``
            lo = max(1, day - _MARGIN_DAYS)
            hi = min(_LAST_ORDINAL, day + _MARGIN_DAYS)
            irregular.update(range(date.fromordinal(lo).year, date.fromordinal(hi).year + 1))

        for holiday in calendar.holidays:
            if isinstance(holiday, Holiday):
                first, last = (d.toordinal() for d in holiday.dates())
                mark(first)
                mark(last)
                lo_year, hi_year = date.fromordinal(first).year, date.fromordinal(last).year
                if hi_year - lo_year > 1:
                    closed.append((lo_year + 1, hi_year - 1))
            elif isinstance(holiday, CountryHolidays):
                lo_year, hi_year = holiday.years()
                irregular.update(range(max(1, lo_year - 1), min(9999, hi_year + 1) + 1))
        for override in calendar.overrides:
            mark(override.day.toordinal())
        facts = zone_facts(calendar.zone)
        return cls(
            irregular=frozenset(irregular),
            closed=tuple(sorted(closed)),
            history=None if facts is None else facts.history,
            known_zone=facts is not None,
        )

    def key(self, year: int) -> Hashable | None:
        if year in self.irregular or not self.known_zone:
            return None
        for first, last in self.closed:
            if first <= year <= last:
                return "closed"
        if self.history is None:
            regime = "fixed"
        elif year <= self.history[0] - 2:
            regime = "before"
        elif year >= self.history[1] + 2:
            regime = "after"
        else:
            return None
        return (regime, date(year, 1, 1).weekday(), _isleap(year - 1), _isleap(year))
