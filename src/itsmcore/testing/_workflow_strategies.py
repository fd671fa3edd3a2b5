"""Strategies and a stateful-test factory for workflows, the default ones and your own.

* :func:`workflows` draws random *valid* workflows (every state reachable, no dead ends).
* :func:`workflow_state_machine` builds a hypothesis ``RuleBasedStateMachine`` that drives a
  record of any workflow through random transitions, updates and notes, and checks the
  engine's invariants after every step. Point it at your customised workflow.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itsmcore.errors import InvalidTransitionError, ItsmError, ValidationError
from itsmcore.workflow import Attempt, Record, State, Transition, Workflow, registry, start

__all__ = [
    "check_record_invariants",
    "workflow_state_machine",
    "workflows",
]

_BASE = pendulum.datetime(2026, 1, 5, 9, tz="UTC")


@st.composite
def workflows(draw: st.DrawFn, *, max_states: int = 7) -> Workflow:
    """Random valid workflows: reachable states, a way out of every non-final state.

    Some transitions have a required field (``"f_<name>"``) and some a guard that refuses
    when the record's ``"block"`` field is set, so refusals of both kinds occur. The guard is
    registered as ``"testing.not_blocked"``, so the workflows can be written as data.
    """
    count = draw(st.integers(min_value=2, max_value=max_states))
    names = [f"s{i}" for i in range(count)]
    finals = {n for n in names[1:] if draw(st.booleans())}
    if not finals and draw(st.booleans()):
        finals.add(names[-1])
    edges: set[tuple[str, str]] = set()
    for i in range(1, count):  # a spanning tree keeps every state reachable
        parents = [n for n in names[:i] if n not in finals]
        edges.add((draw(st.sampled_from(parents)), names[i]))
    for name in names:
        if name not in finals and not any(src == name for src, _ in edges):
            edges.add((name, draw(st.sampled_from(names))))
    extra = draw(
        st.lists(
            st.tuples(
                st.sampled_from([n for n in names if n not in finals]), st.sampled_from(names)
            ),
            max_size=count,
        )
    )
    edges.update(extra)
    transitions = []
    for index, (source, target) in enumerate(sorted(edges)):
        name = f"t{index}"
        requires = (f"f_{name}",) if draw(st.booleans()) else ()
        guards = (_not_blocked,) if draw(st.booleans()) else ()
        transitions.append(
            Transition(name=name, sources=source, target=target, requires=requires, guards=guards)
        )
    states = [State(name=n, final=n in finals) for n in names]
    return Workflow(name="random", states=states, initial=names[0], transitions=transitions)


def _not_blocked(attempt: Attempt) -> bool | str:
    record = attempt.record
    return "the record is blocked" if record.fields.get("block") else True


registry.register_guard("testing.not_blocked", _not_blocked)


def _expect(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _last_at(record: Record) -> datetime:
    last = record.history.last
    if last is None:
        raise AssertionError(f"{record.number} has an empty history")
    return last.at


def check_record_invariants(record: Record) -> None:
    """Assert the engine's invariants on one snapshot (raises ``AssertionError``)."""
    events = record.history.events()
    _expect(record.version == len(record.history) == len(events), "version != history length")
    _expect([e.seq for e in events] == list(range(1, len(events) + 1)), "event seq not 1..n")
    _expect(all(a.at <= b.at for a, b in itertools.pairwise(events)), "time order")
    _expect(events[0].kind == "created", "the first event is not the creation")
    _expect(events[-1].target == record.state, "the last event does not end in the state")
    for before, after in itertools.pairwise(events):
        _expect(after.source == before.target, "history is not a connected path")
    replay: dict[str, object] = {}
    for event in events:
        for name, (_, new) in event.changes.items():
            if new is None:
                replay.pop(name, None)
            else:
                replay[name] = new
    _expect(replay == dict(record.fields), "fields != replayed history")
    _expect(None not in record.fields.values(), "an unset field is absent, never None")
    if record.is_final:
        _expect(
            record.workflow.transitions_from(record.state) == (),
            "record.workflow.transitions_from(record.state) == ()",
        )


def _default_fields(record: Record, transition: str) -> st.SearchStrategy[Mapping[str, object]]:
    steps = [t for t in record.workflow.transitions if t.name == transition]
    needed = sorted({f for t in steps for f in t.requires} - {"comment"})
    full = {name: f"value of {name}" for name in needed}
    return st.sampled_from([full, {}]) if needed else st.just({})


