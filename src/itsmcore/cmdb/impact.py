"""Impact analysis: which CIs a set of failing CIs takes down or degrades.

Semantics (see ``docs/cmdb.md``):

* Failures travel along propagating edges, provider -> consumer; excluded CIs neither fail nor
  pass a failure on; only the relationship types asked for are followed.
* Every CI reachable from a source is affected; it is ``DOWN`` when the least fixpoint of the
  rules below says so, else ``DEGRADED``. A direct provider that is down (degraded) makes its
  consumer down (degraded); a redundancy group is down when fewer than ``min_up`` members are
  up, degraded when any member is affected. Degraded never turns into down further on.
* ``depth`` is the BFS hop count from the nearest source; ``max_depth`` analyses only the CIs
  within that many hops (those further out count as up). ``path`` is a shortest path back to a
  source, ties broken by the smallest CI id, so it does not depend on insertion order.

Two engines compute the same result: pure Python over the compact index, and numpy (with
scipy's compiled BFS when nothing is excluded or filtered by type: one BFS over every edge
for the depths, then rounds of BFS over direct edges for the redundancy fixpoint, each round
walking only CIs not yet down) when the ``fast`` extra is installed.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence, Set
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from itsmcore.cmdb import _index
from itsmcore.cmdb._index import out_edges
from itsmcore.cmdb._store import TYPE_MASK
from itsmcore.cmdb.model import ImpactState
from itsmcore.errors import ConfigurationError, NotFoundError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from itsmcore.cmdb._index import Index
    from itsmcore.cmdb._store import State

__all__ = ["Engine", "ImpactResult", "ImpactedCI"]

Engine = Literal["auto", "python", "numpy"]


@attrs.frozen
class ImpactedCI:
    """One affected CI: its state and its BFS distance from the nearest source."""

    ci_id: str
    state: ImpactState
    depth: int


def _np() -> Any:
    import numpy

    return numpy


class CISet(Set[str]):
    """A read-only set of CI ids backed by the analysis' own arrays (nothing is copied).

    Membership, ``len`` and iteration cost what a set's do; set operators (``|``, ``&``,
    ``-``, comparisons) work with any set and return a ``frozenset``.
    """

    __slots__ = ("_ids", "_len", "_mask", "_n", "_pos")

    def __init__(self, state: State, mask: Any, count: int) -> None:
        self._ids = state.ids
        self._pos = state.pos
        self._n = state.n
        self._mask = mask
        self._len = count

    @classmethod
    def _from_iterable(cls, it: Iterable[str]) -> frozenset[str]:  # type: ignore[override]
        return frozenset(it)

    def __contains__(self, ci_id: object) -> bool:
        if not isinstance(ci_id, str):
            return False
        i = self._pos.get(ci_id)
        return i is not None and i < self._n and bool(self._mask[i])

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[str]:
        if isinstance(self._mask, bytearray):
            return map(self._ids.__getitem__, itertools.compress(range(self._n), self._mask))
        return map(self._ids.__getitem__, _np().flatnonzero(self._mask).tolist())

    def __repr__(self) -> str:
        shown = sorted(itertools.islice(self, 6))
        more = ", ..." if self._len > 6 else ""
        return f"CISet({{{', '.join(map(repr, shown[:5]))}{more}}}, {self._len} CIs)"

    __hash__ = Set._hash


class ImpactResult:
    """The affected CIs of one analysis; read lazily from its arrays, so big results stay cheap.

    Iterating yields CI ids ordered by (depth, id). ``truncated`` is true when ``max_nodes``
    cut the report: then it holds the ``max_nodes`` CIs nearest to the sources (ties by id)
    out of ``total``, with the states of the full analysis. :attr:`down`, :attr:`degraded`
    and :attr:`cis` are :class:`CISet` views: taking them copies nothing.
    """

    __slots__ = (
        "_cache",
        "_dist",
        "_down",
        "_index",
        "_kept",
        "_state",
        "_type_ok",
        "sources",
        "total",
        "truncated",
    )

    def __init__(
        self,
        *,
        state: State,
        index: Index,
        dist: Sequence[int] | npt.NDArray[np.int32],
        down: bytearray | npt.NDArray[np.bool_],
        sources: frozenset[str],
        max_nodes: int | None,
        type_ok: list[bool] | None,
    ) -> None:
        self._state = state
        self._index = index
        self._dist = dist
        self._down = down
        self._type_ok = type_ok
        self._cache: dict[str, Any] = {}
        self.sources = sources
        self._kept: Any = None  # the reported positions' mask when truncated
        vectorised = not isinstance(dist, list)
        if vectorised:
            reached = _np().asarray(dist) >= 0
            self.total = int(_np().count_nonzero(reached))
        else:
            reached = bytearray(d >= 0 for d in dist)
            self.total = reached.count(1)
        self._cache["reached"] = reached
        self.truncated = max_nodes is not None and self.total > max_nodes
        if self.truncated and max_nodes is not None:
            kept = self._ordered()[:max_nodes]
            self._cache["ordered"] = kept
            if vectorised:
                mask = _np().zeros(state.n, dtype=bool)
                mask[kept] = True
            else:
                mask = bytearray(state.n)
                for i in kept:
                    mask[i] = 1
            self._kept = mask
            self._cache["reached"] = mask

    def _ordered(self) -> Any:
        """The reported positions ordered by (depth, id)."""
        cached = self._cache.get("ordered")
        if cached is not None:
            return cached
        dist = self._dist
        if isinstance(dist, list):
            ids = self._state.ids
            chosen = [i for i, d in enumerate(dist) if d >= 0]
            found: Any = sorted(chosen, key=lambda i: (dist[i], ids[i]))
        else:
            numpy = _np()
            order = self._index.id_order()
            chosen = order[self._cache["reached"][order]]  # the reported CIs, by id
            depth = dist[chosen]
            if depth.size and depth.max() < 2**15:
                depth = depth.astype(numpy.int16)  # a stable sort of small ints is a radix sort
            found = chosen[numpy.argsort(depth, kind="stable")]
        self._cache["ordered"] = found
        return found

    def _ordered_list(self) -> list[int]:
        found = self._cache.get("ordered_list")
        if found is None:
            ordered = self._ordered()
            found = ordered if isinstance(ordered, list) else ordered.tolist()
            self._cache["ordered_list"] = found
        return cast(list[int], found)

    def _position(self, ci_id: object) -> int | None:
        i = self._state.position(ci_id)
        if i is None or not self._cache["reached"][i]:
            return None
        return i

    def _require(self, ci_id: str) -> int:
        i = self._position(ci_id)
        if i is None:
            raise NotFoundError(
                f"CI {ci_id!r} is not in this impact result ({len(self)} affected CIs)"
            )
        return i

    def __len__(self) -> int:
        return self.total if self._kept is None else len(self._ordered())

    def __contains__(self, ci_id: object) -> bool:
        return self._position(ci_id) is not None

    def __iter__(self) -> Iterator[str]:
        return map(self._state.ids.__getitem__, self._ordered_list())

    def __repr__(self) -> str:
        return (
            f"<ImpactResult {len(self)} affected ({len(self.down)} down, "
            f"{len(self.degraded)} degraded){' truncated' if self.truncated else ''}>"
        )

    def state(self, ci_id: str) -> ImpactState:
        """``DOWN`` or ``DEGRADED``; ``UP`` for a CI that is not affected."""
        i = self._position(ci_id)
        if i is None:
            return ImpactState.UP
        return ImpactState.DOWN if self._down[i] else ImpactState.DEGRADED

    def depth(self, ci_id: str) -> int:
        """BFS hops from the nearest source (0 for a source)."""
        return int(self._dist[self._require(ci_id)])

    def path(self, ci_id: str) -> tuple[str, ...]:
        """A shortest path ``(source, ..., ci_id)`` along propagating edges."""
        i = self._require(ci_id)
        state = self._state
        moves, type_ok, ids, dist = state.moves, self._type_ok, state.ids, self._dist
        chain = [i]
        level = int(dist[i])
        while level > 0:
            v = chain[-1]
            best: int | None = None
            for u, packed in state.inn[v].items():
                code = packed & TYPE_MASK
                if dist[u] != level - 1 or not moves[code]:
                    continue
                if type_ok is not None and not type_ok[code]:
                    continue
                if best is None or ids[u] < ids[best]:
                    best = u
            if best is None:  # pragma: no cover - dist guarantees a predecessor
                raise ConfigurationError(f"no predecessor found for {ids[v]!r}; index is stale")
            chain.append(best)
            level -= 1
        return tuple(ids[u] for u in reversed(chain))

    def items(self) -> Iterator[ImpactedCI]:
        """Every affected CI with its state and depth, ordered by (depth, id)."""
        ids, down, dist = self._state.ids, self._down, self._dist
        for i in self._ordered_list():
            state = ImpactState.DOWN if down[i] else ImpactState.DEGRADED
            yield ImpactedCI(ids[i], state, int(dist[i]))

    def _set(self, which: str) -> CISet:
        found = self._cache.get(which)
        if found is None:
            reached, down = self._cache["reached"], cast(Any, self._down)
            if isinstance(reached, bytearray):
                mask = bytearray(
                    r and (d if which == "down" else not d if which == "degraded" else 1)
                    for r, d in zip(reached, down, strict=True)
                )
                count = mask.count(1)
            else:
                numpy = _np()
                if which == "down":
                    mask = reached & down
                elif which == "degraded":
                    mask = reached & ~down
                else:
                    mask = reached
                count = int(numpy.count_nonzero(mask))
            found = self._cache[which] = CISet(self._state, mask, count)
        return cast(CISet, found)

    @property
    def cis(self) -> CISet:
        """Every affected CI id."""
        return self._set("cis")

    @property
    def down(self) -> CISet:
        """The affected CIs that are down."""
        return self._set("down")

    @property
    def degraded(self) -> CISet:
        """The affected CIs that are degraded (still up, with less redundancy or capacity)."""
        return self._set("degraded")

    def states(self) -> dict[str, ImpactState]:
        """``{ci_id: state}`` for every affected CI."""
        return {item.ci_id: item.state for item in self.items()}


def run(
    index: Index,
    *,
    sources: Sequence[int],
    down_sources: Sequence[int],
    excluded: set[int],
    type_ok: list[bool] | None,
    max_depth: int | None,
    engine: Engine,
) -> tuple[list[int] | npt.NDArray[Any], bytearray | npt.NDArray[Any]]:
    """Compute (dist, down) over the whole index with the chosen engine."""
    if engine == "numpy" and not index.vectorised:
        raise ConfigurationError(
            "engine='numpy' needs numpy (install itsmcore[fast]); allowed: 'auto', 'python'"
        )
    if engine == "python" or not index.vectorised:
        return _run_python(index, sources, down_sources, excluded, type_ok, max_depth)
    return _run_numpy(index, sources, down_sources, excluded, type_ok, max_depth)


def _run_python(
    index: Index,
    sources: Sequence[int],
    down_sources: Sequence[int],
    excluded: set[int],
    type_ok: list[bool] | None,
    max_depth: int | None,
) -> tuple[list[int], bytearray]:
    n = index.n
    indptr, indices, etype, egroup = index.lists()
    dist = [-1] * n
    for x in excluded:
        dist[x] = -2  # never entered; reset to -1 below
    frontier: list[int] = []
    for s in sources:
        if dist[s] == -1:
            dist[s] = 0
            frontier.append(s)
    level = 0
    while frontier and (max_depth is None or level < max_depth):
        level += 1
        nxt: list[int] = []
        push = nxt.append
        if type_ok is None:
            for u in frontier:
                for v in indices[indptr[u] : indptr[u + 1]]:
                    if dist[v] == -1:
                        dist[v] = level
                        push(v)
        else:
            for u in frontier:
                a, b = indptr[u], indptr[u + 1]
                for v, t in zip(indices[a:b], etype[a:b], strict=True):
                    if dist[v] == -1 and type_ok[t]:
                        dist[v] = level
                        push(v)
        frontier = nxt
    for x in excluded:
        dist[x] = -1
    down = bytearray(n)
    queue: list[int] = []
    for s in down_sources:
        if dist[s] == 0 and not down[s]:
            down[s] = 1
            queue.append(s)
    tolerance = index.tolerance_list()
    hits = [0] * len(tolerance)
    for u in queue:  # the queue grows while we walk it; each CI enters once
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if down[v] or dist[v] < 0 or (type_ok is not None and not type_ok[etype[e]]):
                continue
            g = egroup[e]
            if g >= 0:
                hits[g] += 1
                if hits[g] <= tolerance[g]:
                    continue
            down[v] = 1
            queue.append(v)
    return dist, down


def _run_numpy(
    index: Index,
    sources: Sequence[int],
    down_sources: Sequence[int],
    excluded: set[int],
    type_ok: list[bool] | None,
    max_depth: int | None,
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    import numpy

    n = index.n
    node_ok = None
    if excluded:
        node_ok = numpy.ones(n, dtype=bool)
        node_ok[numpy.fromiter(excluded, dtype=numpy.int64)] = False
    edge_ok = None
    if type_ok is not None and not all(type_ok):
        edge_ok = numpy.asarray(type_ok, dtype=bool)[index.etype]
    src = numpy.unique(numpy.asarray(list(sources), dtype=numpy.int64))
    if node_ok is not None:
        src = src[node_ok[src]]
    unfiltered = node_ok is None and edge_ok is None and _index.HAVE_SCIPY
    seeds = numpy.unique(numpy.asarray(list(down_sources), dtype=numpy.int64))
    if unfiltered and src.size:
        with index.scratch:  # the scipy helpers write into buffers shared by queries
            dist = _scipy_levels(index, src, n)
            if max_depth is None:
                return dist, _down_rounds(index, seeds[dist[seeds] == 0] if seeds.size else seeds)
        dist[dist > max_depth] = -1
    else:
        dist = _frontier_bfs(index, src, n, node_ok, edge_ok, max_depth)
    seeds = seeds[dist[seeds] == 0] if seeds.size else seeds
    down = numpy.zeros(n, dtype=bool)
    down[seeds] = True
    hits = numpy.zeros(len(index.g_tolerance), dtype=numpy.int64)
    return dist, _down_frontier(index, seeds, dist, edge_ok, down, hits)


def _down_rounds(index: Index, seeds: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Down set by rounds of compiled BFS over direct edges, each entering only new CIs.

    A round takes down what the new seeds reach over direct edges, and must not walk again
    what earlier rounds took down: this query's copy of the twin CSR's row pointers closes
    them (one write per CI). Only the group edges of the CIs a round took down are counted,
    and the consumers of the groups that fell in that round seed the next one.
    """
    import numpy

    n = index.n
    down = numpy.zeros(n, dtype=bool)
    hits = numpy.zeros(len(index.g_tolerance), dtype=numpy.int64)
    tolerance, consumer_of = index.g_tolerance, index.g_consumer
    twin: npt.NDArray[Any] | None = None  # this query's copy of the twin row pointers
    for _ in range(n + 1):  # each round takes at least one more CI down
        if not seeds.size:
            break
        if twin is None:
            twin = index.twin().copy()
        new = index.twin_reach(twin, seeds, down)
        down[new] = True
        was_up = hits <= tolerance
        hits += index.group_hits(new)
        consumers = consumer_of[was_up & (hits > tolerance)]  # the groups that fell now
        seeds = numpy.unique(consumers[~down[consumers]]).astype(numpy.int64)
        if seeds.size:
            index.close(twin, new)
    return down


