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
