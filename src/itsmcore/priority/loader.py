"""Load matrices and impact rules from TOML or JSON: structured data, interpreted, never eval'd.

One file may hold a matrix and impact rules over its impact scale::

    monotone = true                      # optional, default true
    rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]   # or a [cells] table, not both

    [impact]
    most_severe = "lowest"               # "lowest" or "highest"
    levels = { 1 = "High", 2 = "Medium", 3 = "Low" }   # or a list of labels, numbered from 1

    [urgency] / [priority]               # the same shape as [impact]

    [impact_rules]                       # optional
    mode = "most-severe"                 # or "first-match"
    default = "Low"                      # optional: the least severe level
    [[impact_rules.rules]]
    name = "critical service down"
    impact = "High"
    service_state = ["down"]
    service_criticality = ["critical"]

Every key not listed in the docs page is rejected with a :class:`ConfigurationError`.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from itsmcore.errors import ConfigurationError, ValidationError, allowed_list
from itsmcore.priority.impact import ImpactRule, ImpactRules
from itsmcore.priority.matrix import PriorityMatrix
from itsmcore.priority.scale import Level, LevelKey, MostSevere, Scale

__all__ = [
    "Format",
    "impact_rules_from_config",
    "load_impact_rules",
    "load_matrix",
    "loads_impact_rules",
    "loads_matrix",
    "matrix_from_config",
    "matrix_to_config",
]

Format = Literal["toml", "json"]
"""The text formats the loaders read."""

_TOP_KEYS = (
    "description",
    "monotone",
    "impact",
    "urgency",
    "priority",
    "rows",
    "cells",
    "impact_rules",
)
_SCALE_KEYS = ("most_severe", "levels")
_RULES_KEYS = ("mode", "default", "rules")
_RULE_KEYS = (
    "name",
    "impact",
    "min_affected_users",
    "vip_caller",
    "service_criticality",
    "service_state",
)


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{where} must be a table/object, got {type(value).__name__}")
    return value


def _only_known(data: Mapping[str, object], allowed: Sequence[str], where: str) -> None:
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ConfigurationError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {allowed_list(unknown)} in {where}; "
            f"allowed: {allowed_list(allowed)}"
        )


def _require(data: Mapping[str, object], key: str, where: str) -> object:
    if key not in data:
        raise ConfigurationError(f"{where} needs the key {key!r}")
    return data[key]


def _int_key(text: str, where: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ConfigurationError(f"{where}: level value {text!r} is not an integer") from None


def _scale(data: Mapping[str, object], name: str) -> Scale:
    where = f"[{name}]"
    table = _table(_require(data, name, "the configuration"), where)
    _only_known(table, _SCALE_KEYS, where)
    direction = _require(table, "most_severe", where)
    try:
        most_severe = MostSevere(direction)
    except ValueError:
        raise ConfigurationError(
            f"{where} most_severe {direction!r} is unknown; "
            f"allowed: {allowed_list(m.value for m in MostSevere)}"
        ) from None
    levels = _require(table, "levels", where)
    try:
        if isinstance(levels, Mapping):
            pairs = [(_int_key(str(k), f"{where} levels"), v) for k, v in levels.items()]
            return Scale(
                name=name, levels=[Level(v, lbl) for v, lbl in pairs], most_severe=most_severe
            )
        if isinstance(levels, list):
            return Scale.from_labels(levels, name=name, most_severe=most_severe)
    except ValidationError as exc:
        raise ConfigurationError(f"{where} levels: {exc}") from None
    raise ConfigurationError(
        f"{where} levels must be a table {{value = label}} or a list of labels, "
        f"got {type(levels).__name__}"
    )


def _entry(value: object, where: str) -> LevelKey:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigurationError(f"{where} must be a level value or label, got {value!r}")
    return value


def _key(scale: Scale, text: str, where: str) -> LevelKey:
    """A table key names a level by label, or by value when it is not a label."""
    if text in scale:
        return text
    return _int_key(text, where)


def matrix_from_config(data: Mapping[str, object]) -> PriorityMatrix:
    """Build a matrix from parsed configuration (the file format written in the docs page)."""
    config = _table(data, "the configuration")
    _only_known(config, _TOP_KEYS, "the configuration")
    impact, urgency, priority = (_scale(config, n) for n in ("impact", "urgency", "priority"))
    description = config.get("description", "")
    if not isinstance(description, str):
        raise ConfigurationError(f"description must be a string, got {description!r}")
    monotone = config.get("monotone", True)
    if not isinstance(monotone, bool):
        raise ConfigurationError(f"monotone must be true or false, got {monotone!r}")
    if "impact_rules" in config:
        impact_rules_from_config(config)  # the whole file is checked, not just the matrix
    if ("rows" in config) == ("cells" in config):
        raise ConfigurationError(
            "the configuration needs exactly one of 'rows' (a list of rows) or 'cells' "
            "(a table impact -> urgency -> priority)"
        )
    if "rows" in config:
        rows = config["rows"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ConfigurationError(f"rows must be a list of lists, got {rows!r}")
        checked = [
            [_entry(v, f"rows[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(rows)
        ]
        return PriorityMatrix.from_rows(
            checked, impact=impact, urgency=urgency, priority=priority, monotone=monotone
        )
    cells: dict[tuple[LevelKey, LevelKey], LevelKey] = {}
    for imp_key, row in _table(config["cells"], "[cells]").items():
        where = f"[cells.{imp_key}]"
        imp = _key(impact, str(imp_key), where)
        for urg_key, value in _table(row, where).items():
            urg = _key(urgency, str(urg_key), f"{where} {urg_key!r}")
            if (imp, urg) in cells:
                raise ConfigurationError(f"{where} gives urgency {urg_key!r} twice")
            cells[(imp, urg)] = _entry(value, f"{where} {urg_key!r}")
    return PriorityMatrix.from_mapping(
        cells, impact=impact, urgency=urgency, priority=priority, monotone=monotone
    )


def matrix_to_config(matrix: PriorityMatrix) -> dict[str, object]:
    """The configuration :func:`matrix_from_config` reads back into an equal matrix."""

    def scale(s: Scale) -> dict[str, object]:
        return {
            "most_severe": s.most_severe.value,
            "levels": {str(lv.value): lv.label for lv in s.levels},
        }

    return {
        "monotone": matrix.monotone,
        "impact": scale(matrix.impact),
        "urgency": scale(matrix.urgency),
        "priority": scale(matrix.priority),
        "rows": [list(row) for row in matrix.rows()],
    }


def _rule(data: object, index: int) -> ImpactRule:
    where = f"impact_rules.rules[{index}]"
    table = _table(data, where)
    _only_known(table, _RULE_KEYS, where)
    name = _require(table, "name", where)
    kwargs = {key: table[key] for key in _RULE_KEYS[2:] if key in table}
    try:
        return ImpactRule(
            name=name,  # type: ignore[arg-type]
            impact=_entry(_require(table, "impact", where), f"{where} impact"),
            **kwargs,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    except ConfigurationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


def impact_rules_from_config(data: Mapping[str, object]) -> ImpactRules:
    """Build impact rules from parsed configuration: ``[impact]`` and ``[impact_rules]``."""
    config = _table(data, "the configuration")
    _only_known(config, _TOP_KEYS, "the configuration")
    scale = _scale(config, "impact")
    section = _table(_require(config, "impact_rules", "the configuration"), "[impact_rules]")
    _only_known(section, _RULES_KEYS, "[impact_rules]")
    raw_rules = section.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ConfigurationError(
            f"impact_rules.rules must be a list of tables, got {type(raw_rules).__name__}"
        )
    rules = [_rule(r, i) for i, r in enumerate(raw_rules)]
    default = section.get("default")
    return ImpactRules(
        scale=scale,
        rules=rules,
        default=None if default is None else _entry(default, "impact_rules.default"),
        mode=section.get("mode", "most-severe"),  # type: ignore[arg-type]
    )


def _parse(text: str, fmt: str) -> Mapping[str, object]:
    if not isinstance(text, str):
        raise ConfigurationError(f"configuration text must be a str, got {type(text).__name__}")
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        if fmt == "json":
            data = json.loads(text)
            return _table(data, "a JSON configuration")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"cannot parse {fmt.upper()} configuration: {exc}") from None
    raise ConfigurationError(f"unknown format {fmt!r}; allowed: 'toml', 'json'")


def _read(path: str | Path) -> Mapping[str, object]:
    file = Path(path)
    fmt = file.suffix.lower().lstrip(".")
    if fmt not in ("toml", "json"):
        raise ConfigurationError(
            f"cannot tell the format of {str(file)!r} from its suffix; allowed: '.toml', '.json'"
        )
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read {str(file)!r}: {exc.strerror or exc}") from None
    return _parse(text, fmt)


def loads_matrix(text: str, *, format: Format = "toml") -> PriorityMatrix:
    """Parse a matrix from TOML (default) or JSON text."""
    return matrix_from_config(_parse(text, format))


def load_matrix(path: str | Path) -> PriorityMatrix:
    """Read a matrix from a ``.toml`` or ``.json`` file."""
    return matrix_from_config(_read(path))


def loads_impact_rules(text: str, *, format: Format = "toml") -> ImpactRules:
    """Parse impact rules (and their ``[impact]`` scale) from TOML (default) or JSON text."""
    return impact_rules_from_config(_parse(text, format))


def load_impact_rules(path: str | Path) -> ImpactRules:
    """Read impact rules from a ``.toml`` or ``.json`` file."""
    return impact_rules_from_config(_read(path))
