"""The append-only history of a record: one :class:`Event` per change, in time order.

A :class:`History` is a persistent list: appending returns a new history that shares every
earlier event with the old one, so a transition costs O(1) and an old snapshot's history never
sees later events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Literal, overload

import attrs
import pendulum

from itsmcore.errors import ValidationError

__all__ = ["Event", "EventKind", "History"]

EventKind = Literal["created", "transition", "update", "note"]

_EMPTY: Mapping[str, tuple[object, object]] = MappingProxyType({})


@attrs.frozen(kw_only=True)
class Event:
    """One entry of a record's history.

    ``seq`` is the record's version after this event (the first event is 1). ``changes`` maps
    each field that changed to ``(old, new)``. A work note or comment is an event of kind
    ``"note"`` whose ``note`` holds the text and ``public`` says whether the caller sees it.
    """

    seq: int
    at: pendulum.DateTime
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


Node = tuple[
    int,
    pendulum.DateTime,
    str,
    str,
    str,
    str,
    "str | None",
    "str | None",
    Mapping[str, tuple[object, object]],
    "str | None",
    bool,
    "Node | None",
]
"""One cell of the persistent list: an event's fields in :class:`Event` order, then the
previous cell. One tuple per event keeps a transition cheap (a single allocation)."""


def _event(node: Node) -> Event:
    seq, at, actor, kind, source, target, transition, reason, changes, note, public, _ = node
    return Event(
        seq=seq,
        at=at,
        actor=actor,
        kind=kind,  # type: ignore[arg-type]
        source=source,
        target=target,
        transition=transition,
        reason=reason,
        changes=changes,
        note=note,
        public=public,
    )


def _node(event: Event, previous: Node | None) -> Node:
    return (
        event.seq,
        event.at,
        event.actor,
        event.kind,
        event.source,
        event.target,
        event.transition,
        event.reason,
        event.changes,
        event.note,
        event.public,
        previous,
    )


class History:
    """An immutable, persistent sequence of :class:`Event`, oldest first.

    ``len(history)``, ``history.last`` and appending are O(1); iterating is O(n). Two
    histories are equal when they hold equal events in the same order (so, like a list,
    a history is not hashable). Events are stored compactly in a linked list shared with
    earlier snapshots and built as :class:`Event` when read.
    """

    __slots__ = ("_cache", "_node")

    _node: Node | None
    _cache: tuple[Event, ...] | None

    def __init__(self) -> None:
        self._node = None
        self._cache = ()

    @classmethod
    def _of_node(cls, node: Node | None) -> History:
        history = _new(cls)
        history._node = node
        history._cache = None if node is not None else ()
        return history

    def append(self, event: Event) -> History:
        """Return a new history with ``event`` added at the end (this one is unchanged)."""
        if event.seq != len(self) + 1:
            raise ValidationError(
                f"event seq {event.seq} does not follow a history of {len(self)} events; "
                f"pass seq={len(self) + 1}"
            )
        return History._of_node(_node(event, self._node))

    @property
    def last(self) -> Event | None:
        """The newest event (``None`` for an empty history)."""
        node = self._node
        return None if node is None else _event(node)

    def __len__(self) -> int:
        node = self._node
        return 0 if node is None else node[0]

    def events(self) -> tuple[Event, ...]:
        """All events, oldest first (built once per history object, then cached)."""
        cache = self._cache
        if cache is not None:
            return cache
        newest_first: list[Event] = []
        node = self._node
        while node is not None:
            newest_first.append(_event(node))
            node = node[11]
        newest_first.reverse()
        result = tuple(newest_first)
        self._cache = result
        return result

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def __reversed__(self) -> Iterator[Event]:
        node = self._node
        while node is not None:
            yield _event(node)
            node = node[11]

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, int) and -8 <= index < 0 and self._cache is None:
            node = self._node  # the newest few: walk back instead of building all events
            for _ in range(-index - 1):
                node = None if node is None else node[11]
            if node is None:
                raise IndexError("history index out of range")
            return _event(node)
        return self.events()[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self._node is other._node or (
            len(self) == len(other) and self.events() == other.events()
        )

    __hash__ = None  # type: ignore[assignment]  # equal by content, so not hashable

    def __repr__(self) -> str:
        return f"History({len(self)} events)"

    # A history is immutable, so a copy is the history itself; pickling stores the events
    # as a flat tuple (never the linked cells, whose nesting depth is the history's length).
    def __copy__(self) -> History:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> History:
        return self

    def __reduce__(self) -> tuple[object, tuple[tuple[_Row, ...]]]:
        return (_from_rows, (tuple(_row(event) for event in self.events()),))

    @classmethod
    def of(cls, events: tuple[Event, ...] | list[Event]) -> History:
        """A history holding ``events`` (in the given order)."""
        history = cls()
        for event in events:
            history = history.append(event)
        return history


_new = object.__new__

_Row = tuple[
    int,
    pendulum.DateTime,
    str,
    EventKind,
    str,
    str,
    "str | None",
    "str | None",
    dict[str, tuple[object, object]],
    "str | None",
    bool,
]
"""An event as plain picklable values (``changes`` as a dict)."""


def _row(e: Event) -> _Row:
    return (
        e.seq, e.at, e.actor, e.kind, e.source, e.target,
        e.transition, e.reason, dict(e.changes), e.note, e.public,
    )  # fmt: skip


def _from_rows(rows: tuple[_Row, ...]) -> History:
    history = History()
    for seq, at, actor, kind, source, target, transition, reason, changes, note, public in rows:
        event = Event(
            seq=seq, at=at, actor=actor, kind=kind, source=source, target=target,
            transition=transition, reason=reason, changes=MappingProxyType(changes),
            note=note, public=public,
        )  # fmt: skip
        history = history.append(event)
    return history
