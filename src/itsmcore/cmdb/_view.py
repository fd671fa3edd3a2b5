"""The networkx view of one CMDB state: a frozen ``DiGraph`` reading the store directly.

networkx lets a subclass choose the mappings a graph keeps its nodes and adjacency in (the
``node_dict_factory`` and ``adjlist_outer_dict_factory`` hooks documented on ``DiGraph``).
This view hands it read-only mappings over a :class:`~itsmcore.cmdb._store.State`, so every
networkx algorithm runs on the CMDB without a copy, and nothing (node data included) can be
changed through it. ``graph.nodes[ci_id]["ci"]`` is the CI; ``graph.edges[u, v]["type"]`` the
relationship type's full name; edges point the way impact travels.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import networkx as nx

from itsmcore.cmdb._store import TYPE_MASK, State

if TYPE_CHECKING:
    from itsmcore.cmdb.model import CI

__all__: list[str] = []


class _Nodes(Mapping[str, Mapping[str, "CI"]]):
    __slots__ = ("_state",)

    def __init__(self, state: State) -> None:
        self._state = state

    def __getitem__(self, ci_id: str) -> Mapping[str, CI]:
        i = self._state.position(ci_id)
        if i is None:
            raise KeyError(ci_id)
        return MappingProxyType({"ci": cast("CI", self._state.cis[i])})

    def __contains__(self, ci_id: object) -> bool:
        return self._state.position(ci_id) is not None

    def __iter__(self) -> Iterator[str]:
        return (ci.id for ci in self._state.cis if ci is not None)

    def __len__(self) -> int:
        return self._state.count


class _Row(Mapping[str, Mapping[str, str]]):
    """One CI's neighbours on one side: ``{neighbour id: {"type": name}}``."""

    __slots__ = ("_edge_data", "_ids", "_pos", "_row")

    def __init__(self, state: State, row: Mapping[int, int], edge_data: tuple[Any, ...]) -> None:
        self._row = row
        self._ids = state.ids
        self._pos = state.pos
        self._edge_data = edge_data

    def __getitem__(self, ci_id: str) -> Mapping[str, str]:
        i = self._pos.get(ci_id) if isinstance(ci_id, str) else None
        packed = None if i is None else self._row.get(i)
        if packed is None:
            raise KeyError(ci_id)
        data: Mapping[str, str] = self._edge_data[packed & TYPE_MASK]
        return data

    def __contains__(self, ci_id: object) -> bool:
        i = self._pos.get(ci_id) if isinstance(ci_id, str) else None
        return i is not None and i in self._row

    def __iter__(self) -> Iterator[str]:
        return map(self._ids.__getitem__, self._row)

    def __len__(self) -> int:
        return len(self._row)


class _Adjacency(Mapping[str, _Row]):
    __slots__ = ("_edge_data", "_rows", "_state")

    def __init__(self, state: State, forward: bool) -> None:
        self._state = state
        self._rows = state.out if forward else state.inn
        self._edge_data = tuple(MappingProxyType({"type": name}) for name in state.names)

    def __getitem__(self, ci_id: str) -> _Row:
        i = self._state.position(ci_id)
        if i is None:
            raise KeyError(ci_id)
        return _Row(self._state, self._rows[i], self._edge_data)

    def __contains__(self, ci_id: object) -> bool:
        return self._state.position(ci_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(_Nodes(self._state))

    def __len__(self) -> int:
        return self._state.count


class CMDBGraph(nx.DiGraph):  # type: ignore[misc]
    """A frozen networkx ``DiGraph`` over one CMDB state (see the module docstring).

    Built without a state (as networkx does when it copies a graph), it is an ordinary,
    empty, writable ``DiGraph``.
    """

    def __init__(self, state: State | None = None, **attr: Any) -> None:
        if state is not None:
            # DiGraph.__init__ asks for the successor mapping first, then the predecessor one
            sides = iter((_Adjacency(state, True), _Adjacency(state, False)))
            self.node_dict_factory = lambda: _Nodes(state)
            self.adjlist_outer_dict_factory = lambda: next(sides)
        super().__init__(**attr)
        if state is not None:
            nx.freeze(self)


def view(state: State) -> CMDBGraph:
    """The (cached) networkx view of ``state``."""
    found = state.view_cache
    if not isinstance(found, CMDBGraph):
        found = state.view_cache = CMDBGraph(state)
    return found
