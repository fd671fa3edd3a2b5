"""Matrix construction checks (totality, monotonicity), lookup and reverse query.

The oracles here compare every pair of cells by brute force, with severity ranks computed from
the sorted level values and the scale's direction, independently of the library's neighbour
check.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, UnknownValueError
from itsmcore.priority import (
    Level,
    MostSevere,
    PriorityMatrix,
    Scale,
    preset,
    preset_names,
)
from itsmcore.testing.strategies import (
    MatrixSpec,
    invalid_matrix_specs,
    matrices_with_holes,
    non_monotone_matrices,
    priority_matrices,
    priority_scales,
)


def _rank(scale: Scale, value: int) -> int:
    ascending = sorted(level.value for level in scale.levels)
    index = ascending.index(value)
    return index if scale.most_severe is MostSevere.LOWEST else len(ascending) - 1 - index


def _oracle_is_total(matrix: PriorityMatrix) -> bool:
    expected = {(i.value, u.value) for i in matrix.impact.levels for u in matrix.urgency.levels}
    return set(matrix.cells) == expected and all(
        matrix.lookup(i, u).value in matrix.priority.values for i, u in expected
    )


def _oracle_is_monotone(impact: Scale, urgency: Scale, priority: Scale, cells: dict) -> bool:
    for (i1, u1), (i2, u2) in itertools.product(cells, repeat=2):
        inputs_at_least_as_severe = _rank(impact, i1) <= _rank(impact, i2) and _rank(
            urgency, u1
        ) <= _rank(urgency, u2)
        if inputs_at_least_as_severe and _rank(priority, cells[i1, u1]) > _rank(
            priority, cells[i2, u2]
        ):
            return False
    return True


def _describe(scale: Scale, value: int) -> str:
    return f"{scale.name} {value} {scale.resolve(value).label!r}"


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_is_total_and_monotone(name: str) -> None:
    matrix = preset(name)
    assert _oracle_is_total(matrix)
    assert _oracle_is_monotone(matrix.impact, matrix.urgency, matrix.priority, dict(matrix.cells))
    assert matrix.is_monotone()


@given(priority_matrices())
def test_every_generated_matrix_is_total_and_monotone(matrix: PriorityMatrix) -> None:
    assert _oracle_is_total(matrix)
    assert _oracle_is_monotone(matrix.impact, matrix.urgency, matrix.priority, dict(matrix.cells))
    assert matrix.monotonicity_violations() == ()


@given(st.from_type(PriorityMatrix), st.data())
def test_lookup_by_label_and_by_level_agree(matrix: PriorityMatrix, data: st.DataObject) -> None:
    imp = data.draw(st.sampled_from(matrix.impact.levels))
    urg = data.draw(st.sampled_from(matrix.urgency.levels))
    by_value = matrix.lookup(imp.value, urg.value)
    assert matrix.lookup(imp.label, urg.label) == by_value
    assert matrix.lookup(imp.label.upper(), urg.label.lower()) == by_value
    assert matrix.lookup(imp, urg) == by_value
    assert matrix.lookup(imp.value, urg.label) == by_value
    assert by_value.value == matrix.cells[imp.value, urg.value]


@given(priority_matrices())
def test_reverse_query_is_the_exact_inverse_of_lookup(matrix: PriorityMatrix) -> None:
    everything = []
    for level in matrix.priority.levels:
        pairs = matrix.pairs_for(level)
        assert pairs == matrix.pairs_for(level.label)
        expected = [
            (i, u)
            for i in matrix.impact.levels
            for u in matrix.urgency.levels
            if matrix.lookup(i, u) == level
        ]
        assert list(pairs) == expected
        everything.extend(pairs)
    assert len(everything) == len(set(everything)) == len(matrix.impact) * len(matrix.urgency)


@given(matrices_with_holes())
def test_a_matrix_with_holes_is_rejected_naming_every_missing_pair(spec: MatrixSpec) -> None:
    with pytest.raises(ConfigurationError) as info:
        PriorityMatrix(
            impact=spec.impact, urgency=spec.urgency, priority=spec.priority, cells=spec.cells
        )
    message = str(info.value)
    assert f"does not cover {len(spec.missing)} (impact, urgency) pair" in message
    for i, u in spec.missing:
        assert f"({_describe(spec.impact, i)}, {_describe(spec.urgency, u)})" in message


@given(non_monotone_matrices())
def test_a_non_monotone_matrix_is_rejected_naming_the_offending_cells(spec: MatrixSpec) -> None:
    assert spec.violation is not None
    assert not _oracle_is_monotone(spec.impact, spec.urgency, spec.priority, spec.cells)
    with pytest.raises(ConfigurationError, match="not monotone") as info:
        PriorityMatrix(
            impact=spec.impact, urgency=spec.urgency, priority=spec.priority, cells=spec.cells
        )
    severe, milder = spec.violation
    accepted = PriorityMatrix(
        impact=spec.impact,
        urgency=spec.urgency,
        priority=spec.priority,
        cells=spec.cells,
        monotone=False,
    )
    planted = (
        f"impact {severe[0]} {spec.impact.resolve(severe[0]).label!r} x urgency {severe[1]} "
        f"{spec.urgency.resolve(severe[1]).label!r} -> priority {spec.cells[severe]} "
        f"{spec.priority.resolve(spec.cells[severe]).label!r} is less severe than impact "
        f"{milder[0]} {spec.impact.resolve(milder[0]).label!r} x urgency {milder[1]} "
        f"{spec.urgency.resolve(milder[1]).label!r} -> priority {spec.cells[milder]} "
    )
    if len(accepted.monotonicity_violations()) <= 20:  # the message shows the first 20
        assert planted in str(info.value)
    assert not accepted.is_monotone()
    found = {
        ((a.impact.value, a.urgency.value), (b.impact.value, b.urgency.value))
        for a, b in accepted.monotonicity_violations()
    }
    assert spec.violation in found


@given(invalid_matrix_specs())
def test_construction_rejects_every_generated_invalid_matrix(spec: MatrixSpec) -> None:
    with pytest.raises(ConfigurationError):
        PriorityMatrix(
            impact=spec.impact, urgency=spec.urgency, priority=spec.priority, cells=spec.cells
        )


@given(
    priority_scales(name="impact", max_size=4),
    priority_scales(name="urgency", max_size=4),
    priority_scales(name="priority", max_size=4),
    st.data(),
)
def test_the_monotone_check_agrees_with_a_brute_force_oracle(
    impact: Scale, urgency: Scale, priority: Scale, data: st.DataObject
) -> None:
    cells = {
        (i, u): data.draw(st.sampled_from(priority.values))
        for i in impact.values
        for u in urgency.values
    }
    expected = _oracle_is_monotone(impact, urgency, priority, cells)
    loose = PriorityMatrix(
        impact=impact, urgency=urgency, priority=priority, cells=cells, monotone=False
    )
    assert loose.is_monotone() == expected
    if expected:
        PriorityMatrix(impact=impact, urgency=urgency, priority=priority, cells=cells)
    else:
        with pytest.raises(ConfigurationError, match="not monotone"):
            PriorityMatrix(impact=impact, urgency=urgency, priority=priority, cells=cells)


@given(priority_matrices())
def test_rows_round_trip_through_from_rows(matrix: PriorityMatrix) -> None:
    again = PriorityMatrix.from_rows(
        matrix.rows(), impact=matrix.impact, urgency=matrix.urgency, priority=matrix.priority
    )
    assert again == matrix
    assert hash(again) == hash(matrix)


def _servicenow_scales() -> dict[str, Scale]:
    m = preset("servicenow")
    return {"impact": m.impact, "urgency": m.urgency, "priority": m.priority}


def test_from_mapping_accepts_labels_and_values_alike() -> None:
    by_label = PriorityMatrix.from_mapping(
        {
            ("High", "High"): "Critical",
            ("high", "medium"): "High",
            ("High", "Low"): 3,
            (2, "High"): 2,
            (2, 2): "moderate",
            (2, 3): 4,
            ("Low", 1): 3,
            ("Low", 2): 4,
            (Level(3, "Low"), Level(3, "Low")): Level(5, "Planning"),
        },
        **_servicenow_scales(),
    )
    assert by_label == preset("servicenow")


def test_from_mapping_rejects_unknown_and_repeated_keys() -> None:
    with pytest.raises(ConfigurationError, match="unknown impact 'Huge'"):
        PriorityMatrix.from_mapping({("Huge", 1): 1}, **_servicenow_scales())
    with pytest.raises(ConfigurationError, match="twice"):
        PriorityMatrix.from_mapping({(1, 1): 1, ("High", "High"): 1}, **_servicenow_scales())
    with pytest.raises(ConfigurationError, match="not an \\(impact, urgency\\) pair"):
        PriorityMatrix.from_mapping({1: 1}, **_servicenow_scales())  # type: ignore[dict-item]
    with pytest.raises(ConfigurationError, match="unknown priority 9"):
        PriorityMatrix.from_mapping({(1, 1): 9}, **_servicenow_scales())


def test_direct_construction_checks_keys_and_values() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown \(impact, urgency\) pairs \(1, 9\)"):
        PriorityMatrix(cells={(1, 9): 1}, **_servicenow_scales())
    with pytest.raises(ConfigurationError, match="unknown priority values 7"):
        PriorityMatrix(cells={(1, 1): 7}, **_servicenow_scales())
    with pytest.raises(ConfigurationError, match="monotone must be True or False"):
        PriorityMatrix(cells=preset("servicenow").cells, monotone=1, **_servicenow_scales())  # type: ignore[arg-type]


def test_from_rows_checks_the_shape() -> None:
    with pytest.raises(ConfigurationError, match="2 rows but the impact scale has 3 levels"):
        PriorityMatrix.from_rows([[1, 2, 3], [2, 3, 4]], **_servicenow_scales())
    with pytest.raises(ConfigurationError, match="has 4 entries"):
        PriorityMatrix.from_rows([[1, 2, 3, 4], [2, 3, 4], [3, 4, 5]], **_servicenow_scales())
    with pytest.raises(ConfigurationError, match=r"does not cover 1 .*urgency 3 'Low'"):
        PriorityMatrix.from_rows([[1, 2, 3], [2, 3, 4], [3, 4]], **_servicenow_scales())


def test_lookup_errors_list_the_valid_levels_and_labels() -> None:
    matrix = preset("servicenow")
    with pytest.raises(UnknownValueError) as info:
        matrix.lookup(1, "urgent")
    assert str(info.value) == (
        "unknown urgency 'urgent'; allowed values: 1, 2, 3; labels: 'High', 'Medium', 'Low'"
    )
    with pytest.raises(UnknownValueError, match="unknown impact 0"):
        matrix.lookup(0, 1)
    with pytest.raises(UnknownValueError):
        matrix.pairs_for("Urgent")


def test_a_priority_no_cell_gives_has_no_pairs() -> None:
    assert preset("glpi").pairs_for("Major") == ()


def test_cells_are_immutable() -> None:
    matrix = preset("servicenow")
    with pytest.raises(TypeError):
        matrix.cells[(1, 1)] = 5  # type: ignore[index]
