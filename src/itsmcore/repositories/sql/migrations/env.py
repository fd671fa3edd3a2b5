"""Alembic environment of the itsmcore SQL adapter.

Run through :meth:`itsmcore.repositories.sql.SQLStore.upgrade`, which passes the connection
and the table prefix in ``config.attributes``; the version table is ``<prefix>alembic_version``.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
prefix = config.attributes["prefix"]

context.configure(
    connection=connection,
    version_table=f"{prefix}alembic_version",
    transactional_ddl=connection.dialect.name != "mysql",
)
with context.begin_transaction():
    context.run_migrations(prefix=prefix)
