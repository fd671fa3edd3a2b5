"""Redundancy groups: min_up as a count or a percentage, and its validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.cmdb import Percent, RedundancyGroup, parse_min_up
from itsmcore.errors import ConfigurationError, ValidationError


@pytest.mark.parametrize(
    ("value", "expected"), [(2, 2), ("3", 3), ("50%", Percent(50)), (Percent(7), Percent(7))]
)
def test_parse_min_up(value: object, expected: object) -> None:
    assert parse_min_up(value) == expected


@pytest.mark.parametrize("value", ["half", 1.5, None, "150%", True])
def test_bad_min_up(value: object) -> None:
    with pytest.raises(ConfigurationError):
        parse_min_up(value)


@given(n=st.integers(1, 40), pct=st.integers(1, 100))
def test_percent_requires_the_rounded_up_share(n: int, pct: int) -> None:
    group = RedundancyGroup(consumer="c", members=[f"m{i}" for i in range(n)], min_up=f"{pct}%")
    # up members u keep the consumer up iff u >= n * pct / 100 (iTop compares the float)
    assert group.required == max(1, math.ceil(n * pct / 100))
    assert all((u >= n * pct / 100) == (u >= group.required) for u in range(1, n + 1))
    assert group.tolerance == n - group.required


def test_min_up_larger_than_members_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="min_up=3 but 2 member"):
        RedundancyGroup(consumer="farm", members=["h1", "h2"], min_up=3)
    with pytest.raises(ConfigurationError, match="no members"):
        RedundancyGroup(consumer="farm", members=[], min_up=1)
    with pytest.raises(ConfigurationError, match="lists its consumer"):
        RedundancyGroup(consumer="farm", members=["farm", "h1"])
    with pytest.raises(ValidationError, match="collection of CI ids"):
        RedundancyGroup(consumer="farm", members="h1")
