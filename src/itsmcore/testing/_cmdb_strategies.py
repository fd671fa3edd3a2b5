"""Strategies for the CMDB: CIs, relationship types and registries of them, relationships,
redundancy groups, and small CMDBs with cycles, inert edges and redundancy."""

from __future__ import annotations

import contextlib

from hypothesis import strategies as st

from itsmcore.cmdb import (
    CI,
    CMDB,
    DEFAULT_RELATIONSHIP_TYPES,
    CIClass,
    OperationalStatus,
    Percent,
    Propagation,
    RedundancyGroup,
    Relationship,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.errors import DuplicateError

__all__ = [
    "cis",
    "cmdbs",
    "redundancy_groups",
    "relationship_type_registries",
    "relationship_types",
    "relationships",
]

_TYPE_NAMES = tuple(t.name for t in DEFAULT_RELATIONSHIP_TYPES)


def _names(max_size: int) -> st.SearchStrategy[str]:
    """Text that is not blank (ids, classes and keys must not be)."""
    return st.text(min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()))


def _labels() -> st.SearchStrategy[str]:
    """Relationship descriptors: words and spaces, never blank, never ``"::"``."""
    word = st.text(st.characters(categories=("Lu", "Ll")), min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=3).map(" ".join)


def relationship_types() -> st.SearchStrategy[RelationshipType]:
    """The shipped types and invented ones, with any propagation."""
    invented = st.builds(
        RelationshipType,
        parent_label=_labels(),
        child_label=_labels(),
        propagation=st.sampled_from(list(Propagation)),
    )
    return st.sampled_from(DEFAULT_RELATIONSHIP_TYPES) | invented


@st.composite
def relationship_type_registries(draw: st.DrawFn, *, max_types: int = 6) -> RelationshipTypes:
    """Registries of types whose names and descriptors do not clash (the shipped ones often)."""
    registry = RelationshipTypes(DEFAULT_RELATIONSHIP_TYPES if draw(st.booleans()) else ())
    for rel_type in draw(st.lists(relationship_types(), max_size=max_types)):
        with contextlib.suppress(DuplicateError):
            registry.add(rel_type)
    return registry


def relationships() -> st.SearchStrategy[Relationship]:
    """Declared relationships between two CIs, the type by full name or a descriptor."""
    names = [t.name for t in DEFAULT_RELATIONSHIP_TYPES]
    labels = [t.parent_label for t in DEFAULT_RELATIONSHIP_TYPES]
    ids = st.sampled_from(["app", "db", "web01", "web02", "lb", "svc-mail", "rack 4"])
    return st.builds(Relationship, ids, st.sampled_from(names + labels), ids).filter(
        lambda rel: rel.parent != rel.child
    )


@st.composite
def redundancy_groups(draw: st.DrawFn, *, max_members: int = 5) -> RedundancyGroup:
    """k-of-n groups: a consumer, one to ``max_members`` providers, a count or a percent."""
    members = draw(
        st.lists(st.sampled_from([f"node{i}" for i in range(8)]), min_size=1, max_size=max_members)
    )
    n = len(set(members))
    min_up = draw(st.integers(1, n) | st.integers(1, 100).map(Percent))
    return RedundancyGroup(
        consumer=draw(st.sampled_from(["farm", "cluster", "svc-web"])),
        members=members,
        min_up=min_up,
        name=draw(st.sampled_from(["", "web farm", "db cluster"])),
    )


def cis(*, ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[CI]:
    """Valid CIs of assorted classes, criticalities, statuses, groups and attributes."""
    return st.builds(
        CI,
        id=ids if ids is not None else _names(12),
        ci_class=st.sampled_from([c.value for c in CIClass]) | _names(8),
        name=st.text(max_size=12),
        criticality=st.none() | st.integers(1, 5),
        status=st.sampled_from(list(OperationalStatus)),
        support_group=st.none() | st.sampled_from(["network", "dba", "platform"]),
        owner=st.none() | st.sampled_from(["alice", "bob"]),
        attributes=st.none()
        | st.dictionaries(
            _names(5), st.integers() | st.text(max_size=5) | st.booleans() | st.none(), max_size=3
        ),
    )


@st.composite
def cmdbs(
    draw: st.DrawFn,
    *,
    max_cis: int = 10,
    max_relationships: int = 25,
    redundancy: bool = True,
) -> CMDB:
    """Small CMDBs: ids ``c0``, ``c1``, ...; any relationship type, cycles included.

    With ``redundancy``, some consumers get groups over some of their providers with a count
    or a percentage ``min_up``.
    """
    n = draw(st.integers(1, max_cis))
    ids = [f"c{i}" for i in range(n)]
    cmdb = CMDB()
    classes = [CIClass.BUSINESS_SERVICE.value, "application", "server", "database"]
    cmdb.add_cis(
        CI(
            id=ci_id,
            ci_class=draw(st.sampled_from(classes)),
            criticality=draw(st.none() | st.integers(1, 5)),
            status=draw(st.sampled_from(list(OperationalStatus))),
            support_group=draw(st.none() | st.sampled_from(["network", "dba"])),
        )
        for ci_id in ids
    )
    if n > 1:
        specs = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ids), st.sampled_from(_TYPE_NAMES), st.sampled_from(ids)
                ).filter(lambda t: t[0] != t[2]),
                min_size=min(n, max_relationships),
                max_size=max_relationships,
            )
        )
        for spec in specs:
            with contextlib.suppress(DuplicateError):
                cmdb.add_relationship(*spec)
    if redundancy:
        types = cmdb.relationship_types
        for consumer in ids:
            providers = sorted(
                u
                for u, data in cmdb.graph.pred[consumer].items()
                if types.get(data["type"]).propagation is not Propagation.NONE
            )
            if len(providers) < 2 or not draw(st.integers(0, 3)):
                continue
            members = draw(
                st.lists(st.sampled_from(providers), min_size=2, unique=True).map(sorted)
            )
            min_up = draw(
                st.just(1)
                | st.integers(1, len(members))
                | st.sampled_from([25, 50, 75, 100]).map(Percent)
                | st.integers(1, 100).map(Percent)
            )
            cmdb.add_redundancy_group(consumer, members, min_up)
    return cmdb
