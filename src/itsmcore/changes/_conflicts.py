"""Conflict detection for a planned change, ServiceNow's conflict reasons with their objects.

Two changes overlap when their planned windows ``[start, end)`` intersect (back-to-back
changes do not). A planned change conflicts with an overlapping one that touches the same
CI, a CI related to one of its own through the CMDB (upstream or downstream within
``related_depth`` hops along relationships that carry impact), or that has the same
assignee; and on its own when it runs outside a maintenance window that applies to it or
touches a blackout window. Pair conflicts are symmetric: if A conflicts with B, B conflicts
with A, with the same CIs (direction reversed).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import attrs

from itsmcore.changes._checks import check_names, check_optional_text, check_text, check_whole
from itsmcore.changes._windows import ChangeWindow, check_span, check_windows
from itsmcore.errors import ConcurrencyError, DuplicateError, ValidationError, allowed_list

if TYPE_CHECKING:
    from itsmcore.changes._change import Change
    from itsmcore.cmdb import CMDB

__all__ = [
    "CONFLICT_KINDS",
    "ChangeSchedule",
    "Conflict",
    "ConflictKind",
    "PlannedChange",
    "detect_conflicts",
    "planned",
    "related_cis",
]

ConflictKind = Literal[
    "same_ci", "related_ci", "same_assignee", "outside_maintenance_window", "inside_blackout"
]
CONFLICT_KINDS: tuple[ConflictKind, ...] = (
    "same_ci",
    "related_ci",
    "same_assignee",
    "outside_maintenance_window",
    "inside_blackout",
)
Direction = Literal["upstream", "downstream"]

_RETRIES = 3


def _number(_: object, __: attrs.Attribute[str], value: object) -> None:
    check_text(value, "number")


def _names(value: object) -> frozenset[str]:
    return check_names(value, "cis")


def _assignee(value: object) -> str | None:
    return check_optional_text(value, "assignee")


@attrs.frozen(kw_only=True)
class PlannedChange:
    """What conflict detection needs of a change: its window, CIs, services and assignee."""

    number: str = attrs.field(validator=_number)
    start: datetime
    end: datetime
    cis: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    services: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    assignee: str | None = attrs.field(default=None, converter=_assignee)

    def __attrs_post_init__(self) -> None:
        start, end = check_span(self.start, self.end)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def overlaps(self, other: PlannedChange) -> bool:
        """Whether the two planned windows share an instant."""
        return self.start < other.end and other.start < self.end


def planned(change: Change) -> PlannedChange:
    """The planned change of a change record (it needs planned_start and planned_end)."""
    from itsmcore.changes._change import Change

    if not isinstance(change, Change):
        raise ValidationError(f"expected a Change, got {type(change).__name__}")
    start, end = change.planned_start, change.planned_end
    if start is None or end is None:
        raise ValidationError(
            f"{change.number} has no planned window; set planned_start and planned_end"
        )
    return PlannedChange(
        number=change.number,
        start=start,
        end=end,
        cis=change.affected_cis,
        services=change.impacted_services,
        assignee=change.assigned_to,
    )


@attrs.frozen(kw_only=True, order=True)
class Conflict:
    """One conflict of ``change``: its kind and the objects involved.

    Pair conflicts name the ``other_change``; ``ci`` is the planned change's CI and
    ``other_ci`` the other change's (the same CI for ``same_ci``; for ``related_ci``,
    ``direction`` says where ``other_ci`` lies from ``ci``). Window conflicts name the
    ``windows`` and the CI or service they are attached to (``ci`` is ``None`` for a global
    window); ``same_assignee`` names the ``assignee``.
    """

    kind: ConflictKind
    change: str
    other_change: str | None = None
    ci: str | None = None
    other_ci: str | None = None
    direction: Direction | None = None
    windows: tuple[str, ...] = ()
    assignee: str | None = None


def _planned_items(value: Iterable[PlannedChange]) -> tuple[PlannedChange, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(f"expected a collection of PlannedChange, got {value!r}")
    items = tuple(value)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, PlannedChange):
            raise ValidationError(f"expected PlannedChange values, got {item!r}")
        if item.number in seen:
            raise DuplicateError(f"change {item.number!r} is in the schedule twice")
        seen.add(item.number)
    return items


class ChangeSchedule:
    """The scheduled changes, indexed by CI, by assignee and by start (built once, immutable).

    Looking up what overlaps a new change costs the number of changes on its CIs (and
    their neighbours), not the size of the schedule.
    """

    __slots__ = ("_by_assignee", "_by_ci", "_changes", "_max_length", "_order", "_starts")

    def __init__(self, changes: Iterable[PlannedChange] = ()) -> None:
        items = _planned_items(changes)
        by_ci: dict[str, list[int]] = {}
        by_assignee: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            for ci in item.cis:
                by_ci.setdefault(ci, []).append(i)
            if item.assignee is not None:
                by_assignee.setdefault(item.assignee, []).append(i)
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        self._changes = items
        self._by_ci = {k: tuple(v) for k, v in by_ci.items()}
        self._by_assignee = {k: tuple(v) for k, v in by_assignee.items()}
        self._order = tuple(order)
        self._starts = tuple(items[i].start for i in order)
        self._max_length = max((c.end - c.start for c in items), default=None)

    def __len__(self) -> int:
        return len(self._changes)

    def __iter__(self) -> Iterator[PlannedChange]:
        return iter(self._changes)

    def __repr__(self) -> str:
        return f"<ChangeSchedule {len(self)} changes>"

    def with_change(self, change: PlannedChange) -> ChangeSchedule:
        """A schedule with ``change`` added (or replacing the change of that number)."""
        if not isinstance(change, PlannedChange):
            raise ValidationError(f"expected a PlannedChange, got {change!r}")
        kept = [c for c in self._changes if c.number != change.number]
        return ChangeSchedule([*kept, change])

    def overlapping(self, start: datetime, end: datetime) -> tuple[PlannedChange, ...]:
        """Every scheduled change whose window intersects ``[start, end)``, by start."""
        a, b = check_span(start, end)
        if self._max_length is None:
            return ()
        lo = bisect.bisect_left(self._starts, a - self._max_length)
        hi = bisect.bisect_left(self._starts, b)
        found = []
        for k in range(lo, hi):
            item = self._changes[self._order[k]]
            if item.end > a:
                found.append(item)
        return tuple(found)

    def on_ci(self, ci: str) -> tuple[PlannedChange, ...]:
        """The scheduled changes touching ``ci``."""
        return tuple(self._changes[i] for i in self._by_ci.get(ci, ()))

    def _on(self, table: Mapping[str, tuple[int, ...]], key: str) -> Iterator[PlannedChange]:
        for i in table.get(key, ()):
            yield self._changes[i]


def related_cis(
    cmdb: CMDB, cis: Iterable[str], *, depth: int = 1
) -> dict[str, dict[str, Direction]]:
    """For each CI, the CIs within ``depth`` hops up- or downstream of it, with the direction.

    Reads one consistent state of the CMDB: if the CMDB changes while the neighbourhoods are
    read, they are read again (a few times, then :class:`~itsmcore.errors.ConcurrencyError`).
    """
    from itsmcore.cmdb import CMDB as _CMDB

    if not isinstance(cmdb, _CMDB):
        raise ValidationError(f"'cmdb' must be a CMDB, got {type(cmdb).__name__}")
    check_whole(depth, "related_depth", least=1)
    wanted = sorted(check_names(cis, "cis"))
    for _ in range(_RETRIES):
        before = cmdb.index()
        found: dict[str, dict[str, Direction]] = {}
        for ci in wanted:
            near: dict[str, Direction] = {}
            for other in cmdb.depends_on(ci, max_depth=depth).cis:
                near[other] = "upstream"
            for other in cmdb.impact([ci], max_depth=depth).cis:
                near[other] = "downstream"
            near.pop(ci, None)
            found[ci] = near
        if cmdb.index() is before:
            return found
    raise ConcurrencyError(
        f"the CMDB changed while the neighbours of {allowed_list(wanted)} were read, "
        f"{_RETRIES} times in a row; retry when it is quieter"
    )


def detect_conflicts(
    change: PlannedChange | Change,
    schedule: ChangeSchedule,
    *,
    cmdb: CMDB | None = None,
    windows: Iterable[ChangeWindow] = (),
    related_depth: int = 1,
) -> tuple[Conflict, ...]:
    """Every conflict of ``change`` with ``schedule`` and ``windows``, sorted.

    Without a ``cmdb`` only the same-CI, assignee and window checks run. A change in the
    schedule under the same number is the change itself, and is skipped.
    """
    from itsmcore.changes._change import Change

    mine = planned(change) if isinstance(change, Change) else change
    if not isinstance(mine, PlannedChange):
        raise ValidationError(f"expected a PlannedChange or a Change, got {change!r}")
    if not isinstance(schedule, ChangeSchedule):
        raise ValidationError(f"'schedule' must be a ChangeSchedule, got {schedule!r}")
    applicable = check_windows(windows)
    check_whole(related_depth, "related_depth", least=0)
    found: set[Conflict] = set()
    number = mine.number

    def overlapping(others: Iterable[PlannedChange]) -> Iterator[PlannedChange]:
        for other in others:
            if other.number != number and mine.overlaps(other):
                yield other

    for ci in mine.cis:
        for other in overlapping(schedule._on(schedule._by_ci, ci)):
            found.add(
                Conflict(
                    kind="same_ci", change=number, other_change=other.number, ci=ci, other_ci=ci
                )
            )
    if cmdb is not None and related_depth > 0 and mine.cis:
        for ci, near in related_cis(cmdb, mine.cis, depth=related_depth).items():
            for other_ci, direction in near.items():
                for other in overlapping(schedule._on(schedule._by_ci, other_ci)):
                    found.add(
                        Conflict(
                            kind="related_ci",
                            change=number,
                            other_change=other.number,
                            ci=ci,
                            other_ci=other_ci,
                            direction=direction,
                        )
                    )
    if mine.assignee is not None:
        for other in overlapping(schedule._on(schedule._by_assignee, mine.assignee)):
            found.add(
                Conflict(
                    kind="same_assignee",
                    change=number,
                    other_change=other.number,
                    assignee=mine.assignee,
                )
            )
    found.update(window_conflicts(mine, applicable))
    return tuple(sorted(found, key=_sort_key))


def _sort_key(c: Conflict) -> tuple[int, str, str, str, tuple[str, ...], str]:
    return (
        CONFLICT_KINDS.index(c.kind),
        c.other_change or "",
        c.ci or "",
        c.other_ci or "",
        c.windows,
        c.assignee or "",
    )


def window_conflicts(change: PlannedChange, windows: Iterable[ChangeWindow]) -> list[Conflict]:
    """The maintenance and blackout conflicts of ``change`` (no schedule needed).

    Each CI and each impacted service with maintenance windows must have the change wholly
    inside them (inside their union, when several); global maintenance windows bind every
    change. A blackout that applies to the change (globally, to one of its CIs or services)
    must not touch its window at all.
    """
    start, end = change.start, change.end
    subjects: dict[str | None, list[ChangeWindow]] = {}
    out: list[Conflict] = []
    for window in windows:
        hits: list[str | None] = []
        if window.is_global:
            hits.append(None)
        hits.extend(sorted(window.cis & change.cis))
        hits.extend(sorted(window.services & change.services))
        if window.kind == "blackout":
            if hits and window.touches(start, end):
                out.extend(
                    Conflict(
                        kind="inside_blackout",
                        change=change.number,
                        ci=subject,
                        windows=(window.name,),
                    )
                    for subject in hits
                )
        else:
            for subject in hits:
                subjects.setdefault(subject, []).append(window)
    for subject, mine in subjects.items():
        if not _covered(mine, start, end):
            out.append(
                Conflict(
                    kind="outside_maintenance_window",
                    change=change.number,
                    ci=subject,
                    windows=tuple(sorted(w.name for w in mine)),
                )
            )
    return out


def _covered(windows: list[ChangeWindow], start: datetime, end: datetime) -> bool:
    if any(w.covers(start, end) for w in windows):
        return True
    if len(windows) == 1:
        return False
    from itsmcore.sla import union

    combined = union(*(w.calendar for w in windows))
    return combined.between(start, end) >= end - start
