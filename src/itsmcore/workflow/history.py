"""The append-only history of a record: one :class:`Event` per change, in time order.

A :class:`History` is a persistent list: appending returns a new history that shares every
earlier event with the old one, so a transition costs O(1) and an old snapshot's history never
sees later events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Literal, overload

import attrs

from itsmcore.errors import ValidationError

__all__ = ["Event", "EventKind", "History"]

EventKind = Literal["created", "transition", "update", "note"]

_EMPTY: Mapping[str, tuple[object, object]] = MappingProxyType({})


@attrs.frozen(kw_only=True)
class Event:
    """One entry of a record's history.

    ``seq`` is the record's version after this event (the first event is 1). ``changes`` maps
    each field that changed to ``(old, new)``. A work note or comment is an event of kind
    ``"note"`` whose ``note`` holds the text and ``public`` says whether the caller sees it;
    a transition's comment is its ``note`` too (``public`` then). ``at`` is a UTC instant.
    """

    seq: int
    at: datetime
    actor: str
    kind: EventKind
    source: str
    target: str
    transition: str | None = None
    reason: str | None = None
    changes: Mapping[str, tuple[object, object]] = _EMPTY
    note: str | None = None
    public: bool = False

    def changed(self, name: str) -> bool:
        """Whether this event changed the field ``name``."""
        return name in self.changes


Diff = tuple[tuple[str, object, object], ...]
"""The changes of one event as ``(field, old, new)`` triples: compact, and immutable."""

Row = tuple[
    int,
    datetime,
    str,
    str,
    str,
    str,
    "str | None",
    "str | None",
    Diff,
    "str | None",
    bool,
]
"""One event as a flat tuple, in :class:`Event` field order (``changes`` as a :data:`Diff`).

