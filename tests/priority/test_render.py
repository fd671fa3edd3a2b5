"""The text rendering: every cell shown, and it reads back through the rows loader."""

from __future__ import annotations

from hypothesis import given

from itsmcore.priority import PriorityMatrix, preset, render_matrix
from itsmcore.testing.strategies import priority_matrices


def _parse(text: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Split a rendered table into column headings, row headings and cell texts."""
    lines = text.splitlines()
    header = [part.strip() for part in lines[0].split("|")]
    body = [[part.strip() for part in line.split("|")] for line in lines[2:]]
    return header[1:], [row[0] for row in body], [row[1:] for row in body]


@given(priority_matrices())
def test_rendering_round_trips_through_the_rows_loader(matrix: PriorityMatrix) -> None:
    columns, row_heads, cells = _parse(render_matrix(matrix))
    assert columns == [f"{u.value} {u.label}" for u in matrix.urgency.levels]
    assert row_heads == [f"{i.value} {i.label}" for i in matrix.impact.levels]
    rows = [[int(text.split(" ", 1)[0]) for text in row] for row in cells]
    again = PriorityMatrix.from_rows(
        rows, impact=matrix.impact, urgency=matrix.urgency, priority=matrix.priority
    )
    assert again == matrix
    labels = [[text.split(" ", 1)[1] for text in row] for row in cells]
    assert labels == [[matrix.lookup(i, u).label for u in matrix.urgency] for i in matrix.impact]


@given(priority_matrices())
def test_label_only_rendering_round_trips_by_label(matrix: PriorityMatrix) -> None:
    _, _, cells = _parse(matrix.render(values=False))
    again = PriorityMatrix.from_rows(
        cells, impact=matrix.impact, urgency=matrix.urgency, priority=matrix.priority
    )
    assert again == matrix


@given(priority_matrices())
def test_lines_are_aligned_without_trailing_spaces(matrix: PriorityMatrix) -> None:
    lines = render_matrix(matrix).splitlines()
    assert len(lines) == len(matrix.impact) + 2
    assert all(line == line.rstrip() for line in lines)
    assert set(lines[1]) <= {"-", "+"}


def test_servicenow_rendering() -> None:
    assert preset("servicenow").render() == (
        "impact \\ urgency | 1 High     | 2 Medium   | 3 Low\n"
        "-----------------+------------+------------+-----------\n"
        "1 High           | 1 Critical | 2 High     | 3 Moderate\n"
        "2 Medium         | 2 High     | 3 Moderate | 4 Low\n"
        "3 Low            | 3 Moderate | 4 Low      | 5 Planning"
    )
