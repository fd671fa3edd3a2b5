"""The CMDB's store: immutable snapshots that a writer derives from each other cheaply.

A :class:`State` is one version of the whole CMDB. Readers take the current state once per
query and see that version throughout; a writer builds the next state with a
:class:`Builder` and publishes it by replacing one attribute, so a reader sees every write
entirely or not at all.

CIs are numbered by position in the order they were first added. Per-position data (the CI,
its outgoing and incoming relationships) sits in :class:`Vec`, a persistent vector of
1024-slot chunks: a write copies the chunks it touches and the list of chunks, never the
whole vector, so one change at a million CIs costs microseconds. The id -> position map and
the position -> id list only grow and are shared by every state: a state sees the first
``n`` positions, and a removed CI keeps its position (a re-added id takes it back), so no
state ever sees a position change meaning.

A relationship is stored on both ends, ``out[u][v] = inn[v][u] = packed``, in the impact
direction (provider -> consumer; inert types parent -> child). ``packed`` holds the type
code and, for a redundancy-group member's edge into its consumer, the group's number.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar, cast

from itsmcore.errors import ConfigurationError

if TYPE_CHECKING:
    from itsmcore.cmdb._index import Index
    from itsmcore.cmdb.model import CI
    from itsmcore.cmdb.redundancy import RedundancyGroup
    from itsmcore.cmdb.relationships import RelationshipTypes

__all__: list[str] = []

T = TypeVar("T")

_BITS = 10
_CHUNK = 1 << _BITS
_LOW = _CHUNK - 1

TYPE_BITS = 12
"""Bits of a packed edge that hold the type code (so at most 4096 relationship types)."""
TYPE_MASK = (1 << TYPE_BITS) - 1


def pack(type_code: int, group: int) -> int:
    """An edge's stored value: its type code and its group (``-1`` for none)."""
    return (group + 1) << TYPE_BITS | type_code


def group_of(packed: int) -> int:
    """The group number in a packed edge, ``-1`` for a direct edge."""
    return (packed >> TYPE_BITS) - 1


#: The one empty row, shared by every CI without relationships on that side (never mutated).
EMPTY: Mapping[int, int] = {}


class Vec(Generic[T]):
    """A persistent vector: reads index chunks; :class:`VecBuilder` copies what it writes."""

    __slots__ = ("_chunks", "_len")

    def __init__(self, chunks: list[list[T]] | None = None, length: int = 0) -> None:
        self._chunks: list[list[T]] = chunks if chunks is not None else []
        self._len = length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i: int) -> T:
        return self._chunks[i >> _BITS][i & _LOW]

    def __iter__(self) -> Iterator[T]:
        left = self._len
        for chunk in self._chunks:
            if left <= 0:
                return
            yield from chunk[:left] if left < len(chunk) else chunk
            left -= len(chunk)

    def builder(self) -> VecBuilder[T]:
        """A writer's copy: shares every chunk until it writes into it."""
        return VecBuilder(self)


class VecBuilder(Generic[T]):
    """Writes into private copies of the chunks it touches; :meth:`freeze` makes a Vec."""

    __slots__ = ("_chunks", "_len", "_owned")

    def __init__(self, vec: Vec[T]) -> None:
        self._chunks = list(vec._chunks)
        self._len = len(vec)
        self._owned: set[int] = set()

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i: int) -> T:
        return self._chunks[i >> _BITS][i & _LOW]

    def __setitem__(self, i: int, value: T) -> None:
        c = i >> _BITS
        if c not in self._owned:
            self._chunks[c] = list(self._chunks[c])
            self._owned.add(c)
        self._chunks[c][i & _LOW] = value

    def append(self, value: T) -> None:
        c = self._len >> _BITS
        if c == len(self._chunks):
            self._chunks.append([])
            self._owned.add(c)
        elif c not in self._owned:
            self._chunks[c] = list(self._chunks[c])
            self._owned.add(c)
        self._chunks[c].append(value)
        self._len += 1

    def extend(self, values: Sequence[T]) -> None:
        """Append many values (filling the last chunk, then whole new chunks)."""
        k = 0
        while k < len(values):
            c = self._len >> _BITS
            if c == len(self._chunks):
                self._chunks.append([])
                self._owned.add(c)
            elif c not in self._owned:
                self._chunks[c] = list(self._chunks[c])
                self._owned.add(c)
            room = _CHUNK - (self._len & _LOW)
            part = values[k : k + room]
            self._chunks[c].extend(part)
            self._len += len(part)
            k += len(part)

    def freeze(self) -> Vec[T]:
        return Vec(self._chunks, self._len)


