"""Strategies for priority scales, matrices and impact rules; invalid matrices for rejection tests.

Valid matrices are total and monotone, of any size 1..7 on each axis, with either severity
direction on each scale. Invalid specs (:class:`MatrixSpec`) carry the ingredients of a matrix
that construction must reject, and the exact defect planted in them. Impact rules, rule sets,
facts and assessments cover every condition, level keys given as values, labels (any case) or
levels, and both match modes.
"""

from __future__ import annotations

import string
from typing import Any

import attrs
from hypothesis import strategies as st

from itsmcore.priority import (
    Cell,
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    Level,
    LevelKey,
    MatchMode,
    MostSevere,
    PriorityMatrix,
    Scale,
    ServiceState,
)

__all__ = [
    "MatrixSpec",
    "impact_assessments",
    "impact_facts",
    "impact_rule_sets",
    "impact_rules",
    "invalid_matrix_specs",
    "matrices_with_holes",
    "matrix_cells",
    "non_monotone_matrices",
    "priority_labels",
    "priority_levels",
    "priority_matrices",
    "priority_scales",
]

_LABEL_ALPHABET = string.ascii_letters + string.digits + " -"
_MAX = 7

_Pair = tuple[int, int]


def priority_labels() -> st.SearchStrategy[str]:
    """Labels as products use them: short, single-line, no surrounding spaces."""
    return (
        st.text(_LABEL_ALPHABET, min_size=1, max_size=12)
        .map(str.strip)
        .filter(lambda label: label != "")
    )


def priority_levels() -> st.SearchStrategy[Level]:
    """Single levels with small (possibly negative) values."""
    return st.builds(Level, st.integers(-20, 40), priority_labels())


@st.composite
def priority_scales(
    draw: st.DrawFn,
    *,
    name: str | None = None,
    min_size: int = 1,
    max_size: int = _MAX,
    most_severe: MostSevere | None = None,
) -> Scale:
    """Scales of ``min_size..max_size`` levels, distinct values and labels, either direction."""
    size = draw(st.integers(min_size, max_size))
    values = draw(st.lists(st.integers(-20, 40), min_size=size, max_size=size, unique=True))
    labels = draw(st.lists(priority_labels(), min_size=size, max_size=size, unique_by=str.casefold))
    direction = most_severe if most_severe is not None else draw(st.sampled_from(MostSevere))
    return Scale(
        name=name if name is not None else draw(st.sampled_from(["impact", "urgency", "level"])),
        levels=[Level(v, lbl) for v, lbl in zip(values, labels, strict=True)],
        most_severe=direction,
    )


@attrs.frozen(kw_only=True)
class MatrixSpec:
    """The ingredients of a matrix and the defect planted in them.

    ``missing`` lists the (impact value, urgency value) pairs left without a priority;
    ``violation`` is one pair of neighbouring cells ``(more severe, less severe)`` whose
    priorities are out of order, or ``None``.
    """

    impact: Scale
    urgency: Scale
    priority: Scale
    cells: dict[_Pair, int] = attrs.field(eq=False)
    missing: tuple[_Pair, ...] = ()
    violation: tuple[_Pair, _Pair] | None = None


def _monotone_ranks(draw: st.DrawFn, n: int, m: int, k: int) -> list[list[int]]:
    """A grid of priority severity ranks, non-decreasing along both axes (0 = most severe).

    Taking running maxima of a free grid reaches every monotone grid (each is a fixed point).
    """
    free = draw(
        st.lists(st.lists(st.integers(0, k - 1), min_size=m, max_size=m), min_size=n, max_size=n)
    )
    ranks = [[0] * m for _ in range(n)]
    for a in range(n):
        for b in range(m):
            above = ranks[a - 1][b] if a else 0
            left = ranks[a][b - 1] if b else 0
            ranks[a][b] = max(free[a][b], above, left)
    return ranks


def _cells(
    impact: Scale, urgency: Scale, priority: Scale, ranks: list[list[int]]
) -> dict[_Pair, int]:
    imp, urg, pri = impact.by_severity(), urgency.by_severity(), priority.by_severity()
    return {
        (imp[a].value, urg[b].value): pri[ranks[a][b]].value
        for a in range(len(imp))
        for b in range(len(urg))
    }


@st.composite
def _valid_spec(draw: st.DrawFn, min_size: int, max_size: int) -> MatrixSpec:
    impact = draw(priority_scales(name="impact", min_size=min_size, max_size=max_size))
    urgency = draw(priority_scales(name="urgency", min_size=min_size, max_size=max_size))
    priority = draw(priority_scales(name="priority", min_size=min_size, max_size=max_size))
    ranks = _monotone_ranks(draw, len(impact), len(urgency), len(priority))
    return MatrixSpec(
        impact=impact,
        urgency=urgency,
        priority=priority,
        cells=_cells(impact, urgency, priority, ranks),
    )


def priority_matrices(
    *, min_size: int = 1, max_size: int = _MAX
) -> st.SearchStrategy[PriorityMatrix]:
    """Valid matrices: total and monotone, ``min_size..max_size`` levels on each scale."""
    return _valid_spec(min_size, max_size).map(
        lambda spec: PriorityMatrix(
            impact=spec.impact, urgency=spec.urgency, priority=spec.priority, cells=spec.cells
        )
    )


