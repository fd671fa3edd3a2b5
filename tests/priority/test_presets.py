"""Presets against the products' own tables, transcribed from their sources.

Expected tables come from the reference survey (ticket-lifecycles-priority.md, section 2) and
from the products' files quoted there, not from itsmcore's code.
"""

from __future__ import annotations

import json

import pytest

from itsmcore.errors import UnknownValueError
from itsmcore.priority import (
    Level,
    MostSevere,
    glpi_matrix,
    itil5_matrix,
    itop_matrix,
    preset,
    preset_names,
    servicenow_matrix,
)

# GLPI install/empty_data.php, config 'priority_matrix', verbatim: {urgency: {impact: priority}}.
GLPI_PRIORITY_MATRIX = (
    '{"1":{"1":1,"2":1,"3":2,"4":2,"5":2},"2":{"1":1,"2":2,"3":2,"4":3,"5":3},'
    '"3":{"1":2,"2":2,"3":3,"4":4,"5":4},"4":{"1":2,"2":3,"3":4,"4":4,"5":5},'
    '"5":{"1":2,"2":3,"3":4,"4":5,"5":5}}'
)

# iTop ComputePriority(): $aPriorities[impact][urgency].
ITOP_PRIORITIES = {
    1: {1: 1, 2: 1, 3: 2, 4: 4},
    2: {1: 1, 2: 2, 3: 3, 4: 4},
    3: {1: 2, 2: 3, 3: 3, 4: 4},
}


def test_the_contract_names_exist() -> None:
    assert set(preset_names()) >= {"servicenow", "glpi", "itop", "itil5"}


def test_servicenow_is_impact_plus_urgency_minus_one() -> None:
    matrix = servicenow_matrix()
    assert matrix.impact.labels == ("High", "Medium", "Low")
    assert matrix.urgency.labels == ("High", "Medium", "Low")
    assert matrix.priority.labels == ("Critical", "High", "Moderate", "Low", "Planning")
    for i in (1, 2, 3):
        for u in (1, 2, 3):
            assert matrix.lookup(i, u).value == i + u - 1
    assert matrix.lookup("Low", "Low") == Level(5, "Planning")
    assert matrix.priority.most_severe is MostSevere.LOWEST


def test_glpi_matches_its_default_config_read_urgency_first() -> None:
    matrix = glpi_matrix()
    by_urgency = json.loads(GLPI_PRIORITY_MATRIX)
    for u, row in by_urgency.items():
        for i, p in row.items():
            assert matrix.lookup(int(i), int(u)).value == p
    for scale in (matrix.impact, matrix.urgency, matrix.priority):
        assert scale.most_severe is MostSevere.HIGHEST
    assert matrix.impact.resolve(5).label == "Very high"
    assert matrix.priority.resolve(6).label == "Major"


def test_itop_matches_compute_priority() -> None:
    matrix = itop_matrix()
    assert len(matrix.impact) == 3
    assert len(matrix.urgency) == 4
    for i, row in ITOP_PRIORITIES.items():
        for u, p in row.items():
            assert matrix.lookup(i, u).value == p
    assert matrix.impact.labels == ("A department", "A service", "A person")
    assert matrix.priority.labels == ("Critical", "High", "Medium", "Low")


def test_itil5_is_ours_symmetric_and_documented() -> None:
    matrix = itil5_matrix()
    assert "itsmcore's own" in (itil5_matrix.__doc__ or "")
    for i in range(1, 6):
        for u in range(1, 6):
            assert matrix.lookup(i, u) == matrix.lookup(u, i)
            assert matrix.lookup(i, u).value == (i + u) // 2
    assert {cell.priority.value for cell in matrix.iter_cells()} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("factory", [servicenow_matrix, glpi_matrix, itop_matrix, itil5_matrix])
def test_every_preset_documents_its_source(factory: object) -> None:
    assert "Source:" in (getattr(factory, "__doc__", "") or "")


def test_preset_names_are_case_insensitive_and_presets_are_shared() -> None:
    assert preset(" ServiceNow ") is preset("servicenow")
    assert preset("GLPI") == glpi_matrix()


def test_an_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(UnknownValueError) as info:
        preset("remedy")
    assert "'servicenow', 'glpi', 'itop', 'itil5'" in str(info.value)
