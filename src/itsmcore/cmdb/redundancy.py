"""Redundancy groups: k-of-n providers behind one consumer (iTop's model, plus "degraded").

A group names a consumer and some of its providers. With ``n`` members and ``min_up`` (a count,
or a :class:`Percent` of ``n`` rounded up), the group contributes to its consumer:

* ``DOWN`` when fewer than ``min_up`` members are up (a member is "up" unless it is down in
  the analysis; members outside the failure count as up, as in iTop);
* ``DEGRADED`` when at least one member is down or degraded but enough are still up;
* nothing otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import attrs

from itsmcore.errors import ConfigurationError

__all__ = ["MinUp", "Percent", "RedundancyGroup", "parse_min_up"]


@attrs.frozen
class Percent:
    """A share of a group's members, 1 to 100; ``Percent(50)`` of 5 members means 3."""

    value: int = attrs.field()

    @value.validator
    def _check(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            raise ConfigurationError(
                f"a redundancy percentage must be an int from 1 to 100, got {value!r}"
            )

    def __str__(self) -> str:
        return f"{self.value}%"


MinUp = int | Percent
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%\s*$")


def parse_min_up(value: object) -> MinUp:
    """Accept ``3``, ``Percent(50)``, ``"3"`` or ``"50%"`` (iTop's stored form)."""
    if isinstance(value, Percent):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            return Percent(int(match.group(1)))
        if value.strip().isdigit():
            return int(value.strip())
    raise ConfigurationError(
        f"min_up must be a count (int) or a percentage like '50%', got {value!r}"
    )


def _members(value: Iterable[str]) -> frozenset[str]:
    from itsmcore.cmdb._validate import ci_id_of, collection

    items = collection(value, "redundancy group members", "CI ids")
    return frozenset(ci_id_of(m, "a redundancy group member") for m in items)


def _consumer(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    from itsmcore.cmdb._validate import ci_id_of

    ci_id_of(value, "a redundancy group's consumer")


def _group_name(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ConfigurationError(
            f"a redundancy group's name must be a string, got {type(value).__name__} {value!r}"
        )


@attrs.frozen(kw_only=True)
class RedundancyGroup:
    """``consumer`` stays up while at least ``min_up`` of ``members`` are up."""

    consumer: str = attrs.field(validator=_consumer)
    members: frozenset[str] = attrs.field(converter=_members)
    min_up: MinUp = attrs.field(default=1, converter=parse_min_up)
    name: str = attrs.field(default="", validator=_group_name)

    def __attrs_post_init__(self) -> None:
        n = len(self.members)
        if n == 0:
            raise ConfigurationError(
                f"redundancy group for {self.consumer!r} has no members; give at least one"
            )
        if self.consumer in self.members:
            raise ConfigurationError(
                f"redundancy group for {self.consumer!r} lists its consumer as a member"
            )
        if isinstance(self.min_up, int) and not 1 <= self.min_up <= n:
            raise ConfigurationError(
                f"redundancy group for {self.consumer!r} has min_up={self.min_up} but "
                f"{n} member(s); allowed: 1 to {n}, or a percentage"
            )

    @property
    def required(self) -> int:
        """``min_up`` as a member count (a percentage is rounded up, as iTop compares)."""
        if isinstance(self.min_up, Percent):
            return max(1, math.ceil(len(self.members) * self.min_up.value / 100))
        return self.min_up

    @property
    def tolerance(self) -> int:
        """How many members may be down before the consumer is down."""
        return len(self.members) - self.required
