"""Child processes of the SQL adapter tests (run as ``python _worker.py MODE URL PREFIX ...``).

``write``: land N tagged changes on the given tickets, retrying on conflict; print the tags
that landed, one a line. ``crash``: start a unit of work that adds tickets and changes one,
and stop inside its commit (after every statement, before COMMIT) so the parent can SIGKILL it.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import sqlalchemy as sa

from itsmcore.repositories.sql import SQLStore, _store
from itsmcore.testing._contract_samples import renumbered, sample_tickets
from itsmcore.testing.contract import apply_one


def main() -> None:
    mode, url, prefix = sys.argv[1:4]
    store = SQLStore(url, prefix=prefix, create=False)
    if mode == "write":
        worker, count = int(sys.argv[4]), int(sys.argv[5])
        numbers = sys.argv[6].split(",")
        for step in range(count):
            number = numbers[(worker + step) % len(numbers)]
            tag = f"w{worker}p-s{step}"
            for _ in range(1000):
                if apply_one(store, number, tag, step):
                    print(tag, flush=True)
                    break
            else:
                raise SystemExit(f"{tag} never landed")
    elif mode == "crash":
        marker = Path(sys.argv[4])

        def stop_here(conn: sa.Connection) -> None:
            marker.write_text("inside the commit\n")
            threading.Event().wait(120)

        _store._before_commit = stop_here  # type: ignore[assignment]
        template = sample_tickets()[0]
        with store.unit_of_work() as uow:
            for i in range(50):
                uow.tickets.add(renumbered(template, f"CRASH{i:04d}"))
            record = uow.tickets.get(template.number)
            uow.tickets.save(record.note("half", at=record.history[-1].at, actor="ann"))
            uow.commit()
    store.close()


if __name__ == "__main__":
    main()
