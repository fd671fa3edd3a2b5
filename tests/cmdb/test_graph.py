"""Building the CMDB: bulk loads are all-or-nothing, bad input is a clear error."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

from itsmcore.cmdb import CI, CMDB, Relationship
from itsmcore.errors import (
    ConfigurationError,
    DuplicateError,
    NotFoundError,
    UnknownValueError,
    ValidationError,
)
from itsmcore.testing.strategies import cmdbs


def _small() -> CMDB:
    cmdb = CMDB()
    cmdb.add_cis(
        CI(id=x, ci_class=c)
        for x, c in [
            ("app", "application"),
            ("db", "database"),
            ("srv", "server"),
            ("srv2", "server"),
        ]
    )
    cmdb.add_relationships([("app", "Depends on", "db"), ("srv", "Runs", "db")])
    return cmdb


def test_graph_is_a_read_only_view_pointing_provider_to_consumer() -> None:
    cmdb = _small()
    graph = cmdb.graph
    assert set(graph.edges) == {("db", "app"), ("srv", "db")}
    assert graph.edges["srv", "db"]["type"] == "Runs on::Runs"
    assert graph.nodes["db"]["ci"].ci_class == "database"
    assert nx.descendants(graph, "srv") == {"db", "app"}
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("app", "srv")


def test_relationships_come_back_as_declared() -> None:
    assert set(_small().relationships()) == {
        Relationship("app", "Depends on::Used by", "db"),
        Relationship("db", "Runs on::Runs", "srv"),
    }


def test_duplicate_ci_rolls_back_the_whole_batch() -> None:
    cmdb = _small()
    with pytest.raises(DuplicateError, match="'db' exists already"):
        cmdb.add_cis([CI(id="new", ci_class="vm"), CI(id="db", ci_class="database")])
    assert "new" not in cmdb
    assert len(cmdb) == 4


def test_bad_relationship_rolls_back_the_whole_batch() -> None:
    cmdb = _small()
    edges = set(cmdb.graph.edges)
    with pytest.raises(NotFoundError, match="unknown CI 'ghost'"):
        cmdb.add_relationships([("app", "Depends on", "srv"), ("app", "Depends on", "ghost")])
    with pytest.raises(DuplicateError, match="already joins"):
        cmdb.add_relationships([("app", "Depends on", "srv2"), ("app", "Depends on", "srv2")])
    with pytest.raises(ValidationError, match="with itself"):
        cmdb.add_relationship("app", "Depends on", "app")
    with pytest.raises(UnknownValueError, match="'Feeds'; allowed"):
        cmdb.add_relationship("app", "Feeds", "db")
    with pytest.raises(ValidationError, match="tuple"):
        cmdb.add_relationships(["app"])  # type: ignore[list-item]
    assert set(cmdb.graph.edges) == edges


def test_redundancy_groups_are_validated_against_the_graph() -> None:
    cmdb = _small()
    cmdb.add_relationship("db", "Runs on", "srv2")
    with pytest.raises(ConfigurationError, match="min_up=3 but 2"):
        cmdb.add_redundancy_group("db", ["srv", "srv2"], 3)
    with pytest.raises(ConfigurationError, match="'app' has no relationship"):
        cmdb.add_redundancy_group("db", ["srv", "app"])
    with pytest.raises(NotFoundError):
        cmdb.add_redundancy_group("db", ["srv", "nope"])
    group = cmdb.add_redundancy_group("db", ["srv", "srv2"], "50%")
    with pytest.raises(DuplicateError, match="already in a redundancy group"):
        cmdb.add_redundancy_group("db", ["srv"])
    with pytest.raises(ConfigurationError, match="remove the group first"):
        cmdb.remove_relationship("db", "Runs on", "srv")
    with pytest.raises(ConfigurationError, match="remove those groups first"):
        cmdb.remove_ci("srv")
    cmdb.remove_redundancy_group(group)
    assert cmdb.redundancy_groups() == ()
    with pytest.raises(NotFoundError):
        cmdb.remove_redundancy_group(group)


def test_remove_and_update() -> None:
    cmdb = _small()
    cmdb.remove_relationship("db", "Runs on", "srv")
    assert set(cmdb.graph.edges) == {("db", "app")}
    with pytest.raises(NotFoundError):
        cmdb.remove_relationship("db", "Runs on", "srv")
    cmdb.remove_ci("db")
    assert "db" not in cmdb
    assert cmdb.graph.number_of_edges() == 0
    updated = cmdb.update_ci(CI(id="app", ci_class="application", owner="ann"))
    assert cmdb.ci("app") is updated
    with pytest.raises(NotFoundError):
        cmdb.update_ci(CI(id="zzz", ci_class="vm"))


def test_neighbourhood_walks_both_ways() -> None:
    cmdb = _small()
    assert cmdb.neighbourhood("db") == {"app", "db", "srv"}
    assert cmdb.neighbourhood("app", 0) == {"app"}
    assert cmdb.neighbourhood("app", 2) == {"app", "db", "srv"}
    with pytest.raises(ValidationError):
        cmdb.neighbourhood("app", -1)


@given(cmdb=cmdbs())
def test_from_records_rebuilds_the_same_cmdb(cmdb: CMDB) -> None:
    other = CMDB.from_records(
        cis=cmdb.cis(),
        relationships=cmdb.relationships(),
        redundancy_groups=cmdb.redundancy_groups(),
    )
    assert list(other.cis()) == list(cmdb.cis())
    assert set(other.relationships()) == set(cmdb.relationships())
    assert other.redundancy_groups() == cmdb.redundancy_groups()
