"""The SQL adapter over SQLAlchemy Core: one implementation for SQLite, PostgreSQL, MariaDB.

A unit of work's writes go to the database in one transaction at commit: new tickets are
inserted, every changed ticket's row is updated only ``WHERE version = <the version loaded>``
(zero rows: ConcurrencyError, the transaction is rolled back), and its new events appended
(the ``(number, seq)`` key is the backstop). Driver errors are translated into itsmcore
errors in :func:`_translated`, the one place that knows about them.
"""

from __future__ import annotations

import contextlib
import os
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from itsmcore.cmdb import (
    CI,
    CMDB,
    DEFAULT_RELATIONSHIP_TYPES,
    SERVICE_CLASSES,
    RedundancyGroup,
    RelationshipTypes,
)
from itsmcore.data import Form, forms, unstructure
from itsmcore.errors import (
    ConcurrencyError,
    DuplicateError,
    ItsmError,
    NotFoundError,
    ValidationError,
)
from itsmcore.repositories._buffered import (
    BufferedStore,
    ChangeSet,
    CMDBChange,
    DocumentChange,
    TicketChange,
)
from itsmcore.repositories._ports import (
    CI_FIELDS,
    SERVICE_FIELDS,
    StorageError,
    TicketQuery,
    _micros,
)
from itsmcore.repositories.memory import check_labels, check_relationship
from itsmcore.repositories.sql._schema import Tables
from itsmcore.workflow import Event, Record, event_to_data

__all__ = ["SQLStore"]

_MIGRATIONS = Path(__file__).with_name("migrations")
_CHUNK = 500
_PREFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_LINK_FIELDS = frozenset(CI_FIELDS + SERVICE_FIELDS)


# -- driver errors -> itsmcore errors (the one place) ------------------------------------

_RETRYABLE_CODES = {"40001", "40P01", "55P03"}  # PostgreSQL: serialization, deadlock, lock
_RETRYABLE_ERRNOS = {1205, 1213}  # MariaDB: lock wait timeout, deadlock


def _retryable(error: sa.exc.DBAPIError) -> bool:
    orig = error.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _RETRYABLE_CODES:
        return True
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int) and args[0] in _RETRYABLE_ERRNOS:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


@contextlib.contextmanager
def _translated(what: str, integrity: type[ItsmError] = ConcurrencyError) -> Iterator[None]:
    """Run a database step; a driver error comes out as the itsmcore error it means.

    A key violation is ``integrity`` (DuplicateError for new rows, ConcurrencyError for
    history rows someone else appended first); a lock timeout, deadlock or serialization
    failure is ConcurrencyError (retry); anything else is StorageError. Errors the adapter
    raises itself pass through.
    """
    try:
        yield
    except ItsmError:
        raise
    except sa.exc.IntegrityError as error:
        raise integrity(f"{what}: {_reason(error)}") from error
    except sa.exc.DBAPIError as error:
        if _retryable(error):
            raise ConcurrencyError(
                f"{what}: another writer holds the data ({_reason(error)}); retry"
            ) from error
        raise StorageError(f"{what}: {_reason(error)}") from error
    except sa.exc.SQLAlchemyError as error:
        raise StorageError(f"{what}: {error}") from error


def _reason(error: sa.exc.DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)


# -- engines ------------------------------------------------------------------------------


def _sqlite_engine(url: sa.URL | str, **options: Any) -> sa.Engine:
    options.setdefault("connect_args", {})
    options["connect_args"].setdefault("check_same_thread", False)
    options["connect_args"].setdefault("timeout", 30)
    engine = sa.create_engine(url, **options)

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("itsmcore_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _engine(url: str | sa.URL, options: dict[str, Any]) -> sa.Engine:
    """The engine for ``url``: SQLite set up for WAL; MariaDB at READ COMMITTED, utf8mb4.

    No ``pool_pre_ping`` by default: it costs a round trip on every checkout (two per unit
    of work). A connection the server dropped fails its statement as StorageError and is
    discarded by the pool; pass ``engine_options={"pool_pre_ping": True}`` to test each one.
    """
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, **options)
    if backend in ("mysql", "mariadb"):
        options.setdefault("isolation_level", "READ COMMITTED")
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return sa.create_engine(parsed, **options)


