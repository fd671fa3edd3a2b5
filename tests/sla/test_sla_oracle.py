"""The SLA engine against a brute-force oracle (minute by minute over generated histories)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.sla._sla_oracle import MINUTE, Oracle, due_from, run

from itsmcore.incidents import Incident, open_incident
from itsmcore.sla import (
    NEVER,
    BusinessCalendar,
    Evaluation,
    SlaDefinition,
    SlaSet,
    crossings,
    evaluate,
    next_timer,
    resolution_sla,
    response_sla,
)

BERLIN = BusinessCalendar(
    zone="Europe/Berlin",
    schedule={"mon-fri": "09:00-17:00"},
    holidays=[date(2025, 3, 31)],
    name="berlin",
)
NEW_YORK = BusinessCalendar(
    zone="America/New_York",
    schedule={"mon-fri": ["08:00-12:00", "13:00-18:30"], "sat": "10:00-14:00"},
    name="new-york",
)
ALWAYS_OPEN = BusinessCalendar.always_open()
CALENDARS = [ALWAYS_OPEN, BERLIN, NEW_YORK]
# Starts around the DST changes (New York 2025-03-09, Berlin 2025-03-30).
STARTS = [datetime(2025, 3, 7, 15, 0, tzinfo=UTC), datetime(2025, 3, 28, 14, 0, tzinfo=UTC)]

ACTIONS = (
    *("start", "hold", "resume") * 3,
    *("resolve", "reopen", "cancel", "raise", "lower", "reply", "note"),
)


def _targets(scale: int) -> dict[int | str, timedelta]:
    # multiples of 20 minutes, so 50/75/90 % fall on whole minutes
    return {p: timedelta(minutes=20 * scale * p) for p in range(1, 6)}


def definitions(calendar: BusinessCalendar, other: BusinessCalendar, scale: int) -> SlaSet:
    return SlaSet(
        [
            response_sla("response", target=timedelta(minutes=40 * scale), calendar=calendar),
            resolution_sla("resolution", targets=_targets(scale), calendar=calendar),
            resolution_sla(
                "team resolution",
                type="ola",
                target=timedelta(minutes=60 * scale),
                calendar=other,
            ),
        ]
    )


def act(ticket: Incident, action: str, at: datetime) -> Incident:
    allowed = ticket.allowed(actor="agent", at=at)
    if action in ("raise", "lower"):
        if ticket.is_final:
            return ticket
        urgency = 1 if action == "raise" else 3
        return ticket.update({"urgency": urgency, "impact": urgency}, at=at, actor="agent")
    if action == "reply":
        return ticket.note("on it", at=at, actor="agent", public=True)
    if action == "note":
        return ticket.note("internal", at=at, actor="caller-1", public=True)
    if action not in allowed:
        return ticket
    if action == "hold":
        return ticket.apply("hold", at=at, actor="agent", fields={"hold_reason": "awaiting_vendor"})
    if action == "resolve":
        fields = {"resolution_code": "fixed", "resolution_notes": "done"}
        return ticket.apply("resolve", at=at, actor="agent", fields=fields)
    if action == "reopen":
        return ticket.apply("reopen", at=at, actor="caller-1", comment="still broken")
    return ticket.apply(action, at=at, actor="agent")


@st.composite
def tickets(draw: st.DrawFn) -> tuple[Incident, datetime]:
    start = draw(st.sampled_from(STARTS)) + draw(st.integers(0, 24 * 60)) * MINUTE
    ticket = open_incident(
        "INC0000001",
        at=start,
        actor="caller-1",
        caller="caller-1",
        short_description="printer on fire",
        impact=draw(st.integers(1, 3)),
        urgency=draw(st.integers(1, 3)),
    )
    at = start
    steps = draw(st.lists(st.tuples(st.integers(0, 600), st.sampled_from(ACTIONS)), max_size=12))
    for gap, action in steps:
        at += gap * MINUTE
        ticket = act(ticket, action, at)
    end = at + draw(st.integers(0, 900)) * MINUTE
    return ticket, end


@st.composite
def cases(draw: st.DrawFn) -> tuple[SlaSet, Incident, datetime]:
    calendar = draw(st.sampled_from(CALENDARS))
    other = draw(st.sampled_from(CALENDARS))
    slas = definitions(calendar, other, draw(st.integers(1, 6)))
    ticket, end = draw(tickets())
    return slas, ticket, end


def _check_against_oracle(slas: SlaSet, ticket: Incident, end: datetime) -> Evaluation:
    events = ticket.history.events()
    evaluation = evaluate(slas, ticket, end)
    oracle = run(list(slas), events, end)
    by_name = {s.name: s for s in evaluation.statuses}
    for i, definition in enumerate(slas):
        clock = oracle.clocks[i]
        if clock is None:
            assert definition.name not in by_name
            continue
        status = by_name[definition.name]
        assert status.cycle == clock.cycle
        assert status.start == clock.start
        assert status.target == clock.target * MINUTE
        assert status.elapsed == clock.elapsed * MINUTE, (definition.name, status, clock)
        assert status.paused_time == clock.paused * MINUTE
        assert status.breached_at == clock.breached_at
        expected = clock.mode
        if clock.active and clock.elapsed >= clock.target:
            expected = "breached"
        elif clock.mode == "running":
            expected = "in_progress"
        assert status.stage == expected
        assert [(c.cycle, c.stage, c.elapsed) for c in status.cycles] == [
            (c.cycle, c.mode, c.elapsed * MINUTE) for c in oracle.cycles[i]
        ]
        if clock.active and clock.elapsed < clock.target:
            left = clock.target - clock.elapsed
            assert status.due == due_from(definition.calendar, end, left)
    return evaluation


@given(cases())
def test_statuses_match_the_minute_by_minute_oracle(
    case: tuple[SlaSet, Incident, datetime],
) -> None:
    _check_against_oracle(*case)


@given(cases())
def test_elapsed_plus_remaining_is_the_target_while_in_progress(
    case: tuple[SlaSet, Incident, datetime],
) -> None:
    slas, ticket, end = case
    for status in evaluate(slas, ticket, end).statuses:
        if status.stage in ("in_progress", "paused"):
            assert status.elapsed + status.remaining == status.target
            assert 0 <= status.percentage < 100


@given(cases())
def test_due_is_add_start_target_plus_paused_business_time(
    case: tuple[SlaSet, Incident, datetime],
) -> None:
    slas, ticket, end = case
    for status in evaluate(slas, ticket, end).statuses:
        if status.stage in ("in_progress", "paused"):
            calendar = slas[status.name].calendar
            assert status.due == calendar.add(status.start, status.target + status.paused_time)


@given(cases())
def test_pausing_never_increases_elapsed(case: tuple[SlaSet, Incident, datetime]) -> None:
    slas, ticket, end = case
    unpaused = SlaSet([_without_pause(d) for d in slas])
    paused = {s.name: s for s in evaluate(slas, ticket, end).statuses}
    for status in evaluate(unpaused, ticket, end).statuses:
        if status.name in paused and paused[status.name].cycle == status.cycle:
            assert paused[status.name].elapsed <= status.elapsed


def _without_pause(definition: SlaDefinition) -> SlaDefinition:
    import attrs

    return attrs.evolve(definition, pause=NEVER)


@given(cases())
def test_breach_happens_exactly_when_elapsed_reaches_the_target(
    case: tuple[SlaSet, Incident, datetime],
) -> None:
    slas, ticket, end = case
    evaluation = evaluate(slas, ticket, end)
    for status in evaluation.statuses:
        if status.stage != "in_progress" or status.due is None:
            continue
        just_before = evaluation.advance((), status.due - MINUTE).status(status.name)
        at_due = evaluation.advance((), status.due).status(status.name)
        assert just_before.stage == "in_progress"
        assert just_before.elapsed < status.target
        assert at_due.stage == "breached"
        assert at_due.elapsed == status.target
        assert at_due.breached_at == status.due


@given(cases(), st.lists(st.integers(1, 3000), min_size=1, max_size=6))
def test_crossings_of_adjacent_windows_partition_their_union(
    case: tuple[SlaSet, Incident, datetime], gaps: list[int]
) -> None:
    slas, ticket, end = case
    evaluation = evaluate(slas, ticket, end)
    first = ticket.history[0].at - MINUTE
    edges = [first]
    for gap in gaps:
        edges.append(edges[-1] + gap * MINUTE)
    pieces = [c for a, b in itertools.pairwise(edges) for c in crossings(evaluation, a, b)]
    assert pieces == list(crossings(evaluation, edges[0], edges[-1]))
    # each crossing once, at the first tick at or after its instant
    for c in pieces:
        assert sum(1 for d in pieces if d == c) == 1


@given(cases())
def test_crossings_match_the_oracle(case: tuple[SlaSet, Incident, datetime]) -> None:
    slas, ticket, end = case
    evaluation = evaluate(slas, ticket, end)
    oracle = run(list(slas), ticket.history.events(), end)
    start = ticket.history[0].at - MINUTE
    got = [(c.at, c.name, c.percent, c.cycle) for c in crossings(evaluation, start, end)]
    want = sorted(
        ((c.at, c.name, c.percent, c.cycle) for c in oracle.crossings),
        key=lambda c: (c[0], [d.name for d in slas].index(c[1]), c[3], c[2]),
    )
    assert got == want


@given(cases())
def test_next_timer_is_the_first_crossing_after_the_instant(
    case: tuple[SlaSet, Incident, datetime],
) -> None:
    slas, ticket, end = case
    evaluation = evaluate(slas, ticket, end)
    timer = next_timer(evaluation)
    if timer is None:  # nothing runs, or what runs has crossed every threshold already (a
        # target lowered after the breach fired: each percentage crosses once per cycle)
        crossed = crossings(evaluation, ticket.history[0].at - MINUTE, end)
        for status in evaluation.statuses:
            if status.stage == "in_progress":
                assert (status.name, 100, status.cycle) in {
                    (c.name, c.percent, c.cycle) for c in crossed
                }
        return
    assert timer.at > end
    assert crossings(evaluation, end, timer.at - timedelta(microseconds=1)) == ()
    assert timer in crossings(evaluation, end, timer.at)


@given(cases(), st.data())
def test_incremental_equals_scratch(
    case: tuple[SlaSet, Incident, datetime], data: st.DataObject
) -> None:
    slas, ticket, end = case
    events = ticket.history.events()
    k = data.draw(st.integers(1, len(events)))
    earlier = evaluate(slas, events[:k], events[k - 1].at)
    later = earlier.advance(ticket.history.since(earlier.version), end)
    scratch = evaluate(slas, ticket, end)
    assert later == scratch
    assert later.statuses == scratch.statuses
    window = (events[0].at - MINUTE, end + timedelta(days=3))
    assert crossings(later, *window) == crossings(scratch, *window)


def test_oracle_counts_business_minutes() -> None:  # the oracle itself, on a known case
    monday = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert due_from(BERLIN, monday, 60) == monday + timedelta(hours=1)
    assert due_from(BERLIN, monday + timedelta(hours=7, minutes=30), 60) == datetime(
        2025, 3, 4, 8, 30, tzinfo=UTC
    )
    assert isinstance(Oracle([]), Oracle)
