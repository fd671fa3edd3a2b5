"""The engine's integer ruler answers exactly what its calendar answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.sla import BusinessCalendar
from itsmcore.sla._ruler import ruler
from itsmcore.testing.strategies import business_calendars

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
T0 = int((datetime(2025, 1, 1, tzinfo=UTC) - EPOCH) / US)
instants = st.integers(T0 - 400 * 86_400_000_000, T0 + 800 * 86_400_000_000)
amounts = st.one_of(st.just(0), st.integers(1, 3_000 * 3_600_000_000))


def _dt(us: int) -> datetime:
    return EPOCH + us * US


def _us(value: datetime) -> int:
    return datetime.__sub__(value, EPOCH) // US


@settings(max_examples=40)
@given(business_calendars(), instants, instants)
def test_between_is_the_calendars(calendar: BusinessCalendar, a: int, b: int) -> None:
    assert ruler(calendar).between(a, b) == calendar.between(_dt(a), _dt(b)) // US


@settings(max_examples=40)
@given(business_calendars(), instants, amounts)
def test_add_is_the_calendars(calendar: BusinessCalendar, a: int, amount: int) -> None:
    try:
        expected = _us(calendar.add(_dt(a), timedelta(microseconds=amount)))
    except Exception as error:  # a calendar that never opens: the ruler raises the same
        try:
            ruler(calendar).add(a, amount)
        except type(error):
            return
        raise AssertionError(f"the ruler answered where the calendar raised {error!r}") from None
    assert ruler(calendar).add(a, amount) == expected


def test_always_open() -> None:
    measure = ruler(BusinessCalendar.always_open())
    assert measure.between(T0, T0 + 5) == 5
    assert measure.add(T0, 7) == T0 + 7
    assert measure.add(T0, 0) == T0


@settings(max_examples=30)
@given(business_calendars(), st.lists(instants, min_size=2, max_size=6))
def test_positions_never_move_as_the_span_grows(calendar: BusinessCalendar, ts: list[int]) -> None:
    # a fresh ruler asked in any order (so its span grows backwards and forwards) gives every
    # instant the position it gave first, and differences are the calendar's business time
    from itsmcore.sla._ruler import Ruler

    measure = Ruler(calendar)
    first = {t: measure.position(t) for t in ts}
    assert {t: measure.position(t) for t in reversed(ts)} == first
    a, b = sorted(ts[:2])
    assert first[b] - first[a] == calendar.between(_dt(a), _dt(b)) // US


def test_a_definition_deep_copies_with_its_ruler() -> None:
    import copy

    from itsmcore.sla import resolution_sla

    calendar = BusinessCalendar(zone="Europe/Berlin", schedule={"mon-fri": "09:00-17:00"})
    sla = resolution_sla("resolution", target=timedelta(hours=8), calendar=calendar)
    copied = copy.deepcopy(sla)
    assert copied == sla
    assert copied.target_for({}) == timedelta(hours=8)