def _down_frontier(
    index: Index,
    seeds: npt.NDArray[Any],
    dist: npt.NDArray[Any] | None,
    edge_ok: npt.NDArray[Any] | None,
    down: npt.NDArray[Any],
    hits: npt.NDArray[Any],
) -> npt.NDArray[Any]:
    """Down set by a level-synchronous frontier that counts group hits as it goes.

    ``down`` already holds ``seeds``; ``hits`` counts, per group, the down members already
    accounted for. ``dist`` (``None``: everything reached counts) limits the analysis.
    Duplicates are dropped with a "last writer" stamp instead of sorting.
    """
    import numpy

    n = len(down)
    stamp = numpy.empty(n, dtype=numpy.int64)
    gstamp = numpy.empty(len(hits), dtype=numpy.int64)
    tolerance, consumer_of = index.g_tolerance, index.g_consumer
    frontier = seeds
    for _ in range(n + 1):  # each level marks at least one new CI down
        if not frontier.size:
            break
        eids = out_edges(index.indptr, frontier)
        if edge_ok is not None:
            eids = eids[edge_ok[eids]]
        t = index.indices[eids]
        keep = ~down[t]
        if dist is not None:
            keep &= dist[t] >= 0
        eids, t = eids[keep], t[keep]
        g = index.egroup[eids]
        direct = g < 0
        new = t[direct]
        grouped = g[~direct]
        if grouped.size:
            numpy.add.at(hits, grouped, 1)
            ar = numpy.arange(grouped.size)
            gstamp[grouped] = ar
            touched = grouped[gstamp[grouped] == ar]
            fallen = touched[hits[touched] > tolerance[touched]]
            if fallen.size:
                new = numpy.concatenate([new, consumer_of[fallen]])
        new = new[~down[new]]
        ar = numpy.arange(new.size)
        stamp[new] = ar
        new = new[stamp[new] == ar]
        down[new] = True
        frontier = new
    return down


