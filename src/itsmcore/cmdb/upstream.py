"""``depends_on``: the upstream dependency tree of a CI, i.e. impact walked backwards."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from itsmcore.cmdb._store import TYPE_MASK
from itsmcore.errors import NotFoundError

if TYPE_CHECKING:
    from itsmcore.cmdb.graph import CMDB

__all__ = ["DependencyTree", "depends_on"]


@attrs.frozen(kw_only=True)
class DependencyTree:
    """What ``root`` depends on: each upstream CI with its hop count and its BFS-tree link.

    ``via[x]`` is the CI one hop closer to the root that ``x`` serves (smallest id on ties),
    so :meth:`path` is a shortest chain of providers from ``x`` down to the root.
    """

    root: str
    depth: Mapping[str, int]
    via: Mapping[str, str]

    def __len__(self) -> int:
        return len(self.depth)

    def __contains__(self, ci_id: object) -> bool:
        return ci_id in self.depth

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.depth, key=lambda c: (self.depth[c], c)))

    @property
    def cis(self) -> frozenset[str]:
        """The root and every CI it depends on."""
        return frozenset(self.depth)

    def path(self, ci_id: str) -> tuple[str, ...]:
        """``(ci_id, ..., root)``: how a failure of ``ci_id`` reaches the root."""
        if ci_id not in self.depth:
            raise NotFoundError(f"{self.root!r} does not depend on {ci_id!r}")
        chain = [ci_id]
        while chain[-1] != self.root:
            chain.append(self.via[chain[-1]])
        return tuple(chain)


def upstream_distances(
    cmdb: CMDB, ci_id: str, *, max_depth: int | None, types: Iterable[str] | None
) -> tuple[dict[str, int], dict[str, str]]:
    """BFS over providers from ``ci_id``: {ci: hops} and {ci: consumer one hop closer}."""
    from itsmcore.cmdb.graph import _require, check_limit, type_filter

    state = cmdb._state
    start = _require(state, ci_id)
    check_limit(max_depth, "max_depth", 0)
    type_ok = type_filter(state, types)
    moves, ids, inn = state.moves, state.ids, state.inn
    dist = {start: 0}
    via: dict[int, int] = {}
    frontier = [start]
    level = 0
    while frontier and (max_depth is None or level < max_depth):
        level += 1
        nxt: list[int] = []
        for v in frontier:
            for u, packed in inn[v].items():
                code = packed & TYPE_MASK
                if not moves[code] or (type_ok is not None and not type_ok[code]):
                    continue
                seen = dist.get(u)
                if seen is None:
                    dist[u] = level
                    via[u] = v
                    nxt.append(u)
                elif seen == level and ids[v] < ids[via[u]]:
                    via[u] = v
        frontier = nxt
    return (
        {ids[i]: d for i, d in dist.items()},
        {ids[u]: ids[v] for u, v in via.items()},
    )


def depends_on(
    cmdb: CMDB, ci_id: str, *, max_depth: int | None = None, types: Iterable[str] | None = None
) -> DependencyTree:
    """The upstream dependency tree of ``ci_id`` (see :meth:`CMDB.depends_on`)."""
    depth, via = upstream_distances(cmdb, ci_id, max_depth=max_depth, types=types)
    return DependencyTree(root=ci_id, depth=MappingProxyType(depth), via=MappingProxyType(via))
