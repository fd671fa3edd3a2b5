"""The SLA clock machine: folds a ticket's events into one clock per slot.

Everything here works in integer microseconds since the epoch (instants) and of business time
(durations), and a clock keeps the ruler *positions* (see :mod:`itsmcore.sla._ruler`) of the
instants it started, resumed or paused at, so measuring it later is a subtraction;
:mod:`itsmcore.sla.evaluation` converts at the boundary. What each slot does after an event
comes from the set's :class:`~itsmcore.sla._decisions.Decider` (one lookup for all slots). A
:class:`Clock` is mutable only while :func:`fold` works on a private copy; a published state is
never changed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, cast

from itsmcore._time import to_utc
from itsmcore.errors import ValidationError
from itsmcore.sla._decisions import Decision
from itsmcore.sla._ruler import Ruler
from itsmcore.sla.definition import _Rules
from itsmcore.sla.selection import SlaSet
from itsmcore.workflow import Event

__all__: list[str] = []

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
_sub = datetime.__sub__


def micros(value: object, name: str) -> int:
    """Microseconds since the epoch of an aware datetime (anything else: a clear error)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            return _sub(value, EPOCH) // ONE_US
        except TypeError:  # an offset-less tzinfo: let to_utc explain
            pass
    to_utc(value, name=name)  # raises the library's error for a naive or non-datetime value
    return _sub(to_utc(value, name=name), EPOCH) // ONE_US  # pragma: no cover


def instant(us: int) -> datetime:
    """The instant ``us`` as an aware UTC datetime."""
    return EPOCH + us * ONE_US


class Fired(NamedTuple):
    """A threshold crossing, in microseconds (see :class:`itsmcore.sla.Crossing`)."""

    at: int
    slot: int
    name: str
    percent: int
    cycle: int
    reached: int


class Clock:
    """One cycle of one slot's clock. Active while ``stage`` is ``None``; then exactly one
    of ``run_from`` (running) and ``pause_from`` (paused) is set, with its position."""

    __slots__ = (
        "acc",
        "breached_at",
        "cycle",
        "due",
        "end",
        "fired",
        "past",
        "pause_from",
        "pause_pos",
        "paused_acc",
        "public",
        "rules",
        "run_from",
        "run_pos",
        "runs",
        "stage",
        "start",
        "status",
        "summary",
        "target",
    )

    rules: _Rules
    target: int  # business microseconds
    cycle: int  # 1 for the first cycle of the slot
    start: int
    acc: int  # business time of the closed runs
    paused_acc: int  # business time of the closed pauses
    runs: tuple[tuple[int, int], ...]  # the closed runs (for a retroactive change)
    run_from: int | None
    run_pos: int  # the position of run_from on the rules' ruler (while running)
    pause_from: int | None
    pause_pos: int  # the position of pause_from (while paused)
    due: int | None  # the breach instant of the running clock (or, once closed, at its end)
    fired: frozenset[int]  # percentages already crossed in this cycle
    stage: str | None  # None while active; then "achieved", "breached" or "cancelled"
    end: int | None
    breached_at: int | None  # when elapsed reached the target
    # the public values derived from the clock, built once by itsmcore.sla.evaluation (a
    # published clock never changes): the parts of its status that do not move with the
    # instant, its completed cycles, its status once stopped and its own cycle summary
    public: tuple[object, ...] | None
    past: tuple[object, ...] | None
    status: object | None
    summary: object | None

    def copy(self) -> Clock:
        clock = _new_clock(Clock)
        for name in Clock.__slots__:
            setattr(clock, name, getattr(self, name))
        clock.public = clock.past = clock.status = clock.summary = None
        return clock


_new_clock = object.__new__
_NOTHING: frozenset[int] = frozenset()


def _fired(values: tuple[int, int, str, int, int, int]) -> Fired:
    return tuple.__new__(Fired, values)  # the fields in order, without NamedTuple's checks


def attach(rules: _Rules, target: int, t: int, cycle: int, paused: bool) -> Clock:
    """A new clock started at ``t`` (paused at once when ``paused``)."""
    clock = _new_clock(Clock)
    clock.rules, clock.target, clock.cycle, clock.start = rules, target, cycle, t
    clock.acc = clock.paused_acc = clock.run_pos = clock.pause_pos = 0
    clock.runs = ()
    clock.fired = _NOTHING
    clock.stage = clock.end = clock.breached_at = None
    clock.public = clock.past = clock.status = clock.summary = None
    measure = rules.ruler
    at = measure.position(t)
    if paused:
        clock.run_from, clock.pause_from, clock.pause_pos, clock.due = None, t, at, None
    else:
        clock.run_from, clock.run_pos, clock.pause_from = t, at, None
        clock.due = measure.reach(t, at, target)
    return clock


