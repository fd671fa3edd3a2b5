"""A priority matrix as a plain-text table, for the command line, logs and docs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itsmcore.errors import ValidationError
from itsmcore.priority._check import check_flag, short

if TYPE_CHECKING:
    from itsmcore.priority.matrix import PriorityMatrix
    from itsmcore.priority.scale import Level

__all__ = ["render_matrix"]


def render_matrix(matrix: PriorityMatrix, *, values: bool = True) -> str:
    """Render ``matrix`` with one row per impact level and one column per urgency level.

    Rows and columns follow ascending level values, the layout
    :meth:`~itsmcore.priority.PriorityMatrix.from_rows` reads. Cells show ``value label``
    (or the label alone with ``values=False``). Lines carry no trailing spaces.
    """
    from itsmcore.priority import matrix as matrix_module

    if not isinstance(matrix, matrix_module.PriorityMatrix):
        raise ValidationError(
            f"render_matrix needs a PriorityMatrix, got {type(matrix).__name__} {short(matrix)}"
        )
    check_flag(values, "values", error=ValidationError)

    def show(level: Level) -> str:
        return f"{level.value} {level.label}" if values else level.label

    header = [f"{matrix.impact.name} \\ {matrix.urgency.name}"]
    header += [show(urg) for urg in matrix.urgency.levels]
    body = [
        [show(imp)] + [show(matrix.lookup(imp, urg)) for urg in matrix.urgency.levels]
        for imp in matrix.impact.levels
    ]
    widths = [max(len(row[c]) for row in [header, *body]) for c in range(len(header))]

    def line(cols: list[str]) -> str:
        return " | ".join(
            text.ljust(width) for text, width in zip(cols, widths, strict=True)
        ).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in body)])
