"""The SQL adapter's schema: created by the shipped migrations, equal to the table definitions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from itsmcore.errors import ConcurrencyError, DuplicateError, ItsmError, ValidationError
from itsmcore.repositories import StorageError
from itsmcore.repositories.sql import SQLStore
from itsmcore.repositories.sql._store import _translated


def test_migrations_build_exactly_the_declared_schema(
    make_sql_store: Callable[[], SQLStore],
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = make_sql_store()
    assert store.schema_revision() == "0001"
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": lambda name, kind, _: kind != "table"
                or (name or "").startswith(store.prefix),
                "compare_type": True,
            },
        )
        diff = compare_metadata(context, store.t.metadata)
    assert [d for d in diff if "alembic_version" not in repr(d)] == []


def test_upgrading_again_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = SQLStore.sqlite(path)
    with store.unit_of_work() as uow:
        assert uow.tickets.version_of("X1") is None
    store.close()
    again = SQLStore.sqlite(path)  # opens the existing database and runs migrations again
    assert again.schema_revision() == "0001"
    again.close()


def test_a_store_without_migrations_has_no_revision(tmp_path: Path) -> None:
    store = SQLStore.sqlite(tmp_path / "empty.db", create=False)
    assert store.schema_revision() is None
    store.upgrade()
    assert store.schema_revision() == "0001"
    store.close()


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    for prefix in ("Bad", "a-b", "x" * 30, 3):
        with pytest.raises(ValidationError):
            SQLStore.sqlite(tmp_path / "x.db", prefix=prefix)  # type: ignore[arg-type]
    for url in (None, 3):
        with pytest.raises(ValidationError):
            SQLStore(url)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        SQLStore.sqlite(None)  # type: ignore[arg-type]
    store = SQLStore.sqlite(tmp_path / "closed.db")
    store.close()
    with pytest.raises(ValidationError):
        store.unit_of_work()


def test_an_unreachable_database_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="migrating"):
        SQLStore("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_driver_errors_are_translated_in_one_place() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE TABLE t (k INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        with pytest.raises(DuplicateError, match="adding"), _translated("adding", DuplicateError):
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        with pytest.raises(ConcurrencyError), _translated("appending"):
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        with pytest.raises(StorageError, match="no such table"), _translated("reading"):
            conn.execute(sa.text("SELECT * FROM missing"))
        with pytest.raises(ItsmError, match="mine"), _translated("passing"):
            raise ConcurrencyError("mine")
