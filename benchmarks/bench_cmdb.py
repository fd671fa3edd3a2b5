"""CMDB impact benchmark: itsmcore next to nx.descendants and scipy's compiled BFS.

Run ``python benchmarks/bench_cmdb.py`` (100k and 1M CIs) or ``--quick`` (100k only).
Every figure is the median of several runs after a warm-up; each probe checks that itsmcore,
networkx and scipy reached the same CIs.
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
from itsmcore.cmdb import CMDB

TARGETS = {"impact_ms": 200.0, "union_ms": 1000.0, "load_s": 30.0, "load_mb": 2048.0}


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
    del cis, rels, groups
    gc.collect()
    loaded = rss_mb()
    cmdb.index().arrays()
    t4 = time.perf_counter()
    indexed = rss_mb()
    m = cmdb.graph.number_of_edges()
    say(
        f"## {len(cmdb):,} CIs, {m:,} relationships ({m / len(cmdb):.2f}/CI), "
        f"{len(cmdb.redundancy_groups()):,} redundancy groups"
    )
    say(
        f"generate arrays {t1 - t0:.1f} s; build CI objects + relationship tuples "
        f"{t2 - t1:.1f} s; CMDB.from_records {t3 - t2:.1f} s; compact index {t4 - t3:.1f} s"
    )
    load_s = t3 - t1
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
    graph = cmdb.graph

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
        i = cmdb.index().pos[ci]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k CIs only")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines: list[str] = []
    print(
        f"# itsmcore CMDB benchmark (python {sys.version.split()[0]}, networkx "
        f"{nx.__version__}, numpy {np.__version__})"
    )
    for n in [100_000] if args.quick else [100_000, 1_000_000]:
        run_size(n, args.runs, lines)


if __name__ == "__main__":
    main()