Rows hold only immutable values and no links, so the garbage collector stops tracking them
and a long history costs it nothing."""


def _event(row: Row) -> Event:
    seq, at, actor, kind, source, target, transition, reason, diff, note, public = row
    return Event(
        seq=seq,
        at=at,
        actor=actor,
        kind=kind,  # type: ignore[arg-type]
        source=source,
        target=target,
        transition=transition,
        reason=reason,
        changes=MappingProxyType({n: (o, v) for n, o, v in diff}) if diff else _EMPTY,
        note=note,
        public=public,
    )


def _row(event: Event) -> Row:
    diff = tuple((name, old, new) for name, (old, new) in event.changes.items())
    return (
        event.seq, event.at, event.actor, event.kind, event.source, event.target,
        event.transition, event.reason, diff, event.note, event.public,
    )  # fmt: skip


class History:
    """An immutable, persistent sequence of :class:`Event`, oldest first.

    Snapshots of one record share a single append-only list of rows, each history seeing its
    first ``len(history)`` rows: appending to the newest history is O(1) (a history made from
    an older snapshot copies the rows it shares), reading the last events or :meth:`since` a
    version costs what it returns, and iterating is O(n). Two histories are equal when they
    hold equal events in the same order (so, like a list, a history is not hashable).
    """

    __slots__ = ("_events", "_length", "_rows")

    _rows: list[Row]
    _length: int
    _events: tuple[Event, ...] | None

    def __init__(self) -> None:
        self._rows = []
        self._length = 0
        self._events = ()

    @classmethod
    def _of(cls, rows: list[Row], length: int) -> History:
        history = object.__new__(cls)
        history._rows = rows
        history._length = length
        history._events = None
        return history

    def _then(self, row: Row) -> History:
        """This history with ``row`` appended (sharing the rows when this is the newest)."""
        rows, length = self._rows, self._length
        if len(rows) == length:
            rows.append(row)
            if rows[length] is row:  # nobody appended to the shared rows first
                return History._of(rows, length + 1)
        fork = rows[:length]
        fork.append(row)
        return History._of(fork, length + 1)

    def append(self, event: Event) -> History:
        """Return a new history with ``event`` added at the end (this one is unchanged)."""
        if not isinstance(event, Event):
            raise ValidationError(f"a history holds Event values, got {event!r}")
        if event.seq != len(self) + 1:
            raise ValidationError(
                f"event seq {event.seq} does not follow a history of {len(self)} events; "
                f"pass seq={len(self) + 1}"
            )
        return self._then(_row(event))

    @property
    def last(self) -> Event | None:
        """The newest event (``None`` for an empty history)."""
        length = self._length
        return _event(self._rows[length - 1]) if length else None

    @property
    def version(self) -> int:
        """The ``seq`` of the newest event (0 for an empty history)."""
        return self._length

    @property
    def state(self) -> str | None:
        """The state the newest event leaves the record in (``None`` when empty)."""
        length = self._length
        return self._rows[length - 1][5] if length else None

    def __len__(self) -> int:
        return self._length

    def events(self) -> tuple[Event, ...]:
        """All events, oldest first (built once per history, then kept)."""
        events = self._events
        if events is None:
            events = self._events = self._between(0, self._length)
        return events

    def _between(self, start: int, stop: int) -> tuple[Event, ...]:
        rows = self._rows
        return tuple(_event(rows[i]) for i in range(start, stop))

    def since(self, version: int) -> tuple[Event, ...]:
        """The events after ``version`` (``seq > version``), oldest first.

        Costs O(number of events returned), whatever the length of the history: what an SLA
        clock or an outbox reads after each change.
        """
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise ValidationError(
                f"'version' must be a whole number >= 0, got {version!r}; "
                f"this history has versions 0..{len(self)}"
            )
        return self._between(min(version, self._length), self._length)

    def fields_at(self, version: int) -> Mapping[str, object]:
        """The field values the record held after event ``version`` (1..len), read-only."""
        if (
            isinstance(version, bool)
            or not isinstance(version, int)
            or not (1 <= version <= len(self))
        ):
            raise ValidationError(
                f"'version' must be a whole number in 1..{len(self)}, got {version!r}"
            )
        return MappingProxyType(_fold(self._rows, version))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def __reversed__(self) -> Iterator[Event]:
        rows = self._rows
        for i in range(self._length - 1, -1, -1):
            yield _event(rows[i])

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return tuple(_event(self._rows[i]) for i in range(*index.indices(self._length)))
        length = self._length
        if not -length <= index < length:
            raise IndexError("history index out of range")
        return _event(self._rows[index % length])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        length = self._length
        if length != other._length:
            return False
        if self._rows is other._rows:
            return True
        mine, theirs = self._rows, other._rows
        return all(mine[i] == theirs[i] for i in range(length))

    __hash__ = None  # type: ignore[assignment]  # equal by content, so not hashable

    def __repr__(self) -> str:
        return f"History({len(self)} events)"

    # A history is immutable, so a copy is the history itself; pickling stores its rows.
    def __copy__(self) -> History:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> History:
        return self

    def __reduce__(self) -> tuple[object, tuple[tuple[Row, ...]]]:
        return (_from_rows, (self._rows_tuple(),))

    def _rows_tuple(self) -> tuple[Row, ...]:
        return tuple(self._rows[: self._length])

    @classmethod
    def of(cls, events: tuple[Event, ...] | list[Event]) -> History:
        """A history holding ``events`` (in the given order)."""
        history = cls()
        for event in events:
            history = history.append(event)
        return history


def _fold(rows: list[Row], length: int) -> dict[str, object]:
    """The field values after the first ``length`` rows (unset fields absent)."""
    values: dict[str, object] = {}
    for i in range(length):
        for name, _, new in rows[i][8]:
            if new is None:
                values.pop(name, None)
            else:
                values[name] = new
    return values


def _from_rows(rows: tuple[Row, ...]) -> History:
    return History._of(list(rows), len(rows))
