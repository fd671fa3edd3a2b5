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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from itsmcore.cmdb import _index
from itsmcore.cmdb.model import ImpactState
from itsmcore.errors import ConfigurationError, NotFoundError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from itsmcore.cmdb._index import Index

__all__ = ["Engine", "ImpactResult", "ImpactedCI"]

Engine = Literal["auto", "python", "numpy"]


@attrs.frozen
class ImpactedCI:
    """One affected CI: its state and its BFS distance from the nearest source."""

    ci_id: str
    state: ImpactState
    depth: int


class ImpactResult:
    """The affected CIs of one analysis; built lazily from arrays, so big results stay cheap.

    Iterating yields CI ids ordered by (depth, id). ``truncated`` is true when ``max_nodes``
    cut the report: then it holds the ``max_nodes`` CIs nearest to the sources (ties by id)
    out of ``total``, with the states of the full analysis.
    """

    __slots__ = (
        "_cache",
        "_dist",
        "_down",
        "_index",
        "_kept",
        "_type_ok",
        "sources",
        "total",
        "truncated",
    )

    def __init__(
        self,
        *,
        index: Index,
        dist: Sequence[int] | npt.NDArray[np.int32],
        down: Sequence[int] | npt.NDArray[np.bool_],
        sources: frozenset[str],
        max_nodes: int | None,
        type_ok: list[bool] | None,
    ) -> None:
        self._index = index
        self._dist = dist
        self._down = down
        self._type_ok = type_ok
        self._cache: dict[str, object] = {}
        self.sources = sources
        self._kept: frozenset[int] | None = None
        if _index.HAVE_NUMPY and not isinstance(dist, list):
            import numpy

            self.total = int(numpy.count_nonzero(numpy.asarray(dist) >= 0))
        else:
            self.total = len(dist) - list(dist).count(-1)
        self.truncated = max_nodes is not None and self.total > max_nodes
        if self.truncated and max_nodes is not None:
            self._kept = frozenset(self._nearest(max_nodes))

    def _nearest(self, limit: int) -> list[int]:
        ids = self._index.ids
        by_level: dict[int, list[int]] = {}
        for i in self._impacted_indices():
            by_level.setdefault(int(self._dist[i]), []).append(i)
        kept: list[int] = []
        for level in sorted(by_level):
            nodes = sorted(by_level[level], key=ids.__getitem__)
            kept.extend(nodes[: limit - len(kept)])
            if len(kept) >= limit:
                break
        return kept

    def _impacted_indices(self) -> list[int]:
        if _index.HAVE_NUMPY and not isinstance(self._dist, list):
            import numpy

            found: list[int] = numpy.flatnonzero(numpy.asarray(self._dist) >= 0).tolist()
            return found
        return [i for i, d in enumerate(self._dist) if d >= 0]

    def _indices(self) -> list[int]:
        cached = self._cache.get("indices")
        if cached is None:
            ids = self._index.ids
            dist = self._dist
            chosen = self._impacted_indices() if self._kept is None else list(self._kept)
            cached = sorted(chosen, key=lambda i: (int(dist[i]), ids[i]))
            self._cache["indices"] = cached
        return cached  # type: ignore[return-value]

    def _position(self, ci_id: str) -> int | None:
        i = self._index.pos.get(ci_id)
        if i is None or self._dist[i] < 0:
            return None
        if self._kept is not None and i not in self._kept:
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
        return self.total if self._kept is None else len(self._kept)

    def __contains__(self, ci_id: object) -> bool:
        return isinstance(ci_id, str) and self._position(ci_id) is not None

    def __iter__(self) -> Iterator[str]:
        ids = self._index.ids
        return (ids[i] for i in self._indices())

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
        rindptr, rsrc, reid = self._index.reverse()
        etype = self._index.etype
        ids = self._index.ids
        dist = self._dist
        type_ok = self._type_ok
        chain = [i]
        level = int(dist[i])
        while level > 0:
            v = chain[-1]
            best: int | None = None
            for k in range(rindptr[v], rindptr[v + 1]):
                u = rsrc[k]
                if dist[u] != level - 1:
                    continue
                if type_ok is not None and not type_ok[etype[reid[k]]]:
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
        ids = self._index.ids
        for i in self._indices():
            state = ImpactState.DOWN if self._down[i] else ImpactState.DEGRADED
            yield ImpactedCI(ids[i], state, int(self._dist[i]))

    def _split(self) -> tuple[frozenset[str], frozenset[str]]:
        cached = self._cache.get("split")
        if cached is None:
            ids = self._index.ids
            down = self._down
            indices = self._indices()
            cached = (
                frozenset(ids[i] for i in indices if down[i]),
                frozenset(ids[i] for i in indices if not down[i]),
            )
            self._cache["split"] = cached
        return cached  # type: ignore[return-value]

    @property
    def cis(self) -> frozenset[str]:
        """Every affected CI id."""
        down, degraded = self._split()
        return down | degraded

    @property
    def down(self) -> frozenset[str]:
        """The affected CIs that are down."""
        return self._split()[0]

    @property
    def degraded(self) -> frozenset[str]:
        """The affected CIs that are degraded (still up, with less redundancy or capacity)."""
        return self._split()[1]

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
) -> tuple[Sequence[int] | npt.NDArray[Any], Sequence[int] | npt.NDArray[Any]]:
    """Compute (dist, down) over the whole index with the chosen engine."""
    if engine == "numpy" and not _index.HAVE_NUMPY:
        raise ConfigurationError(
            "engine='numpy' needs numpy (install itsmcore[fast]); allowed: 'auto', 'python'"
        )
    if engine == "python" or not _index.HAVE_NUMPY:
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
    indptr, indices, etype, egroup = index.indptr, index.indices, index.etype, index.egroup
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
    hits = [0] * len(index.g_tolerance)
    tolerance = index.g_tolerance
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