def _scipy_levels(index: Index, seeds: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """BFS distances from ``seeds`` via scipy (through a virtual source node ``n``).

    scipy returns the visit order and each CI's BFS parent. Parents appear in visit order,
    so a level ends where the first CI whose parent is not yet placed starts: a binary search
    per level finds it, and each CI is written once.
    """
    import numpy

    order, pred = index.bfs(seeds)
    dist = numpy.full(n + 1, -1, dtype=numpy.int32)
    dist[n] = -2  # the virtual source counts as placed
    size = order.size

    def unplaced_parent(p: int) -> bool:
        return bool(dist[pred[order[p]]] == -1)

    start, end = 1, 1 + seeds.size  # level 0: the seeds, right after the virtual source
    for level in range(size):  # each level places at least one CI
        if start >= end:
            break
        dist[order[start:end]] = level
        start, end = end, bisect.bisect_left(range(end, size), True, key=unplaced_parent) + end
    return dist[:n]


def _frontier_bfs(
    index: Index,
    src: npt.NDArray[Any],
    n: int,
    node_ok: npt.NDArray[Any] | None,
    edge_ok: npt.NDArray[Any] | None,
    max_depth: int | None,
) -> npt.NDArray[Any]:
    import numpy

    dist = numpy.full(n, -1, dtype=numpy.int32)
    dist[src] = 0
    frontier = src
    level = 0
    while frontier.size and (max_depth is None or level < max_depth):
        level += 1
        eids = out_edges(index.indptr, frontier)
        if edge_ok is not None:
            eids = eids[edge_ok[eids]]
        t = index.indices[eids]
        t = t[dist[t] < 0]
        if node_ok is not None:
            t = t[node_ok[t]]
        if t.size * 32 < n:
            t = numpy.unique(t)
            dist[t] = level
        else:
            dist[t] = level
            t = numpy.flatnonzero(dist == level)
        frontier = t
    return dist
