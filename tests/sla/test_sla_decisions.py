"""The memoised per-event decisions equal the conditions evaluated directly, whatever the
conditions read (states, event parts, fields with their types, the actor, the ticket type)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from itsmcore.sla import (
    ActorIs,
    AllOf,
    AnyOf,
    Condition,
    EventIs,
    FieldIn,
    Not,
    SlaDefinition,
    SlaSet,
    StateIn,
    TicketTypeIn,
)
from itsmcore.sla._decisions import pick
from itsmcore.workflow import Event

STATES = ("new", "in_progress", "on_hold", "resolved")
VALUES = st.sampled_from((None, 1, 2, True, 1.0, "a", "b"))

leaves = st.one_of(
    st.builds(StateIn, st.lists(st.sampled_from(STATES), min_size=1, max_size=2)),
    st.builds(FieldIn, st.sampled_from(("flag", "tier")), st.lists(VALUES, min_size=1, max_size=2)),
    st.builds(
        EventIs,
        kinds=st.none() | st.just(("note",)) | st.just(("transition", "created")),
        sources=st.none() | st.just(("new",)),
        public=st.none() | st.booleans(),
    ),
    st.builds(ActorIs, st.sampled_from(("caller", "tier"))),
    st.builds(TicketTypeIn, st.just(("incident",))),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, b: AllOf((a, b)), inner, inner),
        st.builds(lambda a, b: AnyOf((a, b)), inner, inner),
        st.builds(Not, inner),
    ),
    max_leaves=5,
)


@st.composite
def definitions(draw: st.DrawFn, name: str) -> SlaDefinition:
    by_priority = draw(st.booleans())
    return SlaDefinition(
        name=name,
        kind="custom" if draw(st.booleans()) else "resolution",
        start=draw(conditions),
        stop=draw(conditions),
        pause=draw(conditions),
        resume=draw(conditions),
        cancel=draw(conditions),
        reset=draw(conditions),
        applies=draw(conditions),
        target=None if by_priority else timedelta(hours=1),
        targets={1: timedelta(hours=2), "a": timedelta(hours=3)} if by_priority else {},
        priority_field="tier",
    )


events = st.builds(
    Event,
    seq=st.just(1),
    at=st.just(datetime(2025, 1, 1, tzinfo=UTC)),
    actor=st.sampled_from(("cara", "ali")),
    kind=st.sampled_from(("created", "transition", "update", "note")),
    source=st.sampled_from(STATES),
    target=st.sampled_from(STATES),
    public=st.booleans(),
)
fields = st.fixed_dictionaries(
    {}, optional={"flag": VALUES, "tier": VALUES, "caller": st.sampled_from(("cara", "bo"))}
)


@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=4).flatmap(
        lambda ids: st.tuples(*(definitions(f"d{i}") for i in range(len(ids))))
    ),
    st.lists(st.tuples(events, fields, st.sampled_from((None, "incident"))), max_size=8),
)
def test_memoised_decisions_are_the_conditions_evaluated_directly(
    chosen: tuple[SlaDefinition, ...],
    cases: list[tuple[Event, dict[str, object], str | None]],
) -> None:
    slas = SlaSet(chosen)
    decider = slas._decider
    for event, values, ticket_type in cases * 2:  # the second round answers from the memo
        kept = {name: values[name] for name in decider.reads if name in values}
        got = decider.decide(event, kept, decider.values(kept), ticket_type)
        for (_, candidates), decision in zip(slas._slots, got, strict=True):
            state = event.target
            rules = pick(candidates, state, values, event, ticket_type)
            if rules is None:
                assert decision is None
                continue
            assert decision is not None
            assert decision.rules is rules
            assert decision.target == rules.target_micros(values)
            args = (state, values, event, ticket_type)
            for flag in ("start", "stop", "pause", "resume", "cancel", "reset"):
                test = getattr(rules, flag)
                assert getattr(decision, flag) == (test is not None and bool(test(*args)))


def test_an_unhashable_field_value_is_decided_without_the_memo() -> None:
    sla = SlaDefinition(
        name="tiered",
        kind="custom",
        start=FieldIn.equals("tier", 1),
        stop=StateIn("resolved"),
        target=timedelta(hours=1),
    )
    decider = SlaSet([sla])._decider
    event = Event(
        seq=1, at=datetime(2025, 1, 1, tzinfo=UTC), actor="a", kind="created", source="new",
        target="new",
    )  # fmt: skip
    kept = {"tier": [1]}
    (decision,) = decider.decide(event, kept, decider.values(kept), None)
    assert decision is not None
    assert decision.start is False