def close_run(clock: Clock, t: int, slot: int, out: list[Fired]) -> None:
    """End the running period at ``t``: add its business time, record the thresholds crossed."""
    start, start_pos = cast(int, clock.run_from), clock.run_pos
    measure = clock.rules.ruler
    before, after = clock.acc, clock.acc + measure.position(t) - start_pos
    fired = clock.fired
    crossed: list[int] | None = None
    for percent, amount in clock.rules.amounts(clock.target):
        if amount > after:
            break
        if percent not in fired:
            reached = measure.reach(start, start_pos, amount - before)
            out.append(_fired((reached, slot, clock.rules.name, percent, clock.cycle, reached)))
            crossed = [percent] if crossed is None else [*crossed, percent]
            if percent == 100:
                clock.breached_at = reached
        elif percent == 100 and clock.breached_at is None:
            # the breach already fired for a lower target, before a retroactive change moved
            # it: it crosses once per cycle, but the clock is breached again now
            clock.breached_at = measure.reach(start, start_pos, amount - before)
    if crossed:
        clock.fired = fired.union(crossed)
    clock.acc = after
    if t > start:
        clock.runs = (*clock.runs, (start, t))
    clock.run_from = clock.due = None


def pause(clock: Clock, t: int, slot: int, out: list[Fired]) -> None:
    close_run(clock, t, slot, out)
    clock.pause_from, clock.pause_pos = t, clock.rules.ruler.position(t)


def resume(clock: Clock, t: int) -> None:
    at = clock.rules.ruler.position(t)
    clock.paused_acc += at - clock.pause_pos
    clock.pause_from = None
    clock.run_from, clock.run_pos = t, at
    clock.due = _due(clock, t, at)


def _due(clock: Clock, t: int, at: int) -> int | None:
    """The breach instant if the clock runs from ``t`` (at position ``at``) on (the past one
    if already reached)."""
    if clock.acc < clock.target:
        return clock.rules.ruler.reach(t, at, clock.target - clock.acc)
    return clock.breached_at


def close(clock: Clock, t: int, stage: str, slot: int, out: list[Fired]) -> None:
    """Complete (``stage`` "achieved"/"breached" is decided here) or cancel the clock."""
    if clock.run_from is not None:
        due = clock.due
        close_run(clock, t, slot, out)
    else:
        clock.paused_acc += clock.rules.ruler.position(t) - clock.pause_pos
        clock.pause_from = None
        due = None
    if due is None:  # where the deadline stood when the clock stopped
        due = _due(clock, t, clock.rules.ruler.position(t))
    clock.due = due
    if stage != "cancelled":
        stage = "breached" if clock.acc >= clock.target else "achieved"
    clock.stage, clock.end = stage, t


def rebase(clock: Clock, rules: _Rules, target: int, t: int, slot: int, out: list[Fired]) -> None:
    """Retroactive change at ``t``: the same start and pauses, a new target (and maybe a new
    definition and calendar). Thresholds the new target has already passed fire at ``t``."""
    running = clock.run_from is not None
    if running:
        close_run(clock, t, slot, out)
    measure = rules.ruler
    acc = sum(measure.between(a, b) for a, b in clock.runs)
    until = t if running else cast(int, clock.pause_from)
    clock.rules, clock.target, clock.acc = rules, target, acc
    clock.paused_acc = measure.between(clock.start, until) - acc
    clock.breached_at = None
    fired = clock.fired
    for percent, amount in rules.amounts(target):
        if amount <= acc:
            reached = _reach(measure, clock.runs, amount)
            if percent == 100:
                clock.breached_at = reached
            if percent not in fired:
                out.append(_fired((t, slot, rules.name, percent, clock.cycle, reached)))
                fired = fired | {percent}
    clock.fired = fired
    if running:
        at = measure.position(t)
        clock.run_from, clock.run_pos = t, at
        clock.due = _due(clock, t, at)
    else:  # the pause's position on the (maybe new) calendar
        clock.pause_pos = measure.position(until)


def _reach(measure: Ruler, runs: tuple[tuple[int, int], ...], amount: int) -> int:
    """The instant at which the runs have gathered ``amount`` (> 0) of business time."""
    gathered = 0
    for a, b in runs:
        gained = measure.between(a, b)
        if gathered + gained >= amount:
            return measure.add(a, amount - gathered)
        gathered += gained
    raise AssertionError("amount beyond the runs")  # pragma: no cover


class Track:
    """What the engine knows after a ticket's events (never changed once built)."""

    __slots__ = (
        "clocks",
        "cycles",
        "fields",
        "fired",
        "last",
        "slas",
        "state",
        "ticket_type",
        "values",
        "version",
    )

    slas: SlaSet
    version: int
    last: int  # the instant of the newest event (microseconds)
    state: str
    fields: dict[str, object]  # the fields the set's decisions read (never changed once built)
    values: tuple[object, ...]  # their part of the decisions' lookup key
    ticket_type: str | None
    clocks: tuple[Clock | None, ...]  # per slot: the latest cycle's clock
    cycles: tuple[tuple[Clock, ...], ...]  # per slot: the completed cycles, oldest first
    fired: tuple[Fired, ...]  # crossings fixed by the events, in the order they were found


