"""Change conflict detection: a new change against 10,000 scheduled changes on a 100k-CI CMDB.

Run ``python benchmarks/bench_changes.py`` (``--quick``: fewer probes). itsmcore's
``detect_conflicts`` (indexed schedule, CMDB neighbourhoods through the public impact and
depends-on API) is timed next to a pairwise scan of every scheduled change with the
neighbours read from the networkx graph directly (what a plain implementation does). Both
must report the same conflicts. Target: under 1 s per new change.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cmdb_generator import generate
from itsmcore.changes import ChangeSchedule, PlannedChange, detect_conflicts
from itsmcore.cmdb import CMDB, Propagation

TARGET_MS = 1000.0
BASE = datetime(2026, 3, 2, tzinfo=UTC)


def schedule_of(ids: list[str], n: int, rng: random.Random) -> list[PlannedChange]:
    changes = []
    for i in range(n):
        start = BASE + timedelta(hours=rng.randrange(90 * 24))
        changes.append(
            PlannedChange(
                number=f"CHG{i:05d}",
                start=start,
                end=start + timedelta(hours=rng.randint(1, 8)),
                cis=rng.sample(ids, rng.randint(1, 3)),
                assignee=f"eng{rng.randrange(200)}",
            )
        )
    return changes


def naive(new: PlannedChange, changes: list[PlannedChange], cmdb: CMDB) -> set[tuple[str, ...]]:
    """Pairwise scan; neighbours from the networkx graph (impact-carrying edges only)."""
    graph, types = cmdb.graph, cmdb.relationship_types
    moves = {t.name: t.propagation is not Propagation.NONE for t in types}
    near = {
        x: {v for v in graph.successors(x) if moves[graph.edges[x, v]["type"]]}
        | {u for u in graph.predecessors(x) if moves[graph.edges[u, x]["type"]]}
        for x in new.cis
    }
    found = set()
    for other in changes:
        if not (new.start < other.end and other.start < new.end):
            continue
        for x in new.cis:
            for y in other.cis:
                if x == y:
                    found.add(("same_ci", other.number, x, y))
                elif y in near[x]:
                    found.add(("related_ci", other.number, x, y))
        if new.assignee == other.assignee:
            found.add(("same_assignee", other.number, "", ""))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    probes = 5 if args.quick else 20
    rng = random.Random(11)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    t = time.perf_counter()
    cmdb = generate(100_000).build()
    cmdb.index()
    say(
        f"CMDB: {len(cmdb)} CIs, {cmdb.graph.number_of_edges()} relationships "
        f"(built in {time.perf_counter() - t:.1f} s)"
    )
    ids = sorted(cmdb.graph.nodes)
    changes = schedule_of(ids, 10_000, rng)
    t = time.perf_counter()
    schedule = ChangeSchedule(changes)
    build_ms = (time.perf_counter() - t) * 1000
    say(f"schedule: {len(schedule)} changes over 90 days, indexed in {build_ms:.0f} ms")
    hubs = [i for i in ids if i.startswith(("core", "dist", "sa"))]
    ours, theirs, sizes = [], [], []
    for k in range(probes):
        cis = [*rng.sample(ids, 2), rng.choice(hubs)]
        start = BASE + timedelta(hours=rng.randrange(90 * 24))
        new = PlannedChange(
            number=f"NEW{k}",
            start=start,
            end=start + timedelta(hours=6),
            cis=cis,
            assignee=f"eng{rng.randrange(200)}",
        )
        t = time.perf_counter()
        found = detect_conflicts(new, schedule, cmdb=cmdb)
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        expected = naive(new, changes, cmdb)
        theirs.append((time.perf_counter() - t) * 1000)
        got = {(c.kind, c.other_change or "", c.ci or "", c.other_ci or "") for c in found}
        if got != expected:
            raise SystemExit(f"mismatch on {new}: {sorted(got ^ expected)[:5]}")
        sizes.append(len(found))
    med_ours, med_theirs = statistics.median(ours), statistics.median(theirs)
    say(f"new change (3 CIs, one a network/storage hub) x {probes} probes, median (max):")
    say(f"  itsmcore detect_conflicts       {med_ours:8.1f} ms ({max(ours):.1f})")
    say(f"  pairwise scan + nx neighbours   {med_theirs:8.1f} ms ({max(theirs):.1f})")
    say(f"  ratio itsmcore / pairwise       {med_ours / med_theirs:8.2f}x")
    say(
        f"  conflicts per new change        median {statistics.median(sizes):.0f}, max {max(sizes)}"
    )
    ok = max(ours) < TARGET_MS and build_ms + max(ours) < TARGET_MS
    say(
        f"target < {TARGET_MS:.0f} ms per new change (schedule indexing included): "
        f"{'met' if ok else 'MISSED'} (worst {build_ms + max(ours):.0f} ms)"
    )
    out = Path(__file__).resolve().parent / "results" / "changes.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
