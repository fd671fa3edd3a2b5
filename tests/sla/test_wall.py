"""Offset stretches and wall-time conversion, checked against zoneinfo second by second."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.sla._wall import (
    Stretches,
    first_instant_at_or_after,
    intersect,
    load_zone,
    merge,
)
from itsmcore.testing.strategies import zone_names

YEAR_2025 = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())


def offset(zone: zoneinfo.ZoneInfo, t: int) -> int:
    delta = datetime.fromtimestamp(t, zone).utcoffset()
    assert delta is not None
    return int(delta.total_seconds())


@pytest.mark.parametrize(
    "name", ["America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata"]
)
def test_stretches_change_exactly_at_the_transitions(name: str) -> None:
    zone = load_zone(name)
    lo = int(datetime(2018, 1, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
    stretches = Stretches(zone, lo, hi)
    for start, value in zip(stretches.starts, stretches.offsets, strict=True):
        assert offset(zone, start) == value
        if start > lo:
            assert offset(zone, start - 1) != value
    expected = {"America/Sao_Paulo": 3, "Asia/Kolkata": 0}.get(name, 4)
    assert len(stretches.starts) - 1 == expected


@given(zone_names(), st.integers(YEAR_2025 - 10**8, YEAR_2025 + 10**8))
def test_every_instant_lies_in_the_stretch_with_its_offset(name: str, t: int) -> None:
    zone = load_zone(name)
    stretches = Stretches(zone, t - 86_400 * 3, t + 86_400 * 3)
    k = max(i for i, start in enumerate(stretches.starts) if start <= t)
    assert stretches.offsets[k] == offset(zone, t)


@given(zone_names(), st.integers(YEAR_2025 - 10**8, YEAR_2025 + 10**8))
def test_first_instant_at_or_after_a_wall_time(name: str, ws: int) -> None:
    zone = load_zone(name)
    t = first_instant_at_or_after(zone, ws)
    assert t + offset(zone, t) >= ws
    assert (t - 1) + offset(zone, t - 1) < ws or offset(zone, t - 1) != offset(zone, t)


def test_merge_and_intersect() -> None:
    assert merge([(5, 7), (1, 3), (3, 4), (6, 9)]) == [(1, 4), (5, 9)]
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]


def test_unknown_zone() -> None:
    from itsmcore.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="not known"):
        load_zone("Europe/Atlantis")
    with pytest.raises(ConfigurationError, match="IANA"):
        load_zone(3)
