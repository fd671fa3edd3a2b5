"""Node-link JSON round trips; unknown keys and bad documents are refused."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given

from itsmcore.cmdb import CI, CMDB, dumps, from_dict, load, loads, save, to_dict
from itsmcore.errors import ConfigurationError
from itsmcore.testing.strategies import cis, cmdbs


@given(cmdb=cmdbs())
def test_round_trip(cmdb: CMDB) -> None:
    again = loads(dumps(cmdb))
    assert list(again.cis()) == list(cmdb.cis())
    assert set(again.relationships()) == set(cmdb.relationships())
    assert again.redundancy_groups() == cmdb.redundancy_groups()
    assert to_dict(again) == to_dict(cmdb)


@given(ci=cis())
def test_any_ci_survives_json(ci: CI) -> None:
    cmdb = CMDB()
    cmdb.add_ci(ci)
    assert loads(dumps(cmdb)).ci(ci.id) == ci


def test_document_is_networkx_node_link(tmp_path: Path) -> None:
    cmdb = CMDB()
    cmdb.add_cis([CI(id="a", ci_class="application"), CI(id="d", ci_class="database")])
    cmdb.add_relationship("a", "Depends on", "d")
    data = to_dict(cmdb)
    graph = nx.node_link_graph(data, edges="links")
    assert set(graph.edges) == {("d", "a")}
    save(cmdb, tmp_path / "cmdb.json")
    assert to_dict(load(tmp_path / "cmdb.json")) == data


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"nodes": [], "extra": 1}, "unknown key.*'extra'"),
        ({"nodes": [{"id": "a", "class": "vm", "colour": "red"}]}, "'colour'"),
        ({"nodes": [{"id": "a", "class": "vm"}, {"id": "a", "class": "vm"}]}, "exists already"),
        (
            {
                "nodes": [{"id": "a", "class": "vm"}],
                "links": [{"source": "a", "target": "b", "type": "Runs on::Runs"}],
            },
            "unknown CI",
        ),
        ({"nodes": "x"}, "must be a list"),
        ({"graph": {"format": "other/9"}}, "unknown format"),
    ],
)
def test_bad_documents(doc: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        from_dict(doc)


def test_bad_json_text() -> None:
    with pytest.raises(ConfigurationError, match="not valid JSON"):
        loads("{")
    assert json.loads(dumps(CMDB()))["nodes"] == []
