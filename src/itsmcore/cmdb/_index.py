"""The compact adjacency index: CSR arrays of the propagating edges, built lazily.

Nodes are numbered in the graph's insertion order. Each edge carries its relationship type
code and its redundancy group (``-1`` for a direct edge). The index holds plain Python lists;
:meth:`Index.arrays` adds numpy copies when the ``fast`` extra is installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

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


class Arrays:
    """numpy copies of an :class:`Index`, plus scipy BFS helpers when scipy is there."""

    __slots__ = (
        "_buffers",
        "_direct",
        "_ones",
        "egroup",
        "etype",
        "g_consumer",
        "g_tolerance",
        "gedge_group",
        "gedge_member",
        "indices",
        "indptr",
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
        self._direct: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None = None
        self._ones: npt.NDArray[np.float64] | None = None
        self._buffers: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]] = {}

    def _csr_with_source(
        self,
        key: str,
        indptr: npt.NDArray[np.int64],
        indices: npt.NDArray[np.int32],
        seeds: npt.NDArray[np.int64],
    ) -> object:
        """A CSR matrix of the graph plus a virtual node ``n`` pointing at ``seeds``.

        The arrays are allocated once per graph with room for ``n`` seeds, so a query only
        writes the seeds into the tail instead of copying the whole graph.
        """
        n = len(indptr) - 1
        m = len(indices)
        buffers = self._buffers.get(key)
        if buffers is None:
            big_indices = numpy.empty(m + n, dtype=numpy.int32)
            big_indices[:m] = indices
            big_indptr = numpy.empty(n + 2, dtype=numpy.int64)
            big_indptr[: n + 1] = indptr
            buffers = self._buffers[key] = (big_indptr, big_indices)
        ones = self._ones
        if ones is None or len(ones) < m + n:
            ones = self._ones = numpy.ones(m + n, dtype=numpy.float64)
        big_indptr, big_indices = buffers
        k = len(seeds)
        big_indices[m : m + k] = seeds
        big_indptr[n + 1] = m + k
        return _csr_matrix((ones[: m + k], big_indices[: m + k], big_indptr), shape=(n + 1, n + 1))

    def bfs(
        self, seeds: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """scipy's compiled BFS from a virtual node ``n`` pointing at ``seeds``."""
        csr = self._csr_with_source("all", self.indptr, self.indices, seeds)
        n = len(self.indptr) - 1
        order, pred = _bfo(csr, n, directed=True, return_predecessors=True)
        return order, pred

    def direct_reach(self, seeds: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        """Every CI reached from ``seeds`` over edges outside redundancy groups."""
        if self._direct is None:
            keep = self.egroup < 0
            n = len(self.indptr) - 1
            owner = numpy.repeat(numpy.arange(n, dtype=numpy.int64), numpy.diff(self.indptr))
            counts = numpy.bincount(owner[keep], minlength=n)
            indptr = numpy.zeros(len(self.indptr), dtype=numpy.int64)
            numpy.cumsum(counts, out=indptr[1:])
            self._direct = (indptr, self.indices[keep])
        indptr, indices = self._direct
        csr = self._csr_with_source("direct", indptr, indices, seeds)
        order: npt.NDArray[np.int32] = _bfo(
            csr, len(indptr) - 1, directed=True, return_predecessors=False
        )
        return order[1:]


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
