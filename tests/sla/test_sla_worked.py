"""Worked cases from the products users know, on real incident histories."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest

from itsmcore.incidents import Incident, open_incident
from itsmcore.sla import (
    BusinessCalendar,
    EventIs,
    SlaDefinition,
    StateIn,
    crossings,
    evaluate,
    next_timer,
    resolution_sla,
    response_sla,
)

H = timedelta(hours=1)
BERLIN = BusinessCalendar(
    zone="Europe/Berlin",
    schedule={"mon-fri": "09:00-17:00"},
    holidays=[date(2025, 3, 4)],  # a Tuesday
    name="berlin desk",
)
TARGETS = {1: 4 * H, 2: 6 * H, 3: 8 * H, 4: 24 * H, 5: 48 * H}


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return pendulum.datetime(2025, 3, day, hour, minute, tz="Europe/Berlin")


def incident(at: datetime, *, impact: int = 2, urgency: int = 2) -> Incident:
    return open_incident(
        "INC0010001",
        at=at,
        actor="cara",
        caller="cara",
        short_description="VPN drops every hour",
        impact=impact,
        urgency=urgency,
    )


def resolve(ticket: Incident, at: datetime) -> Incident:
    fields = {"resolution_code": "fixed", "resolution_notes": "new VPN profile"}
    return ticket.apply("resolve", at=at, actor="ali", fields=fields)


def test_a_pause_on_hold_spans_a_night_and_a_holiday() -> None:
    sla = resolution_sla("resolution", targets=TARGETS, calendar=BERLIN)
    ticket = incident(berlin(3, 10))  # Monday 10:00, priority 3: 8 business hours
    assert ticket.priority == 3
    ticket = ticket.apply("start", at=berlin(3, 10, 30), actor="ali")
    ticket = ticket.apply(
        "hold", at=berlin(3, 15), actor="ali", fields={"hold_reason": "awaiting_vendor"}
    )
    # paused Monday 15:00 -> Wednesday 11:00, across the night and Tuesday's holiday
    paused = evaluate(sla, ticket, berlin(4, 12)).status("resolution")
    assert paused.stage == "paused"
    assert paused.elapsed == 5 * H
    assert paused.paused_time == 2 * H  # Monday 15-17; the holiday counts nothing
    assert next_timer(evaluate(sla, ticket, berlin(4, 12))) is None  # nothing runs

    ticket = ticket.apply("resume", at=berlin(5, 11), actor="ali")
    status = evaluate(sla, ticket, berlin(5, 12)).status("resolution")
    assert status.stage == "in_progress"
    assert status.elapsed == 6 * H
    assert status.paused_time == 4 * H  # Monday 15-17 and Wednesday 09-11
    assert status.due == berlin(5, 14)  # 3 h left after resuming at 11:00
    assert status.due == BERLIN.add(status.start, status.target + status.paused_time)
    assert status.percentage == 75.0

    fired = crossings(evaluate(sla, ticket, berlin(5, 12)), berlin(3, 0), berlin(5, 12))
    assert [(c.percent, c.at) for c in fired] == [(50, berlin(3, 14)), (75, berlin(5, 12))]
    timer = next_timer(evaluate(sla, ticket, berlin(5, 12)))
    assert timer is not None
    assert (timer.percent, timer.at) == (90, berlin(5, 13, 12))


def test_a_priority_raised_after_three_hours_keeps_the_start_and_the_pauses() -> None:
    sla = resolution_sla("resolution", targets=TARGETS)  # 24x7, retroactive by default
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start).apply("start", at=start + H / 2, actor="ali")
    ticket = ticket.apply(
        "hold", at=start + H, actor="ali", fields={"hold_reason": "awaiting_vendor"}
    )
    ticket = ticket.apply("resume", at=start + 2 * H, actor="ali")
    before = evaluate(sla, ticket, start + 3 * H).status("resolution")
    assert (before.target, before.elapsed, before.due) == (8 * H, 2 * H, start + 9 * H)

    raised = ticket.update({"impact": 1, "urgency": 1}, at=start + 3 * H, actor="ali")
    assert raised.priority == 1
    evaluation = evaluate(sla, raised, start + 3 * H)
    status = evaluation.status("resolution")
    assert status.start == start  # the original start (ServiceNow's retroactive start)
    assert status.target == 4 * H
    assert status.elapsed == 2 * H  # the hour on hold stays excluded (GLPI #6902 loses it)
    assert status.paused_time == H
    assert status.due == start + 5 * H
    assert status.cycle == 1
    # 50 % (2 h) was passed before the change: it fires at the change, once
    fired = crossings(evaluation, start, start + 3 * H)
    assert [(c.percent, c.at, c.reached) for c in fired] == [(50, start + 3 * H, start + 3 * H)]


def test_a_raised_priority_can_breach_at_once_and_restart_starts_a_new_clock() -> None:
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start).apply("start", at=start + H, actor="ali")
    raised = ticket.update({"impact": 1, "urgency": 1}, at=start + 5 * H, actor="ali")

    retro = evaluate(resolution_sla("r", targets=TARGETS), raised, start + 5 * H).status("r")
    assert retro.stage == "breached"
    assert retro.breached_at == start + 4 * H  # when 4 h had elapsed
    fired = crossings(
        evaluate(resolution_sla("r", targets=TARGETS), raised, start + 5 * H),
        start,
        start + 5 * H,
    )
    assert {c.percent for c in fired if c.at == start + 5 * H} >= {75, 90, 100}

    restart = resolution_sla("r", targets=TARGETS, on_priority_change="restart")
    status = evaluate(restart, raised, start + 6 * H).status("r")
    assert status.cycle == 2
    assert status.start == start + 5 * H
    assert status.elapsed == H
    assert status.due == start + 9 * H
    assert [(c.cycle, c.stage) for c in status.cycles] == [(1, "cancelled")]


def test_a_reopened_incident_has_two_resolution_cycles() -> None:
    sla = resolution_sla("resolution", targets=TARGETS)
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start).apply("start", at=start + H, actor="ali")
    ticket = resolve(ticket, start + 3 * H)
    done = evaluate(sla, ticket, start + 4 * H).status("resolution")
    assert (done.stage, done.elapsed, done.end) == ("achieved", 3 * H, start + 3 * H)

    ticket = ticket.apply("reopen", at=start + 20 * H, actor="cara", comment="it is back")
    ticket = resolve(ticket, start + 30 * H)
    status = evaluate(sla, ticket, start + 31 * H).status("resolution")
    assert status.cycle == 2
    assert status.start == start + 20 * H  # the clock restarts at the reopen (as Jira SM)
    assert status.stage == "breached"  # 10 h against 8 h
    assert status.breached_at == start + 28 * H
    assert [(c.cycle, c.stage, c.elapsed) for c in status.cycles] == [
        (1, "achieved", 3 * H),
        (2, "breached", 10 * H),
    ]


def test_an_ola_and_an_sla_on_one_ticket_with_different_calendars() -> None:
    slas = [
        resolution_sla("customer resolution", target=8 * H),  # 24x7
        resolution_sla("service desk OLA", type="ola", target=4 * H, calendar=BERLIN),
    ]
    ticket = incident(berlin(7, 16))  # Friday 16:00
    evaluation = evaluate(slas, ticket, berlin(7, 18))
    sla, ola = evaluation.statuses
    assert (sla.name, sla.type, ola.name, ola.type) == (
        "customer resolution",
        "sla",
        "service desk OLA",
        "ola",
    )
    assert sla.due == berlin(8, 0)  # Saturday midnight
    assert ola.due == berlin(10, 12)  # 1 h on Friday, 3 h on Monday
    assert (sla.elapsed, ola.elapsed) == (2 * H, H)


def test_response_stops_at_the_first_response_by_default() -> None:
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start)
    ticket = ticket.note("any news?", at=start + H, actor="cara", public=True)  # the caller
    ticket = ticket.note("looking", at=start + 2 * H, actor="ali")  # a work note
    ticket = ticket.note("we are on it", at=start + 3 * H, actor="ali", public=True)
    slas = [
        response_sla("first response", target=4 * H),
        response_sla("left new", target=4 * H, stop_at="leave_new", type="ola"),
        response_sla("first public comment", target=4 * H, stop_at="public_comment", type="uc"),
    ]
    got = {s.name: s for s in evaluate(slas, ticket, start + 5 * H).statuses}
    assert got["first response"].end == start + 3 * H
    assert got["first response"].stage == "achieved"
    assert got["left new"].stage == "breached"  # still new after 5 h
    assert got["first public comment"].end == start + H  # the caller's comment counts


def test_stopping_exactly_at_the_due_instant_is_a_breach() -> None:
    sla = resolution_sla("resolution", target=2 * H, warnings=[50])
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = resolve(incident(start), start + 2 * H)
    evaluation = evaluate(sla, ticket, start + 3 * H)
    status = evaluation.status("resolution")
    assert (status.stage, status.breached_at) == ("breached", start + 2 * H)
    assert [(c.percent, c.at) for c in crossings(evaluation, start, start + 3 * H)] == [
        (50, start + H),
        (100, start + 2 * H),
    ]
    early = resolve(incident(start), start + 2 * H - timedelta(microseconds=1))
    assert evaluate(sla, early, start + 3 * H).status("resolution").stage == "achieved"


def test_cancelled_ticket_cancels_its_clocks() -> None:
    sla = resolution_sla("resolution", target=2 * H)
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start).apply("cancel", at=start + H, actor="ali")
    status = evaluate(sla, ticket, start + 5 * H).status("resolution")
    assert (status.stage, status.elapsed, status.end) == ("cancelled", H, start + H)


def test_selection_first_match_per_slot_and_ticket_type() -> None:
    from itsmcore.sla import FieldIn, TicketTypeIn

    vip = resolution_sla("vip", target=2 * H, applies=FieldIn.equals("caller", "ceo"))
    normal = resolution_sla("normal", targets=TARGETS, applies=TicketTypeIn("incident"))
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ceo = open_incident(
        "INC1", at=start, actor="ceo", caller="ceo", short_description="x", impact=3, urgency=3
    )
    assert [s.name for s in evaluate([vip, normal], ceo, start).statuses] == ["vip"]
    assert [s.name for s in evaluate([vip, normal], incident(start), start).statuses] == ["normal"]
    events = incident(start).history
    assert evaluate([vip, normal], events, start).statuses == ()  # no ticket type known
    assert [s.name for s in evaluate([normal], events, start, ticket_type="incident").statuses] == [
        "normal"
    ]


def test_reset_starts_a_new_cycle() -> None:
    sla = SlaDefinition(
        name="update",
        kind="update",
        target=2 * H,
        start=StateIn(("new", "in_progress")),
        stop=StateIn("resolved"),
        reset=EventIs(kinds="note", public=True),
    )
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    ticket = incident(start).note("update", at=start + H, actor="ali", public=True)
    status = evaluate(sla, ticket, start + 2 * H).status("update")
    assert (status.cycle, status.start, status.elapsed) == (2, start + H, H)
    assert [(c.cycle, c.stage) for c in status.cycles] == [(1, "cancelled")]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: evaluate("x", [], datetime.now(UTC)), "not an SlaSet"),  # type: ignore[arg-type]
        (lambda: evaluate([_SLA], [], datetime(2025, 1, 1)), "naive"),
        (lambda: evaluate([_SLA], [None], datetime.now(UTC)), "not a history event"),
        (lambda: evaluate([_SLA], 5, datetime.now(UTC)), "not a history"),  # type: ignore[arg-type]
        (lambda: evaluate([_SLA, _SLA], [], datetime.now(UTC)), "two SLA definitions"),
        (lambda: evaluate([_SLA], [], "2025-01-01"), "timezone-aware"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_clearly(call: object, message: str) -> None:
    from itsmcore.errors import ItsmError

    with pytest.raises(ItsmError, match=message):
        call()  # type: ignore[operator]


_SLA = resolution_sla("resolution", target=H)


def test_history_checks() -> None:
    from itsmcore.errors import ValidationError

    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    events = incident(start).apply("start", at=start + H, actor="ali").history.events()
    with pytest.raises(ValidationError, match="does not continue"):
        evaluate(_SLA, events[1:], start + H)
    with pytest.raises(ValidationError, match="before the newest event"):
        evaluate(_SLA, events, start)
    earlier = evaluate(_SLA, events[:1], start)
    with pytest.raises(ValidationError, match="does not continue"):
        earlier.advance(events, start + H)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "speed"}, "kind 'speed' is not known"),
        ({"type": "contract"}, "type 'contract' is not known"),
        ({"target": None}, "either a fixed target or targets"),
        ({"target": timedelta(0)}, "must be positive"),
        ({"target": 3600}, "not a duration"),
        ({"warnings": [50, 100]}, "1 to 99"),
        ({"warnings": [True]}, "whole percentage"),
        ({"stop": "state == 'resolved'"}, "not a condition"),
        ({"calendar": "24x7"}, "not a business calendar"),
        ({"on_priority_change": "never"}, "on_priority_change 'never' is not known"),
        ({"name": "  "}, "non-blank"),
    ],
)
def test_bad_definitions_are_refused(kwargs: dict[str, object], message: str) -> None:
    from itsmcore.errors import ValidationError

    base: dict[str, object] = {
        "name": "r",
        "kind": "resolution",
        "start": StateIn("new"),
        "stop": StateIn("resolved"),
        "target": H,
    }
    with pytest.raises(ValidationError, match=message):
        SlaDefinition(**{**base, **kwargs})  # type: ignore[arg-type]
