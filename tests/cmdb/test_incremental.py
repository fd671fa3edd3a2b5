"""After any sequence of changes, the patched index answers as a CMDB built afresh."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB, Propagation
from itsmcore.errors import ItsmError
from itsmcore.testing.strategies import cmdbs

from .test_impact import ENGINES, _ids_of, oracle

IDS = [f"c{i}" for i in range(14)]
TYPES = ["Depends on", "Runs on", "Contains", "Manages", "Members"]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("add_ci"), st.sampled_from(IDS)),
        st.tuples(st.just("remove_ci"), st.sampled_from(IDS)),
        st.tuples(
            st.just("add_rel"), st.sampled_from(IDS), st.sampled_from(TYPES), st.sampled_from(IDS)
        ),
        st.tuples(
            st.just("remove_rel"),
            st.sampled_from(IDS),
            st.sampled_from(TYPES),
            st.sampled_from(IDS),
        ),
        st.tuples(st.just("add_group"), st.sampled_from(IDS), st.integers(1, 3)),
        st.tuples(st.just("add_group"), st.sampled_from(IDS), st.integers(1, 3)),
        st.tuples(st.just("remove_group"), st.integers(0, 5)),
        st.tuples(st.just("impact"), st.sets(st.sampled_from(IDS), max_size=3)),
    ),
    max_size=40,
)
# links into a few consumers, so that groups can form over them after the first index
hubs = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(["c0", "c1", "c2"])), max_size=12)


def _apply(cmdb: CMDB, op: tuple[object, ...]) -> None:
    kind = op[0]
    with contextlib.suppress(ItsmError):  # refused changes leave the CMDB as it was
        if kind == "add_ci":
            cmdb.add_ci(CI(id=str(op[1]), ci_class="application"))
        elif kind == "remove_ci":
            cmdb.remove_ci(str(op[1]))
        elif kind == "add_rel":
            cmdb.add_relationship(str(op[1]), str(op[2]), str(op[3]))
        elif kind == "remove_rel":
            cmdb.remove_relationship(str(op[1]), str(op[2]), str(op[3]))
        elif kind == "add_group":
            consumer = str(op[1])
            if consumer not in cmdb:
                return
            registry = cmdb.relationship_types
            providers = sorted(
                u
                for u, data in cmdb.graph.pred[consumer].items()
                if registry.get(data["type"]).propagation is not Propagation.NONE
            )
            cmdb.add_redundancy_group(consumer, providers[: int(op[2]) + 1], 1)  # type: ignore[call-overload]
        elif kind == "remove_group":
            groups = cmdb.redundancy_groups()
            if groups:
                cmdb.remove_redundancy_group(groups[int(op[1]) % len(groups)])  # type: ignore[call-overload]
        else:
            sources = sorted(c for c in op[1] if c in cmdb)  # type: ignore[attr-defined]
            for engine in ENGINES:
                cmdb.impact(sources, engine=engine)  # type: ignore[arg-type]


@settings(max_examples=60)
@given(start=cmdbs(max_cis=8), links=hubs, steps=ops, data=st.data())
def test_patched_index_agrees_with_a_fresh_build(
    start: CMDB,
    links: list[tuple[str, str]],
    steps: list[tuple[object, ...]],
    data: st.DataObject,
) -> None:
    cmdb = start
    cmdb.add_cis([CI(id=c, ci_class="application") for c in IDS if c not in cmdb])
    cmdb.impact([])  # build an index, so the changes below patch it
    for provider, consumer in links:
        _apply(cmdb, ("add_rel", consumer, "Depends on", provider))
    for op in steps:
        _apply(cmdb, op)
    fresh = CMDB.from_records(
        cis=cmdb.cis(),
        relationships=cmdb.relationships(),
        redundancy_groups=cmdb.redundancy_groups(),
    )
    down = _ids_of(cmdb, data) if len(cmdb) else set()
    for engine in ENGINES:
        got = cmdb.impact(sorted(down), engine=engine)  # type: ignore[arg-type]
        want = fresh.impact(sorted(down), engine=engine)  # type: ignore[arg-type]
        assert list(got.items()) == list(want.items())
        assert [got.path(c) for c in got] == [want.path(c) for c in want]
    state, dist = oracle(cmdb, down)
    assert {i.ci_id: int(i.state) for i in got.items()} == state
    assert {i.ci_id: i.depth for i in got.items()} == dist


def test_a_change_patches_the_previous_index() -> None:
    cmdb = CMDB()
    cmdb.add_cis([CI(id=f"c{i}", ci_class="vm") for i in range(200)])
    cmdb.add_relationships([(f"c{i}", "Runs on", f"c{i - 1}") for i in range(1, 200)])
    first = cmdb.index()
    cmdb.add_ci(CI(id="new", ci_class="vm"))
    cmdb.add_relationship("new", "Runs on", "c0")
    state = cmdb._state
    assert state.seed is not None
    assert state.seed.base is first  # patched, not rebuilt
    assert len(state.seed.rows) <= 2
    assert cmdb.impact(["c0"]).state("new").label == "down"
    cmdb.remove_ci("new")
    assert "new" not in cmdb.impact(["c0"])
    assert len(cmdb.impact(["c0"])) == 200


def test_a_removed_id_can_come_back() -> None:
    cmdb = CMDB()
    cmdb.add_cis([CI(id="a", ci_class="vm"), CI(id="b", ci_class="vm")])
    cmdb.add_relationship("b", "Runs on", "a")
    cmdb.impact(["a"])
    cmdb.remove_ci("b")
    cmdb.add_ci(CI(id="b", ci_class="database"))
    assert cmdb.impact(["a"]).cis == {"a"}
    cmdb.add_relationship("b", "Depends on", "a")
    assert cmdb.impact(["a"]).cis == {"a", "b"}
    assert cmdb.ci("b").ci_class == "database"
    assert [c.id for c in cmdb.cis()] == ["a", "b"]


@settings(max_examples=30)
@given(cmdb=cmdbs(), steps=ops, data=st.data())
def test_without_numpy_the_pure_index_agrees(
    cmdb: CMDB, steps: list[tuple[object, ...]], data: st.DataObject
) -> None:
    """Without the ``fast`` extra the index is plain lists, rebuilt after each change."""
    from unittest import mock

    from itsmcore.cmdb import _index

    cmdb.add_cis([CI(id=c, ci_class="application") for c in IDS if c not in cmdb])
    with mock.patch.object(_index, "HAVE_NUMPY", False):
        pure = CMDB.from_records(
            cis=cmdb.cis(),
            relationships=cmdb.relationships(),
            redundancy_groups=cmdb.redundancy_groups(),
        )
        for op in steps:
            _apply(pure, op)
            _apply(cmdb, op)
        down = _ids_of(cmdb, data) if len(cmdb) else set()
        got = pure.impact(sorted(down))
        assert not got._index.vectorised
        got_items = list(got.items())
        got_sets = (set(got.down), set(got.degraded), set(got.cis))
        got_paths = [got.path(c) for c in got]
    want = cmdb.impact(sorted(down))
    assert got_items == list(want.items())
    assert got_sets == (set(want.down), set(want.degraded), set(want.cis))
    assert got_paths == [want.path(c) for c in want]
