"""Data forms of the priority package's values (registered with :mod:`itsmcore.data`).

A matrix's data is the configuration file format of the docs page (TOML or JSON)::

    monotone = true                      # optional, default true
    description = "..."                  # optional, free text (not kept in the matrix)
    rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]   # or a [cells] table, not both

    [impact]
    most_severe = "lowest"               # "lowest" or "highest"
    levels = { 1 = "High", 2 = "Medium", 3 = "Low" }   # or a list of labels, numbered from 1

    [urgency] / [priority]               # the same shape as [impact]

    [impact_rules]                       # optional: impact rules over the [impact] scale
    mode = "most-severe"                 # or "first-match"
    default = "Low"                      # optional: the least severe level
    [[impact_rules.rules]]
    name = "critical service down"
    impact = "High"
    service_state = ["down"]
    service_criticality = ["critical"]

Impact rules read from the same data (``[impact]`` and ``[impact_rules]``); a scale table may
carry a ``name`` when it is not the table's own key. Every key not listed is refused with a
:class:`~itsmcore.errors.DataError` naming its path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from itsmcore.data import register
from itsmcore.data._read import (
    at_index,
    at_key,
    expect_bool,
    expect_int,
    expect_list,
    expect_mapping,
    expect_text,
    only_keys,
)
from itsmcore.data._read import built as _build
from itsmcore.errors import DataError, allowed_list
from itsmcore.priority.impact import (
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    MatchMode,
    ServiceState,
)
from itsmcore.priority.matrix import Cell, PriorityMatrix
from itsmcore.priority.scale import Level, LevelKey, MostSevere, Scale

__all__: list[str] = []


_MATRIX_KEYS = (
    "description",
    "monotone",
    "impact",
    "urgency",
    "priority",
    "rows",
    "cells",
    "impact_rules",
)
_MATRIX_ONLY = ("urgency", "priority", "rows", "cells")
_SCALE_KEYS = ("name", "most_severe", "levels")
_RULES_KEYS = ("mode", "default", "rules")
_RULE_KEYS = (
    "name",
    "impact",
    "min_affected_users",
    "vip_caller",
    "service_criticality",
    "service_state",
)
_FACTS_KEYS = ("affected_users", "vip_caller", "service_criticality", "service_state")
_LEVEL_KEYS = ("value", "label")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+", re.ASCII)


# --- levels and scales -------------------------------------------------------------------


def _level_to_data(level: Level) -> dict[str, Any]:
    return {"value": level.value, "label": level.label}


def _level_from_data(data: object, path: str) -> Level:
    body = only_keys(data, path, _LEVEL_KEYS, required=_LEVEL_KEYS)
    value = expect_int(body["value"], at_key(path, "value"))
    label = expect_text(body["label"], at_key(path, "label"))
    return _make_level(value, label, path)


def _make_level(value: int, label: str, path: str) -> Level:
    return _build(path, lambda: Level(value, label))


def _level_value(text: str, path: str) -> int:
    """A level value written as a table key: ``"2"`` or ``"-1"`` (no spaces, signs or ``_``)."""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise DataError(f"level value {text!r} is not a whole number", path=path)
    try:
        return int(text)
    except ValueError:  # more digits than int() reads
        raise DataError(f"level value {text[:20]!r}... is too long", path=path) from None


def _scale_to_data(scale: Scale, key: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {} if scale.name == key else {"name": scale.name}
    body["most_severe"] = scale.most_severe.value
    body["levels"] = {str(level.value): level.label for level in scale.levels}
    return body


def _scale_from_data(data: object, path: str, key: str | None = None) -> Scale:
    """A scale table; inside a matrix its ``key`` is its name unless it gives one."""
    required = ("most_severe", "levels") if key is not None else _SCALE_KEYS
    table = only_keys(data, path, _SCALE_KEYS, required=required)
    name = expect_text(table.get("name", key), at_key(path, "name"))
    direction = table["most_severe"]
    allowed = [m.value for m in MostSevere]
    if not isinstance(direction, str) or direction not in allowed:
        raise DataError(
            f"most_severe {direction!r} is unknown; allowed: {allowed_list(allowed)}",
            path=at_key(path, "most_severe"),
        )
    levels_path = at_key(path, "levels")
    raw = table["levels"]
    levels: list[Level] = []
    if isinstance(raw, Mapping):
        for text, label in expect_mapping(raw, levels_path).items():
            where = at_key(levels_path, text)
            value = _level_value(text, where)
            label_text = expect_text(label, where)
            levels.append(_make_level(value, label_text, where))
    elif isinstance(raw, list | tuple):
        for index, label in enumerate(expect_list(raw, levels_path)):
            where = at_index(levels_path, index)
            label_text = expect_text(label, where)
            levels.append(_make_level(index + 1, label_text, where))
    else:
        raise DataError(
            f"expected a table {{value = label}} or a list of labels, got "
            f"{type(raw).__name__} {raw!r:.60}",
            path=levels_path,
        )
    return _build(
        path,
        lambda: Scale(name=name, levels=levels, most_severe=MostSevere(direction)),
    )


def _standalone_scale_from_data(data: object, path: str) -> Scale:
    return _scale_from_data(data, path)


# --- level keys (a value, a label or a whole level) ------------------------------------------


def _key_to_data(key: LevelKey) -> int | str | dict[str, Any]:
    return _level_to_data(key) if isinstance(key, Level) else key


def _key_from_data(data: object, path: str) -> LevelKey:
    """A level named by value (a whole number), label (text) or a ``{value, label}`` table."""
    if isinstance(data, Mapping):
        return _level_from_data(data, path)
    if isinstance(data, bool) or not isinstance(data, int | str):
        raise DataError(
            f"expected a level value (a whole number) or a label, got {data!r:.60}", path=path
        )
    if isinstance(data, str):
        return expect_text(data, path)
    return data


# --- matrices ----------------------------------------------------------------------------


def _matrix_to_data(matrix: PriorityMatrix) -> dict[str, Any]:
    return {
        "monotone": matrix.monotone,
        "impact": _scale_to_data(matrix.impact, "impact"),
        "urgency": _scale_to_data(matrix.urgency, "urgency"),
        "priority": _scale_to_data(matrix.priority, "priority"),
        "rows": [list(row) for row in matrix.rows()],
    }


def _cell_key(scale: Scale, text: str, path: str) -> LevelKey:
    """A ``[cells]`` table key names a level by label, or by value when it is not a label."""
    if text in scale:
        return text
    return _level_value(text, path)


def _entry(data: object, path: str) -> LevelKey:
    if isinstance(data, bool) or not isinstance(data, int | str):
        raise DataError(
            f"expected a priority value (a whole number) or label, got {data!r:.60}", path=path
        )
    return expect_text(data, path) if isinstance(data, str) else data


def _matrix_from_data(data: object, path: str) -> PriorityMatrix:
    config = only_keys(data, path, _MATRIX_KEYS, required=("impact", "urgency", "priority"))
    impact, urgency, priority = (
        _scale_from_data(config[key], at_key(path, key), key)
        for key in ("impact", "urgency", "priority")
    )
    if "description" in config:
        expect_text(config["description"], at_key(path, "description"), blank=True)
    monotone = True
    if "monotone" in config:
        monotone = expect_bool(config["monotone"], at_key(path, "monotone"))
    if "impact_rules" in config:  # the whole file is checked, not just the matrix
        _rules_section(config["impact_rules"], at_key(path, "impact_rules"), impact)
    if ("rows" in config) == ("cells" in config):
        raise DataError(
            "needs exactly one of 'rows' (a list of rows) or 'cells' "
            "(a table impact -> urgency -> priority)",
            path=path,
        )
    if "rows" in config:
        rows_path = at_key(path, "rows")
        rows: list[list[LevelKey]] = []
        for i, raw_row in enumerate(expect_list(config["rows"], rows_path)):
            row_path = at_index(rows_path, i)
            entries = expect_list(raw_row, row_path)
            rows.append([_entry(v, at_index(row_path, j)) for j, v in enumerate(entries)])
        return _build(
            rows_path,
            lambda: PriorityMatrix.from_rows(
                rows, impact=impact, urgency=urgency, priority=priority, monotone=monotone
            ),
        )
    cells_path = at_key(path, "cells")
    cells: dict[tuple[LevelKey, LevelKey], LevelKey] = {}
    for imp_text, row in expect_mapping(config["cells"], cells_path).items():
        row_path = at_key(cells_path, imp_text)
        imp = _cell_key(impact, imp_text, row_path)
        for urg_text, value in expect_mapping(row, row_path).items():
            where = at_key(row_path, urg_text)
            urg = _cell_key(urgency, urg_text, where)
            if (imp, urg) in cells:
                raise DataError(f"urgency {urg_text!r} is given twice in this row", path=where)
            cells[(imp, urg)] = _entry(value, where)
    return _build(
        cells_path,
        lambda: PriorityMatrix.from_mapping(
            cells, impact=impact, urgency=urgency, priority=priority, monotone=monotone
        ),
    )


def _cell_to_data(cell: Cell) -> dict[str, Any]:
    return {
        "impact": _level_to_data(cell.impact),
        "urgency": _level_to_data(cell.urgency),
        "priority": _level_to_data(cell.priority),
    }


def _cell_from_data(data: object, path: str) -> Cell:
    keys = ("impact", "urgency", "priority")
    body = only_keys(data, path, keys, required=keys)
    impact, urgency, priority = (_level_from_data(body[k], at_key(path, k)) for k in keys)
    return _build(path, lambda: Cell(impact, urgency, priority))


# --- impact rules, facts and assessments -------------------------------------------------


def _sorted_criticalities(values: frozenset[int | str]) -> list[int | str]:
    return sorted(values, key=lambda c: (isinstance(c, str), c))


def _rule_to_data(rule: ImpactRule) -> dict[str, Any]:
    body: dict[str, Any] = {"name": rule.name, "impact": _key_to_data(rule.impact)}
    if rule.min_affected_users is not None:
        body["min_affected_users"] = rule.min_affected_users
    if rule.vip_caller is not None:
        body["vip_caller"] = rule.vip_caller
    if rule.service_criticality is not None:
        body["service_criticality"] = _sorted_criticalities(rule.service_criticality)
    if rule.service_state is not None:
        body["service_state"] = sorted(state.value for state in rule.service_state)
    return body


def _criticality(data: object, path: str) -> int | str:
    if isinstance(data, bool) or not isinstance(data, int | str):
        raise DataError(f"expected a criticality (a number or a name), got {data!r:.60}", path=path)
    return expect_text(data, path) if isinstance(data, str) else data


def _rule_from_data(data: object, path: str) -> ImpactRule:
    table = only_keys(data, path, _RULE_KEYS, required=("name", "impact"))
    name = expect_text(table["name"], at_key(path, "name"))
    impact = _key_from_data(table["impact"], at_key(path, "impact"))
    kwargs: dict[str, Any] = {}
    if "min_affected_users" in table:
        kwargs["min_affected_users"] = expect_int(
            table["min_affected_users"], at_key(path, "min_affected_users")
        )
    if "vip_caller" in table:
        kwargs["vip_caller"] = expect_bool(table["vip_caller"], at_key(path, "vip_caller"))
    if "service_criticality" in table:
        where = at_key(path, "service_criticality")
        kwargs["service_criticality"] = [
            _criticality(item, at_index(where, i))
            for i, item in enumerate(expect_list(table["service_criticality"], where))
        ]
    if "service_state" in table:
        where = at_key(path, "service_state")
        kwargs["service_state"] = [
            expect_text(item, at_index(where, i))
            for i, item in enumerate(expect_list(table["service_state"], where))
        ]
    return _build(path, lambda: ImpactRule(name=name, impact=impact, **kwargs))


def _rules_section(data: object, path: str, scale: Scale) -> ImpactRules:
    section = only_keys(data, path, _RULES_KEYS)
    rules_path = at_key(path, "rules")
    rules = [
        _rule_from_data(item, at_index(rules_path, i))
        for i, item in enumerate(expect_list(section.get("rules", []), rules_path))
    ]
    default = None
    if "default" in section:
        default = _key_from_data(section["default"], at_key(path, "default"))
    mode = section.get("mode", MatchMode.MOST_SEVERE.value)
    allowed = [m.value for m in MatchMode]
    if not isinstance(mode, str) or mode not in allowed:
        raise DataError(
            f"unknown impact rule mode {mode!r}; allowed: {allowed_list(allowed)}",
            path=at_key(path, "mode"),
        )
    return _build(
        path, lambda: ImpactRules(scale=scale, rules=rules, default=default, mode=MatchMode(mode))
    )


def _rules_to_data(rules: ImpactRules) -> dict[str, Any]:
    section: dict[str, Any] = {"mode": rules.mode.value}
    if rules.default is not None:
        section["default"] = _key_to_data(rules.default)
    section["rules"] = [_rule_to_data(rule) for rule in rules.rules]
    return {"impact": _scale_to_data(rules.scale, "impact"), "impact_rules": section}


def _rules_from_data(data: object, path: str) -> ImpactRules:
    """``[impact]`` and ``[impact_rules]``; a matrix in the same data is checked too."""
    config = only_keys(data, path, _MATRIX_KEYS, required=("impact", "impact_rules"))
    if any(key in config for key in _MATRIX_ONLY):
        _matrix_from_data(config, path)
    scale = _scale_from_data(config["impact"], at_key(path, "impact"), "impact")
    return _rules_section(config["impact_rules"], at_key(path, "impact_rules"), scale)


def _facts_to_data(facts: ImpactFacts) -> dict[str, Any]:
    return {
        "affected_users": facts.affected_users,
        "vip_caller": facts.vip_caller,
        "service_criticality": facts.service_criticality,
        "service_state": facts.service_state.value,
    }


def _facts_from_data(data: object, path: str) -> ImpactFacts:
    body = only_keys(data, path, _FACTS_KEYS)
    kwargs: dict[str, Any] = {}
    if "affected_users" in body:
        kwargs["affected_users"] = expect_int(
            body["affected_users"], at_key(path, "affected_users")
        )
    if "vip_caller" in body:
        kwargs["vip_caller"] = expect_bool(body["vip_caller"], at_key(path, "vip_caller"))
    if body.get("service_criticality") is not None:
        kwargs["service_criticality"] = _criticality(
            body["service_criticality"], at_key(path, "service_criticality")
        )
    if "service_state" in body:
        where = at_key(path, "service_state")
        state = expect_text(body["service_state"], where)
        allowed = [s.value for s in ServiceState]
        if state not in allowed:
            raise DataError(
                f"unknown service state {state!r}; allowed: {allowed_list(allowed)}", path=where
            )
        kwargs["service_state"] = ServiceState(state)
    return _build(path, lambda: ImpactFacts(**kwargs))


def _assessment_to_data(assessment: ImpactAssessment) -> dict[str, Any]:
    return {
        "level": _level_to_data(assessment.level),
        "rule": assessment.rule,
        "matched": list(assessment.matched),
    }


def _assessment_from_data(data: object, path: str) -> ImpactAssessment:
    keys = ("level", "rule", "matched")
    body = only_keys(data, path, keys, required=("level",))
    level = _level_from_data(body["level"], at_key(path, "level"))
    rule = body.get("rule")
    if rule is not None:
        rule = expect_text(rule, at_key(path, "rule"))
    where = at_key(path, "matched")
    matched = [
        expect_text(item, at_index(where, i))
        for i, item in enumerate(expect_list(body.get("matched", []), where))
    ]
    return _build(path, lambda: ImpactAssessment(level=level, rule=rule, matched=matched))


register(Level, "priority-level", unstructure=_level_to_data, structure=_level_from_data)
register(Scale, "priority-scale", unstructure=_scale_to_data, structure=_standalone_scale_from_data)
register(
    PriorityMatrix, "priority-matrix", unstructure=_matrix_to_data, structure=_matrix_from_data
)
register(Cell, "priority-cell", unstructure=_cell_to_data, structure=_cell_from_data)
register(ImpactRule, "impact-rule", unstructure=_rule_to_data, structure=_rule_from_data)
register(ImpactRules, "impact-rules", unstructure=_rules_to_data, structure=_rules_from_data)
register(ImpactFacts, "impact-facts", unstructure=_facts_to_data, structure=_facts_from_data)
register(
    ImpactAssessment,
    "impact-assessment",
    unstructure=_assessment_to_data,
    structure=_assessment_from_data,
)
