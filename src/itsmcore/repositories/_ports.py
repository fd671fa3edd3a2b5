"""The ports: what itsmcore persists and how it is asked for, as small abstract classes.

A :class:`Store` opens :class:`UnitOfWork` s; a unit of work holds the repositories
(:class:`TicketRepository`, :class:`CMDBRepository`, :class:`DocumentRepository`) and commits
their writes together or not at all. Adapters implement these classes; the contract kit
(:mod:`itsmcore.testing.contract`) checks that an adapter behaves as documented here.
"""

from __future__ import annotations

import base64
import binascii
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import Generic, TypeVar

import attrs

from itsmcore._time import to_instant
from itsmcore.cmdb import CI, CMDB, RedundancyGroup, RelationshipSpec
from itsmcore.errors import ItsmError, ValidationError
from itsmcore.workflow import Record

__all__ = [
    "ASSIGNEE_FIELD",
    "CI_FIELDS",
    "GROUP_FIELD",
    "MAX_KEY_LENGTH",
    "MAX_PAGE_SIZE",
    "SERVICE_FIELDS",
    "CMDBRepository",
    "DocumentRepository",
    "Page",
    "StorageError",
    "Store",
    "TicketQuery",
    "TicketRepository",
    "TicketSummary",
    "UnitOfWork",
    "summarize",
]

T = TypeVar("T")

MAX_KEY_LENGTH = 255
"""The longest number, state, assignee, group, CI or service name a store indexes."""

MAX_PAGE_SIZE = 1000
"""The largest page a query returns at once."""

ASSIGNEE_FIELD = "assigned_to"
"""The field a ticket's assignee is read from (every shipped ticket type has it)."""
GROUP_FIELD = "assignment_group"
"""The field a ticket's assignment group is read from."""
CI_FIELDS = ("configuration_item", "affected_cis")
"""The fields naming the CIs a ticket is about (one CI as text, or a set of names)."""
SERVICE_FIELDS = ("service", "impacted_services")
"""The fields naming the services a ticket is about."""


class StorageError(ItsmError):
    """The store itself failed (database unreachable, connection lost, disk full ...).

    The message carries the driver's reason; nothing of the failed operation was written.
    """


# -- what the queries see of a ticket ---------------------------------------------------


def _key(value: object, what: str, number: str) -> str | None:
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_KEY_LENGTH:
        raise ValidationError(
            f"{number}: {what} {text[:40]!r}... is {len(text)} characters long; a store indexes "
            f"at most {MAX_KEY_LENGTH}"
        )
    return text


def _names(record: Record, fields: tuple[str, ...], what: str) -> frozenset[str]:
    found: set[str] = set()
    for name in fields:
        value = record.fields.get(name)
        if isinstance(value, frozenset):
            for item in value:
                found.add(_key(item, what, record.number) or "")
        elif value is not None:
            found.add(_key(value, what, record.number) or "")
    found.discard("")
    return frozenset(found)


def _micros(instant: datetime) -> int:
    """An instant as whole microseconds since 1970-01-01 UTC (what stores index)."""
    delta = to_instant(instant) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True)
class TicketSummary:
    """What a store indexes of a ticket: the columns every query filters and orders on.

    Built by :func:`summarize` from the record itself, so every adapter indexes the same.
    ``opened_us`` / ``updated_us`` are the first and last event times in microseconds since
    the Unix epoch (UTC), what the keyset pagination orders by.
    """

    number: str
    record_type: str
    workflow: str
    workflow_version: int
    state: str
    version: int
    is_open: bool
    assignee: str | None
    group: str | None
    cis: frozenset[str]
    services: frozenset[str]
    opened_at: datetime
    updated_at: datetime
    opened_us: int
    updated_us: int


