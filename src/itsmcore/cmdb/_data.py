"""Data forms of the cmdb package's values (registered with :mod:`itsmcore.data`).

A whole CMDB (``"cmdb"``)::

    {
      "relationship_types": [{"parent": "Depends on", "child": "Used by",
                              "propagation": "child_to_parent"}, ...],
      "service_classes": ["business_service", "technical_service"],
      "cis": [{"id": "db", "class": "database", "criticality": 2, ...}, ...],
      "relationships": [["app", "Depends on::Used by", "db"], ...],
      "redundancy_groups": [{"consumer": "farm", "members": ["esx-1", "esx-2"],
                             "min_up": 1}, ...]
    }

Relationships are ``[parent, type, child]`` as declared (the type by its full name or either
descriptor). A CI leaves out the fields at their defaults; ``min_up`` is a count or a
percentage text (``"50%"``). Every key not listed is refused with a
:class:`~itsmcore.errors.DataError` naming its path; so is a bad value, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from itsmcore.cmdb.graph import CMDB, _insert_group
from itsmcore.cmdb.model import CI, OperationalStatus
from itsmcore.cmdb.redundancy import RedundancyGroup
from itsmcore.cmdb.relationships import (
    Propagation,
    Relationship,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.data import register
from itsmcore.data._read import (
    at_index,
    at_key,
    expect_int,
    expect_list,
    expect_mapping,
    expect_text,
    only_keys,
)
from itsmcore.errors import DataError, ItsmError

__all__: list[str] = []

T = TypeVar("T")

_CI_KEYS = ("id", "class", "name", "criticality", "status", "support_group", "owner", "attributes")
_TYPE_KEYS = ("parent", "child", "propagation")
_GROUP_KEYS = ("consumer", "members", "min_up", "name")
_CMDB_KEYS = ("relationship_types", "service_classes", "cis", "relationships", "redundancy_groups")


def _checked(path: str, build: Callable[[], T]) -> T:
    """``build()``, with a domain error turned into a :class:`DataError` at ``path``."""
    try:
        return build()
    except DataError:
        raise
    except ItsmError as exc:
        raise DataError(str(exc), path=path) from None


# -- CI -------------------------------------------------------------------------------------


def ci_to_data(ci: CI) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ci.id, "class": ci.ci_class}
    if ci.name:
        out["name"] = ci.name
    if ci.criticality is not None:
        out["criticality"] = ci.criticality
    if ci.status is not OperationalStatus.OPERATIONAL:
        out["status"] = ci.status.value
    if ci.support_group is not None:
        out["support_group"] = ci.support_group
    if ci.owner is not None:
        out["owner"] = ci.owner
    if ci.attributes:
        out["attributes"] = dict(ci.attributes)
    return out


def ci_from_data(data: object, path: str) -> CI:
    raw = only_keys(data, path, _CI_KEYS, required=("id", "class"))
    fields: dict[str, Any] = {
        "id": expect_text(raw["id"], at_key(path, "id")),
        "ci_class": expect_text(raw["class"], at_key(path, "class")),
    }
    if "name" in raw:
        fields["name"] = expect_text(raw["name"], at_key(path, "name"), blank=True)
    if "criticality" in raw and raw["criticality"] is not None:
        fields["criticality"] = expect_int(raw["criticality"], at_key(path, "criticality"))
    if "status" in raw:
        fields["status"] = expect_text(raw["status"], at_key(path, "status"))
    for key in ("support_group", "owner"):
        if key in raw and raw[key] is not None:
            fields[key] = expect_text(raw[key], at_key(path, key))
    if "attributes" in raw and raw["attributes"] is not None:
        fields["attributes"] = dict(expect_mapping(raw["attributes"], at_key(path, "attributes")))
    return _checked(path, lambda: CI(**fields))


# -- relationship types ---------------------------------------------------------------------


def type_to_data(rel_type: RelationshipType) -> dict[str, Any]:
    return {
        "parent": rel_type.parent_label,
        "child": rel_type.child_label,
        "propagation": rel_type.propagation.value,
    }


def type_from_data(data: object, path: str) -> RelationshipType:
    raw = only_keys(data, path, _TYPE_KEYS, required=("parent", "child"))
    parent = expect_text(raw["parent"], at_key(path, "parent"))
    child = expect_text(raw["child"], at_key(path, "child"))
    propagation = expect_text(
        raw.get("propagation", Propagation.CHILD_TO_PARENT.value), at_key(path, "propagation")
    )
    return _checked(
        path,
        lambda: RelationshipType(parent_label=parent, child_label=child, propagation=propagation),
    )


def types_to_data(types: RelationshipTypes) -> list[Any]:
    return [type_to_data(t) for t in types]


def types_from_data(data: object, path: str) -> RelationshipTypes:
    items = [type_from_data(t, at_index(path, i)) for i, t in enumerate(expect_list(data, path))]
    registry = RelationshipTypes()
    for i, rel_type in enumerate(items):
        _checked(at_index(path, i), partial(registry.add, rel_type))
    return registry


# -- relationships and redundancy groups ----------------------------------------------------


def relationship_to_data(rel: Relationship) -> list[str]:
    return [rel.parent, rel.type, rel.child]


def relationship_from_data(data: object, path: str) -> Relationship:
    parts = expect_list(data, path)
    if len(parts) != 3:
        raise DataError(
            f"a relationship is [parent, type, child], got {len(parts)} items", path=path
        )
    parent, label, child = (expect_text(p, at_index(path, i)) for i, p in enumerate(parts))
    return Relationship(parent, label, child)


def group_to_data(group: RedundancyGroup) -> dict[str, Any]:
    out: dict[str, Any] = {
        "consumer": group.consumer,
        "members": sorted(group.members),
        "min_up": group.min_up if isinstance(group.min_up, int) else str(group.min_up),
    }
    if group.name:
        out["name"] = group.name
    return out


def group_from_data(data: object, path: str) -> RedundancyGroup:
    raw = only_keys(data, path, _GROUP_KEYS, required=("consumer", "members"))
    consumer = expect_text(raw["consumer"], at_key(path, "consumer"))
    members_path = at_key(path, "members")
    members = [
        expect_text(m, at_index(members_path, i))
        for i, m in enumerate(expect_list(raw["members"], members_path))
    ]
    min_up: int | str = 1
    if "min_up" in raw:
        value = raw["min_up"]
        min_up = (
            expect_text(value, at_key(path, "min_up"))
            if isinstance(value, str)
            else expect_int(value, at_key(path, "min_up"))
        )
    name = expect_text(raw.get("name", ""), at_key(path, "name"), blank=True)
    return _checked(
        path,
        lambda: RedundancyGroup(consumer=consumer, members=members, min_up=min_up, name=name),
    )


# -- the whole CMDB -------------------------------------------------------------------------


def cmdb_to_data(cmdb: CMDB) -> dict[str, Any]:
    snap = cmdb.snapshot()  # one version throughout
    return {
        "relationship_types": types_to_data(snap.relationship_types),
        "service_classes": sorted(snap.service_classes),
        "cis": [ci_to_data(ci) for ci in snap.cis()],
        "relationships": [relationship_to_data(r) for r in snap.relationships()],
        "redundancy_groups": [group_to_data(g) for g in snap.redundancy_groups()],
    }


def cmdb_from_data(data: object, path: str) -> CMDB:
    raw = only_keys(data, path, _CMDB_KEYS)
    kwargs: dict[str, Any] = {}
    if "relationship_types" in raw:
        kwargs["relationship_types"] = types_from_data(
            raw["relationship_types"], at_key(path, "relationship_types")
        )
    if "service_classes" in raw:
        classes_path = at_key(path, "service_classes")
        kwargs["service_classes"] = [
            expect_text(c, at_index(classes_path, i))
            for i, c in enumerate(expect_list(raw["service_classes"], classes_path))
        ]
    cmdb = CMDB(**kwargs)
    cis_path = at_key(path, "cis")
    cis = [ci_from_data(c, at_index(cis_path, i)) for i, c in enumerate(_items(raw, "cis", path))]
    seen: set[str] = set()
    for i, ci in enumerate(cis):
        if ci.id in seen:
            raise DataError(f"a CI with id {ci.id!r} is listed twice", path=at_index(cis_path, i))
        seen.add(ci.id)
    cmdb.add_cis(cis)
    rels_path = at_key(path, "relationships")
    types = cmdb.relationship_types
    rels = []
    for i, item in enumerate(_items(raw, "relationships", path)):
        rel = relationship_from_data(item, at_index(rels_path, i))
        for part, where in ((rel.parent, 0), (rel.child, 2)):
            if part not in seen:
                raise DataError(
                    f"unknown CI {part!r}; relationships join CIs listed under 'cis'",
                    path=at_index(at_index(rels_path, i), where),
                )
        if rel.type not in types:
            _checked(at_index(at_index(rels_path, i), 1), partial(types.get, rel.type))
        rels.append(rel)
    _checked(rels_path, lambda: cmdb.add_relationships(rels))
    groups_path = at_key(path, "redundancy_groups")
    groups = [
        group_from_data(g, at_index(groups_path, i))
        for i, g in enumerate(_items(raw, "redundancy_groups", path))
    ]
    if groups:
        with cmdb._lock:
            b = cmdb._writing()
            for i, group in enumerate(groups):
                _checked(at_index(groups_path, i), partial(_insert_group, b, group))
            cmdb._state = b.publish()
    return cmdb


def _items(raw: Any, key: str, path: str) -> list[object]:
    return expect_list(raw[key], at_key(path, key)) if key in raw else []


register(CI, "ci", unstructure=ci_to_data, structure=ci_from_data)
register(RelationshipType, "relationship-type", unstructure=type_to_data, structure=type_from_data)
register(
    RelationshipTypes, "relationship-types", unstructure=types_to_data, structure=types_from_data
)
register(
    Relationship,
    "relationship",
    unstructure=relationship_to_data,
    structure=relationship_from_data,
)
register(RedundancyGroup, "redundancy-group", unstructure=group_to_data, structure=group_from_data)
register(CMDB, "cmdb", unstructure=cmdb_to_data, structure=cmdb_from_data)
