"""The interval index: a cached, lazily extended sorted array of open segments with prefix sums.

The index covers whole UTC years ``[lo_year, hi_year]``; its segments (microseconds since the
epoch) are exact inside that span. Every query is a bisection; extending the span costs one
build per new year (cached), so a query never walks day by day.

Thread safety: the span and all its arrays live in one :class:`_Span`, built completely and then
published with a single attribute assignment; a query reads ``_span`` once and works only on
that local, so it never sees a half-replaced span. Building (the slow path) is serialised by a
lock and re-checks the span after acquiring it; the per-year segment cache is touched only under
that lock. Queries take no lock.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from datetime import date

from itsmcore.errors import ValidationError
from itsmcore.sla._wall import DAY, EPOCH_ORDINAL, Segment

__all__: list[str] = []

US = 1_000_000
MIN_YEAR, MAX_YEAR = 3, 9996
HORIZON_YEARS = 50
JUMP_YEARS = 10  # a query further than this from the built span starts a new span

_bisect_left, _bisect_right = bisect.bisect_left, bisect.bisect_right

SegmentSource = Callable[[int, int], list[Segment]]


def year_start(year: int) -> int:
    """UTC microseconds at the start of ``year``."""
    return (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY * US


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
    """Internal: the answer lies beyond the search horizon."""


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


_EMPTY = _Span(0, 0, 0, 0, [], [])


class Index:
    """Open segments over a span of UTC years with cumulative open time at each segment.

    Safe to share between threads; a copy or an unpickled index starts empty (the lock and
    the built segments are not carried over, they are rebuilt on demand).
    """

    __slots__ = ("_lock", "_source", "_span", "_years")

    def __init__(self, source: SegmentSource) -> None:
        self._source = source
        self._years: dict[int, list[Segment]] = {}  # built years, touched only under the lock
        self._lock = threading.Lock()
        self._span = _EMPTY

    def __reduce__(self) -> tuple[type[Index], tuple[SegmentSource]]:
        return (Index, (self._source,))

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
    def _year(self, year: int) -> list[Segment]:
        cached = self._years.get(year)
        if cached is None:
            lo, hi = year_start(year) // US, year_start(year + 1) // US
            cached = [(a * US, b * US) for a, b in self._source(lo, hi)]
            self._years[year] = cached
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
        """A span covering the instants ``t`` and ``u`` (a year of margin on a fresh span; a
        span far from the current one replaces it instead of bridging the gap)."""
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
            return self._publish(max(MIN_YEAR, first - 1), min(MAX_YEAR, last + 1))

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

    def add(self, a: int, amount: int, horizon: int = HORIZON_YEARS) -> int:
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
            span = self._grow_forward(span, year_of(a) + horizon)

    def subtract(self, b: int, amount: int, horizon: int = HORIZON_YEARS) -> int:
        """The last instant at or before ``b`` with ``amount`` open microseconds up to ``b``."""
        span = self._span
        if not span.lo <= b < span.hi:
            span = self.ensure(b)
        limit = year_of(b) - horizon
        while True:
            starts = span.starts
            i = _bisect_right(starts, b) - 1
            if i < 0:
                target = -amount
            else:
                end = span.ends[i]
                target = span.shift[i] + (b if b < end else end) - amount
            if target >= 0:
                if not starts:
                    return b
                i = _bisect_right(span.cum_start, target) - 1
                found = target - span.shift[i]
                return b if b < found else found
            span = self._grow_backward(span, limit)

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
