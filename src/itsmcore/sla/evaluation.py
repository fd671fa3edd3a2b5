"""Evaluating SLAs: a pure function of the definitions, a ticket's history and an instant.

:func:`evaluate` reads the events oldest first and answers, for every agreement measuring the
ticket, its :class:`SlaStatus` at the instant: stage, elapsed business time, paused time,
remaining, due instant, percentage, breach instant and the completed cycles. The
:class:`Evaluation` it returns can be carried forward: ``evaluation.advance(new_events, at)``
equals evaluating the longer history from scratch, at a cost proportional to the new events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal, NamedTuple, TypeAlias, cast

from itsmcore.errors import UnknownValueError, ValidationError, allowed_list
from itsmcore.sla import _engine
from itsmcore.sla._engine import Clock, Track, instant, micros
from itsmcore.sla.definition import AgreementType, SlaDefinition, SlaKind
from itsmcore.sla.selection import SlaSet
from itsmcore.workflow import Event, History, Record

__all__ = ["Cycle", "Evaluation", "SlaStatus", "Stage", "evaluate"]

Stage: TypeAlias = Literal["in_progress", "paused", "achieved", "breached", "cancelled"]

_ONE_US = timedelta(microseconds=1)
_ZERO = timedelta(0)


class Cycle(NamedTuple):
    """One completed cycle of an agreement on a ticket (reopening starts another)."""

    name: str
    cycle: int
    stage: Stage
    start: datetime
    end: datetime
    target: timedelta
    elapsed: timedelta
    paused_time: timedelta
    due: datetime | None
    breached_at: datetime | None


class SlaStatus(NamedTuple):
    """Where one agreement stands on a ticket at an instant.

    ``stage`` is ``in_progress`` or ``paused`` while the clock runs or waits, ``breached``
    once elapsed has reached the target (running, paused or stopped), ``achieved`` when it
    stopped in time and ``cancelled`` when it was cancelled. ``elapsed`` and ``paused_time``
    are business time on the definition's calendar; ``remaining`` is never negative; ``due``
    is when the target is (or was) reached if the clock runs on - it moves with pauses.
    ``cycles`` holds the completed cycles of this agreement's slot, oldest first.
    """

    name: str
    kind: SlaKind
    type: AgreementType
    stage: Stage
    cycle: int
    start: datetime
    target: timedelta
    elapsed: timedelta
    paused_time: timedelta
    remaining: timedelta
    due: datetime | None
    percentage: float
    breached_at: datetime | None
    end: datetime | None
    cycles: tuple[Cycle, ...]

    @property
    def active(self) -> bool:
        """Whether the clock is still attached (not stopped or cancelled)."""
        return self.end is None


def _public(clock: Clock) -> tuple[object, ...]:
    """The parts of a clock's status that do not move with the instant (built once)."""
    found = clock.public
    if found is None:
        definition = clock.rules.definition
        found = clock.public = (
            definition.name,
            definition.kind,
            definition.type,
            clock.cycle,
            instant(clock.start),
            clock.rules.duration(clock.target),
            None if clock.due is None else instant(clock.due),
            None if clock.breached_at is None else instant(clock.breached_at),
        )
    return found


def _cycle(clock: Clock) -> Cycle:
    """A completed clock as a :class:`Cycle` (built once)."""
    found = clock.summary
    if found is None:
        name, _, _, cycle, start, target, due, breached_at = _public(clock)
        found = clock.summary = Cycle(
            name=cast(str, name),
            cycle=cast(int, cycle),
            stage=cast(Stage, clock.stage),
            start=cast(datetime, start),
            end=instant(cast(int, clock.end)),
            target=cast(timedelta, target),
            elapsed=clock.acc * _ONE_US,
            paused_time=clock.paused_acc * _ONE_US,
            due=cast(datetime | None, due),
            breached_at=cast(datetime | None, breached_at),
        )
    return cast(Cycle, found)