def summarize(record: Record) -> TicketSummary:
    """The indexed view of ``record`` (raises ValidationError for over-long keys)."""
    from itsmcore.workflow import registry

    if not isinstance(record, Record):
        raise ValidationError(f"expected a ticket record (a Record), got {record!r}")
    number = record.number
    _key(number, "number", number)
    for name in (record.state, record.workflow.name):
        _key(name, "state or workflow name", number)
    history = record.history
    opened, updated = history[0].at, history[-1].at
    return TicketSummary(
        number=number,
        record_type=registry.record_type_name(type(record)),
        workflow=record.workflow.name,
        workflow_version=record.workflow.version,
        state=record.state,
        version=record.version,
        is_open=not record.is_final,
        assignee=_key(record.fields.get(ASSIGNEE_FIELD), "assignee", number),
        group=_key(record.fields.get(GROUP_FIELD), "assignment group", number),
        cis=_names(record, CI_FIELDS, "CI"),
        services=_names(record, SERVICE_FIELDS, "service"),
        opened_at=opened,
        updated_at=updated,
        opened_us=_micros(opened),
        updated_us=_micros(updated),
    )


# -- queries -----------------------------------------------------------------------------


def _opt_text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if type(value) is not str or not value.strip():
        raise ValidationError(f"'{name}' must be non-blank text or None, got {value!r}")
    return value


def _opt_instant(value: object, name: str) -> datetime | None:
    return None if value is None else to_instant(value, name=name)


def _opt_bool(value: object, name: str) -> bool | None:
    if value is not None and type(value) is not bool:
        raise ValidationError(f"'{name}' must be True, False or None, got {value!r}")
    return value


@attrs.frozen(kw_only=True)
class TicketQuery:
    """Which tickets to find: every filter given must hold (unset filters match all).

    ``opened_from`` / ``updated_from`` are inclusive, ``opened_until`` / ``updated_until``
    exclusive. Results come in a stable order: by opening instant, then number.

    >>> from datetime import datetime, timezone
    >>> TicketQuery(open=True, group="network")
    TicketQuery(record_type=None, state=None, open=True, assignee=None, group='network', ci=None, service=None, opened_from=None, opened_until=None, updated_from=None, updated_until=None)
    """  # noqa: E501

    record_type: str | None = None
    state: str | None = None
    open: bool | None = None
    assignee: str | None = None
    group: str | None = None
    ci: str | None = None
    service: str | None = None
    opened_from: datetime | None = None
    opened_until: datetime | None = None
    updated_from: datetime | None = None
    updated_until: datetime | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("record_type", "state", "assignee", "group", "ci", "service"):
            _opt_text(getattr(self, name), name)
        _opt_bool(self.open, "open")
        for name in ("opened_from", "opened_until", "updated_from", "updated_until"):
            # frozen: set the checked UTC instant once, while the query is being built
            object.__setattr__(self, name, _opt_instant(getattr(self, name), name))

    def matches(self, summary: TicketSummary) -> bool:
        """Whether a ticket with this summary is one the query asks for (the reference)."""
        checks = (
            (self.record_type, summary.record_type),
            (self.state, summary.state),
            (self.open, summary.is_open),
            (self.assignee, summary.assignee),
            (self.group, summary.group),
        )
        if any(want is not None and want != have for want, have in checks):
            return False
        if self.ci is not None and self.ci not in summary.cis:
            return False
        if self.service is not None and self.service not in summary.services:
            return False
        for low, high, at in (
            (self.opened_from, self.opened_until, summary.opened_at),
            (self.updated_from, self.updated_until, summary.updated_at),
        ):
            if low is not None and at < low:
                return False
            if high is not None and at >= high:
                return False
        return True


def sort_key(summary: TicketSummary) -> tuple[int, str]:
    """The stable order of query results: opening instant, then number."""
    return (summary.opened_us, summary.number)


