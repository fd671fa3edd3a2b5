"""The compact index the impact engines run on: a CSR over one state's propagating edges.

Rows are CI positions (see :mod:`itsmcore.cmdb._store`); each edge carries its relationship
type code and its redundancy group (``-1`` for a direct edge). With numpy (the ``fast``
extra) the columns are numpy arrays, and a state derived from an indexed one by a few
changes gets its index by *patching*: only the changed rows are rebuilt from the store, the
rest is copied in a handful of vectorised passes. Without numpy the columns are lists,
rebuilt on first use after a change.

The index is immutable once built. The scipy helpers write each query's seeds into spare
room at the end of their arrays; :attr:`Index.scratch` (one lock per CMDB) serialises that.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from typing import TYPE_CHECKING, Any

from itsmcore.cmdb._store import TYPE_BITS, TYPE_MASK, State
from itsmcore.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

try:  # the ``fast`` extra
    import numpy

    HAVE_NUMPY = True
except ImportError:  # pragma: no cover - exercised only without the extra
    HAVE_NUMPY = False

try:
    from scipy.sparse import csr_matrix as _csr_matrix
    from scipy.sparse.csgraph import breadth_first_order as _bfo

    HAVE_SCIPY = True
except ImportError:  # pragma: no cover
    HAVE_SCIPY = False

__all__: list[str] = []

_NO_GROUP_TOLERANCE = 2**30  # a removed group's slot: never falls (no edge names it)

Lists = tuple[list[int], list[int], list[int], list[int]]


class Index:
    """CSR over propagating edges (provider -> consumer) plus the redundancy tables.

    ``g_code[v]`` is ``2 + g`` when CI ``v``'s only group edge belongs to group ``g``, ``1``
    when it has none and ``0`` when it has several (most CIs have at most one).

    With numpy, ``indptr`` (int32) and ``indices`` are views into buffers with room after
    them for the virtual source row of scipy's BFS, and ``twin_targets`` is the direct-edge
    column of the twin CSR (see :meth:`twin`), kept with the others so a patch updates it.
    """

    __slots__ = (
        "_ind_buf",
        "_lists",
        "_order",
        "_ptr_buf",
        "_twin_buf",
        "_twin_ptr",
        "cap",
        "egroup",
        "etype",
        "g_code",
        "g_consumer",
        "g_tolerance",
        "ids",
        "indices",
        "indptr",
        "n",
        "scratch",
        "vectorised",
    )

    def __init__(self, state: State, columns: dict[str, Any], order: Any = None) -> None:
        self.n = state.n
        self.ids = state.ids
        self.scratch: threading.Lock = state.scratch
        self.vectorised = HAVE_NUMPY
        self.cap: int = columns.get("cap", 0)
        self._ptr_buf = columns["indptr"]
        self._ind_buf = columns["indices"]
        self._twin_buf = columns.get("twin")
        if self.vectorised:
            m = int(self._ptr_buf[self.n])
            self.indptr = self._ptr_buf[: self.n + 1]
            self.indices = self._ind_buf[:m]
        else:
            self.indptr = self._ptr_buf
            self.indices = self._ind_buf
        self.etype = columns["etype"]
        self.egroup = columns["egroup"]
        self.g_consumer = columns["g_consumer"]
        self.g_tolerance = columns["g_tolerance"]
        self.g_code = columns["g_code"]
        self._lists: Lists | None = None
        self._twin_ptr: Any = None
        self._order: Any = order

    # -- building -----------------------------------------------------------------------

    @classmethod
    def build(cls, state: State) -> Index:
        """The index of ``state`` from scratch (C-level passes over the store's rows)."""
        rows = list(state.out)
        g_consumer, g_tolerance = _group_tables(state)
        if not HAVE_NUMPY:
            moves = state.moves
            kept = [{v: p for v, p in row.items() if moves[p & TYPE_MASK]} for row in rows]
            return cls(state, _list_columns(state.n, kept, g_consumer, g_tolerance))
        n = state.n
        lens = numpy.fromiter(map(len, rows), dtype=numpy.int64, count=n)
        m = int(lens.sum())
        targets = numpy.fromiter(itertools.chain.from_iterable(rows), numpy.int32, count=m)
        packed = numpy.fromiter(
            itertools.chain.from_iterable(row.values() for row in rows), numpy.int64, count=m
        )
        del rows
        etype = (packed & TYPE_MASK).astype(numpy.int16)
        moving = numpy.asarray(state.moves, dtype=bool)[etype]
        if not moving.all():  # drop the inert relationships (they carry no impact)
            owner = numpy.repeat(numpy.arange(n, dtype=numpy.int64), lens)
            lens = numpy.bincount(owner[moving], minlength=n)
            targets, packed, etype = targets[moving], packed[moving], etype[moving]
            m = len(targets)
        cap = _capacity(n)
        _check_size(m, cap)
        indptr = numpy.zeros(n + 2, dtype=numpy.int32)
        numpy.cumsum(lens, out=indptr[1 : n + 1])
        egroup = ((packed >> TYPE_BITS) - 1).astype(numpy.int32)
        indices = numpy.empty(m + cap, dtype=numpy.int32)
        indices[:m] = targets
        twin = numpy.empty(m + cap, dtype=numpy.int32)
        twin[:m] = _twin_targets(targets, egroup, cap)
        columns = {
            "cap": cap,
            "indptr": indptr,
            "indices": indices,
            "twin": twin,
            "etype": etype,
            "egroup": egroup,
            "g_consumer": numpy.asarray(g_consumer, dtype=numpy.int32),
            "g_tolerance": numpy.asarray(g_tolerance, dtype=numpy.int32),
            "g_code": _group_codes(indptr[: n + 1], egroup, n),
        }
        return cls(state, columns)

    def patched(self, state: State, rows: frozenset[int], groups: frozenset[int]) -> Index:
        """The index of ``state``, which differs from this one's in ``rows`` and ``groups``.

        Only the changed rows are read from the store; the columns are spliced around them
        (a few vectorised copies), which at a million CIs costs milliseconds.
        """
        if not self.vectorised:
            return Index.build(state)
        n_old, n = self.n, state.n
        cap = self.cap if n <= self.cap else _capacity(n)
        if cap != self.cap:
            return Index.build(state)  # outgrew the room reserved for new CIs
        changed = sorted(r for r in rows if r < n)
        moves = state.moves
        lens = numpy.zeros(n, dtype=numpy.int32)
        lens[:n_old] = numpy.diff(self.indptr)
        m = int(self.indptr[-1])
        names = ("indices", "twin", "etype", "egroup")
        twin_buf: Any = self._twin_buf
        old = {
            "indices": self.indices,
            "twin": twin_buf[:m],
            "etype": self.etype,
            "egroup": self.egroup,
        }
        pieces: dict[str, list[Any]] = {name: [] for name in names}
        start = 0
        for u in changed:
            a = int(self.indptr[u]) if u < n_old else m
            b = int(self.indptr[u + 1]) if u < n_old else m
            new = [(v, p) for v, p in state.out[u].items() if moves[p & TYPE_MASK]]
            for name in names:
                pieces[name].append(old[name][start:a])
            targets = numpy.asarray([v for v, _ in new], dtype=numpy.int32)
            packed = numpy.asarray([p for _, p in new], dtype=numpy.int64)
            egroup = ((packed >> TYPE_BITS) - 1).astype(numpy.int32)
            pieces["indices"].append(targets)
            pieces["twin"].append(_twin_targets(targets, egroup, cap))
            pieces["etype"].append((packed & TYPE_MASK).astype(numpy.int16))
            pieces["egroup"].append(egroup)
            lens[u] = len(new)
            start = b
        indptr = numpy.zeros(n + 2, dtype=numpy.int32)
        numpy.cumsum(lens, out=indptr[1 : n + 1])
        m_new = int(indptr[n])
        _check_size(m_new, cap)
        columns: dict[str, Any] = {"cap": cap, "indptr": indptr}
        for name in names:
            room = cap if name in ("indices", "twin") else 0
            column = numpy.empty(m_new + room, dtype=old[name].dtype)
            numpy.concatenate([*pieces[name], old[name][start:]], out=column[:m_new])
            columns[name] = column
        g_code = numpy.ones(n, dtype=numpy.int32)
        g_code[:n_old] = self.g_code
        for u in changed:
            g_code[u] = _group_code(columns["egroup"][indptr[u] : indptr[u + 1]])
        columns["g_code"] = g_code
        slots = len(state.groups)
        consumer = numpy.zeros(slots, dtype=numpy.int32)
        tolerance = numpy.full(slots, _NO_GROUP_TOLERANCE, dtype=numpy.int32)
        consumer[: len(self.g_consumer)] = self.g_consumer
        tolerance[: len(self.g_tolerance)] = self.g_tolerance
        for gid in groups:
            group = state.groups[gid]
            if group is None:
                consumer[gid], tolerance[gid] = 0, _NO_GROUP_TOLERANCE
            else:
                consumer[gid], tolerance[gid] = state.pos[group.consumer], group.tolerance
        columns["g_consumer"], columns["g_tolerance"] = consumer, tolerance
        return Index(state, columns, self._grown_order(n))

    def _grown_order(self, n: int) -> Any:
        """The id order, with the positions new since this index inserted (if it is built)."""
        order = self._order
        if order is None or n == self.n:
            return order
        if n - self.n > 4096:
            return None  # many new CIs: sort afresh when asked
        ids = self.ids
        new = sorted(range(self.n, n), key=ids.__getitem__)
        # sorted new ids at non-decreasing spots: ties keep their (id) order
        spots = [bisect.bisect_left(order, ids[i], key=ids.__getitem__) for i in new]
        return numpy.insert(order, spots, numpy.asarray(new, dtype=order.dtype))

    # -- reading ------------------------------------------------------------------------

    def lists(self) -> Lists:
        """The CSR as plain lists (indptr, indices, etype, egroup) for the pure engine."""
        if self._lists is None:
            if self.vectorised:
                self._lists = (
                    self.indptr.tolist(),
                    self.indices.tolist(),
                    self.etype.tolist(),
                    self.egroup.tolist(),
                )
            else:
                self._lists = (self.indptr, self.indices, self.etype, self.egroup)
        return self._lists

    def tolerance_list(self) -> list[int]:
        """Per group, how many members may be down before its consumer is down."""
        if self.vectorised:
            found: list[int] = self.g_tolerance.tolist()
            return found
        return list(self.g_tolerance)  # pragma: no cover

    def id_order(self) -> Any:
        """Every position, sorted by CI id (numpy), built on first use and kept by patches."""
        if self._order is None:
            self._order = numpy.asarray(
                sorted(range(self.n), key=self.ids.__getitem__), dtype=numpy.int64
            )
        return self._order

    # -- scipy helpers (numpy engine); the caller holds :attr:`scratch` ------------------

    @staticmethod
    def _csr(indptr: Any, indices: Any, seeds: Any) -> object:
        """The matrix of ``indptr``/``indices`` whose last row points at ``seeds``.

        The seeds go into the room after the last real row's edges.
        """
        rows = len(indptr) - 1
        m = int(indptr[rows - 1])
        k = len(seeds)
        indices[m : m + k] = seeds
        indptr[rows] = m + k
        return _csr_matrix((_ones(m + k), indices[: m + k], indptr), shape=(rows, rows))

    def bfs(self, seeds: npt.NDArray[np.int64]) -> tuple[Any, Any]:
        """scipy's BFS over every edge from a virtual node ``n`` pointing at ``seeds``.

        Returns the visit order (the virtual node first) and each CI's BFS parent.
        """
        matrix = self._csr(self._ptr_buf, self._ind_buf, seeds)
        order, pred = _bfo(matrix, self.n, True, True)
        return order, pred

    def twin(self) -> Any:
        """The row pointers of the *twin* CSR over direct edges (shared: copy to close CIs).

        CI ``v`` is row ``2v`` and ``2v + 1`` is spare. A query closes ``v`` (a CI already
        down) in its own copy of the row pointers by moving ``v``'s edges to the spare row:
        scipy still visits ``v`` but goes nowhere from it. Group edges point at the virtual
        source ``2 * cap``, which scipy never enters; rows past ``2n`` are empty.
        """
        if self._twin_ptr is None:
            n, cap = self.n, self.cap
            twin_ptr = numpy.empty(2 * cap + 2, dtype=numpy.int32)
            twin_ptr[0 : 2 * n + 1 : 2] = self.indptr  # CI v is row 2v ...
            twin_ptr[1 : 2 * n : 2] = self.indptr[1:]  # ... its twin row 2v + 1 starts empty
            twin_ptr[2 * n : 2 * cap + 1] = self.indptr[-1]
            self._twin_ptr = twin_ptr
        return self._twin_ptr

    def twin_reach(self, indptr: Any, seeds: Any, down: Any) -> Any:
        """The CIs not yet ``down`` that ``seeds`` reach over direct edges.

        ``indptr`` is a copy of :meth:`twin` in which the caller closed CIs already down;
        scipy still visits those, so they are dropped here.
        """
        matrix = self._csr(indptr, self._twin_buf, seeds * 2)
        order = _bfo(matrix, 2 * self.cap, True, False)
        reached = order[1:] >> 1
        return reached[~down[reached]]

    def close(self, indptr: Any, cis: Any) -> None:
        """Close ``cis`` in a twin ``indptr`` copy: their edges move to their twin rows."""
        end = 2 * self.n
        indptr[1:end:2][cis] = indptr[0:end:2][cis]

    def group_hits(self, cis: Any) -> Any:
        """How many group edges leave ``cis``, per redundancy group."""
        ngroups = len(self.g_tolerance)
        code = self.g_code[cis]
        counts = numpy.bincount(code, minlength=ngroups + 2)
        hits = counts[2:]
        if counts[0]:  # CIs with several group edges: read their rows
            several = cis[code == 0]
            groups = self.egroup[out_edges(self.indptr, several)]
            hits = hits + numpy.bincount(groups[groups >= 0], minlength=ngroups)
        return hits


_ones_lock = threading.Lock()
_ones_buf: list[Any] = []


def _ones(k: int) -> Any:
    """``k`` ones (float64) for scipy's matrix data, from one shared, never-written buffer."""
    with _ones_lock:
        if not _ones_buf or len(_ones_buf[0]) < k:
            _ones_buf[:] = [numpy.ones(max(k, 1024), dtype=numpy.float64)]
        return _ones_buf[0][:k]


def _capacity(n: int) -> int:
    """Room for the CIs an index may gain by patching: n plus a quarter, at least 1024."""
    return max(1024, n + n // 4)


def _twin_targets(targets: Any, egroup: Any, cap: int) -> Any:
    """The twin CSR's column: ``2v`` for a direct edge, the virtual source for a group edge."""
    return numpy.where(egroup < 0, targets * 2, 2 * cap).astype(numpy.int32)


def out_edges(indptr: Any, frontier: Any) -> Any:
    """The edge positions leaving the CIs in ``frontier`` (numpy)."""
    starts = indptr[frontier]
    lens = indptr[frontier + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return numpy.empty(0, dtype=numpy.int64)
    offsets = numpy.cumsum(lens) - lens
    return numpy.repeat(starts - offsets, lens) + numpy.arange(total, dtype=numpy.int64)


def _check_size(m: int, cap: int) -> None:
    if m + 2 * cap >= 2**31 - 1:  # pragma: no cover - beyond an int32 CSR
        raise ConfigurationError(
            f"the CMDB has {m:,} propagating edges and room for {cap:,} CIs; allowed: "
            "edges + 2 x CIs below 2**31"
        )


def _group_tables(state: State) -> tuple[list[int], list[int]]:
    consumer: list[int] = []
    tolerance: list[int] = []
    pos = state.pos
    for group in state.groups:
        if group is None:
            consumer.append(0)
            tolerance.append(_NO_GROUP_TOLERANCE)
        else:
            consumer.append(pos[group.consumer])
            tolerance.append(group.tolerance)
    return consumer, tolerance


def _group_code(groups: Any) -> int:
    found = [int(g) for g in groups if g >= 0]
    if not found:
        return 1
    return found[0] + 2 if len(found) == 1 else 0


def _group_codes(indptr: Any, egroup: Any, n: int) -> Any:
    owner = numpy.repeat(numpy.arange(n, dtype=numpy.int64), numpy.diff(indptr))
    grouped = egroup >= 0
    members = owner[grouped]
    counts = numpy.bincount(members, minlength=n)
    codes = numpy.ones(n, dtype=numpy.int32)
    single = counts[members] == 1
    codes[members[single]] = egroup[grouped][single] + 2
    codes[counts > 1] = 0
    return codes


def _list_columns(
    n: int,
    rows: list[dict[int, int]],
    g_consumer: list[int],
    g_tolerance: list[int],
) -> dict[str, Any]:
    indptr = [0]
    targets: list[int] = []
    packs: list[int] = []
    for row in rows:
        targets.extend(row)
        packs.extend(row.values())
        indptr.append(len(targets))
    egroup = [(p >> TYPE_BITS) - 1 for p in packs]
    return {
        "indptr": indptr,
        "indices": targets,
        "etype": [p & TYPE_MASK for p in packs],
        "egroup": egroup,
        "g_consumer": g_consumer,
        "g_tolerance": g_tolerance,
        "g_code": [_group_code(egroup[indptr[u] : indptr[u + 1]]) for u in range(n)],
    }
