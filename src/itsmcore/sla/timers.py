"""Timers, not polling: when the next warning or breach happens, and which happened in a window.

:func:`next_timer` gives the next threshold instant of an evaluation, so an application can
schedule one job per ticket. :func:`crossings` lists the thresholds crossed in a window
``(since, until]``; called every minute with adjacent windows, it reports each warning and
each breach exactly once, at the first call at or after its instant, whatever the spacing.

A crossing's instant is when elapsed business time reached the threshold; when a retroactive
change (a priority raised) puts a clock past thresholds at once, they cross at that change.
Each percentage is crossed at most once per cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple, cast

from itsmcore.errors import ValidationError
from itsmcore.sla._engine import Fired, instant, micros
from itsmcore.sla.evaluation import Evaluation

__all__ = ["Crossing", "crossings", "next_timer"]


class Crossing(NamedTuple):
    """A warning threshold (``percent`` < 100) or the breach (100) of an agreement's cycle."""

    at: datetime
    name: str
    percent: int
    cycle: int
    reached: datetime

    @property
    def is_breach(self) -> bool:
        """Whether this is the breach (100 %)."""
        return self.percent == 100


def _pending(evaluation: Evaluation) -> Iterator[Fired]:
    """The thresholds the running clocks will cross if nothing else happens, in order."""
    track = evaluation._track
    for slot, clock in enumerate(track.clocks):
        if clock is None or clock.stage is not None or clock.run_from is None:
            continue
        start, acc = clock.run_from, clock.acc
        measure = clock.rules.ruler
        name = clock.rules.definition.name
        for percent, amount in clock.rules.amounts(clock.target):
            if percent in clock.fired:
                continue
            if percent == 100:
                reached = cast(int, clock.due)
            else:
                reached = measure.reach(start, clock.run_pos, amount - acc)
            yield Fired(reached, slot, name, percent, clock.cycle, reached)


def _public(fired: Fired) -> Crossing:
    return Crossing(
        at=instant(fired.at),
        name=fired.name,
        percent=fired.percent,
        cycle=fired.cycle,
        reached=instant(fired.reached),
    )


def _key(fired: Fired) -> tuple[int, int, int, int]:
    return (fired.at, fired.slot, fired.cycle, fired.percent)


def crossings(evaluation: Evaluation, since: datetime, until: datetime) -> tuple[Crossing, ...]:
    """The thresholds crossed in ``(since, until]``, in time order.

    Crossings known from the events read are exact; later ones assume nothing else happens
    (evaluate again when new events arrive). Windows that meet partition the crossings of
    their union.
    """
    if not isinstance(evaluation, Evaluation):
        raise ValidationError(f"crossings() needs an Evaluation, got {evaluation!r}")
    return _crossings(evaluation, *_window(since, until))


def _window(since: datetime, until: datetime) -> tuple[int, int]:
    """The window ``(since, until]`` in microseconds, checked."""
    lo, hi = micros(since, "since"), micros(until, "until")
    if hi < lo:
        raise ValidationError(
            f"'until' {until!r} is before 'since' {since!r}; a window runs forward in time"
        )
    return lo, hi


def _crossings(evaluation: Evaluation, lo: int, hi: int) -> tuple[Crossing, ...]:
    """:func:`crossings` in microseconds, checked (a board asks for every ticket)."""
    found = [f for f in evaluation._track.fired if lo < f.at <= hi]
    found.extend(f for f in _pending(evaluation) if lo < f.at <= hi)
    if not found:
        return ()
    found.sort(key=_key)
    return tuple(_public(f) for f in found)


def next_timer(evaluation: Evaluation, after: datetime | None = None) -> Crossing | None:
    """The first crossing strictly after ``after`` (default: the evaluation's instant), if
    the clocks run on undisturbed; ``None`` when no clock is running."""
    if not isinstance(evaluation, Evaluation):
        raise ValidationError(f"next_timer() needs an Evaluation, got {evaluation!r}")
    lo = evaluation._at if after is None else micros(after, "after")
    later = [f for f in evaluation._track.fired if f.at > lo]
    later.extend(f for f in _pending(evaluation) if f.at > lo)
    return _public(min(later, key=_key)) if later else None