class Seed(NamedTuple):
    """An earlier state's index and what changed since: rows (positions) and group numbers."""

    base: Index
    rows: frozenset[int]
    groups: frozenset[int]


class State:
    """One immutable version of a CMDB (see the module docstring)."""

    __slots__ = (
        "_index",
        "_index_lock",
        "alive",
        "cis",
        "codes",
        "count",
        "edges",
        "groups",
        "ids",
        "inn",
        "moves",
        "n",
        "names",
        "out",
        "pos",
        "scratch",
        "seed",
        "service_classes",
        "types",
        "view_cache",
    )

    def __init__(
        self,
        *,
        types: RelationshipTypes,
        service_classes: frozenset[str],
        ids: list[str],
        pos: dict[str, int],
        cis: Vec[CI | None],
        alive: bytearray,
        count: int,
        out: Vec[Mapping[int, int]],
        inn: Vec[Mapping[int, int]],
        edges: int,
        groups: Vec[RedundancyGroup | None],
        scratch: threading.Lock,
        seed: Seed | None,
    ) -> None:
        self.types = types
        self.names: tuple[str, ...] = tuple(t.name for t in types)
        self.codes: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        if len(self.names) > TYPE_MASK:
            raise ConfigurationError(
                f"{len(self.names)} relationship types; allowed: at most {TYPE_MASK}"
            )
        from itsmcore.cmdb.relationships import Propagation

        self.moves: tuple[bool, ...] = tuple(t.propagation is not Propagation.NONE for t in types)
        self.service_classes = service_classes
        self.ids = ids
        self.pos = pos
        self.n = len(cis)
        self.cis = cis
        #: per position, 1 while a CI is there
        self.alive = alive
        self.count = count
        self.out = out
        self.inn = inn
        self.edges = edges
        self.groups = groups
        #: serialises the index's scratch buffers, shared by every state of one CMDB
        self.scratch = scratch
        #: an earlier state's index and the rows changed since: the next index patches it
        self.seed = seed
        self._index: Index | None = None
        self._index_lock = threading.Lock()
        self.view_cache: object | None = None

    def position(self, ci_id: object) -> int | None:
        """The position of a CI in this state, or ``None`` when it is not there."""
        if not isinstance(ci_id, str):
            return None
        i = self.pos.get(ci_id)
        if i is None or i >= self.n or not self.alive[i]:
            return None
        return i

    def index(self) -> Index:
        """The compact index of this state, patched from the seed or built on first use."""
        index = self._index
        if index is None:
            with self._index_lock:
                index = self._index
                if index is None:
                    from itsmcore.cmdb._index import Index

                    seed, self.seed = self.seed, None
                    if seed is None:
                        index = Index.build(self)
                    elif not (seed.rows or seed.groups) and seed.base.n == self.n:
                        index = seed.base  # nothing the index holds has changed
                    else:
                        index = seed.base.patched(self, seed.rows, seed.groups)
                    self._index = index
        return index

    def built_index(self) -> Index | None:
        """The index if it has been built (a writer seeds the next state with it)."""
        return self._index