def _form(cls: type) -> Form:
    for form in forms():
        if form.cls is cls:
            return form
    raise ValidationError(f"{cls.__qualname__} has no data form")  # pragma: no cover


# -- rows -----------------------------------------------------------------------------------


def _fields_data(record: Record) -> dict[str, Any]:
    """The record's current fields in their data form (the same form an event's changes use).

    Written through :func:`~itsmcore.workflow.event_to_data` of a change from nothing to
    every current value, so the column holds exactly what the history holds."""
    if not record.fields:
        return {}
    last = record.history[-1]
    probe = Event(
        seq=record.version,
        at=last.at,
        actor=last.actor,
        kind="update",
        source=record.state,
        target=record.state,
        changes=MappingProxyType({n: (None, v) for n, v in record.fields.items()}),
    )
    changes = event_to_data(probe, record.workflow).get("changes", {})
    return {name: pair[1] for name, pair in changes.items()}


def _ticket_row(change: TicketChange, events: list[dict[str, Any]]) -> dict[str, Any]:
    s = change.summary
    if change.expected_version == 0:
        # a new ticket: its fields are the fold of its (already encoded) events' changes
        fields: dict[str, Any] = {}
        for row in events:
            for name, (_, new) in row["data"].get("changes", {}).items():
                if new is None:
                    fields.pop(name, None)
                else:
                    fields[name] = new
    else:
        fields = _fields_data(change.record)
    return {
        "number": s.number,
        "record_type": s.record_type,
        "workflow": s.workflow,
        "workflow_version": s.workflow_version,
        "state": s.state,
        "version": s.version,
        "is_open": s.is_open,
        "assignee": s.assignee,
        "assignment_group": s.group,
        "opened_at": s.opened_us,
        "updated_at": s.updated_us,
        "fields": fields,
    }


def _event_rows(change: TicketChange) -> list[dict[str, Any]]:
    flow = change.record.workflow
    number = change.record.number
    return [
        {
            "number": number,
            "seq": e.seq,
            "at": _micros(e.at),
            "kind": e.kind,
            "actor": e.actor,
            "transition": e.transition,
            "source": e.source,
            "target": e.target,
            "data": event_to_data(e, flow),
        }
        for e in change.events
    ]


def _link_rows(change: TicketChange) -> list[dict[str, Any]]:
    s = change.summary
    number = s.number
    rows = [{"number": number, "kind": "ci", "value": v} for v in sorted(s.cis)]
    rows += [{"number": number, "kind": "service", "value": v} for v in sorted(s.services)]
    return rows


def _relinks(change: TicketChange) -> bool:
    """Whether the new events of ``change`` touch a field its links are read from."""
    return any(not _LINK_FIELDS.isdisjoint(e.changes) for e in change.events)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Statements:
    """The statements the store runs on every unit of work, built once per store.

    Values are bound parameters (``numbers`` expands to an ``IN`` list), so SQLAlchemy
    compiles each statement once and every call only binds values.
    """

    def __init__(self, t: Tables) -> None:
        tickets, events, links = t.tickets, t.events, t.links
        numbers: sa.BindParameter[list[str]] = sa.bindparam("numbers", expanding=True)
        self.load = (
            sa.select(
                events.c.number,
                events.c.data,
                tickets.c.record_type,
                tickets.c.workflow,
                tickets.c.workflow_version,
            )
            .join(tickets, tickets.c.number == events.c.number)
            .where(events.c.number.in_(numbers))
            .order_by(events.c.number, events.c.seq)
        )
        self.version = sa.select(tickets.c.version).where(
            tickets.c.number == sa.bindparam("number")
        )
        # the SET values are the parameters named like the columns
        self.update = sa.update(tickets).where(
            tickets.c.number == sa.bindparam("key_number"),
            tickets.c.version == sa.bindparam("key_version"),
        )
        self.add_tickets = sa.insert(tickets)
        self.add_events = sa.insert(events)
        self.add_links = sa.insert(links)
        self.unlink = sa.delete(links).where(links.c.number.in_(numbers))