@st.composite
def matrices_with_holes(draw: st.DrawFn, *, max_size: int = _MAX) -> MatrixSpec:
    """Otherwise valid matrices with at least one (impact, urgency) pair left out."""
    spec = draw(_valid_spec(1, max_size))
    pairs = sorted(spec.cells)
    missing = draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True))
    cells = {pair: p for pair, p in spec.cells.items() if pair not in missing}
    return attrs.evolve(spec, cells=cells, missing=tuple(sorted(missing)))


@st.composite
def non_monotone_matrices(draw: st.DrawFn, *, max_size: int = _MAX) -> MatrixSpec:
    """Total matrices where a more severe cell gives a less severe priority than a neighbour."""
    n = draw(st.integers(1, max_size))
    m = draw(st.integers(2 if n == 1 else 1, max_size))
    impact = draw(priority_scales(name="impact", min_size=n, max_size=n))
    urgency = draw(priority_scales(name="urgency", min_size=m, max_size=m))
    priority = draw(priority_scales(name="priority", min_size=2, max_size=max_size))
    ranks = _monotone_ranks(draw, n, m, len(priority))
    steps = [(1, 0)] * (n > 1) + [(0, 1)] * (m > 1)
    da, db = draw(st.sampled_from(steps))
    a = draw(st.integers(0, n - 1 - da))
    b = draw(st.integers(0, m - 1 - db))
    ranks[a + da][b + db] = 0
    ranks[a][b] = draw(st.integers(1, len(priority) - 1))
    imp, urg = impact.by_severity(), urgency.by_severity()
    return MatrixSpec(
        impact=impact,
        urgency=urgency,
        priority=priority,
        cells=_cells(impact, urgency, priority, ranks),
        violation=(
            (imp[a].value, urg[b].value),
            (imp[a + da].value, urg[b + db].value),
        ),
    )


def invalid_matrix_specs(*, max_size: int = _MAX) -> st.SearchStrategy[MatrixSpec]:
    """Either defect: a hole, or a monotonicity violation."""
    return st.one_of(
        matrices_with_holes(max_size=max_size), non_monotone_matrices(max_size=max_size)
    )


def matrix_cells() -> st.SearchStrategy[Cell]:
    """Cells of valid matrices."""
    return priority_matrices(max_size=4).flatmap(lambda m: st.sampled_from(list(m.iter_cells())))


_CRITICALITY_NAMES = ("critical", "High", "gold", "Tier 2")


def _criticalities() -> st.SearchStrategy[int | str]:
    return st.integers(1, 5) | st.sampled_from(_CRITICALITY_NAMES)


def impact_facts() -> st.SearchStrategy[ImpactFacts]:
    """Facts about an incident: users, VIP caller, one service's criticality and state."""
    return st.builds(
        ImpactFacts,
        affected_users=st.integers(0, 10_000),
        vip_caller=st.booleans(),
        service_criticality=st.none() | _criticalities(),
        service_state=st.sampled_from(ServiceState),
    )


def _level_keys(scale: Scale) -> st.SearchStrategy[LevelKey]:
    """A level of ``scale`` named by its value, its label (in some case) or the Level itself."""
    level = st.sampled_from(scale.levels)
    return st.one_of(
        level.map(lambda lv: lv.value),
        level.map(lambda lv: lv.label),
        level.map(lambda lv: lv.label.upper()).filter(lambda text: text in scale),
        level,
    )


@st.composite
def impact_rules(draw: st.DrawFn, scale: Scale | None = None) -> ImpactRule:
    """Rules over ``scale`` (drawn when not given) with at least one condition."""
    if scale is None:
        scale = draw(priority_scales(name="impact"))
    conditions: dict[str, st.SearchStrategy[Any]] = {
        "min_affected_users": st.integers(0, 5_000),
        "vip_caller": st.booleans(),
        "service_criticality": st.lists(_criticalities(), min_size=1, max_size=3),
        "service_state": st.lists(st.sampled_from(ServiceState), min_size=1, max_size=3),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(conditions)), min_size=1, unique=True))
    return ImpactRule(
        name=draw(priority_labels()),
        impact=draw(_level_keys(scale)),
        **{key: draw(conditions[key]) for key in chosen},
    )


@st.composite
def impact_rule_sets(draw: st.DrawFn, *, max_rules: int = 6) -> ImpactRules:
    """Rule sets over a drawn impact scale: unique rule names, either mode, maybe a default."""
    scale = draw(priority_scales(name="impact"))
    rules = draw(
        st.lists(impact_rules(scale), max_size=max_rules, unique_by=lambda rule: rule.name)
    )
    return ImpactRules(
        scale=scale,
        rules=rules,
        default=draw(st.none() | _level_keys(scale)),
        mode=draw(st.sampled_from(MatchMode)),
    )


def impact_assessments() -> st.SearchStrategy[ImpactAssessment]:
    """Assessments as :meth:`ImpactRules.assess` gives them."""
    return st.tuples(impact_rule_sets(), impact_facts()).map(lambda pair: pair[0].assess(pair[1]))
