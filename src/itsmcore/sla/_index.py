"""The interval index: open segments of whole UTC years with prefix sums, and year totals.

Near queries use a *span*: the sorted open segments (microseconds since the epoch) of a run of
whole UTC years ``[lo_year, hi_year]`` with the cumulative open time at each segment, so every
query is a bisection or two. A span is built lazily, one year at a time (about 2 ms a year),
and grows up to :data:`NEAR_YEARS` around the queries that reach beyond it.

Far queries (an answer more than :data:`NEAR_YEARS` away, or a ``between`` over a longer
span) use *year totals*: the open time of every UTC year 1 to 9999 as prefix sums, built once
per calendar, so the answer is found by bisection over years and then within one year. The
totals are cheap because most years need not be built: a calendar tells the index which years
are *regular* (outside its zone's listed transitions, its one-time holidays and overrides and
its country holidays' years) and gives them a key: the zone's regime and the year's weekday
of 1 January and leap-ness. Regular years with equal keys have the same open time, so each key
is built once (at most 21 per regime) and only irregular years are built one by one. See
docs/calendars.md for the cost.

Thread safety: a span and the year totals are built completely and then published with a
single attribute assignment; a query reads ``_span`` (or ``_totals``) once and works only on
that local, so it never sees a half-built one. Building is serialised by a lock and re-checks
after acquiring it; the per-year caches are touched only under that lock. Queries take no lock.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Hashable
from datetime import date

from itsmcore.errors import ValidationError
from itsmcore.sla._wall import DAY, EPOCH_ORDINAL, Segment

__all__: list[str] = []

US = 1_000_000
MIN_YEAR, MAX_YEAR = 1, 9999
NEAR_YEARS = 50
"""A span grows at most this far from the instant a query starts at; beyond, year totals."""
HORIZON_YEARS = 50
"""How far ``next_close`` looks for a close (a 24x7 calendar never closes)."""
JUMP_YEARS = 10  # a query further than this from the built span starts a new span
_YEARS_KEPT = 128  # per-year segment lists kept for re-publishing spans
_SINGLES_KEPT = 16  # one-year spans kept for far queries

_bisect_left, _bisect_right = bisect.bisect_left, bisect.bisect_right

SegmentSource = Callable[[int, int], list[Segment]]
"""(lo, hi) UTC seconds -> the sorted, disjoint open segments (seconds) clipped to them."""
YearKey = Callable[[int], Hashable | None]
"""year -> a key shared by the years with the same open time (None: build this year)."""


def year_start(year: int) -> int:
    """UTC microseconds at the start of ``year`` (``10000``: just after the last instant)."""
    ordinal = date.max.toordinal() + 1 if year > MAX_YEAR else date(year, 1, 1).toordinal()
    return (ordinal - EPOCH_ORDINAL) * DAY * US


FIRST_US, END_US = year_start(MIN_YEAR), year_start(MAX_YEAR + 1)
"""The instants a calendar knows: UTC years 1 to 9999, ``[FIRST_US, END_US)``."""


def year_of(t: int) -> int:
    """The UTC year of ``t`` microseconds."""
    return date.fromordinal(t // (DAY * US) + EPOCH_ORDINAL).year


def _check_years(first: int, last: int) -> None:
    if first < MIN_YEAR or last > MAX_YEAR:
        raise ValidationError(
            f"year {first if first < MIN_YEAR else last} is outside the calendar's range; "
            f"allowed: {MIN_YEAR} to {MAX_YEAR}"
        )


class HorizonError(Exception):
    """Internal: the answer lies beyond the search horizon or outside years 1-9999."""


class _Span:
    """The open segments of the UTC years ``[lo_year, hi_year]`` (instants ``[lo, hi)``) with
    the cumulative open time at each segment; never changed once published."""

    __slots__ = (
        "cum_end",
        "cum_start",
        "ends",
        "hi",
        "hi_year",
        "lo",
        "lo_year",
        "shift",
        "starts",
    )

    def __init__(
        self, lo_year: int, hi_year: int, lo: int, hi: int, starts: list[int], ends: list[int]
    ) -> None:
        cum_start: list[int] = []
        cum_end: list[int] = []
        total = 0
        for a, b in zip(starts, ends, strict=True):
            cum_start.append(total)
            total += b - a
            cum_end.append(total)
        self.lo_year, self.hi_year, self.lo, self.hi = lo_year, hi_year, lo, hi
        self.starts, self.ends, self.cum_start, self.cum_end = starts, ends, cum_start, cum_end
        # cum(t) = shift[i] + t for t in segment i
        self.shift = [c - a for c, a in zip(cum_start, starts, strict=True)]

    def near(self, first: int, last: int) -> bool:
        """True when the span is built and the years ``first``-``last`` are close enough to
        join it (farther ones start a new span instead of bridging the gap)."""
        return self.hi > self.lo and not (
            last < self.lo_year - JUMP_YEARS or first > self.hi_year + JUMP_YEARS
        )

    @property
    def total(self) -> int:
        return self.cum_end[-1] if self.cum_end else 0

    def cum(self, t: int) -> int:
        """Open time from the span's start to ``t`` (inside the span)."""
        i = _bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.shift[i] + (t if t < end else end)

    def is_open(self, t: int) -> bool:
        i = _bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    def first_reaching(self, target: int) -> int:
        """The first instant with ``target`` open time (> 0) since the span's start."""
        i = _bisect_left(self.cum_end, target)
        return target - self.shift[i]

    def first_open_from(self, target: int) -> int:
        """The first open instant at or after the point with ``target`` open time."""
        i = _bisect_right(self.cum_end, target)
        return target - self.shift[i]

    def last_with(self, target: int) -> int:
        """The last instant with ``target`` open time since the span's start."""
        i = _bisect_right(self.cum_start, target) - 1
        return target - self.shift[i]


