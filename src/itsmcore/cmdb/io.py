"""Load and save a CMDB as plain dicts and node-link JSON.

The layout is networkx's node-link format (``nodes`` and ``links`` with ``source`` and
``target`` in the impact direction) with the CI fields on each node, the relationship type on
each link, and the relationship types, service classes and redundancy groups under ``graph``.
Unknown keys are refused rather than guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

from itsmcore.cmdb.graph import CMDB
from itsmcore.cmdb.model import CI, OperationalStatus
from itsmcore.cmdb.redundancy import RedundancyGroup
from itsmcore.cmdb.relationships import RelationshipType
from itsmcore.errors import ConfigurationError, ItsmError, allowed_list

__all__ = ["FORMAT", "dumps", "from_dict", "load", "loads", "save", "to_dict"]

#: The value of ``graph.format`` in the documents this module writes.
FORMAT = "itsmcore.cmdb/1"

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]

_TOP = {"directed", "multigraph", "graph", "nodes", "links"}
_GRAPH = {"format", "relationship_types", "service_classes", "redundancy_groups"}
_NODE = {"id", "class", "name", "criticality", "status", "support_group", "owner", "attributes"}
_LINK = {"source", "target", "type"}
_TYPE = {"parent", "child", "propagation"}
_GROUP = {"consumer", "members", "min_up", "name"}


def _node(ci: CI) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"id": ci.id, "class": ci.ci_class}
    if ci.name:
        out["name"] = ci.name
    if ci.criticality is not None:
        out["criticality"] = ci.criticality
    if ci.status is not OperationalStatus.OPERATIONAL:
        out["status"] = ci.status.value
    if ci.support_group:
        out["support_group"] = ci.support_group
    if ci.owner:
        out["owner"] = ci.owner
    if ci.attributes:
        out["attributes"] = dict(ci.attributes)
    return out


def to_dict(cmdb: CMDB) -> dict[str, JSONValue]:
    """The CMDB as a JSON-ready dict (node-link layout)."""
    graph = cmdb.graph
    return {
        "directed": True,
        "multigraph": False,
        "graph": {
            "format": FORMAT,
            "relationship_types": [
                {"parent": t.parent_label, "child": t.child_label, "propagation": t.propagation}
                for t in cmdb.relationship_types
            ],
            "service_classes": list[JSONValue](sorted(cmdb.service_classes)),
            "redundancy_groups": [
                {
                    "consumer": g.consumer,
                    "members": list[JSONValue](sorted(g.members)),
                    "min_up": g.min_up if isinstance(g.min_up, int) else str(g.min_up),
                    "name": g.name,
                }
                for g in cmdb.redundancy_groups()
            ],
        },
        "nodes": [_node(ci) for ci in cmdb.cis()],
        "links": [
            {"source": u, "target": v, "type": data["type"]}
            for u, v, data in graph.edges(data=True)
        ],
    }


def _keys(record: object, allowed: set[str], what: str) -> Mapping[str, object]:
    if not isinstance(record, Mapping):
        raise ConfigurationError(f"{what} must be an object, got {type(record).__name__}")
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise ConfigurationError(
            f"unknown key(s) {allowed_list(unknown)} in {what}; "
            f"allowed: {allowed_list(sorted(allowed))}"
        )
    return record


def _list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise ConfigurationError(f"{what} must be a list, got {type(value).__name__}")
    return value


def from_dict(data: Mapping[str, object]) -> CMDB:
    """Build a CMDB from :func:`to_dict`'s layout; bad documents raise ``ConfigurationError``."""
    top = _keys(data, _TOP, "the CMDB document")
    graph = _keys(top.get("graph", {}), _GRAPH, "'graph'")
    if graph.get("format", FORMAT) != FORMAT:
        raise ConfigurationError(f"unknown format {graph.get('format')!r}; allowed: {FORMAT!r}")
    try:
        types = None
        if "relationship_types" in graph:
            types = []
            for raw in _list(graph["relationship_types"], "'relationship_types'"):
                t = _keys(raw, _TYPE, "a relationship type")
                types.append(
                    RelationshipType(
                        parent_label=t.get("parent"),  # type: ignore[arg-type]
                        child_label=t.get("child"),  # type: ignore[arg-type]
                        propagation=t.get("propagation", "child_to_parent"),
                    )
                )
        kwargs: dict[str, object] = {}
        if types is not None:
            kwargs["relationship_types"] = types
        if "service_classes" in graph:
            kwargs["service_classes"] = _list(graph["service_classes"], "'service_classes'")
        cmdb = CMDB(**kwargs)  # type: ignore[arg-type]
        cmdb.add_cis(_ci(raw) for raw in _list(top.get("nodes", []), "'nodes'"))
        rel_types = cmdb.relationship_types
        links = []
        for raw in _list(top.get("links", []), "'links'"):
            link = _keys(raw, _LINK, "a link")
            rel_type = rel_types.get(link.get("type"))  # type: ignore[arg-type]
            parent, child = rel_type.parent_child(link.get("source"), link.get("target"))  # type: ignore[arg-type]
            links.append((parent, rel_type.name, child))
        cmdb.add_relationships(links)
        for raw in _list(graph.get("redundancy_groups", []), "'redundancy_groups'"):
            g = _keys(raw, _GROUP, "a redundancy group")
            group = RedundancyGroup(
                consumer=g.get("consumer"),  # type: ignore[arg-type]
                members=_list(g.get("members"), "redundancy group 'members'"),  # type: ignore[arg-type]
                min_up=g.get("min_up", 1),
                name=g.get("name", ""),  # type: ignore[arg-type]
            )
            cmdb.add_redundancy_group(group.consumer, group.members, group.min_up, name=group.name)
    except ConfigurationError:
        raise
    except (ItsmError, TypeError) as exc:
        raise ConfigurationError(f"invalid CMDB document: {exc}") from exc
    return cmdb


def _ci(raw: object) -> CI:
    node = _keys(raw, _NODE, "a node")
    return CI(
        id=node.get("id"),  # type: ignore[arg-type]
        ci_class=node.get("class"),  # type: ignore[arg-type]
        name=node.get("name", ""),
        criticality=node.get("criticality"),  # type: ignore[arg-type]
        status=node.get("status", OperationalStatus.OPERATIONAL),
        support_group=node.get("support_group"),
        owner=node.get("owner"),
        attributes=node.get("attributes"),
    )


def dumps(cmdb: CMDB, *, indent: int | None = None) -> str:
    """The CMDB as node-link JSON text."""
    return json.dumps(to_dict(cmdb), indent=indent, ensure_ascii=False)


def loads(text: str) -> CMDB:
    """A CMDB from node-link JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"CMDB JSON is not valid JSON: {exc}") from exc
    return from_dict(data)


def save(cmdb: CMDB, path: str | PathLike[str]) -> None:
    """Write the CMDB as JSON to ``path``."""
    Path(path).write_text(dumps(cmdb), encoding="utf-8")


def load(path: str | PathLike[str]) -> CMDB:
    """Read a CMDB from the JSON file at ``path``."""
    return loads(Path(path).read_text(encoding="utf-8"))
