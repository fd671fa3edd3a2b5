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
import functools
import importlib.resources
import os
import struct
import zoneinfo
from datetime import date, datetime, timedelta

import attrs

from itsmcore.errors import ConfigurationError

__all__: list[str] = []

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400
FIRST_SECOND = (1 - EPOCH_ORDINAL) * DAY
"""0001-01-01T00:00Z, the first instant a calendar knows (UTC seconds)."""
END_SECOND = (date.max.toordinal() + 1 - EPOCH_ORDINAL) * DAY
"""10000-01-01T00:00Z, just after the last instant a calendar knows (UTC seconds)."""
_STEP = 6 * 3600  # offset changes closer together than this are not found (none in tzdata)
_MARGIN = 2 * DAY  # more than any UTC offset (at most 26 hours)
_WALL_EPOCH = datetime(1970, 1, 1)
# Offsets are read this far inside the range, so the local wall time never leaves years 1-9999
# (the first and last two days of the range take the offset of the day after / before them).
_PROBE_LO, _PROBE_HI = FIRST_SECOND + _MARGIN, END_SECOND - _MARGIN

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


@attrs.frozen
class ZoneFacts:
    """What a zone's TZif data says about its offsets over years 1-9999.

    ``transitions`` are the UTC seconds (inside the range) at which the offset may change;
    before the first the offset is constant, after the last it follows the zone's yearly
    rule, which has daylight-saving changes only when ``rule_has_dst``.
    """

    transitions: tuple[int, ...]
    rule_has_dst: bool

    @property
    def history(self) -> tuple[int, int] | None:
        """The first and last UTC year with a listed transition (None: there are none)."""
        if not self.transitions:
            return None
        return date_of(self.transitions[0]).year, date_of(self.transitions[-1]).year


def _tzif_bytes(name: str) -> bytes | None:
    """The TZif file of ``name``, found where :mod:`zoneinfo` looks (TZPATH, then tzdata)."""
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, *name.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as file:
                return file.read()
    try:
        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
        return resource.read_bytes()
    except (ImportError, OSError, ValueError):
        return None


def _parse_tzif(raw: bytes) -> ZoneFacts | None:
    """Transition times and the footer rule of TZif data (RFC 8536), or None if unreadable."""
    if raw[:4] != b"TZif" or len(raw) < 44:
        return None
    counts = struct.unpack(">6l", raw[20:44])
    isut, isstd, leap, times, types, chars = counts
    if raw[4:5] == b"\x00":  # version 1: 32-bit times, no footer
        found = struct.unpack(f">{times}l", raw[44 : 44 + 4 * times])
        footer = ""
    else:
        second = 44 + times * 5 + types * 6 + chars + leap * 8 + isstd + isut
        if raw[second : second + 4] != b"TZif":
            return None
        isut, isstd, leap, times, types, chars = struct.unpack(
            ">6l", raw[second + 20 : second + 44]
        )
        data = second + 44
        found = struct.unpack(f">{times}q", raw[data : data + 8 * times])
        end = data + times * 9 + types * 6 + chars + leap * 12 + isstd + isut
        footer = raw[end:].strip(b"\n").decode("ascii", "replace")
    inside = tuple(t for t in found if FIRST_SECOND <= t < END_SECOND)
    return ZoneFacts(transitions=inside, rule_has_dst="," in footer)


@functools.lru_cache(maxsize=512)
def zone_facts(name: str) -> ZoneFacts | None:
    """The :class:`ZoneFacts` of the IANA zone ``name`` (None: its data cannot be read, and
    every year is then treated as irregular)."""
    raw = _tzif_bytes(name)
    return None if raw is None else _parse_tzif(raw)


def offset_at(zone: zoneinfo.ZoneInfo, t: int) -> int:
    """The UTC offset (seconds) of ``zone`` at the UTC second ``t`` (see ``_PROBE_LO``)."""
    t = min(max(t, _PROBE_LO), _PROBE_HI)
    delta = datetime.fromtimestamp(t, zone).utcoffset()
    assert delta is not None  # noqa: S101 - a ZoneInfo always answers
    return delta.days * DAY + delta.seconds


