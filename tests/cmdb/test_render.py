"""Mermaid and DOT exports mark down and degraded CIs and draw the right edges."""

from __future__ import annotations

import re

import pytest

from itsmcore.cmdb import CI, CMDB, to_dot, to_mermaid
from itsmcore.errors import NotFoundError, ValidationError


def _cmdb() -> CMDB:
    cmdb = CMDB()
    cmdb.add_cis(
        [
            CI(id="h1", ci_class="hypervisor"),
            CI(id="h2", ci_class="hypervisor"),
            CI(id="farm", ci_class="farm", name='Farm "A"'),
            CI(id="ops", ci_class="application"),
        ]
    )
    cmdb.add_relationships([("farm", "Members", "h1"), ("farm", "Members", "h2")])
    cmdb.add_relationship("ops", "Manages", "farm")
    cmdb.add_redundancy_group("farm", ["h1", "h2"])
    return cmdb


def test_mermaid_marks_states_and_sources() -> None:
    cmdb = _cmdb()
    text = to_mermaid(cmdb, cmdb.impact(["h1"]))
    nodes = dict(re.findall(r'(n\d+)\["([^"]*)"\]', text))
    key = {label.split("<br/>")[0]: n for n, label in nodes.items()}
    assert f"{key['h1']}[" in text
    assert "]:::down" in text
    assert re.search(rf"{key['Farm #quot;A#quot;']}\[.*\]:::degraded", text)
    assert f"{key['h1']} -->|Member of| {key['Farm #quot;A#quot;']}" in text
    assert f"style {key['h1']} stroke-width:3px" in text
    assert "h2" not in text


def test_dot_of_a_neighbourhood_includes_inert_edges() -> None:
    cmdb = _cmdb()
    text = to_dot(cmdb, cmdb.neighbourhood("farm"))
    assert text.startswith('digraph "cmdb" {')
    assert text.rstrip().endswith("}")
    assert '"ops" -> "farm" [label="Manages"];' in text
    assert '"h1" -> "farm" [label="Member of"];' in text
    assert 'label="Farm \\"A\\"\\nfarm"' in text


def test_limits_and_unknown_cis() -> None:
    cmdb = _cmdb()
    with pytest.raises(ValidationError, match="too many to draw"):
        to_mermaid(cmdb, ["h1", "h2"], max_nodes=1)
    with pytest.raises(NotFoundError):
        to_dot(cmdb, ["nope"])
    assert "n0" in to_mermaid(cmdb, cmdb.depends_on("farm"))
