"""Repositories: saves/s and loads/s per adapter, beside the raw driver in the same run.

For each database (SQLite file, PostgreSQL, MariaDB when reachable) the adapter
(``SQLStore`` through its units of work) and the raw DB-API driver (``sqlite3``, ``psycopg``,
``pymysql``) do the same work on the same tables:

* add: new incidents (4 events each: created, start, note, resolve) in units of work of
  100 tickets; the raw driver inserts the same ticket, event and link rows with
  ``executemany`` in one transaction per 100 (rows and JSON prepared outside its timing);
* update: load a ticket, add a note, save, one unit of work each; raw: the same statements
  (the ``SELECT`` of its event rows, then the guarded ``UPDATE ... WHERE version = ?`` of
  the ticket row and the event ``INSERT`` in one transaction), rows prepared outside its
  timing; ``update+form``: raw also decodes the rows into the record and encodes the new
  event inside it; ``update-write``: raw only writes (no read; the old peer);
* load: one ticket by number (``uow.tickets.get``: events read, decoded, replayed and
  checked); raw: the same ``SELECT`` of the event rows, fetched; ``load+form``: raw also
  decodes them (``json.loads`` where the driver returns text, then the record data form).

``MemoryStore`` is listed for scale. ``--cmdb N`` also times loading a CMDB of N CIs (and
about 1.2 N relationships) from SQLite into an impact-ready ``CMDB`` (the issue's target:
1M in under 30 s; takes minutes and ~1.5 GB to build, so it is opt-in).

Run: ``.venv/bin/python benchmarks/bench_repositories.py [--quick] [--cmdb 1000000]``.
Writes ``benchmarks/results/repositories.txt`` (not with ``--quick``).
"""

# ruff: noqa: S608  # statements built from our own table prefix only

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from itsmcore.data import structure
from itsmcore.incidents import open_incident
from itsmcore.repositories import MemoryStore, Store, summarize
from itsmcore.repositories._ports import _micros
from itsmcore.repositories.sql import SQLStore
from itsmcore.workflow import Record, event_to_data

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIA = "mysql+pymysql://root:@127.0.0.1:3306/test"
BASE = datetime(2026, 3, 2, 8, tzinfo=UTC)
RESULTS = Path(__file__).with_name("results") / "repositories.txt"


def make_tickets(n: int, tag: str) -> list[Record]:
    out = []
    for i in range(n):
        at = BASE + timedelta(minutes=i)
        inc = open_incident(
            f"{tag}{i:07d}", at=at, actor="desk", caller="carla", short_description="down",
            impact=2, urgency=2,
            fields={"assignment_group": "network", "configuration_item": f"ci-{i % 50}"},
        )  # fmt: skip
        inc = inc.apply("start", at=at, actor="ann")
        inc = inc.note("looking", at=at, actor="ann")
        inc = inc.apply(
            "resolve", at=at, actor="ann",
            fields={"resolution_code": "solved", "resolution_notes": "ok"},
        )  # fmt: skip
        out.append(inc)
    return out


def rows_for(records: list[Record]) -> tuple[list[tuple[Any, ...]], ...]:
    """The rows the adapter writes, prepared for the raw driver (JSON already encoded)."""
    tickets, events, links = [], [], []
    for r in records:
        s = summarize(r)
        tickets.append(
            (s.number, s.record_type, s.workflow, s.workflow_version, s.state, s.version,
             s.is_open, s.assignee, s.group, s.opened_us, s.updated_us, json.dumps({}))
        )  # fmt: skip
        for e in r.history:
            events.append(
                (s.number, e.seq, _micros(e.at), e.kind, e.actor, e.transition, e.source,
                 e.target, json.dumps(event_to_data(e, r.workflow)))
            )  # fmt: skip
        links += [(s.number, "ci", c) for c in sorted(s.cis)]
    return tickets, events, links


def _elapsed(fn: Callable[[], int]) -> float:
    """Run ``fn``, which times its own core and leaves it in ``fn.elapsed``; return that."""
    fn()
    return float(fn.elapsed)  # type: ignore[attr-defined]


def best(fn: Callable[[], int], repeat: int) -> float:
    """Operations per second, best of ``repeat`` runs of ``fn`` (which returns its count)."""
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        count = fn()
        rates.append(count / (time.perf_counter() - start))
    return max(rates)


