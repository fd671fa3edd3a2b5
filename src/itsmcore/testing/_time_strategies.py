"""Strategies for instants: aware datetimes in many zones, and UTC pendulum instants."""

from __future__ import annotations

from datetime import datetime

import pendulum
from hypothesis import strategies as st

__all__ = ["aware_datetimes", "utc_datetimes", "zone_names"]

_ZONES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Europe/London",
)

_MIN = datetime(1990, 1, 1)
_MAX = datetime(2070, 12, 31)


def zone_names() -> st.SearchStrategy[str]:
    """IANA zone names with awkward DST rules (30-minute DST, midnight DST, no DST)."""
    return st.sampled_from(_ZONES)


def aware_datetimes(
    *, min_value: datetime = _MIN, max_value: datetime = _MAX
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware :class:`pendulum.DateTime` values in assorted zones (bounds are naive wall times)."""
    return st.builds(
        lambda naive, zone: pendulum.instance(naive, tz=zone),
        st.datetimes(min_value=min_value, max_value=max_value),
        zone_names(),
    )


def utc_datetimes(
    *, min_value: datetime = _MIN, max_value: datetime = _MAX
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware UTC :class:`pendulum.DateTime` values, as itsmcore stores them."""
    return st.datetimes(min_value=min_value, max_value=max_value).map(
        lambda naive: pendulum.instance(naive, tz="UTC")
    )