class SQLStore(BufferedStore):
    """Tickets, the CMDB and documents in a SQL database (SQLite, PostgreSQL or MariaDB).

    ``url`` is a SQLAlchemy URL (``"sqlite:///itsm.db"``,
    ``"postgresql+psycopg://user@host/db"``, ``"mysql+pymysql://user@host/db"``) or an
    :class:`sqlalchemy.Engine`. Table names start with ``prefix``. With ``create=True`` (the
    default) the shipped Alembic migrations bring the schema to this release's version.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> store = SQLStore.sqlite(os.path.join(folder, "itsm.db"))
    >>> with store.unit_of_work() as uow:
    ...     uow.tickets.version_of("INC1") is None
    True
    >>> store.close()
    """

    def __init__(
        self,
        url: str | sa.URL | sa.Engine,
        *,
        prefix: str = "itsm_",
        create: bool = True,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        if type(prefix) is not str or not set(prefix) <= _PREFIX_CHARS or len(prefix) > 20:
            raise ValidationError(
                f"'prefix' must be at most 20 characters of a-z, 0-9 and _, got {prefix!r}"
            )
        if isinstance(url, sa.Engine):
            self._engine = url
            self._owns_engine = False
        else:
            if not isinstance(url, str | sa.URL):
                raise ValidationError(f"'url' must be a database URL or an Engine, got {url!r}")
            with _translated("opening the database"):
                self._engine = _engine(url, dict(engine_options or {}))
            self._owns_engine = True
        self.prefix = prefix
        self.t = Tables(prefix)
        self._sql = _Statements(self.t)
        self._dialect = self._engine.dialect.name
        self._ci_form = _form(CI)
        self._group_form = _form(RedundancyGroup)
        self._types_form = _form(RelationshipTypes)
        self._record_form = _form(Record)
        self._lock = threading.Lock()
        if create:
            self.upgrade()

    @classmethod
    def sqlite(cls, path: str | os.PathLike[str], **options: Any) -> SQLStore:
        """A store in the SQLite file at ``path`` (created if missing; WAL journal)."""
        if not isinstance(path, str | os.PathLike):
            raise ValidationError(f"'path' must be a file path, got {path!r}")
        return cls(sa.URL.create("sqlite", database=os.fspath(path)), **options)

    def __repr__(self) -> str:
        return f"SQLStore({self._engine.url.render_as_string()!r}, prefix={self.prefix!r})"

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for your own queries and maintenance)."""
        return self._engine

    def close(self) -> None:
        super().close()
        if self._owns_engine:
            self._engine.dispose()

    # -- schema ---------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> None:
        """Run the shipped migrations up to ``revision`` (safe to run from several processes)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        config.attributes["prefix"] = self.prefix
        with _translated("migrating the schema", StorageError), self._writer() as conn:
            lock = zlib.crc32(self.prefix.encode())
            if self._dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock})
            elif self._dialect in ("mysql", "mariadb"):
                conn.execute(sa.text("SELECT GET_LOCK(:k, 60)"), {"k": f"itsm{lock}"})
            conn.commit()
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                conn.commit()
            finally:
                if self._dialect == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
                elif self._dialect in ("mysql", "mariadb"):
                    conn.execute(sa.text("SELECT RELEASE_LOCK(:k)"), {"k": f"itsm{lock}"})
                conn.commit()

    def schema_revision(self) -> str | None:
        """The migration revision the database is at (``None`` before the first)."""
        version = sa.table(f"{self.prefix}alembic_version", sa.column("version_num"))
        with _translated("reading the schema revision", StorageError), self._reader() as conn:
            if not sa.inspect(conn).has_table(f"{self.prefix}alembic_version"):
                return None
            return conn.execute(sa.select(version.c.version_num)).scalar_one_or_none()

    def drop(self) -> None:
        """Drop every table of this store (its data is gone for good)."""
        with _translated("dropping the schema", StorageError), self._writer() as conn:
            self.t.metadata.drop_all(conn)
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {self.prefix}alembic_version"))
            conn.commit()

    # -- connections ----------------------------------------------------------------------

    def _reader(self) -> sa.Connection:
        return self._engine.connect()

    def _writer(self) -> sa.Connection:
        return self._engine.connect().execution_options(itsmcore_write=True)

    # -- reads ----------------------------------------------------------------------------

    def _records(self, conn: sa.Connection, numbers: Sequence[str]) -> dict[str, Record]:
        """The tickets ``numbers`` (those stored), read in one query per chunk of numbers.

        Each ticket's event rows become its record data form (the form of
        ``itsmcore.data.to_data(record)``), read back by that form: every event is decoded
        and the history replayed and checked once, with no intermediate objects.
        """
        bodies: dict[str, dict[str, Any]] = {}
        for part in _chunks(numbers):
            for number, data, record_type, workflow, workflow_version in conn.execute(
                self._sql.load, {"numbers": list(part)}
            ):
                body = bodies.get(number)
                if body is None:
                    body = bodies[number] = {
                        "record_type": record_type,
                        "number": number,
                        "workflow": {"name": workflow, "version": workflow_version},
                        "events": [],
                    }
                body["events"].append(data)
        structure = self._record_form.structure
        return {number: structure(body, number) for number, body in bodies.items()}

    def _load_tickets(self, numbers: list[str]) -> dict[str, Record]:
        with _translated("loading tickets", StorageError), self._reader() as conn:
            return self._records(conn, numbers)

    def _find_tickets(
        self, query: TicketQuery, limit: int, after: tuple[int, str] | None
    ) -> list[tuple[tuple[int, str], Record]]:
        t, links = self.t.tickets, self.t.links
        conds: list[sa.ColumnElement[bool]] = []
        for want, column in (
            (query.record_type, t.c.record_type),
            (query.state, t.c.state),
            (query.open, t.c.is_open),
            (query.assignee, t.c.assignee),
            (query.group, t.c.assignment_group),
        ):
            if want is not None:
                conds.append(column == want)
        for kind, value in (("ci", query.ci), ("service", query.service)):
            if value is not None:
                linked = sa.select(links.c.number).where(
                    links.c.kind == kind, links.c.value == value
                )
                conds.append(t.c.number.in_(linked))
        for low, high, column in (
            (query.opened_from, query.opened_until, t.c.opened_at),
            (query.updated_from, query.updated_until, t.c.updated_at),
        ):
            if low is not None:
                conds.append(column >= _micros(low))
            if high is not None:
                conds.append(column < _micros(high))
        if after is not None:
            conds.append(
                sa.or_(
                    t.c.opened_at > after[0],
                    sa.and_(t.c.opened_at == after[0], t.c.number > after[1]),
                )
            )
        stmt = (
            sa.select(t.c.number, t.c.opened_at)
            .where(*conds)
            .order_by(t.c.opened_at, t.c.number)
            .limit(limit)
        )
        with _translated("querying tickets", StorageError), self._reader() as conn:
            keys = [(row.opened_at, row.number) for row in conn.execute(stmt)]
            records = self._records(conn, [n for _, n in keys])
        return [(key, records[key[1]]) for key in keys if key[1] in records]

    def _ticket_version(self, number: str) -> int | None:
        with _translated("reading a ticket version", StorageError), self._reader() as conn:
            return conn.execute(self._sql.version, {"number": number}).scalar_one_or_none()

    def _meta(self, conn: sa.Connection) -> tuple[int, RelationshipTypes, frozenset[str]]:
        m = self.t.cmdb_meta
        row = conn.execute(sa.select(m).where(m.c.id == 1)).first()
        if row is None:
            return 0, RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES), frozenset(SERVICE_CLASSES)
        types = self._types_form.structure(row.relationship_types, "$.relationship_types")
        return row.version, types, frozenset(row.service_classes)

    def _load_cmdb(self) -> CMDB:
        c, r, g = self.t.cis, self.t.relationships, self.t.groups
        ci_form, group_form = self._ci_form.structure, self._group_form.structure
        with _translated("loading the CMDB", StorageError), self._reader() as conn:
            _, types, classes = self._meta(conn)
            cis = [ci_form(row[0], "$.cis") for row in conn.execute(sa.select(c.c.data))]
            rels: list[tuple[str, str, str]] = [
                (row[0], row[1], row[2])
                for row in conn.execute(sa.select(r.c.parent, r.c.type, r.c.child))
            ]
            groups = [
                group_form(row[0], "$.redundancy_groups")
                for row in conn.execute(sa.select(g.c.data).order_by(g.c.position))
            ]
        return CMDB.from_records(
            cis=cis,
            relationships=rels,
            redundancy_groups=groups,
            relationship_types=types,
            service_classes=classes,
        )

    def _cmdb_version(self) -> int:
        with _translated("reading the CMDB version", StorageError), self._reader() as conn:
            return self._meta(conn)[0]

    def _ci(self, ci_id: str) -> CI | None:
        c = self.t.cis
        with _translated("reading a CI", StorageError), self._reader() as conn:
            data = conn.execute(sa.select(c.c.data).where(c.c.id == ci_id)).scalar_one_or_none()
        if data is None:
            return None
        ci: CI = self._ci_form.structure(data, "$")
        return ci

    def _document(self, type_name: str, name: str) -> tuple[Mapping[str, Any], int] | None:
        d = self.t.documents
        with _translated("reading a document", StorageError), self._reader() as conn:
            row = conn.execute(
                sa.select(d.c.data, d.c.version).where(d.c.type == type_name, d.c.name == name)
            ).first()
        return None if row is None else (row.data, row.version)

    def _document_names(self, type_name: str) -> list[str]:
        d = self.t.documents
        with _translated("listing documents", StorageError), self._reader() as conn:
            return list(conn.execute(sa.select(d.c.name).where(d.c.type == type_name)).scalars())

    # -- the write ------------------------------------------------------------------------

    def _write(self, changes: ChangeSet) -> None:
        with _translated("committing"), self._writer() as conn, conn.begin():
            self._write_tickets(conn, changes.tickets)
            for doc in changes.documents:
                self._write_document(conn, doc)
            for step in changes.cmdb:
                self._write_cmdb(conn, step)
            _before_commit(conn)

    def _write_tickets(self, conn: sa.Connection, changes: Sequence[TicketChange]) -> None:
        sql = self._sql
        new = [c for c in changes if c.expected_version == 0]
        old = [c for c in changes if c.expected_version != 0]
        rows = {c.record.number: _event_rows(c) for c in changes}
        if new:
            with _translated("adding tickets", DuplicateError):
                conn.execute(sql.add_tickets, [_ticket_row(c, rows[c.record.number]) for c in new])
        for c in old:  # sorted by number: no deadlock between two writers
            number = c.record.number
            if not c.events:
                stored = conn.execute(sql.version, {"number": number}).scalar_one_or_none()
                if stored != c.expected_version:
                    raise _stale(c, stored)
                continue
            row = _ticket_row(c, rows[number])
            del row["number"]
            done = conn.execute(
                sql.update, {**row, "key_number": number, "key_version": c.expected_version}
            )
            if done.rowcount != 1:
                stored = conn.execute(sql.version, {"number": number}).scalar_one_or_none()
                raise _stale(c, stored)
        events = [row for c in changes for row in rows[c.record.number]]
        if events:
            with _translated("appending history", ConcurrencyError):
                conn.execute(sql.add_events, events)
        # a saved ticket's CI and service links change only with a change of those fields
        relinked = [c for c in old if _relinks(c)]
        for part in _chunks([c.record.number for c in relinked]):
            conn.execute(sql.unlink, {"numbers": list(part)})
        link_rows = [row for c in new + relinked for row in _link_rows(c)]
        if link_rows:
            conn.execute(sql.add_links, link_rows)

    def _write_document(self, conn: sa.Connection, doc: DocumentChange) -> None:
        d = self.t.documents
        key = (d.c.type == doc.type_name, d.c.name == doc.name)
        if doc.data is None:
            if conn.execute(sa.delete(d).where(*key)).rowcount != 1:
                raise NotFoundError(f"no {doc.type_name} document named {doc.name!r}")
            return
        if doc.expected_version != 0:
            stmt = sa.update(d).where(*key)
            if doc.expected_version is not None:
                stmt = stmt.where(d.c.version == doc.expected_version)
            done = conn.execute(stmt.values(data=doc.data, version=d.c.version + 1))
            if done.rowcount == 1:
                return
            if doc.expected_version is not None:
                raise ConcurrencyError(
                    f"document {doc.name!r} is not at version {doc.expected_version} any "
                    "more; read it again and retry"
                )
        with _translated(f"storing document {doc.name!r}", ConcurrencyError):
            conn.execute(
                sa.insert(d).values(type=doc.type_name, name=doc.name, version=1, data=doc.data)
            )

    def _bump_cmdb(self, conn: sa.Connection, expected: int | None) -> None:
        m = self.t.cmdb_meta
        stmt = sa.update(m).where(m.c.id == 1)
        if expected is not None:
            stmt = stmt.where(m.c.version == expected)
        if conn.execute(stmt.values(version=m.c.version + 1)).rowcount == 1:
            return
        if expected not in (None, 0):
            raise ConcurrencyError(
                f"the stored CMDB is not at version {expected} any more; load it again and retry"
            )
        with _translated("creating the CMDB", ConcurrencyError):
            conn.execute(
                sa.insert(m).values(
                    id=1,
                    version=1,
                    relationship_types=unstructure(RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES)),
                    service_classes=sorted(SERVICE_CLASSES),
                )
            )

    def _write_cmdb(self, conn: sa.Connection, step: CMDBChange) -> None:
        c, r, g, m = self.t.cis, self.t.relationships, self.t.groups, self.t.cmdb_meta
        if step.kind == "replace":
            cmdb = step.cmdb
            if cmdb is None:  # pragma: no cover - built by the unit of work
                raise ValidationError("a CMDB replace carries the CMDB")
            self._bump_cmdb(conn, step.expected_version)
            conn.execute(
                sa.update(m)
                .where(m.c.id == 1)
                .values(
                    relationship_types=unstructure(cmdb.relationship_types),
                    service_classes=sorted(cmdb.service_classes),
                )
            )
            for table in (r, g, c):
                conn.execute(sa.delete(table))
            self._insert_cis(conn, list(cmdb.cis()))
            rels = [
                {"parent": x.parent, "type": x.type, "child": x.child} for x in cmdb.relationships()
            ]
            self._insert_many(conn, r, rels, "relationships")
            groups = [
                {"position": i, "data": unstructure(x)}
                for i, x in enumerate(cmdb.redundancy_groups())
            ]
            self._insert_many(conn, g, groups, "redundancy groups")
            return
        self._bump_cmdb(conn, None)
        if step.kind == "cis":
            self._insert_cis(conn, list(step.cis))
        elif step.kind == "relationships":
            _, types, _ = self._meta(conn)
            labels = check_labels(list(types))
            ends = sorted({x for rel in step.relationships for x in (rel.parent, rel.child)})
            known: set[str] = set()
            for part in _chunks(ends):
                known.update(conn.execute(sa.select(c.c.id).where(c.c.id.in_(part))).scalars())
            for rel in step.relationships:
                check_relationship(rel, labels, known.__contains__)
            rows = [
                {"parent": x.parent, "type": x.type, "child": x.child} for x in step.relationships
            ]
            self._insert_many(conn, r, rows, "relationships")
        else:
            start = conn.execute(sa.select(sa.func.max(g.c.position))).scalar_one_or_none()
            first = 0 if start is None else start + 1
            added: list[dict[str, Any]] = [
                {"position": first + i, "data": unstructure(x)} for i, x in enumerate(step.groups)
            ]
            self._insert_many(conn, g, added, "redundancy groups")

    def _insert_cis(self, conn: sa.Connection, cis: list[CI]) -> None:
        unstructure_ci = self._ci_form.unstructure
        rows = [{"id": ci.id, "ci_class": ci.ci_class, "data": unstructure_ci(ci)} for ci in cis]
        self._insert_many(conn, self.t.cis, rows, "CIs")

    @staticmethod
    def _insert_many(
        conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], what: str
    ) -> None:
        with _translated(f"adding {what}", DuplicateError):
            for part in _chunks(rows, 10_000):
                conn.execute(sa.insert(table), part)


def _stale(change: TicketChange, stored: int | None) -> ConcurrencyError:
    number = change.record.number
    return ConcurrencyError(
        f"ticket {number!r} is at version {0 if stored is None else stored}, not "
        f"{change.expected_version}: someone saved it meanwhile; load it again and retry"
    )


def _before_commit(conn: sa.Connection) -> None:
    """Called inside every commit's transaction, before COMMIT; does nothing.

    The crash tests replace it (in a child process) to stop the process right there."""
