"""The relationship type registry: both descriptors, propagation, clashes."""

from __future__ import annotations

import pytest

from itsmcore.cmdb import (
    DEFAULT_RELATIONSHIP_TYPES,
    Propagation,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.errors import ConfigurationError, DuplicateError, UnknownValueError


def test_lookup_by_name_or_descriptor_tells_when_to_swap() -> None:
    types = RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES)
    runs_on, swapped = types.resolve("Runs on")
    assert runs_on.name == "Runs on::Runs"
    assert not swapped
    assert types.resolve("runs") == (runs_on, True)
    assert types.resolve("Runs on::Runs") == (runs_on, False)
    assert "Contains" in types
    assert "Nope" not in types


def test_edges_point_the_way_impact_travels() -> None:
    types = RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES)
    assert types.get("Depends on").provider_consumer("app", "db") == ("db", "app")
    assert types.get("Contains").provider_consumer("rack", "server") == ("rack", "server")
    assert types.get("Manages").propagation is Propagation.NONE
    for rel_type in types:
        u, v = rel_type.provider_consumer("p", "c")
        assert rel_type.parent_child(u, v) == ("p", "c")


def test_unknown_and_clashing_types() -> None:
    types = RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES)
    with pytest.raises(UnknownValueError, match="'Feeds'; allowed: 'Depends on::Used by'"):
        types.resolve("Feeds")
    with pytest.raises(DuplicateError, match="clashes"):
        types.add(RelationshipType(parent_label="Depends on", child_label="Feeds"))
    added = types.add(RelationshipType(parent_label="Feeds", child_label="Fed by"))
    assert types.get("fed by") is added
    assert len(types) == len(DEFAULT_RELATIONSHIP_TYPES) + 1


@pytest.mark.parametrize("label", ["", "a::b", "  "])
def test_descriptors_must_be_plain_names(label: str) -> None:
    with pytest.raises(ConfigurationError):
        RelationshipType(parent_label=label, child_label="x")


def test_propagation_must_be_known() -> None:
    with pytest.raises(ConfigurationError, match="'sideways'; allowed"):
        RelationshipType(parent_label="a", child_label="b", propagation="sideways")  # type: ignore[arg-type]
