"""The shipped strategies: registered for st.from_type, and their planted defects are real."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itsmcore.priority import Level, MostSevere, PriorityMatrix, Scale
from itsmcore.testing.strategies import (
    MatrixSpec,
    matrices_with_holes,
    non_monotone_matrices,
    priority_matrices,
)


@given(st.from_type(Level), st.from_type(Scale), st.from_type(PriorityMatrix))
def test_types_are_registered(level: Level, scale: Scale, matrix: PriorityMatrix) -> None:
    assert isinstance(level, Level)
    assert 1 <= len(scale) <= 7
    assert isinstance(matrix, PriorityMatrix)


@given(priority_matrices(min_size=7, max_size=7))
def test_sizes_reach_seven(matrix: PriorityMatrix) -> None:
    assert len(matrix.impact) == len(matrix.urgency) == len(matrix.priority) == 7


@given(priority_matrices(min_size=1, max_size=1))
def test_sizes_go_down_to_one(matrix: PriorityMatrix) -> None:
    assert len(matrix.cells) == 1


def test_both_directions_are_generated() -> None:
    seen: set[MostSevere] = set()

    @given(priority_matrices(max_size=2))
    def collect(matrix: PriorityMatrix) -> None:
        seen.add(matrix.impact.most_severe)

    collect()
    assert seen == set(MostSevere)


@given(matrices_with_holes())
def test_holes_are_really_missing(spec: MatrixSpec) -> None:
    assert spec.missing
    everything = {(i, u) for i in spec.impact.values for u in spec.urgency.values}
    assert set(spec.cells) == everything - set(spec.missing)


@given(non_monotone_matrices())
def test_the_planted_violation_is_out_of_order(spec: MatrixSpec) -> None:
    assert spec.violation is not None
    severe, milder = spec.violation
    assert spec.impact.at_least_as_severe(severe[0], milder[0])
    assert spec.urgency.at_least_as_severe(severe[1], milder[1])
    assert severe != milder
    assert spec.priority.more_severe(spec.cells[milder], spec.cells[severe])
