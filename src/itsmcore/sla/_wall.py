"""Wall clock to instants: a zone's UTC-offset stretches and local intervals as UTC segments.

Times are integer seconds: instants since the Unix epoch (UTC), wall times as "local epoch"
seconds (the wall clock read as if it were UTC). An instant ``t`` of a stretch with offset
``o`` reads the wall time ``t + o``; an interval of wall times ``[ws, we)`` is therefore the
instants ``[ws - o, we - o)`` of each stretch, clipped to the stretch. A wall time in a DST gap
has no instant (a boundary in the gap snaps forward to the transition) and a repeated wall time
has two, so an interval covering the repeated hour covers both occurrences.
"""

from __future__ import annotations

import bisect
import zoneinfo
from datetime import date, datetime, timedelta

from itsmcore.errors import ConfigurationError

__all__: list[str] = []

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400
_STEP = 6 * 3600  # offset changes closer together than this are not found (none in tzdata)
_MARGIN = 2 * DAY  # more than any UTC offset (at most 26 hours)
_WALL_EPOCH = datetime(1970, 1, 1)

Segment = tuple[int, int]


def load_zone(name: object) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name``, or a :class:`ConfigurationError` naming it."""
    if not isinstance(name, str) or not name:
        raise ConfigurationError(
            f"time zone {name!r} is not an IANA zone name like 'Europe/Berlin'"
        )
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigurationError(
            f"time zone {name!r} is not known; allowed: IANA names such as 'Europe/Berlin', "
            "'America/New_York', 'UTC'"
        ) from None


def day_seconds(day: date) -> int:
    """Wall (or UTC) seconds at the midnight that starts ``day``."""
    return (day.toordinal() - EPOCH_ORDINAL) * DAY


def date_of(seconds: int) -> date:
    """The date of wall (or UTC) seconds."""
    return date.fromordinal(seconds // DAY + EPOCH_ORDINAL)


class Stretches:
    """The zone's constant-offset stretches over ``[lo, hi)`` UTC seconds."""

    __slots__ = ("offsets", "starts")

    def __init__(self, zone: zoneinfo.ZoneInfo, lo: int, hi: int) -> None:
        def offset(t: int) -> int:
            delta = datetime.fromtimestamp(t, zone).utcoffset()
            assert delta is not None  # noqa: S101 - a ZoneInfo always answers
            return delta.days * DAY + delta.seconds

        starts = [lo]
        offsets = [offset(lo)]
        t, current = lo, offsets[0]
        while t < hi:
            nxt = min(t + _STEP, hi)
            if offset(nxt) == current:
                t = nxt
                continue
            low, high = t, nxt  # offset(low) == current != offset(high)
            while high - low > 1:
                mid = (low + high) // 2
                if offset(mid) == current:
                    low = mid
                else:
                    high = mid
            current = offset(high)
            starts.append(high)
            offsets.append(current)
            t = high
        self.starts = starts
        self.offsets = offsets

    def instants(self, ws: int, we: int, out: list[Segment]) -> None:
        """Append the UTC segments whose wall time lies in ``[ws, we)``."""
        starts, offsets = self.starts, self.offsets
        k = max(0, bisect.bisect_right(starts, ws - _MARGIN) - 1)
        last = len(starts)
        while k < last and starts[k] < we + _MARGIN:
            o = offsets[k]
            lo = max(ws - o, starts[k])
            hi = we - o if k + 1 == last else min(we - o, starts[k + 1])
            if lo < hi:
                out.append((lo, hi))
            k += 1

    def first_at_or_after(self, ws: int) -> int:
        """The first instant whose wall time is ``ws`` or later (snaps forward over a gap)."""
        found: list[Segment] = []
        self.instants(ws, ws + 4 * DAY, found)
        return min(lo for lo, _ in found)


def first_instant_at_or_after(zone: zoneinfo.ZoneInfo, ws: int) -> int:
    """The first instant whose wall time in ``zone`` is ``ws`` or later (a wall time in a DST
    gap gives the transition; a repeated one its first occurrence)."""
    naive = _WALL_EPOCH + timedelta(seconds=ws)
    offset = naive.replace(tzinfo=zone).utcoffset()
    assert offset is not None  # noqa: S101 - a ZoneInfo always answers
    t = ws - (offset.days * DAY + offset.seconds)
    if datetime.fromtimestamp(t, zone).replace(tzinfo=None) == naive:
        return t
    return Stretches(zone, ws - 3 * DAY, ws + 3 * DAY).first_at_or_after(ws)


def merge(segments: list[Segment]) -> list[Segment]:
    """Sort and merge overlapping or touching segments."""
    segments.sort()
    merged: list[Segment] = []
    for lo, hi in segments:
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def clip(segments: list[Segment], lo: int, hi: int) -> list[Segment]:
    """The parts of sorted disjoint ``segments`` inside ``[lo, hi)``."""
    return [(max(a, lo), min(b, hi)) for a, b in segments if a < hi and b > lo]


def intersect(first: list[Segment], second: list[Segment]) -> list[Segment]:
    """The intersection of two sorted disjoint segment lists (a linear sweep)."""
    out: list[Segment] = []
    i = j = 0
    while i < len(first) and j < len(second):
        lo = max(first[i][0], second[j][0])
        hi = min(first[i][1], second[j][1])
        if lo < hi:
            out.append((lo, hi))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out
