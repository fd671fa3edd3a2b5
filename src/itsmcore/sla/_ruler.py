"""Business time of a calendar in integer microseconds, for the SLA engine's inner loop.

A :class:`Ruler` asks its calendar once per UTC year for the open periods (the public
``open_intervals``) and keeps them with prefix sums. Its unit is the *position* of an instant:
the business time from a fixed anchor (the start of the first year it was asked about; earlier
instants have negative positions) to the instant. Positions never change once given, so the
engine keeps them in its clocks: ``between(a, b)`` is ``position(b) - position(a)`` and
``add(a, amount)`` is ``locate(position(a) + amount)``, each one bisection. The answers are
the calendar's own (checked by the tests).
"""

from __future__ import annotations

import bisect
import threading
from datetime import UTC, date, datetime, timedelta

from itsmcore.sla.calendar import BaseCalendar

__all__: list[str] = []

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_TRIES = 2  # spans tried before asking the calendar itself (rare: long or sparse)
_sub = datetime.__sub__
_bisect_left = bisect.bisect_left
_bisect_right = bisect.bisect_right

# (lo, hi, starts, ends, before): the open segments within [lo, hi) and the position of each
# segment's start (before[-1]: the position of hi)
_Span = tuple[int, int, list[int], list[int], list[int]]


def _instant(us: int) -> datetime:
    return _EPOCH + us * _ONE_US


def _us(value: datetime) -> int:
    return _sub(value, _EPOCH) // _ONE_US


def _year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US


def _year_of(us: int) -> int:
    return date.fromordinal(us // _DAY_US + _EPOCH_ORDINAL).year


class Ruler:
    """Positions, ``between`` and ``add`` of one calendar, in microseconds, over a lazily
    grown span of whole UTC years."""

    __slots__ = ("_anchor", "_last", "_lock", "_span", "calendar")

    def __init__(self, calendar: BaseCalendar) -> None:
        self.calendar = calendar
        self._lock = threading.Lock()
        self._anchor: int | None = None  # the instant at position 0
        # replaced whole, never changed, so readers need no lock
        self._span: _Span = (0, 0, [], [], [0])
        self._last = (0, 0)  # the last (instant, position) asked (a batch asks "now" often)

    # A ruler answers as its calendar does and never changes what it answered, so a copy may
    # share it (it holds a lock, which does not copy).
    def __copy__(self) -> Ruler:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Ruler:
        return self

    def _cover(self, a: int, b: int) -> _Span:
        span = self._span
        if span[0] <= a and b < span[1]:
            return span
        with self._lock:
            span = self._span
            if span[0] <= a and b < span[1]:
                return span
            lo_year = _year_of(min(a, span[0]) if span[1] else a)
            hi_year = _year_of(max(b, span[1] - 1) if span[1] else b)
            lo, hi = _year_start(lo_year), _year_start(hi_year + 1)
            starts: list[int] = []
            ends: list[int] = []
            for start, end in self.calendar.open_intervals(_instant(lo), _instant(hi)):
                s, e = _us(start), _us(end)
                if starts and s <= ends[-1]:  # touching periods (e.g. 24x7 days) merge
                    ends[-1] = max(ends[-1], e)
                else:
                    starts.append(s)
                    ends.append(e)
            if self._anchor is None:
                self._anchor = lo
            before = [0]
            for s, e in zip(starts, ends, strict=True):
                before.append(before[-1] + e - s)
            # shift so that the anchor keeps position 0 whatever the span
            shift = _offset(starts, ends, before, self._anchor)
            if shift:
                before = [p - shift for p in before]
            span = (lo, hi, starts, ends, before)
            self._span = span
            return span

    def position(self, t: int) -> int:
        """The business time from the anchor to ``t`` (negative before the anchor)."""
        last = self._last
        if last[0] == t and self._anchor is not None:
            return last[1]
        span = self._span
        if not (span[0] <= t < span[1]):
            span = self._cover(t, t)
        _, _, starts, ends, before = span
        i = _bisect_right(starts, t) - 1
        found = before[0] if i < 0 else before[i] + min(t, ends[i]) - starts[i]
        self._last = (t, found)
        return found

    def locate(self, goal: int, strict: bool) -> int:
        """The first instant at position ``goal``: with ``strict`` the first at which that much
        has passed (it may be a closing time), else the first open one (it waits for the
        next opening). Only for goals reached in the current span (see :meth:`add`)."""
        _, _, starts, _, before = self._span
        i = (_bisect_left if strict else _bisect_right)(before, goal) - 1
        return starts[i] + goal - before[i]

    def between(self, a: int, b: int) -> int:
        """Business microseconds from ``a`` to ``b`` (0 when ``b <= a``)."""
        if b <= a:
            return 0
        self._cover(a, b)
        return self.position(b) - self.position(a)

    def add(self, a: int, amount: int) -> int:
        """The first instant at which ``amount`` business microseconds have passed since ``a``
        (``amount == 0``: the next open instant), as ``calendar.add`` answers."""
        return self.reach(a, self.position(a), amount)

    def reach(self, a: int, at: int, amount: int) -> int:
        """:meth:`add` when ``at`` is already known to be the position of ``a``."""
        goal, strict = at + amount, amount > 0
        _, _, starts, _, before = self._span
        last = before[-1]
        if goal < last or (strict and goal == last):  # the usual case: reached in the span
            i = (_bisect_left if strict else _bisect_right)(before, goal) - 1
            return starts[i] + goal - before[i]
        span = self._cover(a, a + amount)
        for _ in range(_TRIES):
            last = span[4][-1]
            if goal < last or (strict and goal == last):
                return self.locate(goal, strict)
            span = self._cover(a, span[1] + 366 * _DAY_US)
        return _us(self.calendar.add(_instant(a), amount * _ONE_US))  # or its own error


def _offset(starts: list[int], ends: list[int], before: list[int], t: int) -> int:
    """The position of ``t`` in a span's arrays."""
    i = _bisect_right(starts, t) - 1
    if i < 0:
        return before[0]
    return before[i] + min(t, ends[i]) - starts[i]


_rulers: dict[int, tuple[BaseCalendar, Ruler]] = {}
_KEPT = 256


def ruler(calendar: BaseCalendar) -> Ruler:
    """The ruler of ``calendar`` (one per calendar object)."""
    found = _rulers.get(id(calendar))
    if found is not None and found[0] is calendar:
        return found[1]
    made = Ruler(calendar)
    if len(_rulers) >= _KEPT:
        _rulers.clear()
    _rulers[id(calendar)] = (calendar, made)
    return made
