"""Impact analysis against brute-force oracles, on both engines."""

from __future__ import annotations

import itertools
import random
from unittest import mock

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB, ImpactState, Percent, Propagation, _index
from itsmcore.errors import NotFoundError, ValidationError
from itsmcore.testing.strategies import cmdbs

ENGINES = ["python", "numpy"]


def _propagating(cmdb: CMDB, types: set[str] | None) -> nx.DiGraph:
    """The edges a failure may travel along, built independently from the public graph."""
    registry = cmdb.relationship_types
    h = nx.DiGraph()
    h.add_nodes_from(cmdb.graph.nodes)
    for u, v, data in cmdb.graph.edges(data=True):
        rel_type = registry.get(data["type"])
        if rel_type.propagation is Propagation.NONE:
            continue
        if types is not None and rel_type.name not in types:
            continue
        h.add_edge(u, v)
    return h


def oracle(
    cmdb: CMDB,
    down: set[str],
    degraded: set[str] = frozenset(),  # type: ignore[assignment]
    *,
    exclude: set[str] = frozenset(),  # type: ignore[assignment]
    types: set[str] | None = None,
    max_depth: int | None = None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Brute force: BFS distances, then iterate the state rules to their least fixpoint."""
    h = _propagating(cmdb, types)
    h.remove_nodes_from(exclude)
    starts = sorted((down | degraded) - exclude)
    dist: dict[str, int] = {}
    if starts:
        for level, layer in enumerate(nx.bfs_layers(h, starts)):
            for v in layer:
                dist[v] = level
    if max_depth is not None:
        dist = {v: d for v, d in dist.items() if d <= max_depth}
    groups = cmdb.redundancy_groups()
    state = dict.fromkeys(dist, 0)
    for v in dist:
        if v in degraded:
            state[v] = 1
        if v in down:
            state[v] = 2
    for _ in range(2 * len(state) + 2):
        changed = False
        for v in dist:
            grouped = {m for g in groups if g.consumer == v for m in g.members}
            contributions = [state[v]]
            for u in h.predecessors(v):
                if u in dist and u not in grouped:
                    contributions.append(state[u])
            for g in (g for g in groups if g.consumer == v):
                member_states = [
                    state[m] if m in dist and h.has_edge(m, v) else 0 for m in g.members
                ]
                lost = sum(1 for s in member_states if s == 2)
                if len(g.members) - lost < g.required:
                    contributions.append(2)
                elif any(member_states):
                    contributions.append(1)
            new = max(contributions)
            if new != state[v]:
                state[v] = new
                changed = True
        if not changed:
            break
    else:  # pragma: no cover
        raise AssertionError("no fixpoint")
    return state, dist


def _states(result: object) -> dict[str, int]:
    return {item.ci_id: int(item.state) for item in result.items()}  # type: ignore[attr-defined]


def _depths(result: object) -> dict[str, int]:
    return {item.ci_id: item.depth for item in result.items()}  # type: ignore[attr-defined]


subsets = st.sets(st.sampled_from([f"c{i}" for i in range(10)]), max_size=4)


def _ids_of(cmdb: CMDB, data: st.DataObject, *, rare: bool = False) -> set[str]:
    ids = sorted(c.id for c in cmdb.cis())
    members = sorted({m for g in cmdb.redundancy_groups() for m in g.members})
    pick = st.sampled_from(ids)
    if members:  # failures among redundant providers are where the rules are subtle
        pick = st.sampled_from(members) | pick
    sets = st.sets(pick, max_size=4)
    return data.draw(st.just(set()) | sets if rare else sets)


@pytest.mark.parametrize("engine", ENGINES)
@given(cmdb=cmdbs(), data=st.data())
def test_impact_matches_fixpoint_oracle(engine: str, cmdb: CMDB, data: st.DataObject) -> None:
    down = _ids_of(cmdb, data)
    degraded = _ids_of(cmdb, data, rare=True)
    exclude = _ids_of(cmdb, data, rare=True)
    max_depth = data.draw(st.one_of(st.none(), st.none(), st.integers(0, 4)))
    all_types = [t.name for t in cmdb.relationship_types if t.propagation is not Propagation.NONE]
    types = data.draw(st.one_of(st.none(), st.none(), st.sets(st.sampled_from(all_types))))
    result = cmdb.impact(
        down, degraded=degraded, exclude=exclude, types=types, max_depth=max_depth, engine=engine
    )
    state, dist = oracle(cmdb, down, degraded, exclude=exclude, types=types, max_depth=max_depth)
    assert _states(result) == state
    assert all(s > 0 for s in state.values())  # everything reached is affected
    assert _depths(result) == dist
    assert not (result.cis & exclude)
    h = _propagating(cmdb, types)
    for ci_id in result:
        path = result.path(ci_id)
        assert path[0] in (down | degraded)
        assert path[-1] == ci_id
        assert len(path) == dist[ci_id] + 1
        assert all(h.has_edge(a, b) for a, b in itertools.pairwise(path))


@given(cmdb=cmdbs(), down=subsets, degraded=subsets, exclude=subsets, data=st.data())
def test_engines_agree(
    cmdb: CMDB, down: set[str], degraded: set[str], exclude: set[str], data: st.DataObject
) -> None:
    down, degraded, exclude = ({c for c in s if c in cmdb} for s in (down, degraded, exclude))
    max_nodes = data.draw(st.none() | st.integers(1, 6))
    results = [
        cmdb.impact(down, degraded=degraded, exclude=exclude, max_nodes=max_nodes, engine=e)
        for e in ENGINES
    ]
    a, b = results
    assert list(a.items()) == list(b.items())
    assert (a.truncated, a.total) == (b.truncated, b.total)
    assert [a.path(c) for c in a] == [b.path(c) for c in b]


@given(cmdb=cmdbs(redundancy=False), down=subsets)
def test_without_redundancy_equals_networkx_reachability(cmdb: CMDB, down: set[str]) -> None:
    down = {c for c in down if c in cmdb}
    h = _propagating(cmdb, None)
    reach = set(down).union(*(nx.descendants(h, s) for s in down)) if down else set()
    result = cmdb.impact(down)
    assert result.cis == reach
    assert result.down == reach  # no redundancy: everything reached is down
    lengths = nx.multi_source_dijkstra_path_length(h, down) if down else {}
    assert _depths(result) == lengths


@given(cmdb=cmdbs(), first=subsets, extra=subsets)
def test_monotone_in_sources_and_subset_of_reachability(
    cmdb: CMDB, first: set[str], extra: set[str]
) -> None:
    first = {c for c in first if c in cmdb}
    more = first | {c for c in extra if c in cmdb}
    small, big = cmdb.impact(first), cmdb.impact(more)
    assert small.cis <= big.cis
    assert small.down <= big.down
    h = _propagating(cmdb, None)
    reach = set(more).union(*(nx.descendants(h, s) for s in more)) if more else set()
    assert big.cis <= reach


@settings(max_examples=30)
@given(cmdb=cmdbs(), down=subsets, seed=st.integers(0, 1000))
def test_independent_of_insertion_order(cmdb: CMDB, down: set[str], seed: int) -> None:
    down = {c for c in down if c in cmdb}
    rng = random.Random(seed)
    cis = list(cmdb.cis())
    rels = list(cmdb.relationships())
    rng.shuffle(cis)
    rng.shuffle(rels)
    groups = list(cmdb.redundancy_groups())
    rng.shuffle(groups)
    other = CMDB.from_records(cis=cis, relationships=rels, redundancy_groups=groups)
    for engine in ENGINES:
        a = cmdb.impact(sorted(down), engine=engine)  # type: ignore[arg-type]
        b = other.impact(sorted(down, reverse=True), engine=engine)  # type: ignore[arg-type]
        assert list(a.items()) == list(b.items())
        assert [a.path(c) for c in a] == [b.path(c) for c in b]


def _farm(n: int, min_up: int | Percent) -> CMDB:
    cmdb = CMDB()
    hosts = [f"h{i}" for i in range(n)]
    cmdb.add_cis([CI(id=h, ci_class="hypervisor") for h in hosts])
    cmdb.add_cis(
        [
            CI(id="farm", ci_class="farm"),
            CI(id="vm", ci_class="vm"),
            CI(id="bs", ci_class="business_service"),
        ]
    )
    cmdb.add_relationships([("farm", "Members", h) for h in hosts])
    cmdb.add_relationships([("vm", "Hosted on", "farm"), ("bs", "Depends on", "vm")])
    cmdb.add_redundancy_group("farm", hosts, min_up)
    return cmdb


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("min_up", "failed", "expected"),
    [
        (1, 3, ImpactState.DEGRADED),  # 1 of 4 still up: enough
        (1, 4, ImpactState.DOWN),  # none up
        (Percent(50), 2, ImpactState.DEGRADED),  # 2 of 4 up = 50%
        (Percent(50), 3, ImpactState.DOWN),
        (Percent(60), 2, ImpactState.DOWN),  # needs ceil(2.4) = 3 up
        (4, 1, ImpactState.DOWN),
    ],
)
def test_farm_of_four(
    engine: str, min_up: int | Percent, failed: int, expected: ImpactState
) -> None:
    cmdb = _farm(4, min_up)
    result = cmdb.impact([f"h{i}" for i in range(failed)], engine=engine)  # type: ignore[arg-type]
    assert result.state("farm") is expected
    assert result.state("bs") is expected  # degraded travels on as degraded, down as down
    assert result.depth("bs") == 3


def test_max_nodes_keeps_the_nearest_by_depth_then_id() -> None:
    cmdb = _farm(4, 1)
    result = cmdb.impact(["h3", "h1"], max_nodes=3)
    assert result.truncated
    assert result.total == 5
    assert len(result) == 3
    assert list(result) == ["h1", "h3", "farm"]
    assert "vm" not in result
    assert result.state("vm") is ImpactState.UP


def test_excluded_cis_stop_propagation() -> None:
    cmdb = _farm(2, 1)
    result = cmdb.impact(["h0", "h1"], exclude=["vm"])
    assert result.cis == {"h0", "h1", "farm"}


def test_bad_arguments_are_clear_errors() -> None:
    cmdb = _farm(2, 1)
    with pytest.raises(NotFoundError, match="'nope'"):
        cmdb.impact(["nope"])
    with pytest.raises(ValidationError, match="collection of CI ids"):
        cmdb.impact("h0")
    with pytest.raises(ValidationError, match="max_depth"):
        cmdb.impact(["h0"], max_depth=-1)
    with pytest.raises(ValidationError, match="max_nodes"):
        cmdb.impact(["h0"], max_nodes=0)
    with pytest.raises(ValidationError, match="does not propagate"):
        cmdb.impact(["h0"], types=["Manages::Managed by"])
    with pytest.raises(ValidationError, match="engine"):
        cmdb.impact(["h0"], engine="gpu")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        cmdb.impact(["h0"]).depth("bs-unknown")


def test_cycles_terminate() -> None:
    cmdb = CMDB()
    cmdb.add_cis([CI(id=x, ci_class="application") for x in "abc"])
    cmdb.add_relationships(
        [("b", "Depends on", "a"), ("c", "Depends on", "b"), ("a", "Depends on", "c")]
    )
    for engine in ENGINES:
        result = cmdb.impact(["a"], engine=engine)  # type: ignore[arg-type]
        assert _depths(result) == {"a": 0, "b": 1, "c": 2}


def test_index_is_rebuilt_after_a_change() -> None:
    cmdb = _farm(2, 1)
    assert "x" not in cmdb.impact(["vm"])
    cmdb.add_ci(CI(id="x", ci_class="application"))
    cmdb.add_relationship("x", "Depends on", "vm")
    assert cmdb.impact(["vm"]).state("x") is ImpactState.DOWN


@given(cmdb=cmdbs(), data=st.data())
def test_numpy_without_scipy_agrees(cmdb: CMDB, data: st.DataObject) -> None:
    """The numpy engine's own frontier BFS (used without scipy) gives the same answer."""
    down = _ids_of(cmdb, data)
    degraded = _ids_of(cmdb, data, rare=True)
    max_depth = data.draw(st.none() | st.integers(0, 3))
    expected = list(cmdb.impact(down, degraded=degraded, max_depth=max_depth).items())
    with mock.patch.object(_index, "HAVE_SCIPY", False):
        got = cmdb.impact(down, degraded=degraded, max_depth=max_depth, engine="numpy")
        assert list(got.items()) == expected
