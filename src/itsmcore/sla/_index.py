"""The interval index: a cached, lazily extended sorted array of open segments with prefix sums.

The index covers whole UTC years ``[lo_year, hi_year]``; its segments (microseconds since the
epoch) are exact inside that span. Every query is a bisection; extending the span costs one
build per new year (cached), so a query never walks day by day.
"""

from __future__ import annotations

import bisect
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


class HorizonError(Exception):
    """Internal: the answer lies beyond the search horizon."""


class Index:
    """Open segments over a span of UTC years with cumulative open time at each segment."""

    __slots__ = (
        "_source",
        "_years",
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

    def __init__(self, source: SegmentSource) -> None:
        self._source = source
        self._years: dict[int, list[Segment]] = {}
        self.lo_year = self.hi_year = 0
        self.lo = self.hi = 0
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum_start: list[int] = []
        self.cum_end: list[int] = []
        self.shift: list[int] = []  # cum_start[i] - starts[i]: cum(t) = shift[i] + t in segment i

    # -- building -------------------------------------------------------------------------
    def _year(self, year: int) -> list[Segment]:
        cached = self._years.get(year)
        if cached is None:
            lo, hi = year_start(year) // US, year_start(year + 1) // US
            cached = [(a * US, b * US) for a, b in self._source(lo, hi)]
            self._years[year] = cached
        return cached

    def cover(self, first: int, last: int) -> None:
        """Make the index span at least the UTC years ``first`` to ``last``."""
        if first < MIN_YEAR or last > MAX_YEAR:
            raise ValidationError(
                f"year {first if first < MIN_YEAR else last} is outside the calendar's range; "
                f"allowed: {MIN_YEAR} to {MAX_YEAR}"
            )
        if self.hi > self.lo:
            if first >= self.lo_year and last <= self.hi_year:
                return
            first, last = min(first, self.lo_year), max(last, self.hi_year)
        starts: list[int] = []
        ends: list[int] = []
        for year in range(first, last + 1):
            for a, b in self._year(year):
                if ends and a <= ends[-1]:
                    ends[-1] = max(ends[-1], b)
                else:
                    starts.append(a)
                    ends.append(b)
        cum_start: list[int] = []
        cum_end: list[int] = []
        total = 0
        for a, b in zip(starts, ends, strict=True):
            cum_start.append(total)
            total += b - a
            cum_end.append(total)
        self.starts, self.ends, self.cum_start, self.cum_end = starts, ends, cum_start, cum_end
        self.shift = [c - a for c, a in zip(cum_start, starts, strict=True)]
        self.lo_year, self.hi_year = first, last
        self.lo, self.hi = year_start(first), year_start(last + 1)

    def ensure(self, t: int, u: int | None = None) -> None:
        """Make the index cover the instants ``t`` and ``u`` (a year of margin on a fresh
        span; a span far from the current one replaces it instead of bridging the gap)."""
        if self.lo <= t < self.hi and (u is None or self.lo <= u < self.hi):
            return
        first = year_of(t)
        last = first if u is None else year_of(u)
        first, last = min(first, last), max(first, last)
        if first < MIN_YEAR or last > MAX_YEAR:
            self.cover(first, last)  # raises, naming the allowed years
        if self.hi > self.lo and (
            last < self.lo_year - JUMP_YEARS or first > self.hi_year + JUMP_YEARS
        ):
            self.lo = self.hi = 0  # start a new span; built years stay cached
        if self.hi > self.lo:
            self.cover(first, last)
        else:
            self.cover(max(MIN_YEAR, first - 1), min(MAX_YEAR, last + 1))

    def _grow_forward(self, limit_year: int) -> None:
        if self.hi_year >= min(limit_year, MAX_YEAR):
            raise HorizonError
        step = max(1, self.hi_year - self.lo_year + 1)
        self.cover(self.lo_year, min(self.hi_year + step, limit_year, MAX_YEAR))

    def _grow_backward(self, limit_year: int) -> None:
        if self.lo_year <= max(limit_year, MIN_YEAR):
            raise HorizonError
        step = max(1, self.hi_year - self.lo_year + 1)
        self.cover(max(self.lo_year - step, limit_year, MIN_YEAR), self.hi_year)

    # -- queries --------------------------------------------------------------------------
    def cum(self, t: int) -> int:
        """Open microseconds from the start of the index to ``t`` (covered)."""
        i = _bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.shift[i] + (t if t < end else end)

    def is_open(self, t: int) -> bool:
        if not self.lo <= t < self.hi:
            self.ensure(t)
        i = _bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    def between(self, a: int, b: int) -> int:
        if b <= a:
            return 0
        if not (self.lo <= a and b < self.hi):
            self.ensure(a, b)
        ends, shift = self.ends, self.shift
        j = _bisect_right(self.starts, b) - 1
        if j < 0:
            return 0
        end = ends[j]
        at_b = shift[j] + (b if b < end else end)
        i = _bisect_right(self.starts, a) - 1
        if i < 0:
            return at_b
        end = ends[i]
        return at_b - shift[i] - (a if a < end else end)

    def add(self, a: int, amount: int, horizon: int = HORIZON_YEARS) -> int:
        """The first instant at which ``amount`` open microseconds have passed since ``a``
        (``amount == 0``: the first open instant at or after ``a``)."""
        if not self.lo <= a < self.hi:
            self.ensure(a)
        while True:
            shift, cum_end = self.shift, self.cum_end
            i = _bisect_right(self.starts, a) - 1  # the cumulative open time at ``a``, inlined
            if i < 0:
                target = amount
            else:
                end = self.ends[i]
                target = shift[i] + (a if a < end else end) + amount
            i = (_bisect_left if amount else _bisect_right)(cum_end, target)
            if i < len(cum_end):
                return target - shift[i]
            self._grow_forward(year_of(a) + horizon)

    def subtract(self, b: int, amount: int, horizon: int = HORIZON_YEARS) -> int:
        """The last instant at or before ``b`` with ``amount`` open microseconds up to ``b``."""
        self.ensure(b)
        limit = year_of(b) - horizon
        while True:
            target = self.cum(b) - amount
            if target >= 0:
                if not self.starts:
                    return b
                i = _bisect_right(self.cum_start, target) - 1
                found = target - self.shift[i]
                return b if b < found else found
            self._grow_backward(limit)

    def next_close(self, t: int, horizon: int = HORIZON_YEARS) -> int:
        """The end of the open segment containing ``t``, else of the next one."""
        self.ensure(t)
        limit = year_of(t) + horizon
        while True:
            i = bisect.bisect_right(self.starts, t) - 1
            if i < 0 or t >= self.ends[i]:
                i += 1
            if i < len(self.ends) and self.ends[i] < self.hi:
                return self.ends[i]
            self._grow_forward(limit)

    def last_open_before(self, t: int) -> tuple[int, int] | None:
        """The (covered) open segment that starts last before ``t``, or None."""
        self.ensure(t)
        i = bisect.bisect_left(self.starts, t) - 1
        return None if i < 0 else (self.starts[i], self.ends[i])

    def segments(self, a: int, b: int) -> list[Segment]:
        """The open segments clipped to ``[a, b)``."""
        if b <= a:
            return []
        self.ensure(a, b)
        i = max(0, bisect.bisect_right(self.starts, a) - 1)
        j = bisect.bisect_left(self.starts, b)
        return [
            (max(s, a), min(e, b))
            for s, e in zip(self.starts[i:j], self.ends[i:j], strict=True)
            if e > a
        ]
