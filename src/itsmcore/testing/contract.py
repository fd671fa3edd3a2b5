"""The storage adapter contract kit: one test suite every itsmcore store must pass.

Subclass :class:`StoreContract` in a test module (a class named ``Test...``) and give it one
fixture, ``make_store``: a function returning a new, empty :class:`~itsmcore.repositories.Store`
each time it is called. Every test of the kit then runs against your adapter::

    import pytest
    from itsmcore.testing.contract import StoreContract

    class TestMyStore(StoreContract):
        @pytest.fixture
        def make_store(self, tmp_path):
            return lambda: MyStore(tmp_path / f"db-{uuid.uuid4()}")

The kit checks round trips of every stored type (tickets of all four types, the CMDB,
documents), every query with pagination and ordering, optimistic concurrency (a stale save
raises ConcurrencyError and writes nothing), unit-of-work atomicity, concurrent writers in
threads, and a hypothesis state machine that drives your store and the in-memory one side
by side and checks that they always agree. Installed with ``itsmcore[testing]``, it is also a
pytest plugin (``itsmcore.testing.plugin``), so its fixtures are there without imports.
"""

# ruff: noqa: S101  # a test suite: assertions are its checks

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from itsmcore.cmdb import CI, CMDB
from itsmcore.errors import (
    ConcurrencyError,
    DuplicateError,
    ItsmError,
    NotFoundError,
    ValidationError,
)
from itsmcore.repositories import Store, TicketQuery, summarize
from itsmcore.testing._contract_machine import comparison_machine
from itsmcore.testing._contract_samples import (
    BASE,
    cmdb_parts,
    renumbered,
    sample_cmdb,
    sample_tickets,
    unique_number,
)
from itsmcore.workflow import Record

__all__ = ["StoreContract", "StoreFactory", "reference_query"]

StoreFactory = Callable[[], Store]
"""What the ``make_store`` fixture returns: a function giving a new, empty store."""

_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def reference_query(
    records: list[Record], query: TicketQuery, *, limit: int | None = None
) -> list[str]:
    """The numbers ``query`` must find among ``records``, in order (the oracle)."""
    rows = sorted((s.opened_us, s.number) for s in map(summarize, records) if query.matches(s))
    numbers = [n for _, n in rows]
    return numbers if limit is None else numbers[:limit]


def _add(store: Store, records: list[Record]) -> None:
    with store.unit_of_work() as uow:
        for record in records:
            uow.tickets.add(record)
        uow.commit()


def _all_pages(store: Store, query: TicketQuery, limit: int) -> list[str]:
    numbers: list[str] = []
    after = None
    with store.unit_of_work() as uow:
        for _ in range(1000):
            page = uow.tickets.find(query, limit=limit, after=after)
            assert len(page) <= limit
            numbers.extend(r.number for r in page)
            if page.next is None:
                return numbers
            assert len(page) == limit, "a page with a next cursor is full"
            after = page.next
    raise AssertionError("pagination did not end")