def empty(slas: SlaSet, ticket_type: str | None) -> Track:
    """The track before any event (one per set and ticket type: a track never changes)."""
    kept = slas._decider.empty
    track = kept.get(ticket_type)
    if track is None:
        track = object.__new__(Track)
        track.slas, track.version, track.last, track.state = slas, 0, 0, ""
        track.fields, track.ticket_type = {}, ticket_type
        track.values = slas._decider.values(track.fields)
        count = len(slas._slots)
        track.clocks = (None,) * count
        track.cycles = ((),) * count
        track.fired = ()
        if len(kept) < 64:
            kept[ticket_type] = track
    return cast(Track, track)


def fold(track: Track, events: Sequence[Event]) -> Track:
    """The track after ``events`` (which must continue it: seq from ``version + 1``)."""
    if not events:
        return track
    version, last = track.version, track.last
    state = track.state
    fields = dict(track.fields)
    values = track.values
    # closed clocks never change again; the active ones are copied before the events move them
    clocks = [c if c is None or c.stage is not None else c.copy() for c in track.clocks]
    cycles = list(track.cycles)
    out: list[Fired] = []
    decider = track.slas._decider
    reads, read = decider.reads, decider.read
    kind = track.ticket_type
    for event in events:
        if type(event) is not Event:
            _check_event(event)
        version += 1
        if event.seq != version:
            raise ValidationError(
                f"event seq {event.seq!r} does not continue a history at version {version - 1}; "
                f"pass the events after it (history.since({version - 1}))"
            )
        try:
            t = _sub(event.at, EPOCH) // ONE_US
        except TypeError:  # not an aware datetime: the library's error
            t = micros(event.at, "event.at")
        if t < last and version > 1:
            raise ValidationError(
                f"event {event.seq} at {event.at!r} is earlier than the event before it; "
                "a history is in time order"
            )
        last = t
        changes = event.changes
        if changes and not read.isdisjoint(changes):
            for name in reads:
                if name in changes:
                    fields[name] = changes[name][1]
            values = decider.values(fields)
        state = event.target
        decisions = decider.decide(event, fields, values, kind)
        for index, decision in enumerate(decisions):
            clock = clocks[index]
            # the common case first: nothing happens to this slot
            if clock is None or clock.stage is not None:
                if decision is None or not decision.attaches:
                    continue
            elif (
                decision is not None
                and decision.rules is clock.rules
                and decision.target == clock.target
                and (decision.idle_running if clock.run_from is not None else decision.idle_paused)
            ):
                continue
            clocks[index] = _step(clock, decision, t, index, out, cycles)
    new = object.__new__(Track)
    new.slas, new.version, new.last, new.state = track.slas, version, last, state
    new.fields, new.values, new.ticket_type = fields, values, kind
    new.clocks = tuple(clocks)
    new.cycles = tuple(cycles)
    new.fired = track.fired + tuple(out) if out else track.fired
    return new


def _step(
    clock: Clock | None,
    decision: Decision | None,
    t: int,
    index: int,
    out: list[Fired],
    cycles: list[tuple[Clock, ...]],
) -> Clock | None:
    """One event for one slot, in ServiceNow's order; returns the slot's clock after it."""
    active = clock is not None and clock.stage is None
    if clock is not None and active:
        if decision is None:
            close(clock, t, "cancelled", index, out)
            cycles[index] += (clock,)
            return clock
        rules, target = decision.rules, decision.target
        if rules is not clock.rules or target != clock.target:
            if rules.definition.on_priority_change == "restart":
                close(clock, t, "cancelled", index, out)
                cycles[index] += (clock,)
                clock = attach(rules, target, t, clock.cycle + 1, False)
            else:
                rebase(clock, rules, target, t, index, out)
        if decision.cancel:
            close(clock, t, "cancelled", index, out)
            cycles[index] += (clock,)
        elif decision.stop:
            close(clock, t, "completed", index, out)
            cycles[index] += (clock,)
        elif decision.reset and decision.start:
            close(clock, t, "cancelled", index, out)
            cycles[index] += (clock,)
            clock = attach(rules, target, t, clock.cycle + 1, decision.pause)
        elif clock.run_from is not None:
            if decision.pause:
                pause(clock, t, index, out)
        elif not decision.pause or decision.resume:
            resume(clock, t)
        return clock
    if decision is None:
        return clock
    if decision.start and not decision.stop and not decision.cancel:
        cycle = 1 if clock is None else clock.cycle + 1
        return attach(decision.rules, decision.target, t, cycle, decision.pause)
    return clock


def _check_event(value: object) -> None:
    if not isinstance(value, Event):
        raise ValidationError(
            f"{value!r} is not a history event; allowed: itsmcore.workflow.Event values "
            "(a record's history, or history.since(version))"
        )
