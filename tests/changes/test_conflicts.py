"""Conflict detection against a brute-force pairwise oracle, and window conflicts."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.changes import (
    ChangeSchedule,
    ChangeWindow,
    PlannedChange,
    detect_conflicts,
    freeze_calendar,
    open_change,
    planned,
)
from itsmcore.cmdb import CI, CMDB, Propagation
from itsmcore.errors import DuplicateError, ItsmError
from itsmcore.sla import BusinessCalendar
from itsmcore.testing._change_strategies import BASE, conflict_cmdbs, planned_changes

PAIR_KINDS = ("same_ci", "related_ci", "same_assignee")


def impact_graph(cmdb: CMDB) -> nx.DiGraph:
    """Only the relationships that carry impact (the oracle's view of "related")."""
    types = cmdb.relationship_types
    graph = nx.DiGraph()
    graph.add_nodes_from(cmdb.graph.nodes)
    for u, v, data in cmdb.graph.edges(data=True):
        if types.get(data["type"]).propagation is not Propagation.NONE:
            graph.add_edge(u, v)
    return graph


def oracle(changes: list[PlannedChange], cmdb: CMDB, depth: int) -> set[tuple[str, ...]]:
    graph = impact_graph(cmdb)
    near = {
        x: {
            y for y, d in nx.single_source_shortest_path_length(graph, x, cutoff=depth).items() if d
        }
        | {
            y
            for y, d in nx.single_source_shortest_path_length(
                graph.reverse(), x, cutoff=depth
            ).items()
            if d
        }
        for x in graph.nodes
    }
    found: set[tuple[str, ...]] = set()
    for a in changes:
        for b in changes:
            if a.number == b.number or not (a.start < b.end and b.start < a.end):
                continue
            for x in a.cis:
                for y in b.cis:
                    if x == y:
                        found.add(("same_ci", a.number, b.number, x, y))
                    elif y in near[x]:
                        found.add(("related_ci", a.number, b.number, x, y))
            if a.assignee is not None and a.assignee == b.assignee:
                found.add(("same_assignee", a.number, b.number, "", ""))
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CMDB, list[PlannedChange], int]:
    cmdb = draw(conflict_cmdbs())
    cis = tuple(sorted(cmdb.graph.nodes))
    changes = [
        draw(planned_changes(number=f"CHG{i}", cis=cis)) for i in range(draw(st.integers(1, 7)))
    ]
    return cmdb, changes, draw(st.integers(1, 2))


@given(scenarios())
def test_conflicts_match_a_brute_force_pairwise_check_and_are_symmetric(
    scenario: tuple[CMDB, list[PlannedChange], int],
) -> None:
    cmdb, changes, depth = scenario
    schedule = ChangeSchedule(changes)
    found: set[tuple[str, ...]] = set()
    for change in changes:
        for c in detect_conflicts(change, schedule, cmdb=cmdb, related_depth=depth):
            assert c.kind in PAIR_KINDS
            assert c.change == change.number
            found.add((c.kind, c.change, c.other_change or "", c.ci or "", c.other_ci or ""))
    assert found == oracle(changes, cmdb, depth)
    mirrored = {(kind, b, a, y, x) for kind, a, b, x, y in found}
    assert mirrored == found


@given(scenarios())
def test_overlapping_finds_exactly_the_overlapping_changes(
    scenario: tuple[CMDB, list[PlannedChange], int],
) -> None:
    _, changes, _ = scenario
    schedule = ChangeSchedule(changes)
    probe = changes[0]
    expected = {c.number for c in changes if c.start < probe.end and probe.start < c.end}
    assert {c.number for c in schedule.overlapping(probe.start, probe.end)} == expected


def small_cmdb() -> CMDB:
    cmdb = CMDB()
    cmdb.add_cis([CI(id=i, ci_class="server") for i in ("db", "app", "web", "other")])
    cmdb.add_relationship("app", "Depends on", "db")
    cmdb.add_relationship("web", "Depends on", "app")
    return cmdb


def change(
    number: str, start: int, hours: int, cis: tuple[str, ...], who: str | None = None
) -> PlannedChange:
    begin = BASE + timedelta(hours=start)
    return PlannedChange(
        number=number, start=begin, end=begin + timedelta(hours=hours), cis=cis, assignee=who
    )


def test_conflict_kinds_and_objects() -> None:
    cmdb = small_cmdb()
    mine = change("CHG1", 0, 2, ("app",), "ann")
    schedule = ChangeSchedule(
        [
            change("CHG2", 1, 2, ("db",)),
            change("CHG3", 1, 1, ("app",)),
            change("CHG4", 2, 1, ("app",), "ann"),  # back to back: no conflict
            change("CHG5", 0, 1, ("other",), "ann"),
            change("CHG6", 0, 1, ("web",)),
        ]
    )
    found = {
        (c.kind, c.other_change, c.ci, c.other_ci, c.direction)
        for c in detect_conflicts(mine, schedule, cmdb=cmdb)
    }
    assert found == {
        ("same_ci", "CHG3", "app", "app", None),
        ("related_ci", "CHG2", "app", "db", "upstream"),
        ("related_ci", "CHG6", "app", "web", "downstream"),
        ("same_assignee", "CHG5", None, None, None),
    }


