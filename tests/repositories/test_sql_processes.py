"""The SQL adapter under real concurrency: threads, processes, and a SIGKILL mid-commit."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from tests.repositories import _worker

from itsmcore.repositories.sql import SQLStore
from itsmcore.testing._contract_samples import sample_tickets
from itsmcore.testing.contract import check_histories, run_concurrent_writers


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


# Changes landed per thread / process: 4, times the depth of a deep hypothesis profile
# (HYPOTHESIS_PROFILE=thorough: 2000 examples, 20 times as many), as the contract kit does.
SAVES = 4 * max(1, (settings.default or settings()).max_examples // 100)


def test_eight_threads_on_the_same_tickets(make_sql_store: Callable[[], SQLStore]) -> None:
    store, numbers = _seeded(make_sql_store)
    landed = run_concurrent_writers(store, numbers, threads=8, saves_per_thread=SAVES)
    check_histories(store, numbers, landed)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_four_processes_on_the_same_tickets(
    make_sql_store: Callable[[], SQLStore], tmp_path: Path
) -> None:
    store, numbers = _seeded(make_sql_store)
    outs = [tmp_path / f"landed-{i}" for i in range(4)]
    children = [
        _worker.start(_worker.write, _url(store), store.prefix, i, SAVES, numbers, str(out))
        for i, out in enumerate(outs)
    ]
    for child in children:
        child.join(timeout=240)
        assert child.exitcode == 0, f"a writer process ended with {child.exitcode}"
    landed = {tag for out in outs for tag in out.read_text().split()}
    assert len(landed) == 4 * SAVES
    check_histories(store, numbers, landed)


def test_sigkill_inside_a_commit_leaves_nothing_half_written(
    backend: str, make_sql_store: Callable[[], SQLStore], tmp_path: Path
) -> None:
    store, numbers = _seeded(make_sql_store)
    with store.unit_of_work() as uow:
        before = {n: uow.tickets.get(n) for n in numbers}
    marker = tmp_path / "inside"
    child = _worker.start(_worker.crash, _url(store), store.prefix, str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        if not child.is_alive() or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the child never reached its commit ({child.exitcode})")
        time.sleep(0.02)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
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