_EMPTY = _Span(0, 0, 0, 0, [], [])


class Index:
    """Open segments over a span of UTC years with cumulative open time at each segment,
    and, once a far query needs them, the open time of every year 1-9999.

    Safe to share between threads; a copy or an unpickled index starts empty (the lock and
    the built segments are not carried over, they are rebuilt on demand).
    """

    __slots__ = ("_key", "_lock", "_singles", "_source", "_span", "_totals", "_years")

    def __init__(self, source: SegmentSource, key: YearKey | None = None) -> None:
        self._source = source
        self._key: YearKey = key if key is not None else _irregular
        self._years: dict[int, list[Segment]] = {}  # built years, touched only under the lock
        self._singles: dict[int, _Span] = {}  # one-year spans, touched only under the lock
        self._lock = threading.Lock()
        self._span = _EMPTY
        self._totals: list[int] | None = None  # open time before 1 Jan of each year

    def __reduce__(self) -> tuple[type[Index], tuple[SegmentSource, YearKey]]:
        return (Index, (self._source, self._key))

    # -- the current span, for inspection -------------------------------------------------
    @property
    def lo_year(self) -> int:
        return self._span.lo_year

    @property
    def hi_year(self) -> int:
        return self._span.hi_year

    @property
    def lo(self) -> int:
        return self._span.lo

    @property
    def hi(self) -> int:
        return self._span.hi

    # -- building (under the lock) --------------------------------------------------------
    def _segments_of(self, year: int) -> list[Segment]:
        lo, hi = year_start(year) // US, year_start(year + 1) // US
        return [(a * US, b * US) for a, b in self._source(lo, hi)]

    def _year(self, year: int) -> list[Segment]:
        cached = self._years.get(year)
        if cached is None:
            if len(self._years) >= _YEARS_KEPT:
                span = self._span
                for old in [y for y in self._years if not span.lo_year <= y <= span.hi_year]:
                    del self._years[old]
            cached = self._years[year] = self._segments_of(year)
        return cached

    def _publish(self, first: int, last: int) -> _Span:
        """Build the span of the years ``first`` to ``last`` and make it the current one."""
        starts: list[int] = []
        ends: list[int] = []
        for year in range(first, last + 1):
            for a, b in self._year(year):
                if ends and a <= ends[-1]:
                    ends[-1] = max(ends[-1], b)
                else:
                    starts.append(a)
                    ends.append(b)
        span = _Span(first, last, year_start(first), year_start(last + 1), starts, ends)
        self._span = span
        return span

    def _join(self, first: int, last: int) -> _Span:
        """A span holding the years ``first`` to ``last``, joined to the current span when
        that one is near (the current span itself when it already holds them)."""
        with self._lock:
            span = self._span
            if span.near(first, last):
                if first >= span.lo_year and last <= span.hi_year:
                    return span
                first, last = min(first, span.lo_year), max(last, span.hi_year)
            return self._publish(first, last)

    def ensure(self, t: int, u: int | None = None) -> _Span:
        """A span covering the instants ``t`` and ``u`` (a span far from the current one
        replaces it instead of bridging the gap)."""
        first = year_of(t)
        last = first if u is None else year_of(u)
        first, last = min(first, last), max(first, last)
        _check_years(first, last)
        with self._lock:
            span = self._span  # re-checked: another thread may have built it meanwhile
            lo, hi = span.lo, span.hi
            if lo <= t < hi and (u is None or lo <= u < hi):
                return span
            if span.near(first, last):
                return self._publish(min(first, span.lo_year), max(last, span.hi_year))
            return self._publish(first, last)

    def _grow_forward(self, span: _Span, limit_year: int) -> _Span:
        if span.hi_year >= min(limit_year, MAX_YEAR):
            raise HorizonError
        step = max(1, span.hi_year - span.lo_year + 1)
        return self._join(span.lo_year, min(span.hi_year + step, limit_year, MAX_YEAR))

    def _grow_backward(self, span: _Span, limit_year: int) -> _Span:
        if span.lo_year <= max(limit_year, MIN_YEAR):
            raise HorizonError
        step = max(1, span.hi_year - span.lo_year + 1)
        return self._join(max(span.lo_year - step, limit_year, MIN_YEAR), span.hi_year)

    # -- year totals (far queries) --------------------------------------------------------
    def _single(self, year: int) -> _Span:
        """The span of the one year ``year`` (kept for a few years)."""
        found = self._singles.get(year)
        if found is not None:
            return found
        with self._lock:
            found = self._singles.get(year)
            if found is None:
                if len(self._singles) >= _SINGLES_KEPT:
                    self._singles.clear()
                segments = self._segments_of(year)
                found = _Span(
                    year,
                    year,
                    year_start(year),
                    year_start(year + 1),
                    [a for a, _ in segments],
                    [b for _, b in segments],
                )
                self._singles[year] = found
        return found

    def totals(self) -> list[int]:
        """``totals[y]``: the open time from 1 Jan of year 1 to 1 Jan of ``y`` (1-10000)."""
        found = self._totals
        if found is not None:
            return found
        with self._lock:
            if self._totals is None:
                by_key: dict[Hashable, int] = {}
                prefix = [0, 0]
                running = 0
                for year in range(MIN_YEAR, MAX_YEAR + 1):
                    key = self._key(year)
                    total = None if key is None else by_key.get(key)
                    if total is None:
                        total = sum(b - a for a, b in self._segments_of(year))
                        if key is not None:
                            by_key[key] = total
                    running += total
                    prefix.append(running)
                self._totals = prefix
            return self._totals

    def _far_add(self, a: int, amount: int) -> int:
        totals = self.totals()
        first = year_of(a)
        target = totals[first] + self._single(first).cum(a) + amount
        if amount:
            year = _bisect_left(totals, target) - 1
            if year > MAX_YEAR:
                raise HorizonError
            return self._single(year).first_reaching(target - totals[year])
        year = _bisect_right(totals, target) - 1
        if year > MAX_YEAR:
            raise HorizonError
        return self._single(year).first_open_from(target - totals[year])

    def _far_subtract(self, b: int, amount: int) -> int:
        totals = self.totals()
        last = year_of(b)
        target = totals[last] + self._single(last).cum(b) - amount
        if amount:
            if target < 0:
                raise HorizonError
            year = _bisect_right(totals, target) - 1
            found = self._single(year).last_with(target - totals[year])
            return b if b < found else found
        if target <= 0:
            raise HorizonError
        year = _bisect_left(totals, target) - 1
        return self._single(year).first_reaching(target - totals[year])

    def _far_between(self, a: int, b: int) -> int:
        totals = self.totals()
        first, last = year_of(a), year_of(b)
        at_b = totals[last] + self._single(last).cum(b)
        return at_b - totals[first] - self._single(first).cum(a)

    # -- queries (lock-free: each reads ``_span`` once) -----------------------------------
    def is_open(self, t: int) -> bool:
        span = self._span
        if not span.lo <= t < span.hi:
            span = self.ensure(t)
        i = _bisect_right(span.starts, t) - 1
        return i >= 0 and t < span.ends[i]

    def between(self, a: int, b: int) -> int:
        if b <= a:
            return 0
        span = self._span
        if not (span.lo <= a and b < span.hi):
            if year_of(b) - year_of(a) > NEAR_YEARS:
                return self._far_between(a, b)
            span = self.ensure(a, b)
        starts, ends, shift = span.starts, span.ends, span.shift
        j = _bisect_right(starts, b) - 1
        if j < 0:
            return 0
        end = ends[j]
        at_b = shift[j] + (b if b < end else end)
        i = _bisect_right(starts, a) - 1
        if i < 0:
            return at_b
        end = ends[i]
        return at_b - shift[i] - (a if a < end else end)

    def add(self, a: int, amount: int) -> int:
        """The first instant at which ``amount`` open microseconds have passed since ``a``
        (``amount == 0``: the first open instant at or after ``a``)."""
        span = self._span
        if not span.lo <= a < span.hi:
            span = self.ensure(a)
        while True:
            shift, cum_end = span.shift, span.cum_end
            i = _bisect_right(span.starts, a) - 1  # the cumulative open time at ``a``, inlined
            if i < 0:
                target = amount
            else:
                end = span.ends[i]
                target = shift[i] + (a if a < end else end) + amount
            i = (_bisect_left if amount else _bisect_right)(cum_end, target)
            if i < len(cum_end):
                return target - shift[i]
            if self._totals is not None:  # cheaper than growing the span
                return self._far_add(a, amount)
            try:
                span = self._grow_forward(span, year_of(a) + NEAR_YEARS)
            except HorizonError:
                return self._far_add(a, amount)

    def subtract(self, b: int, amount: int) -> int:
        """The last instant at or before ``b`` with ``amount`` open microseconds up to ``b``;
        for ``amount == 0``, ``b`` itself when open at ``b`` or just before it, else the end
        of the last open period before ``b``."""
        span = self._span
        if not span.lo <= b < span.hi:
            span = self.ensure(b)
        if not amount and span.is_open(b):
            return b
        limit = year_of(b) - NEAR_YEARS
        while True:
            target = span.cum(b) - amount
            if amount and target >= 0:
                found = span.last_with(target)
                return b if b < found else found
            if not amount and target > 0:
                return span.first_reaching(target)
            if self._totals is not None:  # cheaper than growing the span
                return self._far_subtract(b, amount)
            try:
                span = self._grow_backward(span, limit)
            except HorizonError:
                return self._far_subtract(b, amount)

    def next_close(self, t: int, horizon: int = HORIZON_YEARS) -> int:
        """The end of the open segment containing ``t``, else of the next one."""
        span = self._span
        if not span.lo <= t < span.hi:
            span = self.ensure(t)
        limit = year_of(t) + horizon
        while True:
            ends = span.ends
            i = _bisect_right(span.starts, t) - 1
            if i < 0 or t >= ends[i]:
                i += 1
            if i < len(ends) and ends[i] < span.hi:
                return ends[i]
            span = self._grow_forward(span, limit)

    def last_open_before(self, t: int) -> tuple[int, int] | None:
        """The (covered) open segment that starts last before ``t``, or None."""
        span = self._span
        if not span.lo <= t < span.hi:
            span = self.ensure(t)
        i = _bisect_left(span.starts, t) - 1
        return None if i < 0 else (span.starts[i], span.ends[i])

    def segments(self, a: int, b: int) -> list[Segment]:
        """The open segments clipped to ``[a, b)``."""
        if b <= a:
            return []
        span = self._span
        if not (span.lo <= a < span.hi and span.lo <= b < span.hi):
            span = self.ensure(a, b)
        starts, ends = span.starts, span.ends
        i = max(0, _bisect_right(starts, a) - 1)
        j = _bisect_left(starts, b)
        return [
            (max(s, a), min(e, b)) for s, e in zip(starts[i:j], ends[i:j], strict=True) if e > a
        ]


def _irregular(year: int) -> None:
    """The year key of a source that says nothing: every year is built."""
    return None
