"""Priority values as data: the configuration format, round trips, and refused input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from itsmcore import data
from itsmcore.errors import ConfigurationError, DataError, ValidationError
from itsmcore.priority import (
    Cell,
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    Level,
    MatchMode,
    PriorityMatrix,
    Scale,
    preset,
    preset_names,
)
from itsmcore.testing.strategies import (
    impact_assessments,
    impact_facts,
    impact_rule_sets,
    impact_rules,
    matrix_cells,
    priority_levels,
    priority_matrices,
    priority_scales,
)

SERVICENOW_TOML = """
description = "ServiceNow's sample priority lookup"
rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]

[impact]
most_severe = "lowest"
levels = { 1 = "High", 2 = "Medium", 3 = "Low" }

[urgency]
most_severe = "lowest"
levels = ["High", "Medium", "Low"]

[priority]
most_severe = "lowest"
levels = ["Critical", "High", "Moderate", "Low", "Planning"]

[impact_rules]
mode = "first-match"
default = "Low"

[[impact_rules.rules]]
name = "critical service down"
impact = "High"
service_state = ["down"]
service_criticality = ["critical"]

[[impact_rules.rules]]
name = "vip"
impact = 2
vip_caller = true
"""


def _round_trip(value: object) -> object:
    """value -> data -> JSON text -> data -> value, as an application stores it."""
    text = json.dumps(data.to_data(value))
    return data.from_data(json.loads(text), type(value))


# --- round trips ---------------------------------------------------------------------------


@given(priority_matrices())
def test_matrices_round_trip_through_json(matrix: PriorityMatrix) -> None:
    assert _round_trip(matrix) == matrix


@given(priority_scales())
def test_scales_round_trip_with_their_name_and_direction(scale: Scale) -> None:
    again = _round_trip(scale)
    assert again == scale
    assert isinstance(again, Scale)
    assert again.by_severity() == scale.by_severity()


@given(priority_levels())
def test_levels_round_trip(level: Level) -> None:
    assert _round_trip(level) == level


@given(matrix_cells())
def test_cells_round_trip(cell: Cell) -> None:
    assert _round_trip(cell) == cell


@given(impact_rules())
def test_impact_rules_round_trip(rule: ImpactRule) -> None:
    assert _round_trip(rule) == rule


@given(impact_rule_sets(), impact_facts())
def test_rule_sets_round_trip_and_assess_alike(rules: ImpactRules, facts: ImpactFacts) -> None:
    again = _round_trip(rules)
    assert again == rules
    assert isinstance(again, ImpactRules)
    assert again.assess(facts) == rules.assess(facts)


@given(impact_facts())
def test_facts_round_trip(facts: ImpactFacts) -> None:
    assert _round_trip(facts) == facts


@given(impact_assessments())
def test_assessments_round_trip(assessment: ImpactAssessment) -> None:
    assert _round_trip(assessment) == assessment


@pytest.mark.parametrize("name", preset_names())
def test_presets_round_trip_and_look_up_alike(name: str) -> None:
    matrix = preset(name)
    again = data.loads(data.dumps(matrix), PriorityMatrix)
    assert again == matrix
    assert [c.priority for c in again.iter_cells()] == [c.priority for c in matrix.iter_cells()]


def test_the_envelope_names_the_type_and_version() -> None:
    stored = data.to_data(preset("servicenow"))
    assert (stored["itsmcore"], stored["type"]) == (1, "priority-matrix")
    assert stored["data"]["rows"] == [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
    assert stored["data"]["impact"] == {
        "most_severe": "lowest",
        "levels": {"1": "High", "2": "Medium", "3": "Low"},
    }
    with pytest.raises(DataError, match=r"\$\.type: the data holds a 'priority-matrix'"):
        data.from_data(stored, ImpactRules)


def test_a_scale_not_named_after_its_key_keeps_its_name() -> None:
    base = preset("servicenow")
    renamed = PriorityMatrix(
        impact=Scale(name="Business impact", levels=base.impact.levels),
        urgency=base.urgency,
        priority=base.priority,
        cells=base.cells,
    )
    body = data.unstructure(renamed)
    assert body["impact"]["name"] == "Business impact"
    assert "name" not in body["urgency"]
    assert data.from_data(body, PriorityMatrix) == renamed
    rules = ImpactRules(scale=renamed.impact, rules=[], default="Low")
    assert data.unstructure(rules)["impact"]["name"] == "Business impact"
    assert data.loads(data.dumps(rules), ImpactRules) == rules


# --- the configuration format ----------------------------------------------------------------


def test_toml_rows_build_the_servicenow_matrix() -> None:
    assert data.loads(SERVICENOW_TOML, PriorityMatrix, format="toml") == preset("servicenow")


def test_a_cells_table_with_labels_or_values() -> None:
    scales = SERVICENOW_TOML.split("[impact_rules]")[0].split("\n[impact]", 1)[1]
    text = (
        "[impact]"
        + scales
        + """