def _past(clock: Clock, cycles: tuple[Clock, ...]) -> tuple[Cycle, ...]:
    """The completed cycles of the slot whose latest clock is ``clock`` (built once)."""
    if not cycles:
        return ()
    found = clock.past
    if found is None:
        found = clock.past = tuple(_cycle(c) for c in cycles)
    return cast(tuple[Cycle, ...], found)


_new_status = tuple.__new__


def _measure(clock: Clock, cycles: tuple[Clock, ...], at: int) -> SlaStatus:
    name, kind, type_, cycle, start, target_time, due, breached_at = _public(clock)
    target = clock.target
    end: datetime | None = None
    if clock.stage is not None:
        stage = clock.stage
        elapsed, paused = clock.acc, clock.paused_acc
        end = instant(cast(int, clock.end))
    elif clock.run_from is not None:
        elapsed = clock.acc + clock.rules.ruler.position(at) - clock.run_pos
        paused = clock.paused_acc
        if elapsed >= target:
            stage, breached_at = "breached", due
        else:
            stage = "in_progress"
    else:
        measure = clock.rules.ruler
        now = measure.position(at)
        elapsed = clock.acc
        paused = clock.paused_acc + now - clock.pause_pos
        if elapsed >= target:
            stage = "breached"
        else:
            stage, due = "paused", instant(measure.reach(at, now, target - elapsed))
    return _new_status(
        SlaStatus,
        (
            name,
            kind,
            type_,
            stage,
            cycle,
            start,
            target_time,
            elapsed * _ONE_US,
            paused * _ONE_US if paused else _ZERO,
            (target - elapsed) * _ONE_US if elapsed < target else _ZERO,
            due,
            100.0 * elapsed / target,
            breached_at,
            end,
            _past(clock, cycles),
        ),
    )


