"""Impact x urgency priority matrices, their presets, and impact assessment rules.

* :class:`Scale` / :class:`Level`: ordered, labelled levels and which end is most severe.
* :class:`PriorityMatrix`: total (and by default monotone) impact x urgency -> priority,
  with lookup by value or label, reverse query and a text rendering.
* :func:`preset`: ``"servicenow"``, ``"glpi"``, ``"itop"``, ``"itil5"``.
* :class:`ImpactRules`: derive impact from :class:`ImpactFacts` by declarative rules.

Matrices and impact rules are read from TOML / JSON configuration and written back through
:mod:`itsmcore.data`: ``itsmcore.data.load("matrix.toml", PriorityMatrix)``,
``itsmcore.data.loads(text, ImpactRules, format="toml")``, ``to_data`` / ``from_data``.
"""

from __future__ import annotations

from itsmcore.priority.impact import (
    Criticality,
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    MatchMode,
    ServiceState,
)
from itsmcore.priority.matrix import Cell, PriorityMatrix
from itsmcore.priority.presets import (
    glpi_matrix,
    itil5_matrix,
    itop_matrix,
    preset,
    preset_names,
    servicenow_matrix,
)
from itsmcore.priority.render import render_matrix
from itsmcore.priority.scale import Level, LevelKey, MostSevere, Scale

__all__ = [
    "Cell",
    "Criticality",
    "ImpactAssessment",
    "ImpactFacts",
    "ImpactRule",
    "ImpactRules",
    "Level",
    "LevelKey",
    "MatchMode",
    "MostSevere",
    "PriorityMatrix",
    "Scale",
    "ServiceState",
    "glpi_matrix",
    "itil5_matrix",
    "itop_matrix",
    "preset",
    "preset_names",
    "render_matrix",
    "servicenow_matrix",
]

_REMOVED = {
    "load_matrix": "itsmcore.data.load(path, PriorityMatrix)",
    "loads_matrix": 'itsmcore.data.loads(text, PriorityMatrix, format="toml")',
    "matrix_from_config": "itsmcore.data.from_data(mapping, PriorityMatrix)",
    "matrix_to_config": "itsmcore.data.unstructure(matrix)",
    "load_impact_rules": "itsmcore.data.load(path, ImpactRules)",
    "loads_impact_rules": 'itsmcore.data.loads(text, ImpactRules, format="toml")',
    "impact_rules_from_config": "itsmcore.data.from_data(mapping, ImpactRules)",
}


def __getattr__(name: str) -> object:
    if name in _REMOVED:
        raise AttributeError(
            f"itsmcore.priority.{name} was removed: every value is read and written through "
            f"itsmcore.data now; use {_REMOVED[name]}"
        )
    raise AttributeError(f"module 'itsmcore.priority' has no attribute {name!r}")
