"""The CMDB's data form: every value round-trips exactly through JSON; bad data names its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from itsmcore import data
from itsmcore.cmdb import (
    CI,
    CMDB,
    DEFAULT_RELATIONSHIP_TYPES,
    Percent,
    Propagation,
    RedundancyGroup,
    Relationship,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.errors import DataError
from itsmcore.testing.strategies import cis, cmdbs


def _same(a: CMDB, b: CMDB) -> None:
    assert list(a.cis()) == list(b.cis())
    assert list(a.relationships()) == list(b.relationships())
    assert a.redundancy_groups() == b.redundancy_groups()
    assert list(a.relationship_types) == list(b.relationship_types)
    assert a.service_classes == b.service_classes


@given(cmdb=cmdbs())
def test_a_cmdb_round_trips_through_json_text(cmdb: CMDB) -> None:
    again = data.loads(json.dumps(data.to_data(cmdb)), CMDB)
    _same(again, cmdb)
    assert data.to_data(again) == data.to_data(cmdb)
    for engine in ("python", "numpy"):
        ids = [c.id for c in cmdb.cis()][:3]
        assert list(again.impact(ids, engine=engine).items()) == list(  # type: ignore[arg-type]
            cmdb.impact(ids, engine=engine).items()  # type: ignore[arg-type]
        )


@given(ci=cis())
def test_any_ci_round_trips(ci: CI) -> None:
    assert data.from_data(json.loads(data.dumps(ci))) == ci
    cmdb = CMDB()
    cmdb.add_ci(ci)
    assert data.loads(data.dumps(cmdb), CMDB).ci(ci.id) == ci


def test_the_smaller_values_round_trip() -> None:
    values: list[object] = [
        RelationshipType(parent_label="Feeds", child_label="Fed by"),
        Relationship("app", "Depends on::Used by", "db"),
        RedundancyGroup(consumer="farm", members=["a", "b", "c"], min_up=Percent(50), name="x"),
        RedundancyGroup(consumer="farm", members=["a", "b"], min_up=2),
    ]
    for value in values:
        assert data.loads(data.dumps(value)) == value
    registry = data.loads(data.dumps(RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES)))
    assert isinstance(registry, RelationshipTypes)
    assert list(registry) == list(DEFAULT_RELATIONSHIP_TYPES)


def test_custom_types_and_service_classes_are_kept(tmp_path: Path) -> None:
    feeds = RelationshipType(
        parent_label="Feeds", child_label="Fed by", propagation=Propagation.PARENT_TO_CHILD
    )
    cmdb = CMDB(relationship_types=[*DEFAULT_RELATIONSHIP_TYPES, feeds], service_classes=["svc"])
    cmdb.add_cis([CI(id="a", ci_class="svc"), CI(id="b", ci_class="vm")])
    cmdb.add_relationship("a", "Feeds", "b")
    data.save(cmdb, tmp_path / "cmdb.json")
    again = data.load(tmp_path / "cmdb.json", CMDB)
    _same(again, cmdb)
    assert again.impact(["a"]).cis == {"a", "b"}


@pytest.mark.parametrize(
    ("body", "path", "match"),
    [
        ({"extra": 1}, "$", "unknown key.*'extra'"),
        ({"cis": [{"id": "a", "class": "vm", "colour": "red"}]}, "$.cis[0]", "'colour'"),
        ({"cis": [{"id": "a", "class": "vm"}, {"id": "a", "class": "vm"}]}, "$.cis[1]", "twice"),
        ({"cis": [{"id": "  ", "class": "vm"}]}, "$.cis[0].id", "blank"),
        ({"cis": [{"id": "a", "class": "vm", "criticality": True}]}, "$.cis[0].criticality",
         "bool"),
        ({"cis": [{"id": "a", "class": "vm", "criticality": 9}]}, "$.cis[0]", "1 .*to 5"),
        ({"cis": [{"id": "a", "class": "vm", "status": "gone"}]}, "$.cis[0]", "'gone'"),
        ({"cis": "x"}, "$.cis", "expected a list"),
        ({"cis": [{"id": "a", "class": "vm"}], "relationships": [["a", "Runs on", "b"]]},
         "$.relationships[0][2]", "unknown CI 'b'"),
        ({"cis": [{"id": "a", "class": "vm"}, {"id": "b", "class": "vm"}],
          "relationships": [["a", "Feeds", "b"]]}, "$.relationships[0][1]", "'Feeds'"),
        ({"cis": [{"id": "a", "class": "vm"}], "relationships": [["a", "Runs on"]]},
         "$.relationships[0]", "3|parent, type, child"),
        ({"cis": [{"id": "a", "class": "vm"}, {"id": "b", "class": "vm"}],
          "redundancy_groups": [{"consumer": "a", "members": ["b"]}]},
         "$.redundancy_groups[0]", "no relationship"),
        ({"relationship_types": [{"parent": "A", "child": "B", "propagation": "up"}]},
         "$.relationship_types[0]", "'up'"),
        ({"service_classes": [3]}, "$.service_classes[0]", "expected text"),
    ],
)  # fmt: skip
def test_bad_data_names_the_path(body: dict[str, object], path: str, match: str) -> None:
    with pytest.raises(DataError, match=match) as caught:
        data.from_data(body, CMDB)
    assert caught.value.path == path


def test_the_old_loader_names_are_gone() -> None:
    import itsmcore.cmdb as cmdb_package

    for name in ("dumps", "loads", "load", "save", "to_dict", "from_dict"):
        assert not hasattr(cmdb_package, name)
