"""Strategies for SLA conditions, definitions and sets of definitions.

Conditions read realistic ticket states, fields and event parts (the incident workflow's
names, plus a few others), nested a few levels deep; definitions draw every option of
:class:`~itsmcore.sla.SlaDefinition`: a fixed target or targets per priority, any calendar
(24x7, business hours, a combination), every condition, warnings and the priority policy.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from itsmcore.sla import (
    ALWAYS,
    NEVER,
    ActorIs,
    AllOf,
    AnyOf,
    BaseCalendar,
    BusinessCalendar,
    Condition,
    EventIs,
    FieldIn,
    Not,
    SlaDefinition,
    SlaSet,
    StateIn,
    TicketTypeIn,
)
from itsmcore.sla.conditions import EVENT_KINDS
from itsmcore.sla.definition import AGREEMENT_TYPES, PRIORITY_POLICIES, SLA_KINDS
from itsmcore.testing._calendar_strategies import business_calendars, combined_calendars

__all__ = [
    "actor_is_conditions",
    "all_of_conditions",
    "any_of_conditions",
    "event_is_conditions",
    "field_in_conditions",
    "not_conditions",
    "sla_conditions",
    "sla_definitions",
    "sla_leaf_conditions",
    "sla_sets",
    "state_in_conditions",
    "ticket_type_in_conditions",
]

_STATES = ("new", "in_progress", "on_hold", "resolved", "closed", "canceled", "pending")
_TRANSITIONS = ("start_work", "hold", "resume", "resolve", "close", "reopen", "cancel")
_FIELDS = ("priority", "hold_reason", "assignment_group", "category", "vip", "impact")
_PEOPLE_FIELDS = ("caller", "requested_for", "assigned_to")
_TICKET_TYPES = ("incident", "service_request", "problem", "change")
_SLA_NAMES = ("P1 resolution", "P2 resolution", "Response", "OLA network", "Vendor fix")


def _some(names: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(names), min_size=1, max_size=3)


def state_in_conditions() -> st.SearchStrategy[StateIn]:
    """``StateIn`` over one to three workflow states."""
    return st.builds(StateIn, _some(_STATES))


def _field_values() -> st.SearchStrategy[object]:
    """Plain values a field holds: priorities, labels, flags, or ``None`` (unset)."""
    return st.one_of(
        st.integers(1, 5),
        st.sampled_from(["awaiting_caller", "awaiting_change", "network", "P1", ""]),
        st.booleans(),
        st.none(),
    )


def field_in_conditions() -> st.SearchStrategy[FieldIn]:
    """``FieldIn`` with one value (``FieldIn.equals``) or a few."""
    return st.builds(
        FieldIn,
        st.sampled_from(_FIELDS),
        st.lists(_field_values(), min_size=1, max_size=3).map(tuple),
    )


def event_is_conditions() -> st.SearchStrategy[EventIs]:
    """``EventIs`` with any mix of its parts given (none given matches every event)."""
    return st.builds(
        EventIs,
        kinds=st.none() | _some(EVENT_KINDS),
        transitions=st.none() | _some(_TRANSITIONS),
        sources=st.none() | _some(_STATES),
        targets=st.none() | _some(_STATES),
        public=st.none() | st.booleans(),
    )


def actor_is_conditions() -> st.SearchStrategy[ActorIs]:
    """``ActorIs`` naming a field that holds a person."""
    return st.builds(ActorIs, st.sampled_from(_PEOPLE_FIELDS))


def ticket_type_in_conditions() -> st.SearchStrategy[TicketTypeIn]:
    """``TicketTypeIn`` over the shipped ticket types."""
    return st.builds(TicketTypeIn, _some(_TICKET_TYPES))


def sla_leaf_conditions() -> st.SearchStrategy[Condition]:
    """Any condition but the combinations."""
    return st.one_of(
        state_in_conditions(),
        field_in_conditions(),
        event_is_conditions(),
        actor_is_conditions(),
        ticket_type_in_conditions(),
    )


def sla_conditions(*, max_leaves: int = 6) -> st.SearchStrategy[Condition]:
    """Conditions nested with ``AllOf`` / ``AnyOf`` / ``Not`` (and the constants
    :data:`~itsmcore.sla.ALWAYS`, :data:`~itsmcore.sla.NEVER`), up to ``max_leaves`` leaves."""
    constants: list[Condition] = [ALWAYS, NEVER]
    leaves = sla_leaf_conditions() | st.sampled_from(constants)

    def nest(inner: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
        items = st.lists(inner, max_size=3).map(tuple)
        return st.one_of(items.map(AllOf), items.map(AnyOf), inner.map(Not))

    return st.recursive(leaves, nest, max_leaves=max_leaves)


def all_of_conditions() -> st.SearchStrategy[AllOf]:
    """``AllOf`` of nested conditions."""
    return st.lists(sla_conditions(max_leaves=4), max_size=3).map(lambda items: AllOf(items))


def any_of_conditions() -> st.SearchStrategy[AnyOf]:
    """``AnyOf`` of nested conditions."""
    return st.lists(sla_conditions(max_leaves=4), max_size=3).map(lambda items: AnyOf(items))


def not_conditions() -> st.SearchStrategy[Not]:
    """``Not`` of a nested condition."""
    return sla_conditions(max_leaves=4).map(Not)


def _durations() -> st.SearchStrategy[timedelta]:
    """Targets as products set them: whole minutes from one minute to 30 days, sometimes
    with seconds."""
    minutes = st.integers(1, 30 * 24 * 60).map(lambda n: timedelta(minutes=n))
    seconds = st.integers(1, 30 * 24 * 3600).map(lambda n: timedelta(seconds=n))
    return minutes | seconds


def _priority_keys() -> st.SearchStrategy[int | str]:
    return st.integers(1, 5) | st.sampled_from(["P1", "P2", "P3", "Critical", "High", "Low"])


def _calendars() -> st.SearchStrategy[BaseCalendar]:
    return st.one_of(
        st.just(BusinessCalendar.always_open()),
        st.sampled_from(["Europe/Berlin", "America/New_York"]).map(BusinessCalendar.always_open),
        business_calendars(max_intervals=2, named=True),
        combined_calendars(max_members=2, depth=1),
    )


@st.composite
def sla_definitions(draw: st.DrawFn, *, name: str | None = None) -> SlaDefinition:
    """SLA definitions using every option; ``name`` fixes the name (else one is drawn)."""
    fixed = draw(st.booleans())
    targets = (
        {}
        if fixed
        else draw(st.dictionaries(_priority_keys(), _durations(), min_size=1, max_size=4))
    )
    conditions = sla_conditions(max_leaves=4)
    optional = {
        key: draw(conditions) if draw(st.booleans()) else default
        for key, default in (
            ("pause", NEVER),
            ("resume", NEVER),
            ("cancel", NEVER),
            ("reset", NEVER),
            ("applies", ALWAYS),
        )
    }
    return SlaDefinition(
        name=name if name is not None else draw(st.sampled_from(_SLA_NAMES)),
        kind=draw(st.sampled_from(SLA_KINDS)),
        type=draw(st.sampled_from(AGREEMENT_TYPES)),
        start=draw(conditions),
        stop=draw(conditions),
        target=draw(_durations()) if fixed else None,
        targets=targets,
        priority_field=draw(st.sampled_from(["priority", "priority", "severity"])),
        calendar=draw(_calendars()),
        warnings=draw(st.lists(st.integers(1, 99), max_size=4)),
        on_priority_change=draw(st.sampled_from(PRIORITY_POLICIES)),
        **optional,
    )


@st.composite
def sla_sets(draw: st.DrawFn, *, max_definitions: int = 4) -> SlaSet:
    """Sets of one to ``max_definitions`` definitions with distinct names."""
    count = draw(st.integers(1, max_definitions))
    names = [f"SLA {i + 1}" for i in range(count)]
    return SlaSet([draw(sla_definitions(name=name)) for name in names])
