"""A brute-force SLA oracle: the ServiceNow rules replayed event by event, and business time
counted minute by minute with ``calendar.is_open`` (no interval arithmetic at all).

It handles one definition per slot (what the property tests generate); instants, calendar
hours and thresholds must fall on whole minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from itsmcore.sla import SlaDefinition
from itsmcore.workflow import Event

MINUTE = timedelta(minutes=1)


@dataclass
class OracleClock:
    definition: SlaDefinition
    target: int  # minutes
    start: datetime
    cycle: int
    mode: str = "running"  # running | paused | achieved | breached | cancelled
    elapsed: int = 0
    paused: int = 0
    marks: list[datetime] = field(default_factory=list)  # the end of each counted minute
    fired: set[int] = field(default_factory=set)
    breached_at: datetime | None = None
    end: datetime | None = None

    @property
    def active(self) -> bool:
        return self.mode in ("running", "paused")


@dataclass
class OracleCrossing:
    at: datetime
    name: str
    percent: int
    cycle: int


def _minutes(d: timedelta) -> int:
    assert d % MINUTE == timedelta(0)
    return d // MINUTE


def _amount(definition: SlaDefinition, target: int, percent: int) -> int:
    total = target * 60_000_000 * percent // 100
    assert total % 60_000_000 == 0, "thresholds must fall on whole minutes"
    return total // 60_000_000


class Oracle:
    def __init__(self, definitions: Sequence[SlaDefinition]) -> None:
        self.definitions = list(definitions)
        self.clocks: list[OracleClock | None] = [None] * len(self.definitions)
        self.cycles: list[list[OracleClock]] = [[] for _ in self.definitions]
        self.crossings: list[OracleCrossing] = []

    # -- the rules, one event at a time ----------------------------------------------------
    def apply(self, event: Event, state: str, fields: dict[str, object]) -> None:
        for i, d in enumerate(self.definitions):
            args = (state, fields, event, None)

            def holds(c: object, args: tuple[object, ...] = args) -> bool:
                return bool(c.compile()(*args))  # type: ignore[attr-defined]

            clock = self.clocks[i]
            target = d.target_for(fields)
            t = event.at
            if clock is not None and clock.active:
                if target is None:
                    self._close(i, clock, t, cancelled=True)
                    continue
                minutes = _minutes(target)
                if minutes != clock.target:  # retroactive: same start and pauses
                    clock.target = minutes
                    clock.breached_at = None
                    for p in (*d.warnings, 100):
                        amount = _amount(d, minutes, p)
                        if amount <= clock.elapsed:
                            if p == 100:
                                clock.breached_at = clock.marks[amount - 1]
                            if p not in clock.fired:
                                clock.fired.add(p)
                                self.crossings.append(OracleCrossing(t, d.name, p, clock.cycle))
                if holds(d.cancel):
                    self._close(i, clock, t, cancelled=True)
                elif holds(d.stop):
                    self._close(i, clock, t, cancelled=False)
                elif holds(d.reset) and holds(d.start):
                    self._close(i, clock, t, cancelled=True)
                    self._attach(i, d, t, _minutes(target), holds(d.pause), clock.cycle + 1)
                elif clock.mode == "running":
                    if holds(d.pause):
                        clock.mode = "paused"
                elif not holds(d.pause) or holds(d.resume):
                    clock.mode = "running"
            elif (
                target is not None and holds(d.start) and not holds(d.stop) and not holds(d.cancel)
            ):
                cycle = 1 if clock is None else clock.cycle + 1
                self._attach(i, d, t, _minutes(target), holds(d.pause), cycle)

    def _attach(
        self, i: int, d: SlaDefinition, t: datetime, target: int, paused: bool, cycle: int
    ) -> None:
        self.clocks[i] = OracleClock(d, target, t, cycle, "paused" if paused else "running")

    def _close(self, i: int, clock: OracleClock, t: datetime, *, cancelled: bool) -> None:
        if cancelled:
            clock.mode = "cancelled"
        else:
            clock.mode = "breached" if clock.elapsed >= clock.target else "achieved"
        clock.end = t
        self.cycles[i].append(clock)

    # -- one minute of time -----------------------------------------------------------------
    def tick(self, minute: datetime) -> None:
        """Count the minute ``[minute, minute + 1)`` for every clock."""
        for clock in self.clocks:
            if clock is None or not clock.active:
                continue
            if not clock.definition.calendar.is_open(minute):
                continue
            if clock.mode == "paused":
                clock.paused += 1
                continue
            clock.elapsed += 1
            clock.marks.append(minute + MINUTE)
            d = clock.definition
            for p in (*d.warnings, 100):
                if _amount(d, clock.target, p) > clock.elapsed:
                    continue
                if p not in clock.fired:  # each percentage crosses once per cycle
                    clock.fired.add(p)
                    self.crossings.append(OracleCrossing(minute + MINUTE, d.name, p, clock.cycle))
                if p == 100 and clock.breached_at is None:  # (again, after a lowered target)
                    clock.breached_at = minute + MINUTE


def run(definitions: Sequence[SlaDefinition], events: Sequence[Event], until: datetime) -> Oracle:
    """Replay ``events`` and count every minute from the first event up to ``until``."""
    oracle = Oracle(definitions)
    state, fields = "", {}
    pending = list(events)
    minute = events[0].at
    while True:
        while pending and pending[0].at <= minute:
            event = pending.pop(0)
            assert event.at == minute, "events must fall on whole minutes"
            for name, (_, new) in event.changes.items():
                fields[name] = new
            state = event.target
            oracle.apply(event, state, fields)
        if minute >= until:
            return oracle
        oracle.tick(minute)
        minute += MINUTE


def due_from(
    calendar: object, start: datetime, minutes: int, limit: int = 60 * 24 * 60
) -> datetime:
    """Brute force ``add``: the end of the ``minutes``-th open minute from ``start``."""
    t, left = start, minutes
    for _ in range(limit):
        if left == 0:
            return t
        if calendar.is_open(t):  # type: ignore[attr-defined]
            left -= 1
        t += MINUTE
        if left == 0:
            return t
    raise AssertionError("no due instant within the limit")
