"""The append-only history of a record: one :class:`Event` per change, in time order.

A :class:`History` is a persistent list: appending returns a new history that shares every
earlier event with the old one, so a transition costs O(1) and an old snapshot's history never
sees later events.
"""

from __future__ import annotations

import copyreg
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Literal, overload

import attrs

from itsmcore.errors import ValidationError

__all__ = ["Event", "EventKind", "History"]

EventKind = Literal["created", "transition", "update", "note"]

_EMPTY: Mapping[str, tuple[object, object]] = MappingProxyType({})

# Read-only mappings (field values, event changes) pickle and deep-copy as the dict they
# show, rebuilt read-only.
copyreg.pickle(MappingProxyType, lambda m: (MappingProxyType, (dict(m),)))


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

Node = tuple[
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
    "Node | None",
]
"""One cell of the persistent list: an event's fields in :class:`Event` order (``changes`` as
a :data:`Diff`), then the previous cell. One tuple per event keeps a change cheap."""

_PREVIOUS = 11


def _event(node: Node) -> Event:
    seq, at, actor, kind, source, target, transition, reason, diff, note, public, _ = node
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


def _node(event: Event, previous: Node | None) -> Node:
    diff = tuple((name, old, new) for name, (old, new) in event.changes.items())
    return (
        event.seq,
        event.at,
        event.actor,
        event.kind,
        event.source,
        event.target,
        event.transition,
        event.reason,
        diff,
        event.note,
        event.public,
        previous,
    )


class History:
    """An immutable, persistent sequence of :class:`Event`, oldest first.

    ``len(history)``, ``history.last`` and appending are O(1); :meth:`since` costs what it
    returns; iterating is O(n). Two histories are equal when they hold equal events in the
    same order (so, like a list, a history is not hashable). Events are stored compactly in
    a linked list shared with earlier snapshots and built as :class:`Event` when read.
    """

    __slots__ = ("_cache", "_node")

    _node: Node | None
    _cache: tuple[Event, ...] | None

    def __init__(self, node: Node | None = None) -> None:
        self._node = node
        self._cache = None if node is not None else ()

    def append(self, event: Event) -> History:
        """Return a new history with ``event`` added at the end (this one is unchanged)."""
        if not isinstance(event, Event):
            raise ValidationError(f"a history holds Event values, got {event!r}")
        if event.seq != len(self) + 1:
            raise ValidationError(
                f"event seq {event.seq} does not follow a history of {len(self)} events; "
                f"pass seq={len(self) + 1}"
            )
        return History(_node(event, self._node))

    @property
    def last(self) -> Event | None:
        """The newest event (``None`` for an empty history)."""
        node = self._node
        return None if node is None else _event(node)

    @property
    def version(self) -> int:
        """The ``seq`` of the newest event (0 for an empty history)."""
        node = self._node
        return 0 if node is None else node[0]

    def __len__(self) -> int:
        node = self._node
        return 0 if node is None else node[0]

    def events(self) -> tuple[Event, ...]:
        """All events, oldest first (built once per history object, then cached)."""
        cache = self._cache
        if cache is not None:
            return cache
        result = self._newest(0)
        self._cache = result
        return result

    def _newest(self, version: int) -> tuple[Event, ...]:
        newest_first: list[Event] = []
        node = self._node
        while node is not None and node[0] > version:
            newest_first.append(_event(node))
            node = node[11]
        newest_first.reverse()
        return tuple(newest_first)

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
        return self._newest(version)

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
        values: dict[str, object] = {}
        for event in self.events()[:version]:
            for name, (_, new) in event.changes.items():
                if new is None:
                    values.pop(name, None)
                else:
                    values[name] = new
        return MappingProxyType(values)

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
    # as flat rows (never the linked cells, whose nesting depth is the history's length).
    def __copy__(self) -> History:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> History:
        return self

    def __reduce__(self) -> tuple[object, tuple[tuple[Node, ...]]]:
        return (_from_rows, (self._rows(),))

    def _rows(self) -> tuple[Node, ...]:
        """The cells oldest first, each with its link cut (flat, picklable)."""
        rows: list[Node] = []
        node = self._node
        while node is not None:
            rows.append((*node[:_PREVIOUS], None))  # type: ignore[arg-type]
            node = node[11]
        rows.reverse()
        return tuple(rows)

    @classmethod
    def of(cls, events: tuple[Event, ...] | list[Event]) -> History:
        """A history holding ``events`` (in the given order)."""
        history = cls()
        for event in events:
            history = history.append(event)
        return history


def _from_rows(rows: tuple[Node, ...]) -> History:
    node: Node | None = None
    for row in rows:
        node = (*row[:_PREVIOUS], node)  # type: ignore[assignment]
    return History(node)