class Evaluation:
    """The SLAs of one ticket at one instant, and what is needed to carry them forward.

    Immutable. ``statuses`` has one :class:`SlaStatus` per agreement measuring the ticket (in
    the order of the set's slots); :meth:`advance` evaluates later with new events.
    """

    __slots__ = ("_at", "_statuses", "_track")

    _track: Track
    _at: int
    _statuses: tuple[SlaStatus, ...] | None

    def __init__(self, track: Track, at: int) -> None:
        self._track, self._at, self._statuses = track, at, None

    @property
    def slas(self) -> SlaSet:
        """The definitions evaluated."""
        return self._track.slas

    @property
    def at(self) -> datetime:
        """The instant of the evaluation (UTC)."""
        return instant(self._at)

    @property
    def version(self) -> int:
        """How many events were read: pass ``history.since(version)`` to :meth:`advance`."""
        return self._track.version

    @property
    def statuses(self) -> tuple[SlaStatus, ...]:
        """One status per agreement measuring the ticket (computed once, on first use)."""
        found = self._statuses
        if found is None:
            track, at = self._track, self._at
            out: list[SlaStatus] = []
            for clock, cycles in zip(track.clocks, track.cycles, strict=True):
                if clock is None:
                    continue
                if clock.stage is None:  # attached: it moves with the instant
                    out.append(_measure(clock, cycles, at))
                else:  # stopped or cancelled: the same at every later instant
                    if clock.status is None:
                        clock.status = _measure(clock, cycles, at)
                    out.append(cast(SlaStatus, clock.status))
            found = self._statuses = tuple(out)
        return found

    def status(self, name: str) -> SlaStatus:
        """The status of the agreement called ``name`` (or of a slot's kind, e.g.
        ``"resolution"``, when a single agreement of that kind measures the ticket)."""
        statuses = self.statuses
        for status in statuses:
            if status.name == name:
                return status
        of_kind = [s for s in statuses if s.kind == name]
        if len(of_kind) == 1:
            return of_kind[0]
        raise UnknownValueError(
            f"no SLA {name!r} measures this ticket; measuring: "
            f"{allowed_list(s.name for s in statuses)}"
        )

    def advance(self, events: Iterable[Event], at: datetime) -> Evaluation:
        """The evaluation at ``at`` after the new ``events`` (``history.since(self.version)``);
        equal to evaluating the whole history from scratch."""
        track = _engine.fold(self._track, _sequence(events))
        return Evaluation(track, _instant(at, track))

    def _moved(self, events: Sequence[Event], t: int, at: datetime) -> Evaluation:
        """:meth:`advance` for a batch: ``t`` is ``at`` in microseconds, already checked."""
        track = _engine.fold(self._track, events) if events else self._track
        return Evaluation(track, _not_before(track, t, at))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return (self.slas, self._at, self.version, self.statuses) == (
            other.slas,
            other._at,
            other.version,
            other.statuses,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = ", ".join(f"{s.name}: {s.stage}" for s in self.statuses)
        return f"<Evaluation at {self.at.isoformat()} v{self.version} {parts or 'no SLA'}>"


def _sequence(events: object) -> Sequence[Event]:
    if isinstance(events, History):
        return events.events()
    if isinstance(events, tuple | list):
        return events
    if isinstance(events, Event | str | bytes):
        raise ValidationError(f"events must be a sequence of Event, got {events!r}")
    if isinstance(events, Iterable):
        return tuple(events)
    raise ValidationError(
        f"events {events!r} is not a history; allowed: a History, a Record or a list of Event"
    )


def _instant(at: object, track: Track) -> int:
    return _not_before(track, micros(at, "at"), at)


def _not_before(track: Track, t: int, at: object) -> int:
    """``t`` (the instant ``at``), unless it is before the track's newest event."""
    if track.version and t < track.last:
        raise ValidationError(
            f"'at' {at!r} is before the newest event read ({instant(track.last).isoformat()}); "
            "evaluate at or after it (pass history[:k] to look at the past)"
        )
    return t


def _slas(value: object) -> SlaSet:
    if isinstance(value, SlaSet):
        return value
    if isinstance(value, SlaDefinition) or (
        isinstance(value, Iterable) and not isinstance(value, str | bytes)
    ):
        return SlaSet(value)
    raise ValidationError(f"slas {value!r} is not an SlaSet, an SlaDefinition or a list of them")


def evaluate(
    slas: SlaSet | SlaDefinition | Iterable[SlaDefinition],
    history: Record | History | Iterable[Event],
    at: datetime,
    *,
    ticket_type: str | None = None,
) -> Evaluation:
    """Every agreement of ``slas`` on the ticket whose ``history`` is given, at ``at``.

    ``history`` is a :class:`~itsmcore.workflow.Record` (its history and workflow name), a
    :class:`~itsmcore.workflow.History` or the events themselves, oldest first from version
    1. ``ticket_type`` (what :class:`~itsmcore.sla.TicketTypeIn` reads) defaults to a
    record's workflow name. ``at`` must not be before the newest event.
    """
    chosen = _slas(slas)
    if isinstance(history, Record):
        if ticket_type is None:
            ticket_type = history.workflow.name
        history = history.history
    _check_ticket_type(ticket_type)
    track = _engine.fold(_engine.empty(chosen, ticket_type), _sequence(history))
    return Evaluation(track, _instant(at, track))


def _check_ticket_type(ticket_type: object) -> None:
    if ticket_type is not None and (not isinstance(ticket_type, str) or not ticket_type.strip()):
        raise ValidationError(f"ticket_type must be non-blank text or None, got {ticket_type!r}")


def _evaluate_record(slas: SlaSet, record: Record, t: int, at: datetime) -> Evaluation:
    """:func:`evaluate` for a batch: ``slas`` and ``t`` (``at`` in microseconds) checked."""
    ticket_type = record.workflow.name
    _check_ticket_type(ticket_type)
    track = _engine.fold(_engine.empty(slas, ticket_type), record.history.events())
    return Evaluation(track, _not_before(track, t, at))