def day_seconds(day: date) -> int:
    """Wall (or UTC) seconds at the midnight that starts ``day``."""
    return (day.toordinal() - EPOCH_ORDINAL) * DAY


def date_of(seconds: int) -> date:
    """The date of wall (or UTC) seconds."""
    return date.fromordinal(seconds // DAY + EPOCH_ORDINAL)


class Stretches:
    """The zone's constant-offset stretches over ``[lo, hi)`` UTC seconds.

    The offset changes only at the zone's listed transitions, and after the last one at the
    changes of its daylight-saving rule (found by probing every six hours and bisecting).
    """

    __slots__ = ("offsets", "starts")

    def __init__(self, zone: zoneinfo.ZoneInfo, lo: int, hi: int) -> None:
        facts = zone_facts(zone.key) if zone.key else None
        starts = [lo]
        offsets = [offset_at(zone, lo)]
        probe_from = lo
        if facts is not None:
            listed = facts.transitions
            i = bisect.bisect_right(listed, lo)
            j = bisect.bisect_left(listed, hi)
            for t in listed[i:j]:
                starts.append(t)
                offsets.append(offset_at(zone, t))
            if not facts.rule_has_dst:
                probe_from = hi  # constant after the last listed change
            elif listed:
                probe_from = max(lo, listed[-1])
        if probe_from < hi:
            self._probe(zone, probe_from, hi, starts, offsets)
        self.starts = starts
        self.offsets = offsets

    @staticmethod
    def _probe(
        zone: zoneinfo.ZoneInfo, lo: int, hi: int, starts: list[int], offsets: list[int]
    ) -> None:
        t, current = lo, offset_at(zone, lo)
        while t < hi:
            nxt = min(t + _STEP, hi)
            if offset_at(zone, nxt) == current:
                t = nxt
                continue
            low, high = t, nxt  # offset(low) == current != offset(high)
            while high - low > 1:
                mid = (low + high) // 2
                if offset_at(zone, mid) == current:
                    low = mid
                else:
                    high = mid
            current = offset_at(zone, high)
            if high > starts[-1]:
                starts.append(high)
                offsets.append(current)
            t = high

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


def first_instant_with_offset(zone: zoneinfo.ZoneInfo, ws: int, offset: int) -> int:
    """:func:`first_instant_at_or_after`, trying first the instant that reads ``ws`` with
    ``offset`` (the offset of a nearby instant): it is the answer when the zone has that
    offset there and no change in the two days before (so no earlier instant reads ``ws``)."""
    t = ws - offset
    if _PROBE_LO + 2 * DAY <= t <= _PROBE_HI and offset_at(zone, t) == offset:
        facts = zone_facts(zone.key) if zone.key else None
        listed = facts.transitions if facts is not None else ()
        if facts is not None and listed and t < listed[-1]:
            i = bisect.bisect_right(listed, t)
            if i == 0 or listed[i - 1] < t - 2 * DAY:
                return t
        elif offset_at(zone, t - 2 * DAY) == offset:
            return t
    return first_instant_at_or_after(zone, ws)


def first_instant_at_or_after(zone: zoneinfo.ZoneInfo, ws: int) -> int:
    """The first instant whose wall time in ``zone`` is ``ws`` or later (a wall time in a DST
    gap gives the transition; a repeated one its first occurrence)."""
    if _PROBE_LO <= ws <= _PROBE_HI:
        naive = _WALL_EPOCH + timedelta(seconds=ws)
        offset = naive.replace(tzinfo=zone).utcoffset()
        assert offset is not None  # noqa: S101 - a ZoneInfo always answers
        t = ws - (offset.days * DAY + offset.seconds)
        if offset_at(zone, t) == ws - t:  # t reads the wall time ws: no gap at ws
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
