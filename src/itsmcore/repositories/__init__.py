"""Repositories: the ports through which tickets, the CMDB and documents are stored.

The domain never touches a database. A :class:`Store` opens units of work; a
:class:`UnitOfWork` holds the repositories (``tickets``, ``cmdb``, ``documents``) and commits
their writes together or not at all. Every ticket is stored as its history (one row per
event, in the core's data form) plus indexed columns for the queries; saving a stale
snapshot raises :class:`~itsmcore.errors.ConcurrencyError` and writes nothing.

Adapters: :class:`MemoryStore` (here) and :class:`itsmcore.repositories.sql.SQLStore`
(SQLite, PostgreSQL, MariaDB; the ``sql`` extra). Check your own adapter with the contract
kit, :mod:`itsmcore.testing.contract` (see docs/adapters.md).
"""

from __future__ import annotations

from itsmcore.repositories._buffered import (
    BufferedStore,
    ChangeSet,
    CMDBChange,
    DocumentChange,
    TicketChange,
    form_name,
)
from itsmcore.repositories._ports import (
    ASSIGNEE_FIELD,
    CI_FIELDS,
    GROUP_FIELD,
    MAX_KEY_LENGTH,
    MAX_PAGE_SIZE,
    SERVICE_FIELDS,
    CMDBRepository,
    DocumentRepository,
    Page,
    StorageError,
    Store,
    TicketQuery,
    TicketRepository,
    TicketSummary,
    UnitOfWork,
    summarize,
)
from itsmcore.repositories.memory import MemoryStore

__all__ = [
    "ASSIGNEE_FIELD",
    "CI_FIELDS",
    "GROUP_FIELD",
    "MAX_KEY_LENGTH",
    "MAX_PAGE_SIZE",
    "SERVICE_FIELDS",
    "BufferedStore",
    "CMDBChange",
    "CMDBRepository",
    "ChangeSet",
    "DocumentChange",
    "DocumentRepository",
    "MemoryStore",
    "Page",
    "StorageError",
    "Store",
    "TicketChange",
    "TicketQuery",
    "TicketRepository",
    "TicketSummary",
    "UnitOfWork",
    "form_name",
    "summarize",
]
