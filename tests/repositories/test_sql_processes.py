"""The SQL adapter under real concurrency: threads, processes, and a SIGKILL mid-commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from itsmcore.repositories.sql import SQLStore
from itsmcore.testing._contract_samples import sample_tickets
from itsmcore.testing.contract import check_histories, run_concurrent_writers

WORKER = str(Path(__file__).with_name("_worker.py"))
ROOT = Path(__file__).resolve().parents[2]


def _seeded(make: Callable[[], SQLStore]) -> tuple[SQLStore, list[str]]:
    store = make()
    tickets = sample_tickets()[:3]
    with store.unit_of_work() as uow:
        for record in tickets:
            uow.tickets.add(record)
        uow.commit()
    return store, [t.number for t in tickets]


def _url(store: SQLStore) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _child(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen(  # noqa: S603 - our own worker script
        [sys.executable, WORKER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_eight_threads_on_the_same_tickets(make_sql_store: Callable[[], SQLStore]) -> None:
    store, numbers = _seeded(make_sql_store)
    landed = run_concurrent_writers(store, numbers, threads=8, saves_per_thread=8)
    check_histories(store, numbers, landed)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_four_processes_on_the_same_tickets(make_sql_store: Callable[[], SQLStore]) -> None:
    store, numbers = _seeded(make_sql_store)
    count = 5
    children = [
        _child("write", _url(store), store.prefix, str(i), str(count), ",".join(numbers))
        for i in range(4)
    ]
    landed: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        landed.update(out.split())
    assert len(landed) == 4 * count
    check_histories(store, numbers, landed)


def test_sigkill_inside_a_commit_leaves_nothing_half_written(
    backend: str, make_sql_store: Callable[[], SQLStore], tmp_path: Path
) -> None:
    store, numbers = _seeded(make_sql_store)
    with store.unit_of_work() as uow:
        before = {n: uow.tickets.get(n) for n in numbers}
    marker = tmp_path / "inside"
    child = _child("crash", _url(store), store.prefix, str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the child never reached its commit: {child.communicate()}")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # the database recovers (PostgreSQL/MariaDB end the session; SQLite rolls back its WAL)
    # and holds exactly what it held before the unit of work
    with store.unit_of_work() as uow:
        assert uow.tickets.get_many([f"CRASH{i:04d}" for i in range(50)]) == {}
        assert {n: uow.tickets.get(n) for n in numbers} == before
        page = uow.tickets.find(limit=100)
        assert sorted(r.number for r in page) == sorted(numbers)
    # and it takes writes again at once (no lock left behind)
    with store.unit_of_work() as uow:
        record = uow.tickets.get(numbers[0])
        uow.tickets.save(record.note("after the crash", at=record.history[-1].at, actor="ann"))
        uow.commit()
