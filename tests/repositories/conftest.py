"""Databases for the SQL adapter tests: SQLite files, and PostgreSQL / MariaDB when running.

PostgreSQL (127.0.0.1:5432, user postgres, database test) and MariaDB (127.0.0.1:3306, root,
database test) tests skip with the reason when the server is unreachable, and fail instead
when ``ITSMCORE_REQUIRE_SQL=1`` (as CI sets). Every store gets its own table prefix, unique to
this test session, and its tables are dropped afterwards, so runs never collide.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the SQL adapter needs the 'sql' extra")

from itsmcore.repositories.sql import SQLStore

URLS = {
    "postgresql": os.environ.get(
        "ITSMCORE_TEST_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get("ITSMCORE_TEST_MARIADB", "mysql+pymysql://root:@127.0.0.1:3306/test"),
}
SESSION = uuid.uuid4().hex[:6]
_reachable: dict[str, str | None] = {}


def _check(backend: str) -> None:
    """Skip (or, with ITSMCORE_REQUIRE_SQL=1, fail) when ``backend`` is unreachable."""
    if backend not in _reachable:
        import sqlalchemy as sa

        try:
            engine = sa.create_engine(URLS[backend])
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
            _reachable[backend] = None
        except Exception as error:
            _reachable[backend] = str(error).splitlines()[0]
    reason = _reachable[backend]
    if reason is not None:
        message = f"{backend} at {URLS[backend]} is unreachable: {reason}"
        if os.environ.get("ITSMCORE_REQUIRE_SQL") == "1":
            pytest.fail(f"ITSMCORE_REQUIRE_SQL=1 but {message}")
        pytest.skip(message)


_counter = iter(range(1, 10**9))


def new_prefix() -> str:
    return f"t{SESSION}_{next(_counter)}_"


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name != "sqlite":
        _check(name)
    return name


def url_for(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
    return URLS[backend]


_templates: dict[str, Path] = {}
_pools: dict[str, list[SQLStore]] = {}
_POOL = 3


def _empty(store: SQLStore) -> SQLStore:
    """``store`` with every row deleted (its tables stay, already migrated)."""
    import sqlalchemy as sa

    with store.engine.begin() as conn:
        for table in reversed(store.t.metadata.sorted_tables):
            conn.execute(sa.delete(table))
    return store


@pytest.fixture(scope="session")
def _sql_pools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[SQLStore]]]:
    yield _pools
    for stores in _pools.values():
        for store in stores:
            store.drop()
            store.close()


@pytest.fixture
def make_sql_store(
    backend: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
    _sql_pools: dict[str, list[SQLStore]],
) -> Iterator[Callable[[], SQLStore]]:
    """A function giving new, empty stores on ``backend``.

    SQLite: a copy of a freshly migrated template file each time. PostgreSQL / MariaDB: one
    of a few session-wide table prefixes (migrated once), emptied before it is handed out.
    """
    created: list[SQLStore] = []
    turn = iter(range(10**9))

    def make() -> SQLStore:
        if backend == "sqlite":
            if "sqlite" not in _templates:
                template = tmp_path_factory.mktemp("template") / "template.db"
                SQLStore.sqlite(template).close()
                _templates["sqlite"] = template
            target = tmp_path / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(_templates["sqlite"], target)
            store = SQLStore.sqlite(target, create=False)
            created.append(store)
            return store
        pool = _sql_pools.setdefault(backend, [])
        if not pool:
            first = SQLStore(URLS[backend], prefix=new_prefix())
            pool.append(first)
            pool.extend(SQLStore(first.engine, prefix=new_prefix()) for _ in range(_POOL - 1))
        shared = pool[next(turn) % _POOL]
        return _empty(SQLStore(shared.engine, prefix=shared.prefix, create=False))

    yield make
    for store in created:
        store.close()