def workflow_state_machine(
    workflow: Workflow,
    *,
    new_record: Callable[[Workflow, pendulum.DateTime], Record] | None = None,
    fields_for: Callable[[Record, str], st.SearchStrategy[Mapping[str, object]]] | None = None,
    updates: st.SearchStrategy[Mapping[str, object]] | None = None,
    checks: Iterable[Callable[[Record], None]] = (),
) -> type[RuleBasedStateMachine]:
    """A ``RuleBasedStateMachine`` class driving one record of ``workflow``.

    Rules try random transitions (allowed or not), field updates (from ``updates``), notes,
    and out-of-order instants. After each step :func:`check_record_invariants` and your
    ``checks`` run; every refused step must raise an itsmcore error and change nothing.
    ``new_record(workflow, at)`` creates the first record (default: an empty record);
    ``fields_for(record, transition)`` draws the fields passed with a transition.

    Use it as ``TestMyFlow = workflow_state_machine(flow).TestCase``.
    """
    make = new_record or (lambda wf, at: start(wf, number="REC0001", at=at, actor="tester"))
    draw_fields = fields_for or _default_fields
    names = workflow.transition_names
    actors = st.sampled_from(["alice", "bob", "carol"])
    checkers = tuple(checks)
    update_strategy = updates if updates is not None else st.just({"note_field": "x"})

    class WorkflowMachine(RuleBasedStateMachine):
        record: Record
        seen: list[Record]

        @initialize()
        def begin(self) -> None:
            self.record = make(workflow, _BASE)
            self.seen = [self.record]

        def _now(self, gap: timedelta) -> datetime:
            return _last_at(self.record) + gap

        def _attempt(self, step: Callable[[], Record]) -> Record | None:
            """Run ``step``; on an itsmcore error check nothing changed and return None."""
            before = self.record
            snapshot = (before.state, before.version, dict(before.fields), before.history)
            events = before.history.events()
            try:
                after = step()
            except ItsmError:
                now = (before.state, before.version, dict(before.fields), before.history)
                _expect(now == snapshot, "a refused step changed the record")
                _expect(before.history.events() == events, "a refused step changed the history")
                return None
            if after is not before:
                self.record = after
                self.seen.append(after)
            return after

        @rule(
            name=st.sampled_from(names),
            data=st.data(),
            gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
            actor=actors,
            comment=st.none() | st.just("a comment"),
        )
        def transition(
            self,
            name: str,
            data: st.DataObject,
            gap: timedelta,
            actor: str,
            comment: str | None,
        ) -> None:
            record = self.record
            structurally = name in record.workflow.transitions_from(record.state)
            fields = data.draw(draw_fields(record, name))
            at = self._now(gap)
            after = self._attempt(
                lambda: record.apply(name, at=at, actor=actor, comment=comment, fields=fields)
            )
            if after is None:
                return
            _expect(structurally, f"{name!r} went ahead from {record.state!r}")
            _expect(after.version == record.version + 1, "a transition did not add one version")
            last = after.history.last
            _expect(
                last is not None and (last.transition, last.actor) == (name, actor),
                "the last event is not the transition just applied",
            )

        @rule(fields=update_strategy, gap=st.timedeltas(timedelta(0), timedelta(days=1)))
        def update(self, fields: Mapping[str, object], gap: timedelta) -> None:
            record = self.record
            self._attempt(lambda: record.update(fields, at=self._now(gap), actor="alice"))

        @rule(public=st.booleans(), actor=actors)
        def add_note(self, public: bool, actor: str) -> None:
            record = self.record
            self._attempt(
                lambda: record.note(
                    "looked at it", at=self._now(timedelta(0)), actor=actor, public=public
                )
            )

        @rule(
            name=st.sampled_from(names), back=st.timedeltas(timedelta(seconds=1), timedelta(days=2))
        )
        def out_of_order(self, name: str, back: timedelta) -> None:
            record = self.record
            try:
                record.apply(name, at=_last_at(record) - back, actor="alice")
            except (ValidationError, InvalidTransitionError):
                pass
            else:
                raise AssertionError("a transition earlier than the last event went ahead")
            _expect(
                record is self.record and record.version == len(record.history),
                "record is self.record and record.version == len(record.history)",
            )

        @invariant()
        def record_invariants(self) -> None:
            if not hasattr(self, "record"):
                return
            check_record_invariants(self.record)
            for check in checkers:
                check(self.record)
            if self.record.is_final:
                for name in names:
                    try:
                        self.record.apply(name, at=self._now(timedelta(0)), actor="alice")
                    except InvalidTransitionError:
                        continue
                    raise AssertionError(f"final state accepted {name!r}")

        @invariant()
        def old_snapshots_unchanged(self) -> None:
            if not hasattr(self, "seen"):
                return
            for snapshot in self.seen[-3:]:
                _expect(
                    snapshot.version == len(snapshot.history),
                    "snapshot.version == len(snapshot.history)",
                )

    WorkflowMachine.__name__ = f"{workflow.name.title()}Machine"
    return WorkflowMachine
