"""The compact adjacency index: CSR arrays of the propagating edges, built lazily.

Nodes are numbered in the graph's insertion order. Each edge carries its relationship type
code and its redundancy group (``-1`` for a direct edge). The index holds plain Python lists;
:meth:`Index.arrays` adds numpy copies when the ``fast`` extra is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from itsmcore.errors import ConfigurationError

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    import numpy.typing as npt

    from itsmcore.cmdb.redundancy import RedundancyGroup

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


class _Direct(NamedTuple):
    """The direct (non-group) edges in the forms the redundancy rounds use."""

    plain: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]  # CSR with room for seeds
    rptr: npt.NDArray[np.int64]  # reverse CSR: per CI, its incoming direct edges ...
    rorder: npt.NDArray[np.int64]  # ... as positions in ``plain``'s indices
    twin: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]  # CI v is row 2v, 2v + 1 spare


class Arrays:
    """numpy copies of an :class:`Index`, plus scipy BFS helpers when scipy is there.

    The redundancy fixpoint runs rounds of scipy's BFS over the direct (non-group) edges,
    and a round must not walk again what earlier rounds took down. scipy's BFS has no
    "already visited" input, so a query either blocks the edges into those CIs (points them
    at the BFS source, which scipy skips; cheap while they are few) or, once many are down,
    uses a *twin* CSR: CI ``v`` is row ``2v``, and the empty row ``2v + 1`` after it lets a
    query close ``v`` by moving ``v``'s edges to its twin (one write into a per-query copy
    of ``indptr``): a closed CI is still visited but leads nowhere.
    """

    __slots__ = (
        "_all",
        "_direct",
        "_ones",
        "egroup",
        "etype",
        "g_code",
        "g_consumer",
        "g_tolerance",
        "gedge_group",
        "gedge_member",
        "gptr",
        "indices",
        "indptr",
        "lock",
    )

    def __init__(self, index: Index) -> None:
        self.indptr: npt.NDArray[np.int64] = numpy.asarray(index.indptr, dtype=numpy.int64)
        self.indices: npt.NDArray[np.int32] = numpy.asarray(index.indices, dtype=numpy.int32)
        self.etype: npt.NDArray[np.int16] = numpy.asarray(index.etype, dtype=numpy.int16)
        self.egroup: npt.NDArray[np.int32] = numpy.asarray(index.egroup, dtype=numpy.int32)
        self.g_consumer: npt.NDArray[np.int32] = numpy.asarray(index.g_consumer, dtype=numpy.int32)
        self.g_tolerance: npt.NDArray[np.int32] = numpy.asarray(
            index.g_tolerance, dtype=numpy.int32
        )
        n = len(self.indptr) - 1
        in_group = self.egroup >= 0
        owner = numpy.repeat(numpy.arange(n, dtype=numpy.int32), numpy.diff(self.indptr))
        self.gedge_member: npt.NDArray[np.int32] = owner[in_group]
        self.gedge_group: npt.NDArray[np.int32] = self.egroup[in_group]
        # per CI, its group edges (a CSR over the group edges, which keep the owner order),
        # and a code: 2 + the group of its only group edge, 1 for none, 0 for several (most
        # CIs have at most one)
        self.gptr: npt.NDArray[np.int64] = numpy.zeros(n + 1, dtype=numpy.int64)
        counts = numpy.bincount(self.gedge_member, minlength=n)
        numpy.cumsum(counts, out=self.gptr[1:])
        self.g_code: npt.NDArray[np.int32] = numpy.ones(n, dtype=numpy.int32)
        one = counts == 1
        self.g_code[one] = self.gedge_group[self.gptr[:-1][one]] + 2
        self.g_code[counts > 1] = 0
        self._all: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None = None
        self._direct: _Direct | None = None
        self._ones: npt.NDArray[np.float64] = numpy.ones(0, dtype=numpy.float64)
        # the helpers write each query's seeds into buffers shared by queries
        self.lock = threading.Lock()

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def _with_room(
        self, indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int32]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """int32 copies (as scipy wants them) with a last row and room for ``n`` seeds."""
        rows = len(indptr) - 1
        m = len(indices)
        if m + self.n >= 2**31 - 1:  # pragma: no cover - beyond an int32 CSR
            raise ConfigurationError(
                f"the CMDB has {m:,} propagating edges; allowed: fewer than 2**31 - n"
            )
        big_indices = numpy.empty(m + self.n, dtype=numpy.int32)
        big_indices[:m] = indices
        big_indptr = numpy.empty(rows + 2, dtype=numpy.int32)
        big_indptr[: rows + 1] = indptr
        big_indptr[rows + 1] = m
        if len(self._ones) < len(big_indices):
            self._ones = numpy.ones(len(big_indices), dtype=numpy.float64)
        return big_indptr, big_indices

    def _csr(
        self,
        indptr: npt.NDArray[np.int32],
        indices: npt.NDArray[np.int32],
        seeds: npt.NDArray[Any],
    ) -> object:
        """The matrix of ``indptr``/``indices`` whose last row points at ``seeds``."""
        rows = len(indptr) - 1
        m = int(indptr[rows - 1])
        k = len(seeds)
        indices[m : m + k] = seeds
        indptr[rows] = m + k
        return _csr_matrix((self._ones[: m + k], indices[: m + k], indptr), shape=(rows, rows))

    def bfs(
        self, seeds: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """scipy's BFS over every edge from a virtual node ``n`` pointing at ``seeds``.

        Returns the visit order (the virtual node first) and each CI's BFS parent.
        """
        if self._all is None:
            self._all = self._with_room(self.indptr, self.indices)
        indptr, indices = self._all
        order, pred = _bfo(self._csr(indptr, indices, seeds), self.n, True, True)
        return order, pred

    def _direct_graphs(self) -> _Direct:
        """The direct edges as a plain CSR (with its reverse) and as a twin CSR, built once."""
        if self._direct is not None:
            return self._direct
        n = self.n
        keep = self.egroup < 0
        owner = numpy.repeat(numpy.arange(n, dtype=numpy.int64), numpy.diff(self.indptr))
        dptr = numpy.zeros(n + 1, dtype=numpy.int64)
        numpy.cumsum(numpy.bincount(owner[keep], minlength=n), out=dptr[1:])
        dindices = self.indices[keep]
        rptr = numpy.zeros(n + 1, dtype=numpy.int64)
        numpy.cumsum(numpy.bincount(dindices, minlength=n), out=rptr[1:])
        twin = numpy.empty(2 * n + 1, dtype=numpy.int64)
        twin[0::2] = dptr  # CI v is row 2v ...
        twin[1::2] = dptr[1:]  # ... and its twin row 2v + 1 starts out empty
        self._direct = _Direct(
            plain=self._with_room(dptr, dindices),
            rptr=rptr,
            rorder=numpy.argsort(dindices, kind="stable"),
            twin=self._with_room(twin, dindices * 2),
        )
        return self._direct

    def twin(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """The twin CSR's row pointers and indices (shared: copy before closing CIs)."""
        return self._direct_graphs().twin

    def direct_reach(self, seeds: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        """The CIs ``seeds`` reach over direct edges not blocked by :meth:`block`."""
        indptr, indices = self._direct_graphs().plain
        order: npt.NDArray[np.int32] = _bfo(self._csr(indptr, indices, seeds), self.n, True, False)
        return order[1:]

    def block(self, cis: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
        """Point the direct edges into ``cis`` at the BFS source, so no BFS enters them.

        Returns what :meth:`unblock` needs to undo it (the shared graph must be restored).
        """
        direct = self._direct_graphs()
        starts = direct.rptr[cis]
        lens = direct.rptr[cis + 1] - starts
        total = int(lens.sum())
        offsets = numpy.cumsum(lens) - lens
        where = direct.rorder[numpy.repeat(starts - offsets, lens) + numpy.arange(total)]
        direct.plain[1][where] = self.n
        return where, numpy.repeat(cis, lens)

    def unblock(self, where: npt.NDArray[np.int64], targets: npt.NDArray[Any]) -> None:
        """Undo one :meth:`block`."""
        self._direct_graphs().plain[1][where] = targets

    def twin_reach(
        self,
        indptr: npt.NDArray[np.int32],
        seeds: npt.NDArray[np.int64],
        closed: bool,
        down: npt.NDArray[np.bool_],
    ) -> npt.NDArray[np.int32]:
        """The CIs not yet ``down`` that ``seeds`` reach over direct edges.

        ``indptr`` is :meth:`twin`'s, or (``closed``) a copy of it in which the caller closed
        the CIs already down: scipy still visits those, so they are dropped here.
        """
        indices = self.twin()[1]
        order: npt.NDArray[np.int32] = _bfo(
            self._csr(indptr, indices, seeds * 2), 2 * self.n, True, False
        )
        reached: npt.NDArray[np.int32] = order[1:] >> 1
        return reached[~down[reached]] if closed else reached

    def close(self, indptr: npt.NDArray[np.int32], cis: npt.NDArray[Any]) -> None:
        """Close ``cis`` in a twin ``indptr`` copy: their edges move to their twin rows."""
        end = 2 * self.n
        indptr[1:end:2][cis] = indptr[0:end:2][cis]

    def group_hits(self, cis: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """How many group edges leave ``cis``, per redundancy group."""
        ngroups = len(self.g_tolerance)
        code = self.g_code[cis]
        counts = numpy.bincount(code, minlength=ngroups + 2)
        hits: npt.NDArray[np.int64] = counts[2:]
        if counts[0]:  # CIs with several group edges
            several = cis[code == 0]
            starts = self.gptr[several]
            lens = self.gptr[several + 1] - starts
            offsets = numpy.cumsum(lens) - lens
            total = int(lens.sum())
            eids = numpy.repeat(starts - offsets, lens) + numpy.arange(total, dtype=numpy.int64)
            hits = hits + numpy.bincount(self.gedge_group[eids], minlength=ngroups)
        return hits


class Index:
    """CSR lists over the propagating edges of a CMDB graph (provider -> consumer)."""

    __slots__ = (
        "_arrays",
        "_reverse",
        "egroup",
        "etype",
        "g_consumer",
        "g_tolerance",
        "groups",
        "ids",
        "indices",
        "indptr",
        "pos",
        "type_codes",
    )

    def __init__(
        self,
        graph: nx.DiGraph,
        propagating: Mapping[str, bool],
        groups: list[RedundancyGroup],
    ) -> None:
        self.ids: list[str] = list(graph._node)
        self.pos: dict[str, int] = {ci: i for i, ci in enumerate(self.ids)}
        self.type_codes: dict[str, int] = {}
        codes: dict[str, int] = {}
        for name, moves in propagating.items():
            self.type_codes[name] = len(self.type_codes)
            codes[name] = self.type_codes[name] if moves else -1
        self.groups = groups
        self.g_consumer = [self.pos[g.consumer] for g in groups]
        self.g_tolerance = [g.tolerance for g in groups]
        pos = self.pos
        indptr = [0]
        indices: list[int] = []
        etype: list[int] = []
        # Edge mappings are shared per type, so their identity gives the type code; the C-level
        # map() calls keep this loop fast at millions of edges.
        code_by_id: dict[int, int] = {}
        lookup, where = code_by_id.__getitem__, pos.__getitem__
        for nbrs in graph._succ.values():
            if nbrs:
                try:
                    kinds = list(map(lookup, map(id, nbrs.values())))
                except KeyError:
                    for data in nbrs.values():
                        code_by_id[id(data)] = codes[data["type"]]
                    kinds = list(map(lookup, map(id, nbrs.values())))
                if min(kinds) < 0:
                    kept = [(v, k) for v, k in zip(nbrs, kinds, strict=True) if k >= 0]
                    indices.extend(pos[v] for v, _ in kept)
                    etype.extend(k for _, k in kept)
                else:
                    indices.extend(map(where, nbrs))
                    etype.extend(kinds)
            indptr.append(len(indices))
        egroup = [-1] * len(indices)
        for gid, group in enumerate(groups):
            target = pos[group.consumer]
            for member in group.members:
                u = pos[member]
                start, end = indptr[u], indptr[u + 1]
                egroup[start + indices[start:end].index(target)] = gid
        self.indptr = indptr
        self.indices = indices
        self.etype = etype
        self.egroup = egroup
        self._arrays: Arrays | None = None
        self._reverse: tuple[list[int], list[int], list[int]] | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    def arrays(self) -> Arrays:
        """The numpy form, built on first use and cached."""
        if self._arrays is None:
            self._arrays = Arrays(self)
        return self._arrays

    def reverse(self) -> tuple[list[int], list[int], list[int]]:
        """Reverse CSR (consumer -> providers) as lists: indptr, provider, forward edge id."""
        if self._reverse is not None:
            return self._reverse
        n = self.n
        if HAVE_NUMPY:
            arr = self.arrays()
            order = numpy.argsort(arr.indices, kind="stable")
            owner = numpy.repeat(numpy.arange(n, dtype=numpy.int64), numpy.diff(arr.indptr))
            rindptr = numpy.zeros(n + 1, dtype=numpy.int64)
            numpy.cumsum(numpy.bincount(arr.indices, minlength=n), out=rindptr[1:])
            self._reverse = (rindptr.tolist(), owner[order].tolist(), order.tolist())
            return self._reverse
        counts = [0] * (n + 1)
        indices = self.indices
        for v in indices:
            counts[v + 1] += 1
        for i in range(n):
            counts[i + 1] += counts[i]
        fill = counts[:-1]
        src = [0] * len(indices)
        eid = [0] * len(indices)
        indptr = self.indptr
        for u in range(n):
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                k = fill[v]
                src[k] = u
                eid[k] = e
                fill[v] = k + 1
        self._reverse = (counts, src, eid)
        return self._reverse
