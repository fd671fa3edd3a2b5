"""Bad input at every public CMDB entry point: an ItsmError naming the value, nothing changed.

One test per family: None or a non-iterable where a collection is expected; a list where an id
is expected; blank ids; bools posing as ints; values of the wrong type.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from itsmcore import data
from itsmcore.cmdb import (
    CI,
    CMDB,
    Percent,
    RedundancyGroup,
    Relationship,
    RelationshipType,
    RelationshipTypes,
    blast_radius,
    to_dot,
    to_mermaid,
)
from itsmcore.errors import ItsmError

Call = Callable[[CMDB], object]


def _cmdb() -> CMDB:
    cmdb = CMDB()
    cmdb.add_cis(
        [
            CI(id="app", ci_class="business_service"),
            CI(id="db", ci_class="database"),
            CI(id="s1", ci_class="server"),
            CI(id="s2", ci_class="server"),
        ]
    )
    cmdb.add_relationships(
        [("app", "Depends on", "db"), ("db", "Runs on", "s1"), ("db", "Runs on", "s2")]
    )
    cmdb.add_redundancy_group("db", ["s1", "s2"], 1)
    cmdb.impact(["s1"])  # an index exists, so a bad change could corrupt it
    return cmdb


def _refused(call: Call, shown: str) -> None:
    """``call`` raises an ItsmError whose message shows ``shown``, and changes nothing."""
    cmdb = _cmdb()
    before = data.to_data(cmdb)
    impact_before = list(cmdb.impact(["s1", "s2"]).items())
    with pytest.raises(ItsmError) as caught:
        call(cmdb)
    assert shown in str(caught.value), str(caught.value)
    assert data.to_data(cmdb) == before
    assert list(cmdb.impact(["s1", "s2"]).items()) == impact_before


def _result(cmdb: CMDB) -> object:
    return cmdb.impact(["s1"])


NOT_COLLECTIONS = [None, 5, 3.5, object()]
COLLECTION_CALLS: list[tuple[str, Callable[[CMDB, object], object]]] = [
    ("add_cis", lambda c, v: c.add_cis(v)),  # type: ignore[arg-type]
    ("add_relationships", lambda c, v: c.add_relationships(v)),  # type: ignore[arg-type]
    ("remove_cis", lambda c, v: c.remove_cis(v)),  # type: ignore[arg-type]
    ("remove_relationships", lambda c, v: c.remove_relationships(v)),  # type: ignore[arg-type]
    ("impact sources", lambda c, v: c.impact(v)),  # type: ignore[arg-type]
    ("impact degraded", lambda c, v: c.impact(["s1"], degraded=v)),  # type: ignore[arg-type]
    ("impact exclude", lambda c, v: c.impact(["s1"], exclude=v)),  # type: ignore[arg-type]
    ("impact types", lambda c, v: c.impact(["s1"], types=v) if v is not None else 1 / 0),  # type: ignore[arg-type]
    ("add_redundancy_group", lambda c, v: c.add_redundancy_group("db", v)),  # type: ignore[arg-type]
    ("blast_radius", lambda c, v: blast_radius(c, v)),  # type: ignore[arg-type]
    ("root_cause_candidates", lambda c, v: c.root_cause_candidates(v)),  # type: ignore[arg-type]
    ("to_mermaid", lambda c, v: to_mermaid(c, v)),  # type: ignore[arg-type]
    ("depends_on types", lambda c, v: c.depends_on("app", types=v) if v is not None else 1 / 0),  # type: ignore[arg-type]
    ("from_records", lambda c, v: CMDB.from_records(cis=v)),  # type: ignore[arg-type]
    ("CMDB types", lambda c, v: CMDB(relationship_types=v)),  # type: ignore[arg-type]
    ("CMDB classes", lambda c, v: CMDB(service_classes=v)),  # type: ignore[arg-type]
    ("RedundancyGroup", lambda c, v: RedundancyGroup(consumer="db", members=v)),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("value", NOT_COLLECTIONS, ids=repr)
@pytest.mark.parametrize(("name", "call"), COLLECTION_CALLS, ids=[n for n, _ in COLLECTION_CALLS])
def test_none_or_a_non_iterable_where_a_collection_is_expected(
    name: str, call: Callable[[CMDB, object], object], value: object
) -> None:
    if value is None and name in ("impact types", "depends_on types"):
        pytest.skip("types=None means every type")
    _refused(lambda c: call(c, value), type(value).__name__ if value is not None else "None")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ci(["db"]),
        lambda c: c.impact([["db"]]),
        lambda c: c.impact(["s1"], exclude=[["db"]]),
        lambda c: c.remove_ci(["db"]),
        lambda c: c.neighbourhood(["db"]),
        lambda c: c.depends_on(["db"]),
        lambda c: c.add_relationship(["app"], "Depends on", "s1"),
        lambda c: c.add_relationships([("app", ["Depends on"], "s1")]),
        lambda c: c.remove_relationship("db", "Runs on", ["s1"]),
        lambda c: c.add_redundancy_group(["db"], ["s1"]),
        lambda c: c.add_redundancy_group("db", [["s1"]]),
        lambda c: c.add_ci(CI(id=["x"], ci_class="vm")),  # type: ignore[arg-type]
        lambda c: c.cis(ci_class=["vm"]),
        lambda c: list(c.cis(ci_class=["vm"])),
        lambda c: c.root_cause_candidates({"INC1": ["db"]}),
        lambda c: to_mermaid(c, [["db"]]),
        lambda c: blast_radius(c, [["db"]]),
    ],
)
def test_a_list_where_an_id_is_expected(call: Call) -> None:
    _refused(lambda c: list(call(c)) if hasattr(call(c), "__next__") else call(c), "[")


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"], ids=repr)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, b: c.add_ci(CI(id=b, ci_class="vm")),
        lambda c, b: c.add_ci(CI(id="x", ci_class=b)),
        lambda c, b: c.add_ci(CI(id="x", ci_class="vm", support_group=b or " ")),
        lambda c, b: c.add_ci(CI(id="x", ci_class="vm", attributes={b: 1})),
        lambda c, b: c.ci(b),
        lambda c, b: c.impact([b]),
        lambda c, b: c.add_relationship(b, "Depends on", "db"),
        lambda c, b: c.add_relationship("app", b, "s1"),
        lambda c, b: c.add_redundancy_group(b, ["s1"]),
        lambda c, b: RedundancyGroup(consumer="db", members=[b]),
        lambda c, b: Relationship("app", "Depends on", b),
        lambda c, b: RelationshipType(parent_label=b, child_label="x"),
        lambda c, b: CMDB(service_classes=[b]),
        lambda c, b: c.root_cause_candidates({b: "db"}),
    ],
)
def test_blank_ids_and_names(call: Callable[[CMDB, str], object], blank: str) -> None:
    _refused(lambda c: call(c, blank), "blank")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_ci(CI(id="x", ci_class="vm", criticality=True)),
        lambda c: c.neighbourhood("db", radius=True),
        lambda c: c.impact(["s1"], max_depth=True),
        lambda c: c.impact(["s1"], max_nodes=True),
        lambda c: c.depends_on("app", max_depth=False),
        lambda c: c.root_cause_candidates(["app"], limit=True),
        lambda c: c.add_redundancy_group("db", ["s1", "s2"], min_up=True),
        lambda c: Percent(True),  # type: ignore[arg-type]
        lambda c: to_mermaid(c, ["db"], max_nodes=True),
    ],
)
def test_bools_posing_as_ints(call: Call) -> None:
    _refused(call, "True" if "False" not in str(call.__code__.co_consts) else "False")


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        (lambda c: c.add_ci("x"), "'x'"),
        (lambda c: c.add_cis(["x"]), "'x'"),
        (lambda c: c.update_ci(None), "None"),
        (lambda c: c.add_relationship_type("Feeds::Fed by"), "str"),
        (lambda c: c.remove_redundancy_group("db"), "str"),
        (lambda c: c.add_relationships(["app"]), "'app'"),
        (lambda c: c.add_ci(CI(id="x", ci_class="vm", status=1)), "1"),
        (lambda c: c.add_ci(CI(id="x", ci_class="vm", name=5)), "5"),
        (lambda c: c.add_ci(CI(id="x", ci_class="vm", attributes=["a"])), "list"),
        (lambda c: c.add_ci(CI(id="x", ci_class="vm", attributes={"a": [1]})), "[1]"),
        (lambda c: RelationshipType(parent_label="A", child_label="B", propagation=1), "1"),
        (lambda c: c.impact(["s1"], engine=1), "1"),
        (lambda c: c.impact(["s1"], types=[1]), "1"),
        (lambda c: RedundancyGroup(consumer="db", members=["s1"], name=1), "1"),
        (lambda c: RedundancyGroup(consumer="db", members=["s1"], min_up=[1]), "[1]"),
        (lambda c: to_dot(c, ["db"], name=1), "1"),
        (lambda c: c.affected_services("result"), "str"),
        (lambda c: c.contacts(None), "None"),
        (lambda c: to_mermaid("cmdb", ["db"]), "str"),
        (lambda c: RelationshipTypes("Depends on"), "'Depends on'"),
        (lambda c: CMDB.from_records(cis=[], redundancy_groups=["g"]), "'g'"),
        (lambda c: c.snapshot().add_ci(CI(id="x", ci_class="vm")), "read-only"),
    ],
)  # type: ignore[misc]
def test_values_of_the_wrong_type(call: Call, shown: str) -> None:
    _refused(call, shown)


def test_the_graph_view_is_read_only_node_data_included() -> None:
    cmdb = _cmdb()
    graph = cmdb.graph
    before = data.to_data(cmdb)
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("app", "s1")
    with pytest.raises(nx.NetworkXError):
        graph.remove_node("db")
    with pytest.raises(TypeError):
        graph.nodes["db"]["ci"] = CI(id="db", ci_class="vm")  # type: ignore[index]
    with pytest.raises(TypeError):
        graph.edges["db", "app"]["type"] = "Runs on::Runs"  # type: ignore[index]
    with pytest.raises(TypeError):
        nx.set_node_attributes(graph, {"db": "x"}, "ci")
    assert data.to_data(cmdb) == before
    assert graph.nodes["db"]["ci"] == cmdb.ci("db")
    copy = nx.DiGraph(graph)  # a copy is an ordinary, writable graph
    copy.add_edge("app", "s1")
    assert not cmdb.graph.has_edge("app", "s1")
