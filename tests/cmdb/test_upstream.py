"""depends_on: the upstream tree equals networkx ancestors over propagating edges."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.cmdb import CMDB, Propagation
from itsmcore.errors import NotFoundError
from itsmcore.testing.strategies import cmdbs


def _propagating(cmdb: CMDB) -> nx.DiGraph:
    registry = cmdb.relationship_types
    h = nx.DiGraph()
    h.add_nodes_from(cmdb.graph.nodes)
    h.add_edges_from(
        (u, v)
        for u, v, t in cmdb.graph.edges(data="type")
        if registry.get(t).propagation is not Propagation.NONE
    )
    return h


@given(cmdb=cmdbs(), data=st.data())
def test_depends_on_is_reverse_reachability_with_bfs_depth(cmdb: CMDB, data: st.DataObject) -> None:
    root = data.draw(st.sampled_from(sorted(c.id for c in cmdb.cis())))
    max_depth = data.draw(st.none() | st.integers(0, 3))
    tree = cmdb.depends_on(root, max_depth=max_depth)
    reverse = _propagating(cmdb).reverse()
    expected = nx.single_source_shortest_path_length(reverse, root, cutoff=max_depth)
    assert dict(tree.depth) == expected
    h = _propagating(cmdb)
    for ci_id in tree:
        path = tree.path(ci_id)
        assert path[0] == ci_id
        assert path[-1] == root
        assert len(path) == expected[ci_id] + 1
        assert all(h.has_edge(a, b) for a, b in itertools.pairwise(path))
    # a failure of anything upstream reaches the root
    for ci_id in tree:
        assert root in cmdb.impact([ci_id])


def test_unknown_root() -> None:
    with pytest.raises(NotFoundError):
        CMDB().depends_on("x")
