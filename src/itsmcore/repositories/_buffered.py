"""A unit of work that buffers writes and hands them to its store as one change set.

Both shipped adapters are a :class:`BufferedStore`: they implement a handful of reads and one
atomic ``_write(changes)``; the unit of work, the identity map (the version each ticket was
loaded at), the argument checks and the query shorthands are shared, so every adapter
behaves the same at its boundary. An integrator may subclass it too (docs/adapters.md).
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

import attrs

from itsmcore.cmdb import CI, CMDB, RedundancyGroup, Relationship, RelationshipSpec
from itsmcore.data import forms, from_data, to_data
from itsmcore.errors import NotFoundError, ValidationError
from itsmcore.repositories._ports import (
    CMDBRepository,
    DocumentRepository,
    Page,
    Store,
    TicketQuery,
    TicketRepository,
    TicketSummary,
    UnitOfWork,
    check_limit,
    decode_cursor,
    encode_cursor,
    sort_key,
    summarize,
)
from itsmcore.workflow import Event, Record

__all__ = [
    "BufferedStore",
    "CMDBChange",
    "ChangeSet",
    "DocumentChange",
    "TicketChange",
    "form_name",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class TicketChange:
    """One ticket to write: its new ``events`` (after ``expected_version``; 0 = a new ticket)."""

    record: Record
    summary: TicketSummary
    expected_version: int
    events: tuple[Event, ...]


@attrs.frozen(kw_only=True)
class CMDBChange:
    """One CMDB write, in order: replace it all, or add CIs / relationships / groups."""

    kind: Literal["replace", "cis", "relationships", "groups"]
    cmdb: CMDB | None = None
    expected_version: int = 0
    cis: tuple[CI, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    groups: tuple[RedundancyGroup, ...] = ()


@attrs.frozen(kw_only=True)
class DocumentChange:
    """Put (``data`` set) or delete (``data`` None) the document ``(type_name, name)``."""

    type_name: str
    name: str
    data: Mapping[str, Any] | None
    expected_version: int | None


@attrs.frozen(kw_only=True)
class ChangeSet:
    """Everything a unit of work commits; an adapter writes it all or nothing."""

    tickets: tuple[TicketChange, ...] = ()
    cmdb: tuple[CMDBChange, ...] = ()
    documents: tuple[DocumentChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tickets or self.cmdb or self.documents)


def form_name(cls: object) -> str:
    """The data-form type name documents of ``cls`` are stored under."""
    if not isinstance(cls, type):
        raise ValidationError(f"expected a class with a data form, got {cls!r}")
    for form in forms():
        if form.cls is cls:
            return form.name
    for form in forms():
        if issubclass(cls, form.cls):
            return form.name
    raise ValidationError(
        f"{cls.__qualname__} has no data form; register one with itsmcore.data.register"
    )


def _text(value: object, name: str) -> str:
    if type(value) is not str or not value.strip():
        raise ValidationError(f"'{name}' must be non-blank text, got {value!r}")
    return value


def _version(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"'{name}' must be a whole number >= 0, got {value!r}")
    return value


def _items(values: object, name: str) -> list[object]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(f"'{name}' must be an iterable, got {values!r}")
    return list(values)


class BufferedStore(Store):
    """A store whose units of work buffer writes and commit them with one :meth:`_write`.

    Subclasses implement the reads (``_load_tickets``, ``_find_tickets``,
    ``_ticket_version``, ``_load_cmdb``, ``_cmdb_version``, ``_ci``, ``_document``,
    ``_document_names``) and ``_write``, which applies a :class:`ChangeSet` atomically and
    raises ConcurrencyError / DuplicateError / NotFoundError having written nothing.
    """

    _closed = False

    def unit_of_work(self) -> UnitOfWork:
        if self._closed:
            raise ValidationError(f"{self!r} is closed; open a new store")
        return _BufferedUnitOfWork(self)

    def close(self) -> None:
        self._closed = True

    # -- what an adapter implements ------------------------------------------------------

    @abstractmethod
    def _load_tickets(self, numbers: list[str]) -> dict[str, Record]: ...

    @abstractmethod
    def _find_tickets(
        self, query: TicketQuery, limit: int, after: tuple[int, str] | None
    ) -> list[tuple[tuple[int, str], Record]]:
        """Up to ``limit`` matching tickets after key ``after``, in key order, with keys."""

    @abstractmethod
    def _ticket_version(self, number: str) -> int | None: ...

    @abstractmethod
    def _load_cmdb(self) -> CMDB: ...

    @abstractmethod
    def _cmdb_version(self) -> int: ...

    @abstractmethod
    def _ci(self, ci_id: str) -> CI | None: ...

    @abstractmethod
    def _document(self, type_name: str, name: str) -> tuple[Mapping[str, Any], int] | None: ...

    @abstractmethod
    def _document_names(self, type_name: str) -> list[str]: ...

    @abstractmethod
    def _write(self, changes: ChangeSet) -> None: ...


class _BufferedUnitOfWork(UnitOfWork):
    def __init__(self, store: BufferedStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._loaded: dict[str, int] = {}
        self._tickets: dict[str, TicketChange] = {}
        self._cmdb: list[CMDBChange] = []
        self._documents: dict[tuple[str, str], DocumentChange] = {}
        self.tickets = _Tickets(self)
        self.cmdb = _CMDB(self)
        self.documents = _Documents(self)

    def commit(self) -> None:
        with self._lock:
            changes = ChangeSet(
                tickets=tuple(self._tickets[n] for n in sorted(self._tickets)),
                cmdb=tuple(self._cmdb),
                documents=tuple(self._documents[k] for k in sorted(self._documents)),
            )
            try:
                if changes:
                    self._store._write(changes)
            finally:
                self._clear()
            for change in changes.tickets:
                self._loaded[change.record.number] = change.record.version

    def rollback(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._tickets.clear()
        self._cmdb.clear()
        self._documents.clear()


class _Tickets(TicketRepository):
    def __init__(self, uow: _BufferedUnitOfWork) -> None:
        self._uow = uow

    def get(self, number: str) -> Record:
        _text(number, "number")
        found = self.get_many([number]).get(number)
        if found is None:
            raise NotFoundError(f"no ticket numbered {number!r} is stored")
        return found

    def get_many(self, numbers: Iterable[str]) -> dict[str, Record]:
        wanted = [_text(n, "number") for n in _items(numbers, "numbers")]
        uow = self._uow
        found: dict[str, Record] = {}
        missing = []
        for number in wanted:
            pending = uow._tickets.get(number)
            if pending is not None:
                found[number] = pending.record
            else:
                missing.append(number)
        if missing:
            loaded = uow._store._load_tickets(sorted(set(missing)))
            for number, record in loaded.items():
                uow._loaded[number] = record.version
            found.update(loaded)
        return found

    def add(self, record: Record) -> None:
        summary = summarize(record)
        uow = self._uow
        if record.number in uow._tickets:
            raise ValidationError(f"ticket {record.number!r} is already saved in this unit of work")
        with uow._lock:
            uow._tickets[record.number] = TicketChange(
                record=record, summary=summary, expected_version=0, events=record.history.events()
            )

    def save(self, record: Record, *, expected_version: int | None = None) -> None:
        summary = summarize(record)
        uow = self._uow
        number = record.number
        pending = uow._tickets.get(number)
        if expected_version is not None:
            base = _version(expected_version, "expected_version")
        elif pending is not None:
            base = pending.expected_version
        elif number in uow._loaded:
            base = uow._loaded[number]
        else:
            raise ValidationError(
                f"ticket {number!r} was not loaded in this unit of work: pass "
                "expected_version= (the version you loaded), or add() a new ticket"
            )
        if pending is not None and expected_version is None:
            before = pending.record
            if record.version < before.version or record.history[before.version - 1] != (
                before.history.last
            ):
                raise ValidationError(
                    f"ticket {number!r}: this snapshot (version {record.version}) does not "
                    f"follow the one already saved in this unit of work (version "
                    f"{before.version})"
                )
        if record.version < base:
            raise ValidationError(
                f"ticket {number!r}: snapshot version {record.version} is older than the "
                f"expected stored version {base}"
            )
        with uow._lock:
            uow._tickets[number] = TicketChange(
                record=record,
                summary=summary,
                expected_version=base,
                events=record.history.since(base),
            )

    def find(
        self, query: TicketQuery | None = None, *, limit: int = 100, after: str | None = None
    ) -> Page[Record]:
        if query is None:
            query = TicketQuery()
        elif not isinstance(query, TicketQuery):
            raise ValidationError(f"'query' must be a TicketQuery or None, got {query!r}")
        size = check_limit(limit)
        rows = self._uow._store._find_tickets(query, size + 1, decode_cursor(after))
        more = len(rows) > size
        rows = rows[:size]
        cursor = encode_cursor(rows[-1][0]) if more else None
        return Page(items=tuple(r for _, r in rows), next=cursor)

    def version_of(self, number: str) -> int | None:
        return self._uow._store._ticket_version(_text(number, "number"))


class _CMDB(CMDBRepository):
    def __init__(self, uow: _BufferedUnitOfWork) -> None:
        self._uow = uow

    def load(self) -> CMDB:
        return self._uow._store._load_cmdb()

    def version(self) -> int:
        return self._uow._store._cmdb_version()

    def ci(self, ci_id: str) -> CI:
        found = self._uow._store._ci(_text(ci_id, "ci_id"))
        if found is None:
            raise NotFoundError(f"no CI with id {ci_id!r} is stored")
        return found

    def save(self, cmdb: CMDB, *, expected_version: int) -> None:
        if not isinstance(cmdb, CMDB):
            raise ValidationError(f"expected a CMDB to save, got {cmdb!r}")
        expected = _version(expected_version, "expected_version")
        self._push(CMDBChange(kind="replace", cmdb=cmdb.snapshot(), expected_version=expected))

    def add_cis(self, cis: Iterable[CI]) -> None:
        items = _items(cis, "cis")
        for ci in items:
            if not isinstance(ci, CI):
                raise ValidationError(f"expected a CI, got {ci!r}")
        self._push(CMDBChange(kind="cis", cis=tuple(items)))  # type: ignore[arg-type]

    def add_relationships(self, relationships: Iterable[RelationshipSpec]) -> None:
        rels = []
        for spec in _items(relationships, "relationships"):
            if isinstance(spec, Relationship):
                rels.append(spec)
            elif type(spec) is tuple and len(spec) == 3:
                try:
                    rels.append(Relationship(*spec))
                except (TypeError, ValueError) as error:
                    raise ValidationError(f"bad relationship {spec!r}: {error}") from None
            else:
                raise ValidationError(
                    f"a relationship is a Relationship or (parent, type, child), got {spec!r}"
                )
        self._push(CMDBChange(kind="relationships", relationships=tuple(rels)))

    def add_redundancy_groups(self, groups: Iterable[RedundancyGroup]) -> None:
        items = _items(groups, "groups")
        for group in items:
            if not isinstance(group, RedundancyGroup):
                raise ValidationError(f"expected a RedundancyGroup, got {group!r}")
        self._push(CMDBChange(kind="groups", groups=tuple(items)))  # type: ignore[arg-type]

    def _push(self, change: CMDBChange) -> None:
        with self._uow._lock:
            self._uow._cmdb.append(change)


class _Documents(DocumentRepository):
    def __init__(self, uow: _BufferedUnitOfWork) -> None:
        self._uow = uow

    def get(self, cls: type[T], name: str) -> T:
        key = (form_name(cls), _text(name, "name"))
        pending = self._uow._documents.get(key)
        if pending is not None:
            if pending.data is None:
                raise NotFoundError(f"document {name!r} is deleted in this unit of work")
            return from_data(pending.data, cls)
        found = self._uow._store._document(*key)
        if found is None:
            raise NotFoundError(f"no {key[0]} document named {name!r} is stored")
        return from_data(found[0], cls)

    def put(self, name: str, value: object, *, expected_version: int | None = None) -> None:
        _text(name, "name")
        data = to_data(value)
        expected = None
        if expected_version is not None:
            expected = _version(expected_version, "expected_version")
        key = (str(data["type"]), name)
        with self._uow._lock:
            self._uow._documents[key] = DocumentChange(
                type_name=key[0], name=name, data=data, expected_version=expected
            )

    def delete(self, cls: type, name: str) -> None:
        key = (form_name(cls), _text(name, "name"))
        with self._uow._lock:
            self._uow._documents[key] = DocumentChange(
                type_name=key[0], name=name, data=None, expected_version=None
            )

    def version(self, cls: type, name: str) -> int:
        found = self._uow._store._document(form_name(cls), _text(name, "name"))
        return 0 if found is None else found[1]

    def names(self, cls: type) -> tuple[str, ...]:
        return tuple(sorted(self._uow._store._document_names(form_name(cls))))


def sorted_page(
    summaries: Iterable[tuple[TicketSummary, Record]],
    query: TicketQuery,
    limit: int,
    after: tuple[int, str] | None,
) -> list[tuple[tuple[int, str], Record]]:
    """The reference query: filter, order by key, start after ``after`` (for in-memory)."""
    rows = [
        (sort_key(s), r)
        for s, r in summaries
        if query.matches(s) and (after is None or sort_key(s) > after)
    ]
    rows.sort(key=lambda row: row[0])
    return rows[:limit]
