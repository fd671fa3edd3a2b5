"""What every slot of an :class:`~itsmcore.sla.SlaSet` decides after an event, memoised.

A set's conditions read little: the ticket's state (the event's target), the event's kind,
transition, source and ``public``, the ticket type, a few fields (those the conditions name
and the priority fields of definitions with targets per priority) and, for
:class:`~itsmcore.sla.ActorIs`, whether the actor is the person a field names. The definition
chosen for each slot, its target and its six conditions are a function of those inputs
alone, so a :class:`Decider` works them out once per distinct input - a desk has a handful -
and the engine then pays one dict lookup per event for all slots together.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from operator import eq
from typing import cast

from itsmcore.sla.conditions import ActorIs, Condition, _leaves
from itsmcore.sla.definition import _Rules
from itsmcore.workflow import Event

__all__: list[str] = []

_KEPT = 4096  # distinct inputs remembered per set (more: the memo starts afresh)


class Decision:
    """The definition measuring a slot after an event, its target and its conditions (built
    once per distinct input, never changed)."""

    __slots__ = (
        "attaches",
        "cancel",
        "idle_paused",
        "idle_running",
        "pause",
        "reset",
        "resume",
        "rules",
        "start",
        "stop",
        "target",
    )

    def __init__(self, rules: _Rules, target: int, flags: tuple[bool, ...]) -> None:
        self.rules = rules
        self.target = target  # business microseconds
        start, stop, pause, resume, cancel, reset = flags
        self.start, self.stop, self.pause, self.resume = start, stop, pause, resume
        self.cancel, self.reset = cancel, reset
        carries_on = not cancel and not stop and not (reset and start)
        self.attaches = start and not stop and not cancel  # a detached slot starts a clock
        self.idle_running = carries_on and not pause  # a running clock carries on untouched
        self.idle_paused = carries_on and pause and not resume  # a paused one stays paused


Decisions = tuple[Decision | None, ...]
"""One entry per slot of the set (``None``: no definition measures the slot)."""


def pick(
    candidates: tuple[_Rules, ...],
    state: str,
    fields: Mapping[str, object],
    event: Event,
    ticket_type: str | None,
) -> _Rules | None:
    """The first candidate that applies and has a target, or ``None``."""
    for rules in candidates:
        applies = rules.applies is None or rules.applies(state, fields, event, ticket_type)
        if applies and rules.target_micros(fields) is not None:
            return rules
    return None


def _conditions(rules: _Rules) -> tuple[Condition, ...]:
    definition = rules.definition
    return (
        definition.applies,
        definition.start,
        definition.stop,
        definition.pause,
        definition.resume,
        definition.cancel,
        definition.reset,
    )


class Decider:
    """The per-event decisions of a set's slots, looked up by what the conditions read."""

    __slots__ = ("_memo", "actors", "empty", "keyed", "read", "reads", "slots")

    def __init__(self, slots: tuple[tuple[_Rules, ...], ...]) -> None:
        self.slots = slots
        keyed: set[str] = set()
        actors: set[str] = set()
        for candidates in slots:
            for rules in candidates:
                if rules.fixed is None:
                    keyed.add(rules.field)
                for condition in _conditions(rules):
                    for leaf in _leaves(condition):
                        if isinstance(leaf, ActorIs):
                            actors.add(leaf.field)
                        else:
                            keyed |= leaf.reads()
        self.keyed: tuple[str, ...] = tuple(sorted(keyed))
        """The fields whose values the decisions depend on."""
        self.actors: tuple[str, ...] = tuple(sorted(actors))
        """The fields naming a person the event's actor is compared with."""
        self.reads: tuple[str, ...] = tuple(sorted(keyed | actors))
        """Every field a decision reads (the engine keeps only these)."""
        self.read = frozenset(self.reads)
        self._memo: dict[tuple[object, ...], Decisions] = {}
        self.empty: dict[str | None, object] = {}
        """The engine's track before any event, per ticket type (see ``_engine.empty``)."""

    def values(self, fields: Mapping[str, object]) -> tuple[object, ...]:
        """The part of the lookup key made of the fields read (a value with its type, so that
        ``True`` and ``1`` stay apart, as the conditions keep them; for an actor's field only
        whether it names the actor, see :meth:`decide`)."""
        out: list[object] = []
        for name in self.keyed:
            value = fields.get(name)
            out += (type(value), value)
        return tuple(out)

    def decide(
        self,
        event: Event,
        fields: Mapping[str, object],
        values: tuple[object, ...],
        ticket_type: str | None,
    ) -> Decisions:
        """Every slot's decision after ``event``, for a ticket holding ``fields`` (whose
        :meth:`values` are ``values``)."""
        public = event.public
        actor = event.actor
        key = (
            event.target,
            event.kind,
            event.transition,
            event.source,
            public,
            type(public),
            ticket_type,
            values,
            # for each actor field, whether it names the actor (as ActorIs compares them)
            tuple(map(eq, map(fields.get, self.actors), repeat(actor))) if self.actors else (),
        )
        memo = self._memo
        try:
            found = memo.get(key)
        except TypeError:  # an unhashable field value: decide without remembering
            return self._work_out(event, fields, ticket_type)
        if found is None:
            found = self._work_out(event, fields, ticket_type)
            if len(memo) >= _KEPT:
                memo.clear()
            memo[key] = found
        return found

    def _work_out(
        self, event: Event, fields: Mapping[str, object], ticket_type: str | None
    ) -> Decisions:
        state = event.target
        out: list[Decision | None] = []
        for candidates in self.slots:
            rules = pick(candidates, state, fields, event, ticket_type)
            if rules is None:
                out.append(None)
                continue
            target = cast(int, rules.target_micros(fields))  # pick() only returns those with one
            flags = tuple(
                test is not None and bool(test(state, fields, event, ticket_type))
                for test in (
                    rules.start,
                    rules.stop,
                    rules.pause,
                    rules.resume,
                    rules.cancel,
                    rules.reset,
                )
            )
            out.append(Decision(rules, target, flags))
        return tuple(out)
