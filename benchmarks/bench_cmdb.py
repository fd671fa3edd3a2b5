"""CMDB impact benchmark: itsmcore next to nx.descendants and scipy's compiled BFS.

Run ``python benchmarks/bench_cmdb.py`` (100k and 1M CIs, written to
``benchmarks/results/cmdb.txt``) or ``--quick`` (100k only, not written). Every figure is
the median of several runs after a warm-up; each probe checks that itsmcore, networkx and
scipy reached the same CIs. networkx runs on its own ``DiGraph`` of the same edges (its
native form), scipy on a CSR matrix of them.

Beyond the analysis itself it measures what a live CMDB costs: the cold index build, the
first impact after one structural change (a CI added and removed; a relationship added)
next to a warm impact, and reading a big result (``.down``, ``.cis``, iteration) next to
the analysis that produced it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cmdb_generator import Layered, generate
from itsmcore.cmdb import CI, CMDB

TARGETS = {
    "impact_ms": 200.0,
    "union_ms": 1000.0,
    "load_s": 30.0,
    "load_mb": 2048.0,
    "index_s": 3.0,
    "after_change_x": 1.5,  # the first impact after a change, as a multiple of a warm one
    "read_x": 1.0,  # reading a result's sets, as a multiple of the analysis
}
RESULTS = Path(__file__).resolve().parent / "results" / "cmdb.txt"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, out


def run_size(n: int, runs: int, lines: list[str]) -> None:
    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    gc.collect()
    base = rss_mb()
    t0 = time.perf_counter()
    layered: Layered = generate(n)
    t1 = time.perf_counter()
    cis, rels, groups = layered.cis(), layered.relationships(), layered.redundancy_groups()
    t2 = time.perf_counter()
    cmdb = CMDB.from_records(cis=cis, relationships=rels, redundancy_groups=groups)
    t3 = time.perf_counter()
    load_s_ = t3 - t2
    del cis, rels, groups
    gc.collect()
    loaded = rss_mb()
    t3 = time.perf_counter()
    cmdb.index()
    t4 = time.perf_counter()
    indexed = rss_mb()
    m = cmdb.graph.number_of_edges()
    say(
        f"## {len(cmdb):,} CIs, {m:,} relationships ({m / len(cmdb):.2f}/CI), "
        f"{len(cmdb.redundancy_groups()):,} redundancy groups"
    )
    say(
        f"generate arrays {t1 - t0:.1f} s; build CI objects + relationship tuples "
        f"{t2 - t1:.1f} s; CMDB.from_records {load_s_:.1f} s"
    )
    index_s = t4 - t3
    say(
        f"cold index build {index_s:.2f} s (target < {TARGETS['index_s']:.0f} s: "
        f"{'ok' if index_s < TARGETS['index_s'] else 'MISSED'})"
    )
    load_s = load_s_ + (t2 - t1)
    say(
        f"load (records -> CMDB) {load_s:.1f} s (target < {TARGETS['load_s']:.0f} s: "
        f"{'ok' if load_s < TARGETS['load_s'] else 'MISSED'}); RSS after load "
        f"{loaded - base:,.0f} MB, with index {indexed - base:,.0f} MB "
        f"(target < {TARGETS['load_mb']:,.0f} MB: "
        f"{'ok' if indexed - base < TARGETS['load_mb'] else 'MISSED'})"
    )

    ids = layered.ids
    total = len(ids)
    csr = csr_matrix((np.ones(len(layered.src)), (layered.src, layered.dst)), shape=(total, total))
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(zip(map(ids.__getitem__, layered.src.tolist()),
                             map(ids.__getitem__, layered.dst.tolist()), strict=True))  # fmt: skip

    # probes: the biggest hubs of each infrastructure layer (by plain reach, via scipy)
    probes: list[tuple[str, str]] = []
    for cls in ("core_switch", "storage_array", "datastore", "hypervisor", "application", "vm"):
        members = layered.layer[cls]
        sample = members[:: max(1, len(members) // 20)][:20]
        best = max(sample.tolist(), key=lambda i: len(breadth_first_order(csr, i, True, False)))
        probes.append((cls, ids[best]))
    say()
    say(
        f"single failing CI, ms (median of {runs})           | reached  down   | itsmcore | "
        "py engine | nx.descendants | scipy BFS | vs nx | vs scipy"
    )
    say("-" * 131)
    worst = None
    for cls, ci in probes:
        i = ids.index(ci)
        ms_fast, res = timed(lambda ci=ci: cmdb.impact([ci]), runs)
        ms_py, res_py = timed(lambda ci=ci: cmdb.impact([ci], engine="python"), max(1, runs - 2))
        ms_nx, desc = timed(lambda ci=ci: nx.descendants(graph, ci), max(1, runs - 2))
        ms_sp, order = timed(lambda i=i: breadth_first_order(csr, i, True, False), runs)
        assert res.cis == desc | {ci}, "itsmcore and networkx disagree"  # type: ignore[union-attr,operator]
        assert len(order) == len(res), "itsmcore and scipy disagree"  # type: ignore[arg-type]
        assert list(res_py.items()) == list(res.items()), "engines disagree"  # type: ignore[union-attr]
        say(
            f"{cls:14} {ci:32} | {len(res):>8,} {len(res.down):>6,} | {ms_fast:8.1f} | "  # type: ignore[arg-type,union-attr]
            f"{ms_py:9.1f} | {ms_nx:14.1f} | {ms_sp:9.1f} | {ms_nx / ms_fast:5.1f}x | "
            f"{ms_fast / ms_sp:5.1f}x"
        )
        if worst is None or ms_fast > worst[0]:
            worst = (ms_fast, ms_nx, ms_sp, ci)
    assert worst is not None
    ms_fast, ms_nx, ms_sp, ci = worst
    hub = ci
    say(
        f"worst hub {ci}: {ms_fast:.1f} ms (target < {TARGETS['impact_ms']:.0f} ms: "
        f"{'ok' if ms_fast < TARGETS['impact_ms'] else 'MISSED'}); "
        f"{ms_nx / ms_fast:.1f}x faster than nx.descendants (target >= 10x: "
        f"{'ok' if ms_nx / ms_fast >= 10 else 'MISSED'}); {ms_fast / ms_sp:.1f}x the scipy floor "
        f"(target <= 5x: {'ok' if ms_fast / ms_sp <= 5 else 'MISSED'})"
    )

    # union of 1000 failing CIs
    rng = np.random.default_rng(11)
    chosen = rng.choice(total, 1000, replace=False)
    sources = [ids[k] for k in chosen.tolist()]
    ms_u, ures = timed(lambda: cmdb.impact(sources), runs)
    ms_upy, ures_py = timed(lambda: cmdb.impact(sources, engine="python"), max(1, runs - 2))

    def nx_union() -> set[str]:
        return {v for layer in nx.bfs_layers(graph, sources) for v in layer}

    ms_unx, unx = timed(nx_union, max(1, runs - 2))

    def scipy_union() -> np.ndarray:
        # super-source: one extra row pointing at every failing CI
        extra = csr_matrix(
            (np.ones(len(chosen)), (np.zeros(len(chosen), dtype=np.int64), chosen)),
            shape=(1, total + 1),
        )
        grown = csr_matrix(
            (csr.data, csr.indices, np.append(csr.indptr, csr.indptr[-1])),
            shape=(total + 1, total + 1),
        )
        from scipy.sparse import vstack

        big = vstack([grown[:total], extra]).tocsr()
        return breadth_first_order(big, total, True, False)

    ms_usp, usp = timed(scipy_union, max(1, runs - 2))
    assert ures.cis == unx, "itsmcore and networkx disagree on the union"  # type: ignore[union-attr]
    assert len(usp) - 1 == len(ures), "itsmcore and scipy disagree on the union"  # type: ignore[arg-type]
    assert list(ures_py.items()) == list(ures.items())  # type: ignore[union-attr]
    say()
    say(
        f"union of 1000 failing CIs: {len(ures):,} affected ({len(ures.down):,} down); "  # type: ignore[arg-type,union-attr]
        f"itsmcore {ms_u:.1f} ms, py engine {ms_upy:.1f} ms, nx.bfs_layers {ms_unx:.1f} ms, "
        f"scipy super-source (incl. CSR build) {ms_usp:.1f} ms; target < "
        f"{TARGETS['union_ms']:.0f} ms: {'ok' if ms_u < TARGETS['union_ms'] else 'MISSED'}"
    )
    say()
    live(cmdb, hub, runs, say)
    say()


def live(cmdb: CMDB, hub: str, runs: int, say: Callable[[str], None]) -> None:
    """A live CMDB: impact after one structural change, and reading a big result."""
    warm_ms, result = timed(lambda: cmdb.impact([hub]), runs)
    consumer = next(iter(cmdb.graph.succ[hub]))

    def after(change: Callable[[int], None]) -> float:
        times = []
        for k in range(runs):
            change(k)
            t = time.perf_counter()
            cmdb.impact([hub])
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    def add_remove_ci(k: int) -> None:
        cmdb.add_ci(CI(id=f"bench-new-{k}", ci_class="vm"))
        cmdb.remove_ci(f"bench-new-{k}")

    def add_relationship(k: int) -> None:
        cmdb.add_ci(CI(id=f"bench-rel-{k}", ci_class="application"))
        cmdb.impact([hub])  # the CI is indexed; the next change is the relationship alone
        cmdb.add_relationship(f"bench-rel-{k}", "Depends on", consumer)

    ms_ci = after(add_remove_ci)
    ms_rel = after(add_relationship)
    say(
        f"live CMDB, impact of {hub} ({len(result):,} affected): warm {warm_ms:.1f} ms; "  # type: ignore[arg-type]
        f"first after adding + removing a CI {ms_ci:.1f} ms ({ms_ci / warm_ms:.2f}x); first "
        f"after adding a relationship {ms_rel:.1f} ms ({ms_rel / warm_ms:.2f}x); target <= "
        f"{TARGETS['after_change_x']:.1f}x warm: "
        f"{'ok' if max(ms_ci, ms_rel) / warm_ms <= TARGETS['after_change_x'] else 'MISSED'} "
        "(before: a full index rebuild, 10-11 s at 1M)"
    )
    # reading the result: a fresh result each time (nothing cached from an earlier read)
    fresh = [cmdb.impact([hub]) for _ in range(runs + 1)]
    it = iter(fresh)
    ms_take, _ = timed(lambda: (len(next(it).down), len(next(it).cis)), runs // 2)
    results = iter([cmdb.impact([hub]) for _ in range(runs + 1)])
    ms_iter_set, _ = timed(lambda: sum(1 for _ in next(results).down), runs)
    results = iter([cmdb.impact([hub]) for _ in range(runs + 1)])
    ms_iter, _ = timed(lambda: sum(1 for _ in next(results)), runs)
    results = iter([cmdb.impact([hub]) for _ in range(runs + 1)])
    ms_fs, _ = timed(lambda: len(frozenset(next(results).cis)), runs)
    say(
        f"reading that result next to its {warm_ms:.1f} ms analysis: taking .down and .cis "
        f"{ms_take:.2f} ms ({ms_take / warm_ms:.2f}x); iterating .down {ms_iter_set:.1f} ms "
        f"({ms_iter_set / warm_ms:.2f}x); iterating the result by (depth, id) {ms_iter:.1f} ms "
        f"({ms_iter / warm_ms:.2f}x); frozenset(.cis) {ms_fs:.1f} ms ({ms_fs / warm_ms:.2f}x); "
        f"target <= {TARGETS['read_x']:.0f}x: "
        f"{'ok' if max(ms_take, ms_iter_set, ms_iter) / warm_ms <= TARGETS['read_x'] else 'MISSED'}"
        " (before: about 10x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k CIs only")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import scipy

    header = (
        f"# itsmcore CMDB benchmark (python {sys.version.split()[0]}, networkx "
        f"{nx.__version__}, numpy {np.__version__}, scipy {scipy.__version__})"
    )
    print(header)
    lines: list[str] = [header]
    for n in [100_000] if args.quick else [100_000, 1_000_000]:
        run_size(n, args.runs, lines)
    if not args.quick:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
