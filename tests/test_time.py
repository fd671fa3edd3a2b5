from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore._time import to_utc, to_zone, utc_or_none
from itsmcore.errors import NaiveDatetimeError, ValidationError
from itsmcore.testing.strategies import aware_datetimes


def test_naive_datetime_is_a_clear_error() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"naive datetime.*timezone-aware"):
        to_utc(datetime(2026, 1, 1, 9, 0), name="opened_at")


@pytest.mark.parametrize("value", [date(2026, 1, 1), "2026-01-01T00:00:00Z", 0, None])
def test_non_datetimes_are_rejected(value: object) -> None:
    with pytest.raises(ValidationError, match="timezone-aware datetime"):
        to_utc(value)


def test_utc_or_none_passes_none() -> None:
    assert utc_or_none(None) is None


@given(aware_datetimes())
def test_to_utc_keeps_the_instant_and_normalises(value: pendulum.DateTime) -> None:
    out = to_utc(value)
    assert isinstance(out, pendulum.DateTime)
    assert out.utcoffset() == timedelta(0)
    assert out.timestamp() == value.timestamp()
    assert to_utc(out) is out


@given(st.datetimes(timezones=st.timezones()))
def test_stdlib_datetimes_in_any_zone(value: datetime) -> None:
    out = to_utc(value)
    assert out == value.astimezone(UTC)
    assert out.tzinfo is pendulum.UTC


def test_to_zone() -> None:
    at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert to_zone(at, "Europe/Berlin").hour == 14