class Raw:
    """The DB-API driver on the adapter's own tables."""

    def __init__(self, kind: str, store: SQLStore, path: str | None) -> None:
        self.kind, self.p = kind, store.prefix
        if kind == "sqlite":
            self.conn: Any = sqlite3.connect(path, isolation_level=None)
            self.conn.execute("PRAGMA synchronous=NORMAL")  # as the adapter sets it
            self.mark = "?"
        elif kind == "postgresql":
            import psycopg

            self.conn = psycopg.connect("host=127.0.0.1 user=postgres dbname=test")
            self.mark = "%s"
        else:
            import pymysql

            self.conn = pymysql.connect(host="127.0.0.1", user="root", database="test")
            self.mark = "%s"

    def _begin(self) -> Any:
        cur = self.conn.cursor()
        if self.kind == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        return cur

    def _commit(self, cur: Any) -> None:
        if self.kind == "sqlite":
            cur.execute("COMMIT")
        else:
            self.conn.commit()

    def insert(self, tickets: list[Any], events: list[Any], links: list[Any]) -> None:
        m, p = self.mark, self.p
        cur = self._begin()
        cur.executemany(f"INSERT INTO {p}tickets (number, record_type, workflow, "
                        "workflow_version, state, version, is_open, assignee, assignment_group, "
                        f"opened_at, updated_at, fields) VALUES ({', '.join([m] * 12)})", tickets)
        cur.executemany(f"INSERT INTO {p}ticket_events (number, seq, at, kind, actor, transition,"
                        f" source, target, data) VALUES ({', '.join([m] * 9)})", events)
        cur.executemany(f"INSERT INTO {p}ticket_links (number, kind, value) VALUES ({m}, {m}, {m})",
                        links)  # fmt: skip
        self._commit(cur)

    def update(self, number: str, version: int, event: tuple[Any, ...], row: tuple[Any, ...]
               ) -> None:  # fmt: skip
        """The guarded UPDATE (every column the adapter sets) and the event INSERT."""
        m, p = self.mark, self.p
        cur = self._begin()
        cur.execute(f"UPDATE {p}tickets SET record_type = {m}, workflow = {m}, "
                    f"workflow_version = {m}, state = {m}, version = {m}, is_open = {m}, "
                    f"assignee = {m}, assignment_group = {m}, opened_at = {m}, "
                    f"updated_at = {m}, fields = {m} WHERE number = {m} AND version = {m}",
                    (*row[1:4], row[4], version + 1, *row[6:10], event[2], row[11], number,
                     version))  # fmt: skip
        assert cur.rowcount == 1
        cur.executemany(f"INSERT INTO {p}ticket_events (number, seq, at, kind, actor, transition,"
                        f" source, target, data) VALUES ({', '.join([m] * 9)})", [event])
        self._commit(cur)

    def load(self, number: str) -> list[Any]:
        m, p = self.mark, self.p
        cur = self.conn.cursor()
        cur.execute(f"SELECT e.data, t.record_type, t.workflow, t.workflow_version FROM "
                    f"{p}ticket_events e JOIN {p}tickets t ON t.number = e.number "
                    f"WHERE e.number = {m} ORDER BY e.seq", (number,))  # fmt: skip
        rows: list[Any] = cur.fetchall()
        if self.kind != "sqlite":
            self.conn.commit()
        return rows

    def decode(self, number: str, rows: list[Any]) -> Record:
        """What a raw-driver user does to get the record: the record data form, read back."""
        first = rows[0]
        events = [json.loads(r[0]) if isinstance(r[0], str | bytes) else r[0] for r in rows]
        body = {"record_type": first[1], "number": number,
                "workflow": {"name": first[2], "version": first[3]}, "events": events}
        return structure(body, Record)

    def close(self) -> None:
        self.conn.close()


