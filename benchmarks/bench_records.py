"""Storing a long-lived record: an incident with 100,000 events, in one run.

Measures what an application or an adapter does with a record: its data form (to data,
to JSON text, back, with every event replayed and checked), pickle both ways, a deep copy,
reading the last 10 events and the events after a version, and the bytes per event of each
stored form. Run: ``.venv/bin/python benchmarks/bench_records.py [--quick]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from itsmcore import data
from itsmcore.incidents import Incident, open_incident
from itsmcore.workflow import Record

RESULTS = Path(__file__).parent / "results" / "records.txt"


def build(events: int) -> Incident:
    """An incident cycling hold / resume / resolve / reopen until it has ``events`` events."""
    t = datetime(2026, 1, 5, 9, tzinfo=UTC)
    inc = open_incident(
        "INC0000001",
        at=t,
        actor="desk",
        caller="carla",
        short_description="Mail is slow",
        impact=2,
        urgency=2,
    )
    inc = inc.apply("start", at=t, actor="ann")
    step = timedelta(minutes=3)
    cycle: list[Callable[[Incident, datetime], Incident]] = [
        lambda r, at: r.apply(
            "hold", at=at, actor="ann", fields={"hold_reason": "awaiting_vendor"}, reason="vendor"
        ),
        lambda r, at: r.apply("resume", at=at, actor="ann"),
        lambda r, at: r.apply(
            "resolve",
            at=at,
            actor="ann",
            fields={"resolution_code": "fixed", "resolution_notes": "restarted the relay"},
        ),
        lambda r, at: r.apply("reopen", at=at, actor="carla", comment="slow again"),
    ]
    i = 0
    while inc.version < events:
        t += step
        inc = cycle[i % 4](inc, t)
        i += 1
    return inc


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs of ``fn``, and its last result."""
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bytes_in_memory(make: Callable[[], object]) -> int:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = make()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return after - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 events, fewer runs")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    repeat = 3 if args.quick else 5

    record = build(n)
    events = record.version
    lines = [
        f"records benchmark - Python {platform.python_version()}, one incident with "
        f"{events:,} events; median of {repeat} runs",
        "",
        f"{'operation':44s} {'total':>10s} {'per event':>12s}",
    ]

    def row(name: str, seconds: float, per_event: bool = True) -> None:
        each = f"{seconds / events * 1e6:9.2f} us" if per_event else ""
        lines.append(f"{name:44s} {seconds * 1e3:8.1f} ms {each:>12s}")

    t, body = timed(lambda: data.to_data(record), repeat)
    row("to_data (versioned plain data)", t)
    t, text = timed(lambda: json.dumps(body), repeat)
    row("  ... to JSON text", t)
    t, parsed = timed(lambda: json.loads(str(text)), repeat)
    row("JSON text -> plain data", t)
    t, back = timed(lambda: data.from_data(parsed, Record), repeat)
    row("from_data (every event replayed and checked)", t)
    assert back == record
    t, blob = timed(lambda: pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), repeat)
    row("pickle.dumps", t)
    t, unpickled = timed(lambda: pickle.loads(bytes(blob)), repeat)  # noqa: S301 - our own bytes
    row("pickle.loads", t)
    assert unpickled == record
    t, _ = timed(lambda: copy.deepcopy(record), repeat)
    row("copy.deepcopy (a snapshot is immutable)", t, per_event=False)
    t, last = timed(lambda: record.history[-10:], repeat)
    row("the last 10 events (history[-10:])", t, per_event=False)
    t, since = timed(lambda: record.history.since(events - 10), repeat)
    row("the events after version n-10 (since)", t, per_event=False)
    assert since == last

    json_bytes = len(str(text).encode())
    lines += [
        "",
        "bytes per event",
        f"  JSON data form                {json_bytes / events:8.0f} B",
        f"  pickle                        {len(bytes(blob)) / events:8.0f} B",
        f"  in memory (whole snapshot)    {bytes_in_memory(lambda: build(n)) / events:8.0f} B",
    ]
    text_out = "\n".join(lines)
    print(text_out)
    if not args.quick:
        RESULTS.write_text(text_out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