def _profile_scale() -> int:
    """How much deeper than the default the active hypothesis profile asks to go.

    1 for ``max_examples`` up to 100 (hypothesis' own default), else ``max_examples // 100``:
    ``HYPOTHESIS_PROFILE=thorough`` (2000 examples in itsmcore's profiles) runs the kit's
    heavy tests 20 times deeper."""
    active = settings.default
    return 1 if active is None else max(1, active.max_examples // 100)


class StoreContract:
    """The contract every store passes. Provide the ``make_store`` fixture in a subclass.

    The heavy tests are sized by class attributes, multiplied by the active hypothesis
    profile's depth (``max_examples // 100``, at least 1): ``stateful_examples`` runs of
    ``stateful_steps`` steps for the model comparison; ``writer_threads`` threads landing
    ``saves_per_thread`` changes each for the concurrency test. Raise them (or run with a
    deep profile, e.g. ``HYPOTHESIS_PROFILE=thorough``) before a release of your adapter.
    """

    stateful_examples = 4
    stateful_steps = 12
    writer_threads = 8
    saves_per_thread = 3

    @pytest.fixture
    def make_store(self) -> StoreFactory:
        raise NotImplementedError(
            "implement the 'make_store' fixture: return a function giving a new, empty store"
        )

    @pytest.fixture
    def store(self, make_store: StoreFactory) -> Iterator[Store]:
        created = make_store()
        try:
            yield created
        finally:
            created.close()

    @pytest.fixture
    def tickets(self, store: Store) -> list[Record]:
        records = sample_tickets()
        _add(store, records)
        return records

    # -- round trips ----------------------------------------------------------------------

    def test_tickets_of_every_type_round_trip(self, store: Store, tickets: list[Record]) -> None:
        with store.unit_of_work() as uow:
            for record in tickets:
                back = uow.tickets.get(record.number)
                assert type(back) is type(record)
                assert back == record
                assert back.version == record.version == len(back.history)
                assert uow.tickets.version_of(record.number) == record.version
            assert set(uow.tickets.get_many([t.number for t in tickets] + ["NOPE"])) == {
                t.number for t in tickets
            }

    @given(data=st.data())
    @_SETTINGS
    def test_random_tickets_round_trip(self, store: Store, data: st.DataObject) -> None:
        from itsmcore.testing.strategies import incidents, problems, service_requests

        drawn: Record = data.draw(st.one_of(incidents(), problems(), service_requests()))
        record = renumbered(drawn, unique_number("R"))
        _add(store, [record])
        with store.unit_of_work() as uow:
            assert uow.tickets.get(record.number) == record

    def test_saving_appends_the_new_events(self, store: Store, tickets: list[Record]) -> None:
        number = tickets[0].number
        with store.unit_of_work() as uow:
            record = uow.tickets.get(number)
            at = record.history[-1].at
            record = record.apply("start", at=at + timedelta(minutes=1), actor="ann")
            record = record.note("on it", at=at + timedelta(minutes=2), actor="ann")
            uow.tickets.save(record)
            record = record.note("still on it", at=at + timedelta(minutes=3), actor="ann")
            uow.tickets.save(record)  # a second save in the same unit of work
            uow.commit()
            # after a commit the unit of work goes on from the committed version
            record = record.note("done", at=at + timedelta(minutes=4), actor="ann")
            uow.tickets.save(record)
            uow.commit()
        with store.unit_of_work() as uow:
            back = uow.tickets.get(number)
        assert back == record
        assert [e.seq for e in back.history] == list(range(1, back.version + 1))
        assert back.state == "in_progress"

    def test_unknown_ticket_is_not_found(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            with pytest.raises(NotFoundError):
                uow.tickets.get("NOPE0001")
            assert uow.tickets.version_of("NOPE0001") is None
            assert uow.tickets.get_many(["NOPE0001"]) == {}

    def test_bad_arguments_are_refused(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            for bad in (None, "", "  ", 7, True):
                with pytest.raises(ValidationError):
                    uow.tickets.get(bad)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tickets.add("INC1")  # type: ignore[arg-type]
            for limit in (0, -1, True, 1.5, 10**6):
                with pytest.raises(ValidationError):
                    uow.tickets.find(limit=limit)  # type: ignore[arg-type]
            for cursor in ("garbage", 12, "!!!!"):
                with pytest.raises(ValidationError):
                    uow.tickets.find(after=cursor)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tickets.find("open")  # type: ignore[arg-type]

    def test_saving_without_loading_needs_the_expected_version(
        self, store: Store, tickets: list[Record]
    ) -> None:
        record = tickets[0]
        changed = record.note("x", at=record.history[-1].at, actor="ann")
        with store.unit_of_work() as uow:
            with pytest.raises(ValidationError):
                uow.tickets.save(changed)
            uow.tickets.save(changed, expected_version=record.version)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.tickets.get(record.number) == changed

    def test_cmdb_round_trip(self, store: Store) -> None:
        cmdb = sample_cmdb()
        with store.unit_of_work() as uow:
            assert uow.cmdb.version() == 0
            assert len(uow.cmdb.load()) == 0
            uow.cmdb.save(cmdb, expected_version=0)
            uow.commit()
        with store.unit_of_work() as uow:
            back = uow.cmdb.load()
            assert cmdb_parts(back) == cmdb_parts(cmdb)
            assert uow.cmdb.version() == 1
            assert uow.cmdb.ci("db-2") == cmdb.ci("db-2")
            assert sorted(back.impact(["db-1"]).down) == sorted(cmdb.impact(["db-1"]).down)
            with pytest.raises(NotFoundError):
                uow.cmdb.ci("nope")

    def test_cmdb_grows_by_additions(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.cmdb.add_cis(
                [CI(id="db", ci_class="database"), CI(id="app", ci_class="application")]
            )
            uow.cmdb.add_relationships([("app", "Depends on", "db")])
            uow.commit()
        with store.unit_of_work() as uow:
            uow.cmdb.add_cis([CI(id="web", ci_class="application")])
            uow.cmdb.add_relationships([("web", "Depends on", "db")])
            uow.cmdb.add_redundancy_groups([])
            uow.commit()
        with store.unit_of_work() as uow:
            cmdb = uow.cmdb.load()
            assert uow.cmdb.version() == 5
        assert sorted(cmdb.impact(["db"]).down) == ["app", "db", "web"]

    @given(data=st.data())
    @_SETTINGS
    def test_random_cmdbs_round_trip(self, make_store: StoreFactory, data: st.DataObject) -> None:
        from itsmcore.testing.strategies import cmdbs

        cmdb = data.draw(cmdbs())
        with make_store() as store:
            with store.unit_of_work() as uow:
                uow.cmdb.save(cmdb, expected_version=0)
                uow.commit()
            with store.unit_of_work() as uow:
                assert cmdb_parts(uow.cmdb.load()) == cmdb_parts(cmdb)

    def test_bad_cmdb_additions_write_nothing(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.cmdb.add_cis([CI(id="db", ci_class="database")])
            uow.commit()
        bad: list[Callable[[Any], None]] = [
            lambda u: u.cmdb.add_cis([CI(id="new", ci_class="server"), CI(id="db", ci_class="x")]),
            lambda u: u.cmdb.add_relationships([("db", "Depends on", "ghost")]),
            lambda u: u.cmdb.add_relationships([("db", "Is fond of", "db")]),
        ]
        for action in bad:
            with store.unit_of_work() as uow:
                uow.cmdb.add_cis([CI(id="other", ci_class="server")])
                action(uow)
                with pytest.raises(ItsmError) as caught:
                    uow.commit()
                assert isinstance(caught.value, DuplicateError | NotFoundError | ValidationError)
            with store.unit_of_work() as uow:
                assert uow.cmdb.version() == 1
                assert [ci.id for ci in uow.cmdb.load().cis()] == ["db"]

    def test_documents_round_trip(self, store: Store) -> None:
        from itsmcore.incidents import default_incident_workflow
        from itsmcore.priority import PriorityMatrix, preset
        from itsmcore.workflow import Workflow

        matrix, flow = preset("servicenow"), default_incident_workflow()
        with store.unit_of_work() as uow:
            uow.documents.put("default", matrix)
            uow.documents.put("incident", flow, expected_version=0)
            assert uow.documents.get(PriorityMatrix, "default") == matrix  # pending is seen
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.get(PriorityMatrix, "default") == matrix
            assert uow.documents.get(Workflow, "incident") == flow
            assert uow.documents.version(PriorityMatrix, "default") == 1
            assert uow.documents.names(PriorityMatrix) == ("default",)
            assert uow.documents.version(PriorityMatrix, "other") == 0
            with pytest.raises(NotFoundError):
                uow.documents.get(PriorityMatrix, "other")
            uow.documents.put("default", matrix, expected_version=1)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.version(PriorityMatrix, "default") == 2
            uow.documents.put("default", matrix, expected_version=1)
            with pytest.raises(ConcurrencyError):
                uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.version(PriorityMatrix, "default") == 2
            uow.documents.delete(PriorityMatrix, "default")
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.names(PriorityMatrix) == ()
            uow.documents.delete(PriorityMatrix, "default")
            with pytest.raises(NotFoundError):
                uow.commit()

    @given(data=st.data())
    @_SETTINGS
    def test_random_documents_round_trip(self, store: Store, data: st.DataObject) -> None:
        from itsmcore.testing.strategies import business_calendars, priority_matrices

        value = data.draw(st.one_of(business_calendars(), priority_matrices()))
        name = unique_number("doc-")
        with store.unit_of_work() as uow:
            uow.documents.put(name, value)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.get(type(value), name) == value

    # -- queries ----------------------------------------------------------------------------

    @pytest.mark.parametrize(
        "query",
        [
            TicketQuery(),
            TicketQuery(open=True),
            TicketQuery(open=False),
            TicketQuery(state="new"),
            TicketQuery(state="in_progress", record_type="incident"),
            TicketQuery(record_type="change"),
            TicketQuery(assignee="ann"),
            TicketQuery(group="network"),
            TicketQuery(group="network", open=True, assignee="ann"),
            TicketQuery(ci="ci-0"),
            TicketQuery(ci="ci-1", record_type="change"),
            TicketQuery(service="mail"),
            TicketQuery(service="nowhere"),
            TicketQuery(opened_from=BASE + timedelta(hours=1)),
            TicketQuery(opened_until=BASE + timedelta(hours=2)),
            TicketQuery(
                opened_from=BASE + timedelta(hours=1), opened_until=BASE + timedelta(hours=3)
            ),
            TicketQuery(updated_from=BASE + timedelta(hours=2, minutes=6)),
            TicketQuery(updated_until=BASE + timedelta(minutes=1)),
        ],
        ids=repr,
    )
    def test_queries_find_what_they_ask_for(
        self, store: Store, tickets: list[Record], query: TicketQuery
    ) -> None:
        expected = reference_query(tickets, query)
        with store.unit_of_work() as uow:
            page = uow.tickets.find(query, limit=100)
            assert [r.number for r in page] == expected
            assert page.next is None
            for record in page:
                assert record == next(t for t in tickets if t.number == record.number)

    @pytest.mark.parametrize("limit", [1, 2, 3, 5, 12, 13])
    def test_pages_cover_everything_once_in_order(
        self, store: Store, tickets: list[Record], limit: int
    ) -> None:
        for query in (TicketQuery(), TicketQuery(open=True), TicketQuery(ci="ci-0")):
            assert _all_pages(store, query, limit) == reference_query(tickets, query)

    def test_shorthands_are_queries(self, store: Store, tickets: list[Record]) -> None:
        start, end = BASE, BASE + timedelta(hours=2)
        with store.unit_of_work() as uow:
            t = uow.tickets
            for page, query in (
                (t.open_tickets(), TicketQuery(open=True)),
                (t.in_state("new"), TicketQuery(state="new")),
                (t.assigned_to("bob"), TicketQuery(assignee="bob")),
                (t.for_group("desk"), TicketQuery(group="desk")),
                (t.for_ci("ci-1"), TicketQuery(ci="ci-1")),
                (t.for_service("web"), TicketQuery(service="web")),
                (t.opened_between(start, end), TicketQuery(opened_from=start, opened_until=end)),
            ):
                assert [r.number for r in page] == reference_query(tickets, query)

    def test_queries_follow_saved_changes(self, store: Store, tickets: list[Record]) -> None:
        with store.unit_of_work() as uow:
            record = uow.tickets.get(tickets[0].number)
            at = record.history[-1].at + timedelta(minutes=1)
            record = record.update(
                {"assignment_group": "database", "assigned_to": "zoe"}, at=at, actor="ann"
            )
            record = record.update({"configuration_item": "ci-9"}, at=at, actor="ann")
            uow.tickets.save(record)
            # queries read committed data only
            assert record.number not in [r.number for r in uow.tickets.assigned_to("zoe")]
            uow.commit()
            assert [r.number for r in uow.tickets.assigned_to("zoe")] == [record.number]
            assert [r.number for r in uow.tickets.for_ci("ci-9")] == [record.number]
            assert record.number not in [r.number for r in uow.tickets.for_ci("ci-0")]

    # -- concurrency and atomicity --------------------------------------------------------

    def test_stale_save_raises_and_writes_nothing(
        self, store: Store, tickets: list[Record]
    ) -> None:
        first, other = tickets[0], tickets[1]
        at = first.history[-1].at + timedelta(hours=1)
        with store.unit_of_work() as a, store.unit_of_work() as b:
            mine, theirs = a.tickets.get(first.number), b.tickets.get(first.number)
            a.tickets.save(mine.note("mine", at=at, actor="ann"))
            a.commit()
            b.tickets.save(theirs.note("theirs", at=at, actor="bob"))
            moved = b.tickets.get(other.number)
            b.tickets.save(moved.note("alongside", at=moved.history[-1].at, actor="bob"))
            b.documents.put("alongside", sample_cmdb().ci("mail"))
            b.tickets.add(renumbered(other, "NEW0000001"))
            with pytest.raises(ConcurrencyError):
                b.commit()
        with store.unit_of_work() as uow:
            back = uow.tickets.get(first.number)
            assert [e.note for e in back.history.since(first.version)] == ["mine"]
            assert uow.tickets.get(other.number) == other
            assert uow.tickets.version_of("NEW0000001") is None
            assert uow.documents.names(CI) == ()

    def test_stale_save_without_new_events_raises(
        self, store: Store, tickets: list[Record]
    ) -> None:
        record = tickets[0]
        with store.unit_of_work() as uow:
            loaded = uow.tickets.get(record.number)
            uow.tickets.save(loaded.note("x", at=loaded.history[-1].at, actor="ann"))
            uow.commit()
        with store.unit_of_work() as uow:
            uow.tickets.save(record, expected_version=record.version)
            with pytest.raises(ConcurrencyError):
                uow.commit()

    def test_duplicate_add_raises_and_writes_nothing(
        self, store: Store, tickets: list[Record]
    ) -> None:
        with store.unit_of_work() as uow:
            uow.tickets.add(renumbered(tickets[0], "NEW0000002"))
            uow.tickets.add(tickets[1])
            with pytest.raises(DuplicateError):
                uow.commit()
        with store.unit_of_work() as uow:
            assert uow.tickets.version_of("NEW0000002") is None

    def test_leaving_without_commit_writes_nothing(
        self, store: Store, tickets: list[Record]
    ) -> None:
        record = tickets[0]
        with store.unit_of_work() as uow:
            uow.tickets.add(renumbered(record, "NEW0000003"))
            loaded = uow.tickets.get(record.number)
            uow.tickets.save(loaded.note("lost", at=loaded.history[-1].at, actor="ann"))
            uow.cmdb.add_cis([CI(id="lost", ci_class="server")])

        def fail_midway() -> None:
            with store.unit_of_work() as uow:
                uow.tickets.add(renumbered(record, "NEW0000004"))
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            fail_midway()
        with store.unit_of_work() as uow:
            uow.tickets.add(renumbered(record, "NEW0000005"))
            uow.rollback()
            uow.commit()
        with store.unit_of_work() as uow:
            for number in ("NEW0000003", "NEW0000004", "NEW0000005"):
                assert uow.tickets.version_of(number) is None
            assert uow.tickets.get(record.number) == record
            assert uow.cmdb.version() == 0

    def test_a_unit_of_work_commits_everything_together(
        self, store: Store, tickets: list[Record]
    ) -> None:
        with store.unit_of_work() as uow:
            for record in tickets[:4]:
                loaded = uow.tickets.get(record.number)
                uow.tickets.save(loaded.note("batch", at=loaded.history[-1].at, actor="ann"))
            uow.tickets.add(renumbered(tickets[0], "NEW0000006"))
            uow.cmdb.save(sample_cmdb(), expected_version=0)
            uow.documents.put("mail", sample_cmdb().ci("mail"))
            uow.commit()
        with store.unit_of_work() as uow:
            for record in tickets[:4]:
                assert uow.tickets.get(record.number).version == record.version + 1
            assert uow.tickets.version_of("NEW0000006") == tickets[0].version
            assert uow.cmdb.version() == 1
            assert uow.documents.get(CI, "mail").id == "mail"
        with store.unit_of_work() as uow:
            uow.cmdb.save(CMDB(), expected_version=0)  # stale
            uow.documents.put("web", sample_cmdb().ci("mail"))
            with pytest.raises(ConcurrencyError):
                uow.commit()
        with store.unit_of_work() as uow:
            assert uow.documents.names(CI) == ("mail",)
            assert len(uow.cmdb.load()) == 5

    def test_threads_never_lose_or_duplicate_events(
        self, store: Store, tickets: list[Record]
    ) -> None:
        numbers = [t.number for t in tickets[:3]]
        saves = self.saves_per_thread * _profile_scale()
        landed = run_concurrent_writers(
            store, numbers, threads=self.writer_threads, saves_per_thread=saves
        )
        check_histories(store, numbers, landed)

    # -- the model comparison ---------------------------------------------------------------

    def test_store_agrees_with_the_in_memory_model(self, make_store: StoreFactory) -> None:
        machine = comparison_machine(make_store)
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=self.stateful_examples * _profile_scale(),
                stateful_step_count=self.stateful_steps,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )


# -- shared by the kit and the adapters' own concurrency tests -----------------------------


def apply_one(store: Store, number: str, tag: str, step: int) -> bool:
    """Load ``number``, add a note (or a transition) tagged ``tag`` and save; True if it landed.

    A ConcurrencyError means it did not land (nothing written); anything else is a failure.
    """
    with store.unit_of_work() as uow:
        record = uow.tickets.get(number)
        at = record.history[-1].at + timedelta(seconds=1)
        options = record.allowed(actor="ann", at=at)
        if step % 3 == 2 and "start" in options:
            record = record.apply("start", at=at, actor="ann", comment=tag)
        elif step % 3 == 2 and "hold" in options:
            record = record.apply(
                "hold", at=at, actor="ann", comment=tag, fields={"hold_reason": "awaiting_caller"}
            )
        elif step % 3 == 2 and "resume" in options:
            record = record.apply("resume", at=at, actor="ann", comment=tag)
        else:
            record = record.note(tag, at=at, actor="ann")
        uow.tickets.save(record)
        try:
            uow.commit()
        except ConcurrencyError:
            return False
    return True


def run_concurrent_writers(
    store: Store, numbers: list[str], *, threads: int, saves_per_thread: int
) -> set[str]:
    """``threads`` threads each land ``saves_per_thread`` tagged changes (retrying on
    conflict) spread over ``numbers``; returns the tags that landed."""
    landed: set[str] = set()
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        try:
            start.wait()
            for step in range(saves_per_thread):
                number = numbers[(worker + step) % len(numbers)]
                tag = f"w{worker}-s{step}"
                for _ in range(500):
                    if apply_one(store, number, tag, step):
                        with lock:
                            landed.add(tag)
                        break
                else:  # pragma: no cover - would mean a livelock
                    raise AssertionError(f"{tag} never landed")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(landed) == threads * saves_per_thread
    return landed


def check_histories(store: Store, numbers: list[str], landed: set[str]) -> None:
    """Every landed tag is in exactly one history exactly once; seqs are gapless."""
    seen: list[str] = []
    with store.unit_of_work() as uow:
        for number in numbers:
            record = uow.tickets.get(number)
            assert [e.seq for e in record.history] == list(range(1, record.version + 1))
            seen.extend(e.note for e in record.history if e.note and e.note[:1] == "w")
    assert sorted(seen) == sorted(landed)