[cells.High]
High = "Critical"
Medium = 2
Low = "moderate"
[cells.2]
1 = 2
2 = 3
3 = 4
[cells.low]
high = 3
medium = 4
3 = "Planning"
"""
    )
    assert data.loads(text, PriorityMatrix, format="toml") == preset("servicenow")


def test_glpi_data_keeps_its_direction() -> None:
    again = data.from_data(json.loads(json.dumps(data.unstructure(preset("glpi")))), PriorityMatrix)
    assert again == preset("glpi")
    assert again.lookup("very high", "very high").label == "Very high"


def test_files_are_read_by_suffix(tmp_path: Path) -> None:
    toml_file = tmp_path / "matrix.toml"
    toml_file.write_text(SERVICENOW_TOML, encoding="utf-8")
    json_file = tmp_path / "matrix.json"
    data.save(preset("itop"), json_file)
    assert data.load(toml_file, PriorityMatrix) == preset("servicenow")
    assert data.load(str(json_file), PriorityMatrix) == preset("itop")
    assert data.load(json_file) == preset("itop")
    rules = data.load(toml_file, ImpactRules)
    assert rules.mode is MatchMode.FIRST_MATCH
    assert [r.name for r in rules.rules] == ["critical service down", "vip"]


def test_file_errors_are_itsm_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"allowed: '\.json', '\.toml'"):
        data.load(tmp_path / "matrix.yaml", PriorityMatrix)
    with pytest.raises(ValidationError, match="no file"):
        data.load(tmp_path / "absent.toml", PriorityMatrix)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(SERVICENOW_TOML.replace("ServiceNow's", "Caf\xe9").encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        data.load(latin, PriorityMatrix)
    with pytest.raises(DataError, match="not valid TOML"):
        data.loads("rows = [[1, 2", PriorityMatrix, format="toml")
    with pytest.raises(DataError, match="not valid JSON"):
        data.loads("{", PriorityMatrix)
    with pytest.raises(DataError, match=r"\$: expected a mapping, got list"):
        data.loads("[1, 2]", PriorityMatrix)
    with pytest.raises(ValidationError, match="unknown format 'yaml'"):
        data.loads("", PriorityMatrix, format="yaml")  # type: ignore[call-overload]


ROWS = "rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("description =", "colour = 1\ndescription =", r"\$: unknown key\(s\) 'colour'"),
        ("[impact]\n", "[impact]\nsize = 3\n", r"\$\.impact: unknown key\(s\) 'size'"),
        ('most_severe = "lowest"', 'most_severe = "worst"', "most_severe 'worst' is unknown"),
        ("levels = { 1 =", "levels = { one =", r"\$\.impact\.levels\.one: level value 'one'"),
        ("levels = { 1 =", 'levels = { " 1" =', r"level value ' 1' is not a whole number"),
        ('levels = ["High"', 'levels = [true, "High"', r"\$\.urgency\.levels\[0\]: expected text"),
        ('mode = "first-match"', 'mode = "first-match"\nstrict = true', r"'strict'"),
        (
            "vip_caller = true",
            "vip_caller = true\nwhen = 1",
            r"rules\[1\]: unknown key\(s\) 'when'",
        ),
        ("vip_caller = true", "vip_caller = 1", r"rules\[1\]\.vip_caller: expected true or false"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5.0]]", r"\$\.rows\[2\]\[2\]"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 4, true]]", r"\$\.rows\[2\]\[2\]: expected"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 4]]", "does not cover 1"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 5, 4]]", "not monotone"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], 5]", r"\$\.rows\[2\]: expected a list"),
        (ROWS, "", "exactly one of 'rows'"),
        (ROWS, 'monotone = "no"\n' + ROWS, r"\$\.monotone: expected true or false"),
        ("description = \"ServiceNow's", "description = [\"ServiceNow's", r"\$\.description"),
    ],
)
def test_bad_configurations_are_refused_with_the_path(old: str, new: str, message: str) -> None:
    assert old in SERVICENOW_TOML
    text = SERVICENOW_TOML.replace(old, new, 1)
    if new.startswith("description = ["):
        text = text.replace('lookup"\n', 'lookup"]\n', 1)
    with pytest.raises(DataError, match=message):
        data.loads(text, PriorityMatrix, format="toml")


def test_monotone_false_is_the_explicit_opt_out() -> None:
    text = "monotone = false\n" + SERVICENOW_TOML.replace("[3, 4, 5]]", "[3, 5, 4]]")
    matrix = data.loads(text, PriorityMatrix, format="toml")
    assert not matrix.is_monotone()
    assert matrix.lookup(3, 2).label == "Planning"
    assert data.loads(data.dumps(matrix), PriorityMatrix) == matrix


def test_impact_rules_from_the_same_file() -> None:
    rules = data.loads(SERVICENOW_TOML, ImpactRules, format="toml")
    assert rules.scale == preset("servicenow").impact
    down = ImpactFacts(service_criticality="Critical", service_state="down", vip_caller=True)
    assert rules.assess(down).rule == "critical service down"
    assert rules.impact_for(ImpactFacts(vip_caller=True)).label == "Medium"
    assert rules.impact_for(ImpactFacts()).label == "Low"


def test_reading_rules_checks_the_matrix_in_the_same_file() -> None:
    broken = SERVICENOW_TOML.replace(ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 5, 4]]")
    with pytest.raises(DataError, match="not monotone"):
        data.loads(broken, ImpactRules, format="toml")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('impact = "High"', 'impact = "Huge"', "unknown impact 'Huge'"),
        ('impact = "High"', 'impact = "  "', r"rules\[0\]\.impact: expected non-empty text"),
        ('impact = "High"', "impact = true", r"rules\[0\]\.impact: expected a level value"),
        ('service_state = ["down"]', 'service_state = ["on fire"]', "unknown service state"),
        ('service_state = ["down"]', 'service_state = "down"', r"service_state: expected a list"),
        ('service_criticality = ["critical"]', "service_criticality = [true]", r"criticality\[0\]"),
        ('default = "Low"', 'default = "Lowest"', "impact rules default"),
        ('name = "vip"\n', "", r"rules\[1\]: missing required key\(s\) 'name'"),
        ('name = "vip"\n', 'name = ["vip"]\n', r"rules\[1\]\.name: expected text, got list"),
        ('name = "vip"\n', 'name = " "\n', r"rules\[1\]\.name: expected non-empty text"),
        ('mode = "first-match"', 'mode = "best"', "unknown impact rule mode 'best'"),
        ("vip_caller = true", "min_affected_users = true", r"min_affected_users: expected a whole"),
        (
            '[[impact_rules.rules]]\nname = "vip"',
            '[[impact_rules.rules]]\nname = "critical service down"',
            "repeated",
        ),
    ],
)
def test_bad_impact_rules_are_refused(old: str, new: str, message: str) -> None:
    assert old in SERVICENOW_TOML
    with pytest.raises(DataError, match=message):
        data.loads(SERVICENOW_TOML.replace(old, new, 1), ImpactRules, format="toml")


def test_impact_rules_need_their_section() -> None:
    with pytest.raises(DataError, match=r"missing required key\(s\) 'impact_rules'"):
        data.loads(SERVICENOW_TOML.split("[impact_rules]")[0], ImpactRules, format="toml")


def test_data_errors_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        data.from_data({"impact": {}}, PriorityMatrix)


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        (Level, {"value": True, "label": "High"}, r"\$\.value: expected a whole number"),
        (Level, {"value": 1, "label": ["High"]}, r"\$\.label: expected text"),
        (Level, {"value": 1, "label": " High"}, "surrounding spaces"),
        (Scale, {"most_severe": "lowest", "levels": ["a"]}, r"missing required key\(s\) 'name'"),
        (Scale, {"name": "x", "most_severe": "lowest", "levels": "High"}, r"levels: expected a"),
        (Scale, {"name": "x", "most_severe": None, "levels": ["a"]}, "most_severe None"),
        (Cell, {"impact": None, "urgency": None, "priority": None}, r"\$\.impact: expected a map"),
        (ImpactFacts, {"affected_users": False}, r"affected_users: expected a whole number"),
        (ImpactFacts, {"service_state": "sideways"}, "unknown service state 'sideways'"),
        (ImpactFacts, {"affected_users": -1}, "affected_users must be an int >= 0"),
        (ImpactAssessment, {"level": {"value": 1, "label": "x"}, "matched": "x"}, r"matched: exp"),
        (ImpactRule, {"name": "x", "impact": 1}, "has no condition"),
    ],
)
def test_every_form_names_the_bad_value(kind: type, body: object, message: str) -> None:
    with pytest.raises(DataError, match=message):
        data.from_data(body, kind)


def test_deeply_nested_text_is_refused_without_recursion() -> None:
    deep = '{"impact": ' * 500 + "1" + "}" * 500
    with pytest.raises(DataError, match="nests deeper"):
        data.loads(deep, PriorityMatrix)
    with pytest.raises(DataError, match="nests deeper"):
        data.loads("rows = " + "[" * 500 + "]" * 500, PriorityMatrix, format="toml")


def test_deeply_nested_python_data_is_refused_without_recursion() -> None:
    nested: object = "High"
    for _ in range(10_000):
        nested = [nested]
    body = {"name": "x", "most_severe": "lowest", "levels": [nested]}
    with pytest.raises(DataError, match=r"levels\[0\]: expected text, got list"):
        data.from_data(body, Scale)


def test_oversized_scales_are_refused() -> None:
    body = {"name": "x", "most_severe": "lowest", "levels": [f"L{i}" for i in range(5_000)]}
    with pytest.raises(DataError, match="at most 100"):
        data.from_data(body, Scale)


def test_removed_loader_names_point_to_the_data_functions() -> None:
    import itsmcore.priority as priority

    with pytest.raises(AttributeError, match=r"use itsmcore\.data\.load\(path, PriorityMatrix\)"):
        priority.load_matrix  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        priority.nothing  # noqa: B018
