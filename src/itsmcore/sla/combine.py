"""Combined calendars: open when all members are open (AND) or when any member is (OR).

Use ``service & team`` for "the service's hours while the team is in", ``team_a | team_b`` for
"either team". A combination reads the wall clock of its first member's zone for day rules.
"""

from __future__ import annotations

from collections.abc import Hashable

import attrs

from itsmcore.errors import ConfigurationError, allowed_list
from itsmcore.sla._wall import Segment, intersect, merge
from itsmcore.sla.calendar import BaseCalendar

__all__ = ["CombinedCalendar", "intersection", "union"]

_MODES = ("all", "any")


def _check_mode(instance: CombinedCalendar, attribute: object, value: str) -> None:
    if not isinstance(value, str) or value not in _MODES:
        raise ConfigurationError(
            f"combination mode {value!r} is not known; allowed: {allowed_list(_MODES)}"
        )


def _check_members(instance: CombinedCalendar, attribute: object, value: object) -> None:
    if not isinstance(value, tuple) or len(value) < 2:
        raise ConfigurationError(
            f"a combined calendar needs a tuple of at least two calendars, got {value!r}"
        )
    for member in value:
        check_calendar(member)


def check_calendar(value: object) -> BaseCalendar:
    """``value`` itself when it is a calendar, else a :class:`ConfigurationError` naming it."""
    if not isinstance(value, BaseCalendar):
        raise ConfigurationError(
            f"{value!r} is not a calendar; allowed: a BusinessCalendar or CombinedCalendar"
        )
    return value


@attrs.frozen
class CombinedCalendar(BaseCalendar):
    """Open when ``all`` members are open (intersection) or ``any`` is (union)."""

    mode: str = attrs.field(validator=_check_mode)
    members: tuple[BaseCalendar, ...] = attrs.field(validator=_check_members)
    _memo: dict[str, object] = attrs.field(
        init=False, factory=dict, eq=False, repr=False, hash=False
    )

    @property
    def zone(self) -> str:
        """The zone of the first member (its local dates are the days of the day rules)."""
        return self.members[0].zone

    def __repr__(self) -> str:
        joiner = " & " if self.mode == "all" else " | "
        return "(" + joiner.join(repr(m) for m in self.members) + ")"

    def _cache(self) -> dict[str, object]:
        return self._memo

    def _has_open_time(self) -> bool:
        has = [m._has_open_time() for m in self.members]
        return all(has) if self.mode == "all" else any(has)

    def _raw_segments(self, lo: int, hi: int) -> list[Segment]:
        parts = [m._raw_segments(lo, hi) for m in self.members]
        if self.mode == "any":
            return merge([s for part in parts for s in part])
        combined = parts[0]
        for part in parts[1:]:
            combined = intersect(combined, part)
        return combined

    def _year_key(self, year: int) -> Hashable | None:
        keys = [m._year_key(year) for m in self.members]
        return None if any(k is None for k in keys) else (self.mode, *keys)

    def _working_ordinals(self, year: int) -> list[int]:
        sets = [m._working_set(year) for m in self.members]
        joined = frozenset.intersection(*sets) if self.mode == "all" else frozenset.union(*sets)
        return sorted(joined)


def intersection(*calendars: BaseCalendar) -> CombinedCalendar:
    """Open only when every calendar is open (e.g. service hours AND the team's shift)."""
    return CombinedCalendar("all", tuple(calendars))


def union(*calendars: BaseCalendar) -> CombinedCalendar:
    """Open whenever any calendar is open (e.g. either of two teams)."""
    return CombinedCalendar("any", tuple(calendars))
