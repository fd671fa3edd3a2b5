"""Loading matrices and impact rules from TOML and JSON; unknown keys are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from itsmcore.errors import ConfigurationError
from itsmcore.priority import (
    ImpactFacts,
    MatchMode,
    PriorityMatrix,
    load_impact_rules,
    load_matrix,
    loads_impact_rules,
    loads_matrix,
    matrix_from_config,
    matrix_to_config,
    preset,
)
from itsmcore.testing.strategies import priority_matrices

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


def test_toml_rows_build_the_servicenow_matrix() -> None:
    assert loads_matrix(SERVICENOW_TOML) == preset("servicenow")


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
    assert loads_matrix(text) == preset("servicenow")


@given(priority_matrices())
def test_config_round_trips_through_json(matrix: PriorityMatrix) -> None:
    text = json.dumps(matrix_to_config(matrix))
    assert loads_matrix(text, format="json") == matrix


def test_glpi_config_keeps_its_direction() -> None:
    again = matrix_from_config(json.loads(json.dumps(matrix_to_config(preset("glpi")))))
    assert again == preset("glpi")
    assert again.lookup("very high", "very high").label == "Very high"


def test_files_are_read_by_suffix(tmp_path: Path) -> None:
    toml_file = tmp_path / "matrix.toml"
    toml_file.write_text(SERVICENOW_TOML, encoding="utf-8")
    json_file = tmp_path / "matrix.json"
    json_file.write_text(json.dumps(matrix_to_config(preset("itop"))), encoding="utf-8")
    assert load_matrix(toml_file) == preset("servicenow")
    assert load_matrix(str(json_file)) == preset("itop")
    rules = load_impact_rules(toml_file)
    assert rules.mode is MatchMode.FIRST_MATCH
    assert [r.name for r in rules.rules] == ["critical service down", "vip"]


def test_file_errors_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"allowed: '\.toml', '\.json'"):
        load_matrix(tmp_path / "matrix.yaml")
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_matrix(tmp_path / "absent.toml")
    with pytest.raises(ConfigurationError, match="cannot parse TOML"):
        loads_matrix("rows = [[1, 2")
    with pytest.raises(ConfigurationError, match="cannot parse JSON"):
        loads_matrix("{", format="json")
    with pytest.raises(ConfigurationError, match="JSON configuration must be a table"):
        loads_matrix("[1, 2]", format="json")
    with pytest.raises(ConfigurationError, match="unknown format 'yaml'"):
        loads_matrix("", format="yaml")  # type: ignore[arg-type]


ROWS = "rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("description =", "colour = 1\ndescription =", "unknown key 'colour' in the configuration"),
        ("[impact]\n", "[impact]\nsize = 3\n", r"'size' in \[impact\]"),
        ('most_severe = "lowest"', 'most_severe = "worst"', "most_severe 'worst' is unknown"),
        ("levels = { 1 =", "levels = { one =", "'one' is not an integer"),
        ('mode = "first-match"', 'mode = "first-match"\nstrict = true', r"'strict' in \[imp"),
        ("vip_caller = true", "vip_caller = true\nwhen = 1", r"'when' in impact_rules.rules\[1\]"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 4, 5.0]]", r"rows\[2\]\[2\]"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 4]]", "does not cover 1"),
        (ROWS, "rows = [[1, 2, 3], [2, 3, 4], [3, 5, 4]]", "not monotone"),
        (ROWS, "", "exactly one of 'rows'"),
        (ROWS, 'monotone = "no"\n' + ROWS, "monotone must be true or false"),
    ],
)
def test_bad_configurations_are_refused_with_the_reason(old: str, new: str, message: str) -> None:
    assert old in SERVICENOW_TOML
    with pytest.raises(ConfigurationError, match=message):
        loads_matrix(SERVICENOW_TOML.replace(old, new, 1))


def test_monotone_false_is_the_explicit_opt_out() -> None:
    text = "monotone = false\n" + SERVICENOW_TOML.replace("[3, 4, 5]]", "[3, 5, 4]]")
    matrix = loads_matrix(text)
    assert not matrix.is_monotone()
    assert matrix.lookup(3, 2).label == "Planning"


def test_impact_rules_from_the_same_file() -> None:
    rules = loads_impact_rules(SERVICENOW_TOML)
    assert rules.scale == preset("servicenow").impact
    down = ImpactFacts(service_criticality="Critical", service_state="down", vip_caller=True)
    assert rules.assess(down).rule == "critical service down"
    assert rules.impact_for(ImpactFacts(vip_caller=True)).label == "Medium"
    assert rules.impact_for(ImpactFacts()).label == "Low"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('impact = "High"', 'impact = "Huge"', "unknown impact 'Huge'"),
        ('service_state = ["down"]', 'service_state = ["on fire"]', "unknown service state"),
        ('default = "Low"', 'default = "Lowest"', "impact rules default"),
        ('name = "vip"\n', "", r"impact_rules.rules\[1\] needs the key 'name'"),
        ('mode = "first-match"', 'mode = "best"', "unknown impact rule mode 'best'"),
        (
            '[[impact_rules.rules]]\nname = "vip"',
            '[[impact_rules.rules]]\nname = "critical service down"',
            "repeated",
        ),
    ],
)
def test_bad_impact_rules_are_refused(old: str, new: str, message: str) -> None:
    assert old in SERVICENOW_TOML
    with pytest.raises(ConfigurationError, match=message):
        loads_impact_rules(SERVICENOW_TOML.replace(old, new, 1))


def test_impact_rules_need_their_section() -> None:
    with pytest.raises(ConfigurationError, match="needs the key 'impact_rules'"):
        loads_impact_rules(SERVICENOW_TOML.split("[impact_rules]")[0])