class Builder:
    """A writer's working copy of a state: change it, then :meth:`publish` the next state.

    Rows copied in this batch are owned and changed in place; every other row is copied on
    its first change, so the state being read never changes.
    """

    __slots__ = (
        "_cleared",
        "_dirty_groups",
        "_new",
        "alive",
        "base",
        "cis",
        "count",
        "edges",
        "groups",
        "in_rows",
        "inn",
        "out",
        "out_rows",
        "service_classes",
        "types",
    )

    def __init__(self, base: State) -> None:
        self.base = base
        self.types = base.types
        self.service_classes = base.service_classes
        self.cis = base.cis.builder()
        self.out = base.out.builder()
        self.inn = base.inn.builder()
        self.groups = base.groups.builder()
        self.count = base.count
        self.edges = base.edges
        self.alive = bytearray(base.alive)
        self.out_rows: dict[int, dict[int, int]] = {}  # rows this batch copied (and changed)
        self.in_rows: dict[int, dict[int, int]] = {}
        self._cleared: set[int] = set()
        self._dirty_groups: set[int] = set()
        self._new: list[CI] = []

    def changed_group(self, gid: int) -> None:
        """Note that group ``gid`` was added or removed (the index patches its tables)."""
        self._dirty_groups.add(gid)

    def out_row(self, u: int) -> dict[int, int]:
        """Row ``u``'s outgoing edges, writable (marks ``u`` changed for the index)."""
        row = self.out_rows.get(u)
        if row is None:
            row = self.out_rows[u] = dict(self.out[u])
            self.out[u] = row
        return row

    def in_row(self, v: int) -> dict[int, int]:
        """Row ``v``'s incoming edges, writable."""
        row = self.in_rows.get(v)
        if row is None:
            row = self.in_rows[v] = dict(self.inn[v])
            self.inn[v] = row
        return row

    def drop(self, i: int) -> CI:
        """Remove the CI at position ``i`` and every relationship in its own rows."""
        ci = cast("CI", self.cis[i])
        self._cleared.add(i)
        self.out_rows.pop(i, None)
        self.in_rows.pop(i, None)
        self.out[i] = EMPTY
        self.inn[i] = EMPTY
        self.cis[i] = None
        self.alive[i] = 0
        self.count -= 1
        return ci

    def new_position(self, ci: CI) -> None:
        """Place a CI: at its old position if its id was here before, else at the end.

        New positions are queued; :meth:`place_new` (called by :meth:`publish`) fills them.
        """
        base = self.base
        i = base.pos.get(ci.id)
        if i is not None and i < len(self.alive):
            self.cis[i] = ci  # a removed id coming back takes its old position
        else:
            i = len(self.alive)
            if i == len(base.ids):
                base.ids.append(ci.id)
            else:  # a position an earlier, failed batch took but never published: reuse it
                stale = base.ids[i]
                if base.pos.get(stale) == i:
                    del base.pos[stale]
                base.ids[i] = ci.id
            base.pos[ci.id] = i
            self._new.append(ci)
            self.alive.append(1)
            self.count += 1
            return
        self.alive[i] = 1
        self.count += 1

    def place_new(self) -> None:
        """Append the queued new CIs and their (empty) rows."""
        new, self._new = self._new, []
        if new:
            self.cis.extend(new)
            empty: list[Mapping[int, int]] = [EMPTY] * len(new)
            self.out.extend(empty)
            self.inn.extend(empty)

    def position(self, ci_id: object) -> int | None:
        """The position of a CI in the working copy, or ``None``."""
        if not isinstance(ci_id, str):
            return None
        i = self.base.pos.get(ci_id)
        if i is None or i >= len(self.alive) or not self.alive[i]:
            return None
        return i

    def publish(self, *, changed_index: bool = True) -> State:
        """The next state (``changed_index=False``: the old index still describes it)."""
        self.place_new()
        base = self.base
        seed: Seed | None = None
        built = base.built_index()
        rows = frozenset(self.out_rows.keys() | self._cleared) if changed_index else frozenset()
        groups = frozenset(self._dirty_groups) if changed_index else frozenset()
        if built is not None:
            seed = Seed(built, rows, groups)
        elif base.seed is not None:
            seed = Seed(base.seed.base, base.seed.rows | rows, base.seed.groups | groups)
        if seed is not None and len(seed.rows) > max(64, len(self.cis) // 16):
            seed = None  # a bulk change: building afresh is cheaper than patching
        return State(
            types=self.types,
            service_classes=self.service_classes,
            ids=base.ids,
            pos=base.pos,
            cis=self.cis.freeze(),
            alive=self.alive,
            count=self.count,
            out=self.out.freeze(),
            inn=self.inn.freeze(),
            edges=self.edges,
            groups=self.groups.freeze(),
            scratch=base.scratch,
            seed=seed,
        )
