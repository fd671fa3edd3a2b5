"""Auto-close after N days resolved, as a pure function of the incident and an instant."""

from __future__ import annotations

from datetime import datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import NaiveDatetimeError, ValidationError
from itsmcore.incidents import (
    Incident,
    auto_close,
    auto_close_due_at,
    due_for_auto_close,
    open_incident,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


def resolved(at: pendulum.DateTime) -> Incident:
    inc = open_incident(
        "INC7", at=T0, actor="a", caller="c", short_description="s", impact=2, urgency=2
    )
    return inc.apply(
        "resolve", at=at, actor="ann", fields={"resolution_code": "x", "resolution_notes": "y"}
    )


@given(
    resolve_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    days=st.integers(min_value=1, max_value=20),
    probe=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_due_exactly_n_days_after_resolution(
    resolve_after: timedelta, days: int, probe: timedelta
) -> None:
    resolved_at = T0 + resolve_after
    inc = resolved(resolved_at)
    at = T0 + probe
    expected = at >= resolved_at + timedelta(days=days)  # stdlib arithmetic as the oracle
    assert due_for_auto_close(inc, at=at, after_days=days) is expected
    after = auto_close(inc, at=max(at, resolved_at), after_days=days)
    if due_for_auto_close(inc, at=max(at, resolved_at), after_days=days):
        assert after.state == "closed"
        last = after.history.last
        assert last is not None
        assert last.reason == f"auto-closed after {days} day(s) resolved"
    else:
        assert after is inc


def test_zero_disables_and_only_resolved_incidents_close() -> None:
    inc = resolved(T0)
    assert auto_close_due_at(inc, after_days=0) is None
    assert not due_for_auto_close(inc, at=T0.add(years=1), after_days=0)
    reopened = inc.apply("reopen", at=T0.add(days=1), actor="c", comment="no")
    assert auto_close_due_at(reopened, after_days=3) is None


def test_updated_basis_counts_from_the_last_event() -> None:
    inc = resolved(T0).note("customer confirms", at=T0.add(days=2), actor="c", public=True)
    assert auto_close_due_at(inc, after_days=3) == T0.add(days=3)
    assert auto_close_due_at(inc, after_days=3, basis="updated") == T0.add(days=5)


def test_bad_arguments() -> None:
    inc = resolved(T0)
    with pytest.raises(ValidationError, match="'after_days'"):
        due_for_auto_close(inc, at=T0, after_days=-1)
    with pytest.raises(ValidationError, match="'basis'"):
        auto_close_due_at(inc, after_days=1, basis="whenever")  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        due_for_auto_close(inc, at=datetime(2026, 3, 9), after_days=1)


def test_business_days_with_an_sla_calendar() -> None:
    from itsmcore.sla import BusinessCalendar

    calendar = BusinessCalendar(zone="Europe/London", schedule={"mon-fri": "09:00-17:00"})
    friday = pendulum.datetime(2026, 3, 6, 11, tz="UTC")
    inc = resolved(friday)
    assert auto_close_due_at(inc, after_days=2) == friday.add(days=2)
    due = auto_close_due_at(inc, after_days=2, calendar=calendar)
    assert due == pendulum.datetime(2026, 3, 10, 11, tz="UTC")  # Fri + 2 working days = Tue
    assert due == calendar.add_days(friday, 2)
    assert not due_for_auto_close(inc, at=friday.add(days=3), after_days=2, calendar=calendar)
    closed = auto_close(inc, at=due, after_days=2, calendar=calendar)
    assert closed.history[-1].reason == "auto-closed after 2 business day(s) resolved"