def _out_edges(indptr: npt.NDArray[Any], frontier: npt.NDArray[Any]) -> npt.NDArray[Any]:
    import numpy

    starts = indptr[frontier]
    lens = indptr[frontier + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return numpy.empty(0, dtype=numpy.int64)
    offsets = numpy.cumsum(lens) - lens
    result: npt.NDArray[Any] = numpy.repeat(starts - offsets, lens) + numpy.arange(
        total, dtype=numpy.int64
    )
    return result


def _run_numpy(
    index: Index,
    sources: Sequence[int],
    down_sources: Sequence[int],
    excluded: set[int],
    type_ok: list[bool] | None,
    max_depth: int | None,
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    import numpy

    arr = index.arrays()
    n = index.n
    node_ok = None
    if excluded:
        node_ok = numpy.ones(n, dtype=bool)
        node_ok[numpy.fromiter(excluded, dtype=numpy.int64)] = False
    edge_ok = None
    if type_ok is not None and not all(type_ok):
        edge_ok = numpy.asarray(type_ok, dtype=bool)[arr.etype]
    src = numpy.unique(numpy.asarray(list(sources), dtype=numpy.int64))
    if node_ok is not None:
        src = src[node_ok[src]]
    unfiltered = node_ok is None and edge_ok is None and _index.HAVE_SCIPY
    seeds = numpy.unique(numpy.asarray(list(down_sources), dtype=numpy.int64))
    if unfiltered and src.size:
        with arr.lock:  # the scipy helpers write into buffers shared by queries
            dist = _scipy_levels(arr, src, n)
            if max_depth is None:
                return dist, _down_rounds(arr, seeds[dist[seeds] == 0] if seeds.size else seeds)
        dist[dist > max_depth] = -1
    else:
        dist = _frontier_bfs(arr, src, n, node_ok, edge_ok, max_depth)
    seeds = seeds[dist[seeds] == 0] if seeds.size else seeds
    down = numpy.zeros(n, dtype=bool)
    down[seeds] = True
    hits = numpy.zeros(len(arr.g_tolerance), dtype=numpy.int64)
    return dist, _down_frontier(arr, seeds, dist, edge_ok, down, hits)


def _down_rounds(arr: _index.Arrays, seeds: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Down set by rounds of compiled BFS over direct edges, each entering only new CIs.

    A round takes down what the new seeds reach over direct edges, and must not walk again
    what earlier rounds took down. While few CIs are down, their incoming direct edges are
    blocked in the shared graph (undone at the end); once many are, the rounds switch to a
    per-query copy of the twin CSR, where closing a CI is one write. Only the group edges of
    the CIs a round took down are counted, and the consumers of the groups that fell in that
    round seed the next one.
    """
    import numpy

    n = arr.n
    down = numpy.zeros(n, dtype=bool)
    ngroups = len(arr.g_tolerance)
    hits = numpy.zeros(ngroups, dtype=numpy.int64)
    tolerance, consumer_of = arr.g_tolerance, arr.g_consumer
    twin: npt.NDArray[Any] | None = None  # this query's copy of the twin ``indptr``
    taken: list[npt.NDArray[Any]] = []  # the CIs each round took down
    blocked: list[tuple[npt.NDArray[Any], npt.NDArray[Any]]] = []
    try:
        for _ in range(n + 1):  # each round takes at least one more CI down
            if not seeds.size:
                break
            if twin is None:
                new = arr.direct_reach(seeds)
            else:
                new = arr.twin_reach(twin, seeds, True, down)
            down[new] = True
            taken.append(new)
            was_up = hits <= tolerance
            hits += arr.group_hits(new)
            consumers = consumer_of[was_up & (hits > tolerance)]  # the groups that fell now
            seeds = numpy.sort(consumers[~down[consumers]]).astype(numpy.int64)
            if not seeds.size:
                break
            seeds = seeds[numpy.concatenate(([True], seeds[1:] != seeds[:-1]))]
            if twin is not None:
                arr.close(twin, new)
            elif sum(len(t) for t in taken) * _BLOCK_SHARE <= n:
                blocked.append(arr.block(new))
            else:
                twin = arr.twin()[0].copy()
                for cis in taken:
                    arr.close(twin, cis)
    finally:
        for where, targets in reversed(blocked):
            arr.unblock(where, targets)
    return down


#: Rounds block the edges into CIs already down while they are at most 1/_BLOCK_SHARE of all.
_BLOCK_SHARE = 16


def _down_frontier(
    arr: _index.Arrays,
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
    tolerance, consumer_of = arr.g_tolerance, arr.g_consumer
    frontier = seeds
    for _ in range(n + 1):  # each level marks at least one new CI down
        if not frontier.size:
            break
        eids = _out_edges(arr.indptr, frontier)
        if edge_ok is not None:
            eids = eids[edge_ok[eids]]
        t = arr.indices[eids]
        keep = ~down[t]
        if dist is not None:
            keep &= dist[t] >= 0
        eids, t = eids[keep], t[keep]
        g = arr.egroup[eids]
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


def _scipy_levels(arr: _index.Arrays, seeds: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """BFS distances from ``seeds`` via scipy (through a virtual source node ``n``).

    scipy returns the visit order and each CI's BFS parent. Parents appear in visit order,
    so a level ends where the first CI whose parent is not yet placed starts: a binary search
    per level finds it, and each CI is written once.
    """
    import numpy

    order, pred = arr.bfs(seeds)
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
    arr: _index.Arrays,
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
        eids = _out_edges(arr.indptr, frontier)
        if edge_ok is not None:
            eids = eids[edge_ok[eids]]
        t = arr.indices[eids]
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