def encode_cursor(key: tuple[int, str]) -> str:
    """An opaque page cursor for the ticket after which the next page starts."""
    raw = f"{key[0]}|{key[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_cursor(cursor: object) -> tuple[int, str] | None:
    """The key a cursor from :func:`encode_cursor` names (``None`` for the first page)."""
    if cursor is None:
        return None
    problem = f"'after' must be a cursor from Page.next (or None), got {cursor!r}"
    if type(cursor) is not str or len(cursor) > 2 * MAX_KEY_LENGTH:
        raise ValidationError(problem)
    try:
        micros, _, number = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().partition("|")
        return (int(micros), number) if number else _bad_cursor(problem)
    except (ValueError, binascii.Error, UnicodeError):
        return _bad_cursor(problem)


def _bad_cursor(problem: str) -> tuple[int, str]:
    raise ValidationError(problem)


def check_limit(limit: object) -> int:
    """``limit`` checked as a page size in 1..MAX_PAGE_SIZE."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"'limit' must be a whole number in 1..{MAX_PAGE_SIZE}, got {limit!r}"
        )
    return limit


@attrs.frozen
class Page(Generic[T]):
    """One page of results; pass ``next`` as ``after=`` for the following page (``None``: last)."""

    items: tuple[T, ...]
    next: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# -- the repositories ----------------------------------------------------------------------


class TicketRepository(ABC):
    """Tickets of every type (incidents, requests, problems, changes) with their histories.

    A ticket is stored as its events (append-only) plus the indexed columns of
    :func:`summarize`. :meth:`get` remembers the version it loaded, so :meth:`save` of the
    next snapshot writes just the new events, and only if nobody saved in between
    (:class:`~itsmcore.errors.ConcurrencyError` at commit otherwise, and nothing written).
    """

    @abstractmethod
    def get(self, number: str) -> Record:
        """The ticket ``number`` as stored (or as saved in this unit of work); NotFoundError."""

    @abstractmethod
    def get_many(self, numbers: Iterable[str]) -> dict[str, Record]:
        """The tickets among ``numbers`` that exist, by number."""

    @abstractmethod
    def add(self, record: Record) -> None:
        """Store a new ticket (DuplicateError at commit when the number is taken)."""

    @abstractmethod
    def save(self, record: Record, *, expected_version: int | None = None) -> None:
        """Store ``record``'s events after ``expected_version`` (default: the version
        :meth:`get` loaded in this unit of work). ConcurrencyError at commit when the stored
        version is not ``expected_version`` any more."""

    @abstractmethod
    def find(
        self, query: TicketQuery | None = None, *, limit: int = 100, after: str | None = None
    ) -> Page[Record]:
        """The tickets matching ``query``, by opening instant then number, one page at a time.

        Queries read committed data (not this unit of work's pending saves).
        """

    @abstractmethod
    def version_of(self, number: str) -> int | None:
        """The stored version of ticket ``number`` (``None`` if there is none)."""

    # Shorthands for the usual questions; each is one find().
    def open_tickets(self, *, limit: int = 100, after: str | None = None) -> Page[Record]:
        """Tickets not in a final state (what an SLA scan walks)."""
        return self.find(TicketQuery(open=True), limit=limit, after=after)

    def in_state(self, state: str, *, limit: int = 100, after: str | None = None) -> Page[Record]:
        """Tickets in ``state``."""
        return self.find(TicketQuery(state=state), limit=limit, after=after)

    def assigned_to(
        self, assignee: str, *, limit: int = 100, after: str | None = None
    ) -> Page[Record]:
        """Tickets assigned to ``assignee``."""
        return self.find(TicketQuery(assignee=assignee), limit=limit, after=after)

    def for_group(self, group: str, *, limit: int = 100, after: str | None = None) -> Page[Record]:
        """Tickets of assignment group ``group``."""
        return self.find(TicketQuery(group=group), limit=limit, after=after)

    def for_ci(self, ci: str, *, limit: int = 100, after: str | None = None) -> Page[Record]:
        """Tickets about configuration item ``ci``."""
        return self.find(TicketQuery(ci=ci), limit=limit, after=after)

    def for_service(
        self, service: str, *, limit: int = 100, after: str | None = None
    ) -> Page[Record]:
        """Tickets about service ``service``."""
        return self.find(TicketQuery(service=service), limit=limit, after=after)

    def opened_between(
        self, start: datetime, end: datetime, *, limit: int = 100, after: str | None = None
    ) -> Page[Record]:
        """Tickets opened in ``[start, end)``."""
        return self.find(TicketQuery(opened_from=start, opened_until=end), limit=limit, after=after)


class CMDBRepository(ABC):
    """The CMDB stored relationally (CIs, relationships, groups, types) and loaded back whole.

    The stored CMDB has a version: :meth:`save` replaces it all when ``expected_version``
    still matches; the ``add_*`` methods add to it (DuplicateError at commit for an existing
    CI or relationship) and bump the version.
    """

    @abstractmethod
    def load(self) -> CMDB:
        """The stored CMDB, impact-ready (an empty one when nothing was stored)."""

    @abstractmethod
    def version(self) -> int:
        """The stored CMDB's version (0 when nothing was stored)."""

    @abstractmethod
    def ci(self, ci_id: str) -> CI:
        """One stored CI (NotFoundError)."""

    @abstractmethod
    def save(self, cmdb: CMDB, *, expected_version: int) -> None:
        """Replace the stored CMDB by ``cmdb`` (ConcurrencyError if the version moved on)."""

    @abstractmethod
    def add_cis(self, cis: Iterable[CI]) -> None:
        """Add CIs (their ids must be new)."""

    @abstractmethod
    def add_relationships(self, relationships: Iterable[RelationshipSpec]) -> None:
        """Add ``(parent, type, child)`` relationships between stored or added CIs."""

    @abstractmethod
    def add_redundancy_groups(self, groups: Iterable[RedundancyGroup]) -> None:
        """Add redundancy groups over stored relationships."""


class DocumentRepository(ABC):
    """Named values in their data form: SLA definitions, calendars, matrices, workflows ...

    Each value is stored under its data-form type and a name, with a version for optimistic
    concurrency.
    """

    @abstractmethod
    def get(self, cls: type[T], name: str) -> T:
        """The ``cls`` stored as ``name`` (NotFoundError)."""

    @abstractmethod
    def put(self, name: str, value: object, *, expected_version: int | None = None) -> None:
        """Store ``value`` as ``name``; with ``expected_version`` (0: must be new) the stored
        version must match at commit (ConcurrencyError)."""

    @abstractmethod
    def delete(self, cls: type, name: str) -> None:
        """Remove the ``cls`` stored as ``name`` (NotFoundError at commit if there is none)."""

    @abstractmethod
    def version(self, cls: type, name: str) -> int:
        """The stored version of ``name`` (0 when there is none)."""

    @abstractmethod
    def names(self, cls: type) -> tuple[str, ...]:
        """The names stored for ``cls``, sorted."""


class UnitOfWork(ABC):
    """Writes that commit together or not at all.

    Use as a context manager; leaving the block without :meth:`commit` (or with an
    exception) discards every pending write::

        with store.unit_of_work() as uow:
            ticket = uow.tickets.get("INC1")
            uow.tickets.save(ticket.note("called back", at=now, actor="ann"))
            uow.commit()
    """

    tickets: TicketRepository
    cmdb: CMDBRepository
    documents: DocumentRepository

    @abstractmethod
    def commit(self) -> None:
        """Write every pending change atomically; on an error nothing is written."""

    @abstractmethod
    def rollback(self) -> None:
        """Discard every pending change."""

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()


class Store(ABC):
    """A place tickets, the CMDB and documents are kept: opens units of work."""

    @abstractmethod
    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work on this store."""

    def close(self) -> None:  # noqa: B027  # optional hook
        """Release connections (a closed store opens no more units of work)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
