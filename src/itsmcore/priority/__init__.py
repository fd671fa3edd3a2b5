"""Impact x urgency priority matrices, their presets, and impact assessment rules.

* :class:`Scale` / :class:`Level`: ordered, labelled levels and which end is most severe.
* :class:`PriorityMatrix`: total (and by default monotone) impact x urgency -> priority,
  with lookup by value or label, reverse query and a text rendering.
* :func:`preset`: ``"servicenow"``, ``"glpi"``, ``"itop"``, ``"itil5"``.
* :class:`ImpactRules`: derive impact from :class:`ImpactFacts` by declarative rules.
* Loaders for TOML/JSON configuration (:func:`load_matrix`, :func:`load_impact_rules`, ...).
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
from itsmcore.priority.loader import (
    impact_rules_from_config,
    load_impact_rules,
    load_matrix,
    loads_impact_rules,
    loads_matrix,
    matrix_from_config,
    matrix_to_config,
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
    "impact_rules_from_config",
    "itil5_matrix",
    "itop_matrix",
    "load_impact_rules",
    "load_matrix",
    "loads_impact_rules",
    "loads_matrix",
    "matrix_from_config",
    "matrix_to_config",
    "preset",
    "preset_names",
    "render_matrix",
    "servicenow_matrix",
]
