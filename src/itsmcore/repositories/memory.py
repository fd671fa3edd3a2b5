"""The in-memory store: the reference adapter, thread-safe, for tests and small tools.

Records are immutable snapshots, so the store keeps them as they are; a commit checks every
version first and then swaps the new state in under one lock, so concurrent units of work
see each other's commits whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from itsmcore.cmdb import (
    CI,
    CMDB,
    DEFAULT_RELATIONSHIP_TYPES,
    SERVICE_CLASSES,
    RedundancyGroup,
    Relationship,
    RelationshipType,
)
from itsmcore.errors import ConcurrencyError, DuplicateError, NotFoundError, ValidationError
from itsmcore.repositories._buffered import BufferedStore, ChangeSet, CMDBChange, sorted_page
from itsmcore.repositories._ports import TicketQuery, TicketSummary
from itsmcore.workflow import Record

__all__ = ["MemoryStore"]


class _CMDBState:
    """The stored CMDB as its parts (what the SQL adapter keeps in tables)."""

    def __init__(self) -> None:
        self.version = 0
        self.types: tuple[RelationshipType, ...] = tuple(DEFAULT_RELATIONSHIP_TYPES)
        self.service_classes: frozenset[str] = frozenset(SERVICE_CLASSES)
        self.cis: dict[str, CI] = {}
        self.relationships: dict[tuple[str, str, str], Relationship] = {}
        self.groups: list[RedundancyGroup] = []

    def copy(self) -> _CMDBState:
        other = _CMDBState()
        other.version, other.types, other.service_classes = (
            self.version,
            self.types,
            self.service_classes,
        )
        other.cis = dict(self.cis)
        other.relationships = dict(self.relationships)
        other.groups = list(self.groups)
        return other

    def build(self) -> CMDB:
        return CMDB.from_records(
            cis=self.cis.values(),
            relationships=list(self.relationships.values()),
            redundancy_groups=self.groups,
            relationship_types=self.types,
            service_classes=self.service_classes,
        )

    def apply(self, change: CMDBChange) -> None:
        if change.kind == "replace":
            if change.expected_version != self.version:
                raise ConcurrencyError(
                    f"the stored CMDB is at version {self.version}, not "
                    f"{change.expected_version}; load it again and retry"
                )
            cmdb = change.cmdb
            if cmdb is None:  # pragma: no cover - the unit of work always sets it
                raise ValidationError("a CMDB replace carries the CMDB")
            self.types = tuple(cmdb.relationship_types)
            self.service_classes = cmdb.service_classes
            self.cis = {ci.id: ci for ci in cmdb.cis()}
            self.relationships = {(r.parent, r.type, r.child): r for r in cmdb.relationships()}
            self.groups = list(cmdb.redundancy_groups())
        elif change.kind == "cis":
            for ci in change.cis:
                if ci.id in self.cis:
                    raise DuplicateError(f"a CI with id {ci.id!r} exists already")
                self.cis[ci.id] = ci
        elif change.kind == "relationships":
            labels = check_labels(self.types)
            for rel in change.relationships:
                check_relationship(rel, labels, self.cis.__contains__)
                key = (rel.parent, rel.type, rel.child)
                if key in self.relationships:
                    raise DuplicateError(f"relationship {key!r} exists already")
                self.relationships[key] = rel
        else:
            self.groups.extend(change.groups)
        self.version += 1


def check_labels(types: tuple[RelationshipType, ...] | list[RelationshipType]) -> set[str]:
    """Every label a relationship may be declared with under ``types``."""
    labels: set[str] = set()
    for t in types:
        labels.update((t.name, t.parent_label, t.child_label))
    return labels


def check_relationship(rel: Relationship, labels: set[str], exists: Any) -> None:
    """Refuse a relationship of an unknown type or between CIs not stored (nor added)."""
    if rel.type not in labels:
        raise ValidationError(
            f"relationship {rel!r}: unknown relationship type {rel.type!r}; declared: "
            + ", ".join(sorted(labels)[:20])
        )
    for end in (rel.parent, rel.child):
        if not exists(end):
            raise NotFoundError(f"relationship {rel!r}: no CI with id {end!r} is stored")


class MemoryStore(BufferedStore):
    """Everything in this process's memory; safe to share between threads.

    >>> from datetime import datetime, timezone
    >>> from itsmcore.incidents import open_incident
    >>> store = MemoryStore()
    >>> t = datetime(2026, 3, 6, 9, tzinfo=timezone.utc)
    >>> with store.unit_of_work() as uow:
    ...     uow.tickets.add(open_incident("INC1", at=t, actor="desk", caller="carla",
    ...                                   short_description="Mail down", impact=2, urgency=2))
    ...     uow.commit()
    >>> with store.unit_of_work() as uow:
    ...     uow.tickets.get("INC1").state
    'new'
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, tuple[TicketSummary, Record]] = {}
        self._cmdb_state = _CMDBState()
        self._documents: dict[tuple[str, str], tuple[Mapping[str, Any], int]] = {}

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._records)} tickets)"

    def _load_tickets(self, numbers: list[str]) -> dict[str, Record]:
        records = self._records
        return {n: records[n][1] for n in numbers if n in records}

    def _find_tickets(
        self, query: TicketQuery, limit: int, after: tuple[int, str] | None
    ) -> list[tuple[tuple[int, str], Record]]:
        with self._lock:
            rows = list(self._records.values())
        return sorted_page(rows, query, limit, after)

    def _ticket_version(self, number: str) -> int | None:
        found = self._records.get(number)
        return None if found is None else found[1].version

    def _load_cmdb(self) -> CMDB:
        with self._lock:
            state = self._cmdb_state
        return state.build()

    def _cmdb_version(self) -> int:
        return self._cmdb_state.version

    def _ci(self, ci_id: str) -> CI | None:
        return self._cmdb_state.cis.get(ci_id)

    def _document(self, type_name: str, name: str) -> tuple[Mapping[str, Any], int] | None:
        return self._documents.get((type_name, name))

    def _document_names(self, type_name: str) -> list[str]:
        with self._lock:
            return [n for (t, n) in self._documents if t == type_name]

    def _write(self, changes: ChangeSet) -> None:
        with self._lock:
            records = self._records
            for change in changes.tickets:
                number = change.record.number
                stored = records.get(number)
                if change.expected_version == 0:
                    if stored is not None:
                        raise DuplicateError(f"a ticket numbered {number!r} exists already")
                elif stored is None or stored[1].version != change.expected_version:
                    have = 0 if stored is None else stored[1].version
                    raise ConcurrencyError(
                        f"ticket {number!r} is at version {have}, not "
                        f"{change.expected_version}: someone saved it meanwhile; load it "
                        "again and retry"
                    )
            documents = dict(self._documents)
            for doc in changes.documents:
                key = (doc.type_name, doc.name)
                have = documents.get(key, (None, 0))[1]
                if doc.expected_version is not None and doc.expected_version != have:
                    raise ConcurrencyError(
                        f"document {doc.name!r} is at version {have}, not "
                        f"{doc.expected_version}; read it again and retry"
                    )
                if doc.data is None:
                    if key not in documents:
                        raise NotFoundError(f"no {doc.type_name} document named {doc.name!r}")
                    del documents[key]
                else:
                    documents[key] = (doc.data, have + 1)
            cmdb = self._cmdb_state
            if changes.cmdb:
                cmdb = cmdb.copy()
                for step in changes.cmdb:
                    cmdb.apply(step)
            # everything checked: publish
            for change in changes.tickets:
                records[change.record.number] = (change.summary, change.record)
            self._documents = documents
            self._cmdb_state = cmdb
