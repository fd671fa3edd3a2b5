"""The board (many tickets at once) answers what evaluating each ticket on its own answers."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sla.test_sla_oracle import CALENDARS, MINUTE, act, definitions, tickets

from itsmcore.errors import ValidationError
from itsmcore.incidents import Incident
from itsmcore.sla import crossings, evaluate, evaluate_all


@settings(max_examples=25)
@given(
    st.sampled_from(CALENDARS),
    st.lists(tickets(), min_size=1, max_size=4),
    st.integers(0, 600),
    st.sampled_from(("hold", "resume", "resolve", "raise", "reply")),
)
def test_a_board_is_every_ticket_evaluated_alone(
    calendar: object, drawn: list[tuple[Incident, datetime]], later: int, action: str
) -> None:
    slas = definitions(calendar, calendar, 2)  # type: ignore[arg-type]
    records = [attrs.evolve(ticket, number=f"INC{i:07d}") for i, (ticket, _) in enumerate(drawn)]
    now = max(r.history[-1].at for r in records) + MINUTE
    board = evaluate_all(slas, records, now)
    assert len(board) == len(records)
    for record in records:
        assert board[record.number] == evaluate(slas, record, now)

    then = now + later * MINUTE
    changed = act(records[0], action, now)  # one ticket moves on
    moved = board.advance(then, [changed])
    assert moved[changed.number] == evaluate(slas, changed, then)
    for record in records[1:]:
        assert moved[record.number] == evaluate(slas, record, then)
    statuses = list(moved.statuses())
    assert len(statuses) == sum(len(e.statuses) for e in moved.evaluations.values())

    start = min(r.history[0].at for r in records) - MINUTE
    want = [
        (number, c)
        for number, evaluation in moved.evaluations.items()
        for c in crossings(evaluation, start, then + timedelta(days=2))
    ]
    assert moved.crossings(start, then + timedelta(days=2)) == want


def test_a_board_refuses_what_is_no_record_and_a_backward_window() -> None:
    slas = definitions(CALENDARS[0], CALENDARS[0], 1)
    with pytest.raises(ValidationError, match="must be records"):
        evaluate_all(slas, ["INC1"], datetime.fromisoformat("2025-03-07T15:00:00+00:00"))
    board = evaluate_all(slas, [], datetime.fromisoformat("2025-03-07T15:00:00+00:00"))
    later = datetime.fromisoformat("2025-03-07T16:00:00+00:00")
    with pytest.raises(ValidationError, match="before 'since'"):
        board.crossings(later, later - MINUTE)
    with pytest.raises(ValidationError, match="must be records"):
        board.advance(later, ["INC1"])  # type: ignore[list-item]
