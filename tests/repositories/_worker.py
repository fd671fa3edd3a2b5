"""Child processes of the SQL adapter tests: separate OS processes with their own connections.

They are forked from the test process where the platform allows it (no interpreter start-up
and imports per child, which cost seconds on a loaded machine), spawned elsewhere. Each child
opens its own :class:`SQLStore` on the URL and prefix it is given and never touches the
parent's connections; a forked child leaves through ``os._exit`` (multiprocessing does
that), so nothing of the parent's is closed or flushed twice.

``write``: land ``count`` tagged changes on the given tickets, retrying on conflict, and
write the tags that landed to ``out``, one a line. ``crash``: start a unit of work that adds
tickets and changes one, and stop inside its commit (after every statement, before COMMIT)
so the parent can SIGKILL it.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from itsmcore.repositories.sql import SQLStore, _store
from itsmcore.testing._contract_samples import renumbered, sample_tickets
from itsmcore.testing.contract import apply_one


def context() -> BaseContext:
    """Fork where available (Linux, macOS), spawn elsewhere."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def write(url: str, prefix: str, worker: int, count: int, numbers: list[str], out: str) -> None:
    store = SQLStore(url, prefix=prefix, create=False)
    landed = []
    for step in range(count):
        number = numbers[(worker + step) % len(numbers)]
        tag = f"w{worker}p-s{step}"
        for _ in range(1000):
            if apply_one(store, number, tag, step):
                landed.append(tag)
                break
        else:
            raise SystemExit(f"{tag} never landed")
    store.close()
    Path(out).write_text("".join(f"{tag}\n" for tag in landed))


def crash(url: str, prefix: str, marker: str) -> None:
    store = SQLStore(url, prefix=prefix, create=False)

    def stop_here(conn: sa.Connection) -> None:
        Path(marker).write_text("inside the commit\n")
        threading.Event().wait(120)

    _store._before_commit = stop_here  # type: ignore[assignment]
    template = sample_tickets()[0]
    with store.unit_of_work() as uow:
        for i in range(50):
            uow.tickets.add(renumbered(template, f"CRASH{i:04d}"))
        record = uow.tickets.get(template.number)
        uow.tickets.save(record.note("half", at=record.history[-1].at, actor="ann"))
        uow.commit()


def start(target: Any, *args: Any) -> multiprocessing.process.BaseProcess:
    """``target(*args)`` running in a child process."""
    child = context().Process(target=target, args=args, daemon=True)
    child.start()
    return child
