"""Ready-made matrices mirroring the defaults of the products users migrate from.

Each preset's docstring names the source its table was checked against. All presets are
total and monotone; they are built once and shared (matrices are immutable).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from itsmcore.errors import UnknownValueError, allowed_list
from itsmcore.priority._check import short
from itsmcore.priority.matrix import PriorityMatrix
from itsmcore.priority.scale import MostSevere, Scale

__all__ = [
    "glpi_matrix",
    "itil5_matrix",
    "itop_matrix",
    "preset",
    "preset_names",
    "servicenow_matrix",
]


@functools.cache
def servicenow_matrix() -> PriorityMatrix:
    """ServiceNow's default incident priority lookup: impact 1-3 x urgency 1-3 -> 1..5.

    Source: ServiceNow documentation, "Priority lookup rules" (``incident-management/
    def-prio-lookup-rules.md`` in the ServiceNowDocs repository; the same table appears for
    problems). 1 is the most severe level on every axis; in every cell,
    priority = impact + urgency - 1.
    """
    impact = Scale.from_labels(["High", "Medium", "Low"], name="impact")
    urgency = Scale.from_labels(["High", "Medium", "Low"], name="urgency")
    priority = Scale.from_labels(
        ["Critical", "High", "Moderate", "Low", "Planning"], name="priority"
    )
    return PriorityMatrix.from_rows(
        [[1, 2, 3], [2, 3, 4], [3, 4, 5]], impact=impact, urgency=urgency, priority=priority
    )


@functools.cache
def glpi_matrix() -> PriorityMatrix:
    """GLPI's default 5x5 matrix: 5 = "Very high" is the most severe level on every axis.

    Source: GLPI ``install/empty_data.php``, config ``priority_matrix``, keyed
    ``[urgency][impact]`` (transposed here to impact-first; the default table is symmetric)
    with ``urgency_mask = impact_mask = 62`` (levels 1-5 enabled). Priority 6 "Major" is part
    of GLPI's priority scale but no cell gives it; GLPI sets it by hand, with a right.
    """
    labels = ["Very low", "Low", "Medium", "High", "Very high"]
    impact = Scale.from_labels(labels, name="impact", most_severe=MostSevere.HIGHEST)
    urgency = Scale.from_labels(labels, name="urgency", most_severe=MostSevere.HIGHEST)
    priority = Scale.from_labels(
        [*labels, "Major"], name="priority", most_severe=MostSevere.HIGHEST
    )
    by_urgency = {  # GLPI's own layout: {urgency: {impact: priority}}
        1: {1: 1, 2: 1, 3: 2, 4: 2, 5: 2},
        2: {1: 1, 2: 2, 3: 2, 4: 3, 5: 3},
        3: {1: 2, 2: 2, 3: 3, 4: 4, 5: 4},
        4: {1: 2, 2: 3, 3: 4, 4: 4, 5: 5},
        5: {1: 2, 2: 3, 3: 4, 4: 5, 5: 5},
    }
    cells = {(i, u): p for u, row in by_urgency.items() for i, p in row.items()}
    return PriorityMatrix(impact=impact, urgency=urgency, priority=priority, cells=cells)


@functools.cache
def itop_matrix() -> PriorityMatrix:
    """iTop's default: impact 1-3 x urgency 1-4 -> priority 1 Critical .. 4 Low.

    Source: ``ComputePriority()`` in the iTop datamodels (``itop-incident-mgmt-itil``,
    ``itop-request-mgmt(-itil)``, ``itop-problem-mgmt``), keyed ``priority[impact][urgency]``;
    labels from the English dictionaries (impact 1 "A department", 2 "A service",
    3 "A person"). 1 is the most severe level on every axis.
    """
    impact = Scale.from_labels(["A department", "A service", "A person"], name="impact")
    four = ["Critical", "High", "Medium", "Low"]
    urgency = Scale.from_labels(four, name="urgency")
    priority = Scale.from_labels(four, name="priority")
    return PriorityMatrix.from_rows(
        [[1, 1, 2, 4], [1, 2, 3, 4], [2, 3, 3, 4]],
        impact=impact,
        urgency=urgency,
        priority=priority,
    )


@functools.cache
def itil5_matrix() -> PriorityMatrix:
    """An ITIL-style 5x5 matrix: impact 1-5 x urgency 1-5 -> priority 1 Critical .. 5 Planning.

    Source: **itsmcore's own table**. ITIL describes priority as a function of impact and
    urgency but publishes no normative 5x5 table. This one is symmetric and monotone, with
    1 the most severe level on every axis, and priority = (impact + urgency) // 2: only
    impact 1 x urgency 1-2 (and the mirror) reach priority 1, only 5 x 5 falls to 5.
    """
    impact = Scale.from_labels(
        ["Extensive", "Significant", "Moderate", "Minor", "Minimal"], name="impact"
    )
    urgency = Scale.from_labels(["Critical", "High", "Medium", "Low", "Very low"], name="urgency")
    priority = Scale.from_labels(["Critical", "High", "Medium", "Low", "Planning"], name="priority")
    return PriorityMatrix.from_rows(
        [
            [1, 1, 2, 2, 3],
            [1, 2, 2, 3, 3],
            [2, 2, 3, 3, 4],
            [2, 3, 3, 4, 4],
            [3, 3, 4, 4, 5],
        ],
        impact=impact,
        urgency=urgency,
        priority=priority,
    )


_PRESETS: dict[str, Callable[[], PriorityMatrix]] = {
    "servicenow": servicenow_matrix,
    "glpi": glpi_matrix,
    "itop": itop_matrix,
    "itil5": itil5_matrix,
}


def preset_names() -> tuple[str, ...]:
    """The names :func:`preset` accepts."""
    return tuple(_PRESETS)


def preset(name: str) -> PriorityMatrix:
    """The preset matrix called ``name`` (any case): servicenow, glpi, itop or itil5."""
    factory = _PRESETS.get(name.strip().casefold()) if isinstance(name, str) else None
    if factory is None:
        raise UnknownValueError(
            f"unknown priority matrix preset {short(name)}; allowed: {allowed_list(_PRESETS)}"
        )
    return factory()
