"""Readers and a writer at once: every read sees one whole version, none raises."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import networkx as nx
import pytest

from itsmcore.cmdb import CI, CMDB, ImpactState

READERS = 8
ROUNDS = 40
BATCH = 30
OTHERS = 3000


@pytest.fixture
def tiny_switch_interval() -> Iterator[None]:
    """Switch threads every microsecond, so reads and writes interleave finely."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _base() -> CMDB:
    """hub <- a0 <- a1 ... <- a19 (each depends on the previous), and 3000 CIs elsewhere
    (so that building an index takes long enough to be interrupted)."""
    cmdb = CMDB()
    cmdb.add_cis([CI(id="hub", ci_class="server")])
    cmdb.add_cis([CI(id=f"a{i}", ci_class="application") for i in range(20)])
    cmdb.add_relationships(
        [("a0", "Depends on", "hub")] + [(f"a{i}", "Depends on", f"a{i - 1}") for i in range(1, 20)]
    )
    cmdb.add_cis([CI(id=f"o{i}", ci_class="vm") for i in range(OTHERS)])
    cmdb.add_relationships([(f"o{i}", "Runs on", f"o{i // 2}") for i in range(1, OTHERS)])
    return cmdb


def _run(cmdb: CMDB, writer: Callable[[], None], reader: Callable[[], None]) -> list[str]:
    """Run ``writer`` once and ``reader`` in a loop on 8 threads until the writer is done."""
    errors: list[str] = []
    done = threading.Event()

    def read_loop() -> None:
        try:
            while not done.is_set():
                reader()
        except Exception as exc:  # the test reports every failure, whatever its type
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=read_loop) for _ in range(READERS)]
    for t in threads:
        t.start()
    try:
        writer()
    finally:
        done.set()
        for t in threads:
            t.join()
    return errors


def test_impact_sees_each_batch_whole_or_not_at_all(tiny_switch_interval: None) -> None:
    """The writer adds 30 CIs, then 30 relationships to the hub, in one batch each, and
    removes them again one by one: an impact of the hub has the 21 base CIs plus 0 or 30
    new ones while the batch goes in, and its depths and paths agree with one version."""
    cmdb = _base()
    names = [f"x{k}" for k in range(BATCH)]
    sizes: set[int] = set()

    def writer() -> None:
        for _ in range(ROUNDS):
            cmdb.add_cis([CI(id=x, ci_class="application") for x in names])
            cmdb.add_relationships([(x, "Depends on", "hub") for x in names])
            for x in names:
                cmdb.remove_ci(x)

    def reader() -> None:
        result = cmdb.impact(["hub"])
        size = len(result)
        sizes.add(size)
        assert 21 <= size <= 21 + BATCH, size
        assert len(result.cis) == size == len(result.down)
        assert len(list(result)) == size
        assert len(list(cmdb.cis())) - OTHERS in range(21, 22 + BATCH)
        assert result.depth("a19") == 20
        for x in names:
            if x in result:
                assert result.path(x) == ("hub", x)
                assert result.state(x) is ImpactState.DOWN

    errors = _run(cmdb, writer, reader)
    assert errors == []
    assert 21 in sizes  # the readers did run between the writes


def test_bulk_writes_are_atomic_for_every_reader(tiny_switch_interval: None) -> None:
    """With batch removals too, every version has the 30 new CIs linked or none of them,
    and every read API (lookups, listings, the networkx view, health) agrees with one."""
    cmdb = _base()
    names = [f"x{k}" for k in range(BATCH)]
    links = [(x, "Depends on", "hub") for x in names]

    def writer() -> None:
        for _ in range(ROUNDS):
            cmdb.add_cis([CI(id=x, ci_class="business_service") for x in names])
            cmdb.add_relationships(links)
            cmdb.add_redundancy_group("x0", ["hub"], 1)
            cmdb.remove_redundancy_group(cmdb.redundancy_groups()[0])
            cmdb.remove_relationships(links)
            cmdb.remove_cis(names)

    def reader() -> None:
        assert len(cmdb.impact(["hub"])) in (21, 21 + BATCH)
        assert len(list(cmdb.cis())) - OTHERS in (21, 21 + BATCH)
        assert len(list(cmdb.relationships())) - OTHERS + 1 in (20, 20 + BATCH)
        assert len(nx.descendants(cmdb.graph, "hub")) in (20, 20 + BATCH)
        assert len(cmdb.depends_on("a19")) == 21
        assert len(cmdb.health().states) in (0, BATCH)
        snap = cmdb.snapshot()
        present = sum(x in snap for x in names)
        assert present in (0, BATCH)
        linked = sum(x in snap.impact(["hub"]) for x in names)
        assert linked in (0, BATCH)
        assert linked == 0 or present == BATCH

    errors = _run(cmdb, writer, reader)
    assert errors == []
    assert len(cmdb) == 21 + OTHERS


def test_numpy_and_python_engines_agree_under_writes(tiny_switch_interval: None) -> None:
    """Readers on both engines and a writer: each result equals its own engine's twin on the
    same snapshot."""
    cmdb = _base()
    names = [f"x{k}" for k in range(BATCH)]

    def writer() -> None:
        for _ in range(ROUNDS // 2):
            cmdb.add_cis([CI(id=x, ci_class="application") for x in names])
            cmdb.add_relationships([(x, "Depends on", "a5") for x in names])
            cmdb.remove_cis(names)

    def reader() -> None:
        snap = cmdb.snapshot()
        a = snap.impact(["hub"], engine="numpy")
        b = snap.impact(["hub"], engine="python")
        assert list(a.items()) == list(b.items())

    assert _run(cmdb, writer, reader) == []
