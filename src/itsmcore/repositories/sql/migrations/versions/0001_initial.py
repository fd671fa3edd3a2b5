"""The first schema: tickets with their histories and links, the CMDB, documents.

Revision ID: 0001
Revises:
Create Date: 2026-03-06

Frozen: a later release changes the schema in a new revision, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(length: int) -> sa.types.TypeEngine[str]:
    return (
        sa.String(length)
        .with_variant(sa.String(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, collation="utf8mb4_nopad_bin"), "mysql", "mariadb")
    )


def _key(name: str, *, nullable: bool = False, primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(name, _text(255), nullable=nullable, primary_key=primary_key)


def upgrade(prefix: str = "itsm_") -> None:
    p = prefix
    op.create_table(
        f"{p}tickets",
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
    )
    for name, columns in (
        ("opened", ["opened_at", "number"]),
        ("updated", ["updated_at", "number"]),
        ("open", ["is_open", "opened_at", "number"]),
        ("state", ["state", "opened_at", "number"]),
        ("assignee", ["assignee", "opened_at", "number"]),
        ("group", ["assignment_group", "opened_at", "number"]),
    ):
        op.create_index(f"{p}ix_tickets_{name}", f"{p}tickets", columns)
    op.create_table(
        f"{p}ticket_events",
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
    op.create_table(
        f"{p}ticket_links",
        _key("number", primary_key=True),
        sa.Column("kind", _text(16), primary_key=True),
        _key("value", primary_key=True),
    )
    op.create_index(f"{p}ix_links_value", f"{p}ticket_links", ["kind", "value", "number"])
    op.create_table(
        f"{p}cmdb_meta",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("relationship_types", sa.JSON, nullable=False),
        sa.Column("service_classes", sa.JSON, nullable=False),
    )
    op.create_table(
        f"{p}cmdb_cis",
        _key("id", primary_key=True),
        _key("ci_class"),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index(f"{p}ix_cis_class", f"{p}cmdb_cis", ["ci_class"])
    op.create_table(
        f"{p}cmdb_relationships",
        _key("parent", primary_key=True),
        _key("type", primary_key=True),
        _key("child", primary_key=True),
    )
    op.create_index(f"{p}ix_relationships_child", f"{p}cmdb_relationships", ["child"])
    op.create_table(
        f"{p}cmdb_groups",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        f"{p}documents",
        sa.Column("type", _text(100), primary_key=True),
        _key("name", primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )


def downgrade(prefix: str = "itsm_") -> None:
    p = prefix
    for name in (
        "documents",
        "cmdb_groups",
        "cmdb_relationships",
        "cmdb_cis",
        "cmdb_meta",
        "ticket_links",
        "ticket_events",
        "tickets",
    ):
        op.drop_table(f"{p}{name}")