def bench_store(name: str, store: Store, raw: Raw | None, n: int, repeat: int) -> list[str]:
    lines = []
    batch = 100

    def add_adapter() -> int:
        tickets = make_tickets(n, f"A{uuid.uuid4().hex[:6]}")
        start = time.perf_counter()
        for i in range(0, n, batch):
            with store.unit_of_work() as uow:
                for record in tickets[i : i + batch]:
                    uow.tickets.add(record)
                uow.commit()
        add_adapter.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
        return n

    def timed(fn: Callable[[], int]) -> float:
        rates = []
        for _ in range(repeat):
            fn()
            rates.append(n / fn.elapsed)  # type: ignore[attr-defined]
        return max(rates)

    add_rate = timed(add_adapter)
    raw_add = None
    if raw is not None:

        def add_raw() -> int:
            tickets = make_tickets(n, f"R{uuid.uuid4().hex[:6]}")
            t_rows, e_rows, l_rows = rows_for(tickets)
            per = {r[0]: [] for r in t_rows}  # type: dict[str, list[Any]]
            for row in e_rows:
                per[row[0]].append(row)
            start = time.perf_counter()
            for i in range(0, n, batch):
                part = t_rows[i : i + batch]
                keys = {r[0] for r in part}
                raw.insert(part, [e for k in keys for e in per[k]],
                           [x for x in l_rows if x[0] in keys])  # fmt: skip
            add_raw.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            return n

        raw_add = timed(add_raw)

        def add_raw_form() -> int:
            tickets = make_tickets(n, f"F{uuid.uuid4().hex[:6]}")
            start = time.perf_counter()
            for i in range(0, n, batch):
                raw.insert(*rows_for(tickets[i : i + batch]))
            add_raw_form.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            return n

        raw_form = timed(add_raw_form)

    # update and load on one set of tickets
    tickets = make_tickets(n, f"U{uuid.uuid4().hex[:6]}")
    with store.unit_of_work() as uow:
        for record in tickets:
            uow.tickets.add(record)
        uow.commit()
    numbers = [t.number for t in tickets]
    ups = min(n, 500)

    def update_adapter() -> int:
        for number in numbers[:ups]:
            with store.unit_of_work() as uow:
                record = uow.tickets.get(number)
                uow.tickets.save(record.note("again", at=record.history[-1].at, actor="bob"))
                uow.commit()
        return ups

    def load_adapter() -> int:
        with store.unit_of_work() as uow:
            for number in numbers[:ups]:
                uow.tickets.get(number)
        return ups

    up_rate = best(update_adapter, repeat)
    load_rate = best(load_adapter, repeat)
    raw_up = raw_load = raw_up_form = raw_up_write = raw_load_form = None
    if raw is not None:
        versions = dict.fromkeys(numbers, 0)
        with store.unit_of_work() as uow:
            for number in numbers[:ups]:
                versions[number] = uow.tickets.version_of(number) or 0
        # a valid next event of each ticket (a note), renumbered for each version
        notes = {t.number: t.note("again", at=t.history[-1].at, actor="bob").history[-1]
                 for t in tickets}  # fmt: skip
        flow = tickets[0].workflow
        ticket_rows = {r[0]: r for r in rows_for(tickets)[0]}

        def event_row(number: str, v: int) -> tuple[Any, ...]:
            e = notes[number]
            data = dict(event_to_data(e, flow), seq=v + 1)
            return (number, v + 1, _micros(e.at), e.kind, e.actor, None, e.source, e.target,
                    json.dumps(data))  # fmt: skip

        def update_raw_write() -> int:
            for number in numbers[:ups]:
                v = versions[number]
                raw.update(number, v, event_row(number, v), ticket_rows[number])
                versions[number] = v + 1
            return ups

        def update_raw() -> int:
            prepared = {n: event_row(n, versions[n]) for n in numbers[:ups]}
            start = time.perf_counter()
            for number in numbers[:ups]:
                v = versions[number]
                raw.load(number)
                raw.update(number, v, prepared[number], ticket_rows[number])
                versions[number] = v + 1
            update_raw.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            return ups

        def update_raw_form() -> int:
            for number in numbers[:ups]:
                v = versions[number]
                record = raw.decode(number, raw.load(number))
                assert record.version == v
                raw.update(number, v, event_row(number, v), ticket_rows[number])
                versions[number] = v + 1
            return ups

        def load_raw() -> int:
            for number in numbers[:ups]:
                raw.load(number)
            return ups

        def load_raw_form() -> int:
            for number in numbers[:ups]:
                raw.decode(number, raw.load(number))
            return ups

        raw_up_write = best(update_raw_write, repeat)
        raw_up = max(ups / _elapsed(update_raw) for _ in range(repeat))
        raw_up_form = best(update_raw_form, repeat)
        raw_load = best(load_raw, repeat)
        raw_load_form = best(load_raw_form, repeat)

    def cell(mine: float, peer: float | None) -> str:
        if peer is None:
            return f"{mine:>10,.0f} {'':>10} {'':>7}"
        return f"{mine:>10,.0f} {peer:>10,.0f} {peer / mine:>6.2f}x"

    rows = [("add", add_rate, raw_add)]
    if raw is not None:
        rows.append(("add+form", add_rate, raw_form))
    rows.append(("update", up_rate, raw_up))
    if raw is not None:
        rows += [("update+form", up_rate, raw_up_form), ("update-write", up_rate, raw_up_write)]
    rows.append(("load", load_rate, raw_load))
    if raw is not None:
        rows.append(("load+form", load_rate, raw_load_form))
    lines += [f"{name:<11} {op:<12} {cell(mine, peer)}" for op, mine, peer in rows]
    return lines


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def reachable(url: str) -> bool:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def bench_cmdb(count: int, folder: Path) -> str:
    from itsmcore.cmdb import CI

    path = folder / "cmdb.db"
    store = SQLStore.sqlite(path)
    classes = ("server", "application", "database", "network_device")
    start = time.perf_counter()
    cis = [CI(id=f"ci{i}", ci_class=classes[i % 4]) for i in range(count)]
    rels = [(f"ci{i}", "Depends on", f"ci{i // 2 - 1}") for i in range(4, count)]
    rels += [(f"ci{i}", "Hosted on", f"ci{i + 7}") for i in range(0, count - 7, 5)]
    with store.unit_of_work() as uow:
        uow.cmdb.add_cis(cis)
        uow.cmdb.add_relationships(rels)
        uow.commit()
    built = time.perf_counter() - start
    del cis
    start = time.perf_counter()
    with store.unit_of_work() as uow:
        cmdb = uow.cmdb.load()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    down = len(cmdb.impact([f"ci{count - 1}"]).down)
    first = time.perf_counter() - start
    store.close()
    return (
        f"CMDB from SQLite: {len(cmdb):,} CIs, {len(rels):,} relationships: stored in "
        f"{built:.1f} s, loaded impact-ready in {loaded:.1f} s (target < 30 s); first impact "
        f"query {first:.2f} s ({down} CIs down)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cmdb", type=int, default=0)
    args = parser.parse_args()
    n, repeat = (300, 1) if args.quick else (2000, 3)
    folder = Path(tempfile.mkdtemp())
    header = [
        "Repositories: ops/s per adapter (best of runs) beside the raw DB-API driver doing the "
        "same statements in the same run",
        f"{n} incidents of 4 events; add in units of work of 100; update/load one ticket per "
        "unit of work",
        "",
        f"{'store':<11} {'op':<12} {'adapter':>10} {'raw':>10} {'raw/ad':>7}",
    ]
    lines = list(header)
    bench_store("warm-up", MemoryStore(), None, 100, 1)
    lines += bench_store("memory", MemoryStore(), None, n, repeat)
    targets = [("sqlite", None), ("postgresql", PG), ("mariadb", MARIA)]
    for kind, url in targets:
        if url is not None and not reachable(url):
            lines.append(f"{kind:<11} (unreachable: skipped)")
            continue
        prefix = f"b{uuid.uuid4().hex[:6]}_"
        path = str(folder / "bench.db")
        store = (
            SQLStore.sqlite(path, prefix=prefix) if url is None else SQLStore(url, prefix=prefix)
        )
        raw = Raw(kind, store, path)
        try:
            lines += bench_store(kind, store, raw, n, repeat)
        finally:
            raw.close()
            if url is not None:
                store.drop()
            store.close()
    lines.append("")
    lines.append("raw/ad = how many times faster the raw driver is (target: <= 2x)")
    lines.append("add: the raw driver gets rows and JSON prepared outside its timing; add+form: "
                 "it also encodes them (summary, event_to_data, json.dumps) inside it")
    lines.append("update: raw reads the ticket's event rows, then the guarded UPDATE and the "
                 "event INSERT in one transaction (rows prepared outside its timing); "
                 "update+form: it also decodes the rows into the record and encodes the event; "
                 "update-write: it only writes (no read)")
    lines.append("load: raw only fetches the event rows; load+form: it also decodes them into "
                 "the record (json.loads where the driver gives text, then the record data form: "
                 "every event decoded, the history replayed with every check), as the adapter does")
    lines.append(f"load average at the start: {_load_average()}")
    if args.cmdb:
        lines.append(bench_cmdb(args.cmdb, folder))
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
