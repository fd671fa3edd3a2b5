"""The kit's hypothesis state machine: the store under test and MemoryStore side by side.

Every rule does the same thing to both stores and checks that they answer the same: the
same records, the same errors (by class), the same query pages.
"""

# ruff: noqa: S101  # a test suite: assertions are its checks

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from itsmcore.cmdb import CI
from itsmcore.errors import ItsmError
from itsmcore.repositories import MemoryStore, Store, TicketQuery
from itsmcore.testing._contract_samples import BASE

__all__ = ["comparison_machine"]

_GROUPS = st.sampled_from(["network", "database", None])
_PEOPLE = st.sampled_from(["ann", "bob", None])
_CIS = st.sampled_from(["ci-a", "ci-b", "ci-c"])
_SERVICES = st.sampled_from(["mail", "web", None])


def _outcome(action: Callable[[Store], Any], store: Store) -> tuple[str, Any]:
    try:
        return ("ok", action(store))
    except ItsmError as error:
        return ("error", type(error).__name__)


def comparison_machine(make_store: Callable[[], Store]) -> type[RuleBasedStateMachine]:
    """A state machine class comparing stores from ``make_store`` with MemoryStore."""

    class StoreComparison(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.real = make_store()
            self.model = MemoryStore()
            self.numbers: list[str] = []
            self.count = 0

        def teardown(self) -> None:
            self.real.close()

        def both(self, action: Callable[[Store], Any]) -> Any:
            real = _outcome(action, self.real)
            model = _outcome(action, self.model)
            assert real == model, f"store gave {real!r}, the in-memory model {model!r}"
            return real

        @rule(
            minutes=st.integers(0, 600),
            group=_GROUPS,
            person=_PEOPLE,
            ci=_CIS,
            service=_SERVICES,
            kind=st.sampled_from(["incident", "change"]),
        )
        def add_ticket(
            self, minutes: int, group: str | None, person: str | None, ci: str,
            service: str | None, kind: str,
        ) -> None:  # fmt: skip
            from itsmcore.changes import open_change
            from itsmcore.incidents import open_incident

            self.count += 1
            number = f"M{self.count:05d}"
            at = BASE + timedelta(minutes=minutes)
            fields: dict[str, Any] = {}
            if group:
                fields["assignment_group"] = group
            if person:
                fields["assigned_to"] = person
            if kind == "incident":
                fields["configuration_item"] = ci
                if service:
                    fields["service"] = service
                record: Any = open_incident(
                    number, at=at, actor="desk", caller="carla", short_description="down",
                    impact=2, urgency=2, fields=fields,
                )  # fmt: skip
            else:
                record = open_change(
                    number, at=at, actor="bob", requester="bob", short_description="patch",
                    affected_cis=[ci, "ci-c"], fields=fields,
                )  # fmt: skip

            def add(store: Store) -> None:
                with store.unit_of_work() as uow:
                    uow.tickets.add(record)
                    uow.commit()

            self.both(add)
            self.numbers.append(number)

        @precondition(lambda self: bool(self.numbers))
        @rule(
            data=st.data(),
            change=st.sampled_from(["note", "start", "assign", "ci", "resolve"]),
            group=_GROUPS,
            person=_PEOPLE,
            ci=_CIS,
        )
        def change_ticket(
            self, data: st.DataObject, change: str, group: str | None, person: str | None,
            ci: str,
        ) -> None:  # fmt: skip
            number = data.draw(st.sampled_from(self.numbers))

            def act(store: Store) -> int:
                with store.unit_of_work() as uow:
                    record = uow.tickets.get(number)
                    at = record.history[-1].at + timedelta(minutes=7)
                    if change == "note":
                        record = record.note("looked", at=at, actor="ann")
                    elif change == "start":
                        record = record.apply("start", at=at, actor="ann")
                    elif change == "resolve":
                        record = record.apply(
                            "resolve", at=at, actor="ann",
                            fields={"resolution_code": "solved", "resolution_notes": "ok"},
                        )  # fmt: skip
                    elif change == "assign":
                        record = record.update(
                            {"assignment_group": group, "assigned_to": person}, at=at,
                            actor="ann",
                        )  # fmt: skip
                    else:
                        record = record.update({"configuration_item": ci}, at=at, actor="ann")
                    uow.tickets.save(record)
                    uow.commit()
                    return record.version

            self.both(act)

        @precondition(lambda self: bool(self.numbers))
        @rule(data=st.data())
        def stale_save(self, data: st.DataObject) -> None:
            number = data.draw(st.sampled_from(self.numbers))

            def act(store: Store) -> None:
                with store.unit_of_work() as uow:
                    record = uow.tickets.get(number)
                    at = record.history[-1].at
                    uow.tickets.save(
                        record.note("stale", at=at, actor="bob"),
                        expected_version=record.version - 1,
                    )
                    uow.commit()

            outcome = self.both(act)
            assert outcome[0] == "error"

        @rule(
            state=st.sampled_from([None, "new", "in_progress", "resolved"]),
            open_=st.sampled_from([None, True, False]),
            group=_GROUPS,
            person=_PEOPLE,
            ci=st.sampled_from([None, "ci-a", "ci-c"]),
            service=_SERVICES,
            window=st.sampled_from([None, (0, 120), (60, 600)]),
            limit=st.integers(1, 4),
        )
        def query(
            self, state: str | None, open_: bool | None, group: str | None,
            person: str | None, ci: str | None, service: str | None,
            window: tuple[int, int] | None, limit: int,
        ) -> None:  # fmt: skip
            query = TicketQuery(
                state=state, open=open_, group=group, assignee=person, ci=ci, service=service,
                opened_from=None if window is None else BASE + timedelta(minutes=window[0]),
                opened_until=None if window is None else BASE + timedelta(minutes=window[1]),
            )  # fmt: skip

            def pages(store: Store) -> list[tuple[str, int]]:
                seen: list[tuple[str, int]] = []
                after = None
                with store.unit_of_work() as uow:
                    while True:
                        page = uow.tickets.find(query, limit=limit, after=after)
                        seen.extend((r.number, r.version) for r in page)
                        if page.next is None:
                            return seen
                        after = page.next

            self.both(pages)

        @rule(ci_id=_CIS, related=_CIS)
        def grow_cmdb(self, ci_id: str, related: str) -> None:
            def act(store: Store) -> int:
                with store.unit_of_work() as uow:
                    uow.cmdb.add_cis([CI(id=ci_id, ci_class="server")])
                    uow.cmdb.add_relationships([(related, "Depends on", ci_id)])
                    uow.commit()
                    return uow.cmdb.version()

            self.both(act)

        @invariant()
        def same_tickets(self) -> None:
            def everything(store: Store) -> list[Any]:
                with store.unit_of_work() as uow:
                    found = uow.tickets.get_many(self.numbers)
                    cmdb = uow.cmdb.load()
                    return [
                        sorted((n, r.state, r.version) for n, r in found.items()),
                        sorted(ci.id for ci in cmdb.cis()),
                        sorted((r.parent, r.child) for r in cmdb.relationships()),
                        uow.cmdb.version(),
                    ]

            self.both(everything)

    return StoreComparison