def test_window_conflicts() -> None:
    weekend = BusinessCalendar(
        zone="Europe/Berlin", schedule={"sat": "22:00-24:00", "sun": "00:00-06:00"}
    )
    windows = [
        ChangeWindow(name="db maintenance", kind="maintenance", calendar=weekend, cis=["db"]),
        ChangeWindow(
            name="quarter end",
            kind="blackout",
            calendar=freeze_calendar(date(2026, 3, 30), date(2026, 3, 31), zone="Europe/Berlin"),
        ),
    ]
    saturday_night = BASE.replace(day=7, hour=21, minute=30)  # 22:30 in Berlin
    inside = PlannedChange(
        number="A", start=saturday_night, end=saturday_night + timedelta(hours=2), cis=["db"]
    )
    assert detect_conflicts(inside, ChangeSchedule(), windows=windows) == ()
    weekday = PlannedChange(number="B", start=BASE, end=BASE + timedelta(hours=1), cis=["db"])
    (outside,) = detect_conflicts(weekday, ChangeSchedule(), windows=windows)
    assert (outside.kind, outside.ci, outside.windows) == (
        "outside_maintenance_window",
        "db",
        ("db maintenance",),
    )
    frozen = PlannedChange(
        number="C", start=BASE.replace(day=30), end=BASE.replace(day=30, hour=10), cis=["web"]
    )
    (blackout,) = detect_conflicts(frozen, ChangeSchedule(), windows=windows)
    assert (blackout.kind, blackout.ci, blackout.windows) == (
        "inside_blackout",
        None,
        ("quarter end",),
    )


def test_window_follows_dst() -> None:
    """02:00-04:00 Berlin wall time is 01:00-03:00 UTC in winter and 00:00-02:00 in summer."""
    nightly = BusinessCalendar(zone="Europe/Berlin", schedule={"daily": "02:00-04:00"})
    window = ChangeWindow(name="nightly", kind="maintenance", calendar=nightly)
    winter = BASE.replace(hour=1, minute=0)
    summer = BASE.replace(month=7, day=6, hour=0, minute=0)
    for start in (winter, summer):
        job = PlannedChange(number="X", start=start, end=start + timedelta(hours=2))
        assert detect_conflicts(job, ChangeSchedule(), windows=[window]) == ()
    late = PlannedChange(
        number="X", start=summer + timedelta(hours=1), end=summer + timedelta(hours=3)
    )
    assert [c.kind for c in detect_conflicts(late, ChangeSchedule(), windows=[window])] == [
        "outside_maintenance_window"
    ]


def test_planned_reads_a_change_record() -> None:
    record = open_change(
        "CHG7",
        at=BASE,
        actor="ann",
        requester="ann",
        short_description="x",
        affected_cis=["db"],
        fields={
            "planned_start": BASE,
            "planned_end": BASE + timedelta(hours=1),
            "assigned_to": "ben",
        },
    )
    plan = planned(record)
    assert (plan.number, plan.cis, plan.assignee) == ("CHG7", frozenset({"db"}), "ben")
    schedule = ChangeSchedule([change("CHG8", 0, 1, ("db",))])
    assert [c.kind for c in detect_conflicts(record, schedule)] == ["same_ci"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: PlannedChange(number=" ", start=BASE, end=BASE + timedelta(hours=1)),
        lambda: PlannedChange(number="A", start=BASE, end=BASE),
        lambda: PlannedChange(
            number="A", start=BASE.replace(tzinfo=None), end=BASE + timedelta(hours=1)
        ),
        lambda: PlannedChange(number="A", start=BASE, end=BASE + timedelta(hours=1), cis="db"),
        lambda: PlannedChange(number="A", start=BASE, end=BASE + timedelta(hours=1), cis=[""]),
        lambda: PlannedChange(number="A", start=None, end=BASE),
        lambda: ChangeSchedule("abc"),
        lambda: ChangeSchedule([1]),
        lambda: detect_conflicts(None, ChangeSchedule()),  # type: ignore[arg-type]
        lambda: detect_conflicts(change("A", 0, 1, ()), ChangeSchedule(), related_depth=True),
        lambda: detect_conflicts(change("A", 0, 1, ()), None),  # type: ignore[arg-type]
        lambda: detect_conflicts(change("A", 0, 1, ()), ChangeSchedule(), windows=[None]),
        lambda: ChangeWindow(name="w", kind="sometimes", calendar=BusinessCalendar.always_open()),
        lambda: ChangeWindow(name="w", kind="blackout", calendar=None),
        lambda: freeze_calendar(date(2026, 1, 2), date(2026, 1, 1)),
    ],
)
def test_bad_input_is_refused(build: object) -> None:
    with pytest.raises(ItsmError):
        build()  # type: ignore[operator]


def test_duplicate_numbers_in_a_schedule() -> None:
    with pytest.raises(DuplicateError):
        ChangeSchedule([change("A", 0, 1, ()), change("A", 3, 1, ())])
