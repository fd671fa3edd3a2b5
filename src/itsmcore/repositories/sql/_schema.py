"""The tables of the SQL adapter, one definition for SQLite, PostgreSQL and MariaDB.

Every table and index name starts with the store's prefix, so several stores (or test runs)
share one database without colliding. What is queried has real columns (instants as whole
microseconds since the Unix epoch, UTC: exact and ordered the same on every database); what is
free-form is JSON in the core's data form. History rows are append-only: one per event,
keyed by ``(number, seq)``, the backstop of the optimistic version check.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

__all__ = ["KEY", "Tables", "tables"]

KEY = 255
"""Length of indexed text columns (numbers, states, names, ids)."""


def _text_type(length: int) -> sa.types.TypeEngine[str]:
    """Text compared byte by byte (code point order, no case folding, no padding) everywhere,
    so equality and order are Python's: ``C`` on PostgreSQL, a binary no-pad collation on
    MariaDB, SQLite's default BINARY."""
    return (
        sa.String(length)
        .with_variant(sa.String(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, collation="utf8mb4_nopad_bin"), "mysql", "mariadb")
    )


def _key(name: str, *, nullable: bool = False, primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(name, _text_type(KEY), nullable=nullable, primary_key=primary_key)


class Tables:
    """The tables of one store (``prefix`` + name), bound to their own MetaData."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.metadata = md = sa.MetaData()
        p = prefix
        self.tickets = sa.Table(
            f"{p}tickets",
            md,
            _key("number", primary_key=True),
            _key("record_type"),
            _key("workflow"),
            sa.Column("workflow_version", sa.Integer, nullable=False),
            _key("state"),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("is_open", sa.Boolean, nullable=False),
            _key("assignee", nullable=True),
            _key("assignment_group", nullable=True),
            sa.Column("opened_at", sa.BigInteger, nullable=False),
            sa.Column("updated_at", sa.BigInteger, nullable=False),
            sa.Column("fields", sa.JSON, nullable=False),
            sa.Index(f"{p}ix_tickets_opened", "opened_at", "number"),
            sa.Index(f"{p}ix_tickets_updated", "updated_at", "number"),
            sa.Index(f"{p}ix_tickets_open", "is_open", "opened_at", "number"),
            sa.Index(f"{p}ix_tickets_state", "state", "opened_at", "number"),
            sa.Index(f"{p}ix_tickets_assignee", "assignee", "opened_at", "number"),
            sa.Index(f"{p}ix_tickets_group", "assignment_group", "opened_at", "number"),
        )
        self.events = sa.Table(
            f"{p}ticket_events",
            md,
            _key("number", primary_key=True),
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("at", sa.BigInteger, nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("actor", sa.Text, nullable=False),
            _key("transition", nullable=True),
            _key("source"),
            _key("target"),
            sa.Column("data", sa.JSON, nullable=False),
        )
        self.links = sa.Table(
            f"{p}ticket_links",
            md,
            _key("number", primary_key=True),
            sa.Column("kind", _text_type(16), primary_key=True),
            _key("value", primary_key=True),
            sa.Index(f"{p}ix_links_value", "kind", "value", "number"),
        )
        self.cmdb_meta = sa.Table(
            f"{p}cmdb_meta",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("relationship_types", sa.JSON, nullable=False),
            sa.Column("service_classes", sa.JSON, nullable=False),
        )
        self.cis = sa.Table(
            f"{p}cmdb_cis",
            md,
            _key("id", primary_key=True),
            _key("ci_class"),
            sa.Column("data", sa.JSON, nullable=False),
            sa.Index(f"{p}ix_cis_class", "ci_class"),
        )
        self.relationships = sa.Table(
            f"{p}cmdb_relationships",
            md,
            _key("parent", primary_key=True),
            _key("type", primary_key=True),
            _key("child", primary_key=True),
            sa.Index(f"{p}ix_relationships_child", "child"),
        )
        self.groups = sa.Table(
            f"{p}cmdb_groups",
            md,
            sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("data", sa.JSON, nullable=False),
        )
        self.documents = sa.Table(
            f"{p}documents",
            md,
            sa.Column("type", _text_type(100), primary_key=True),
            _key("name", primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("data", sa.JSON, nullable=False),
        )


def tables(prefix: str) -> Tables:
    """The tables of a store whose names start with ``prefix``."""
    return Tables(prefix)
