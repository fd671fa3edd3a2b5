"""The CMDB: CIs and typed relationships in a networkx graph, plus redundancy groups.

The graph users query (:attr:`CMDB.graph`, a read-only ``networkx.DiGraph`` view) holds one
node per CI (``graph.nodes[id]["ci"]`` is the :class:`~itsmcore.cmdb.CI`) and one edge per
relationship, pointing the way impact travels (provider -> consumer; inert types point parent
-> child), with ``graph.edges[u, v]["type"]`` the type name. Edge attribute mappings are shared
per type and read-only, which keeps a million-CI CMDB within memory. Analyses run on a compact
index built from the graph on first use and rebuilt after any structural change.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import networkx as nx

from itsmcore.cmdb._index import Index
from itsmcore.cmdb.impact import Engine, ImpactResult, run
from itsmcore.cmdb.model import CI, SERVICE_CLASSES
from itsmcore.cmdb.redundancy import MinUp, RedundancyGroup
from itsmcore.cmdb.relationships import (
    DEFAULT_RELATIONSHIP_TYPES,
    Propagation,
    Relationship,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.errors import (
    ConfigurationError,
    DuplicateError,
    NotFoundError,
    ValidationError,
    allowed_list,
)

if TYPE_CHECKING:
    from itsmcore.cmdb.health import AffectedService, BlastRadius, Contact, ServiceHealth
    from itsmcore.cmdb.rootcause import RootCauseCandidate
    from itsmcore.cmdb.upstream import DependencyTree

__all__ = ["CMDB", "RelationshipSpec"]

#: A relationship given as a :class:`Relationship` or a ``(parent, type, child)`` tuple.
RelationshipSpec = Relationship | tuple[str, str, str]


class _Resolved:
    __slots__ = ("data", "moves", "rel_type", "swapped", "upward")

    def __init__(self, rel_type: RelationshipType, swapped: bool) -> None:
        self.rel_type = rel_type
        self.swapped = swapped
        self.upward = rel_type.propagation is Propagation.CHILD_TO_PARENT
        self.moves = rel_type.propagation is not Propagation.NONE
        self.data = MappingProxyType({"type": rel_type.name})


class CMDB:
    """A configuration management database: build it, then ask what a failure affects.

    >>> from itsmcore.cmdb import CI, CMDB
    >>> cmdb = CMDB()
    >>> _ = cmdb.add_cis([CI(id="db", ci_class="database"), CI(id="app", ci_class="application")])
    >>> _ = cmdb.add_relationship("app", "Depends on", "db")
    >>> sorted(cmdb.impact(["db"]).down)
    ['app', 'db']
    """

    __slots__ = (
        "_graph",
        "_groups",
        "_index",
        "_member_of",
        "_resolved",
        "_service_classes",
        "_types",
        "_view",
    )

    def __init__(
        self,
        *,
        relationship_types: Iterable[RelationshipType] = DEFAULT_RELATIONSHIP_TYPES,
        service_classes: Iterable[str] = SERVICE_CLASSES,
    ) -> None:
        self._graph = nx.DiGraph()
        self._view: nx.DiGraph = self._graph.copy(as_view=True)
        self._types = RelationshipTypes(relationship_types)
        self._resolved: dict[str, _Resolved] = {}
        self._groups: dict[tuple[str, frozenset[str]], RedundancyGroup] = {}
        self._member_of: dict[tuple[str, str], RedundancyGroup] = {}
        self._service_classes = frozenset(service_classes)
        self._index: Index | None = None

    # -- reading ------------------------------------------------------------------------

    @property
    def graph(self) -> nx.DiGraph:
        """A read-only networkx view of the CMDB (edges point provider -> consumer)."""
        return self._view

    @property
    def relationship_types(self) -> RelationshipTypes:
        """The registry of relationship types this CMDB accepts (a copy)."""
        return self._types.copy()

    @property
    def service_classes(self) -> frozenset[str]:
        """CI classes counted as services by health and affected-service reports."""
        return self._service_classes

    def __len__(self) -> int:
        return len(self._graph)

    def __repr__(self) -> str:
        return (
            f"<CMDB {len(self)} CIs, {self._graph.number_of_edges()} relationships, "
            f"{len(self._groups)} redundancy groups>"
        )

    def __contains__(self, ci_id: object) -> bool:
        return isinstance(ci_id, str) and ci_id in self._graph._node

    def ci(self, ci_id: str) -> CI:
        """The CI with this id."""
        data = self._graph._node.get(ci_id)
        if data is None:
            raise NotFoundError(self._unknown(ci_id))
        ci: CI = data["ci"]
        return ci

    def cis(self, ci_class: str | None = None) -> Iterator[CI]:
        """Every CI, in insertion order, optionally of one class."""
        for data in self._graph._node.values():
            ci: CI = data["ci"]
            if ci_class is None or ci.ci_class == ci_class:
                yield ci

    def services(self) -> Iterator[CI]:
        """Every CI whose class is a service class."""
        return (ci for ci in self.cis() if ci.ci_class in self._service_classes)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship as declared (parent, type, child)."""
        types = self._types
        for u, nbrs in self._graph._succ.items():
            for v, data in nbrs.items():
                rel_type = types.get(data["type"])
                parent, child = rel_type.parent_child(u, v)
                yield Relationship(parent, rel_type.name, child)

    def redundancy_groups(self) -> tuple[RedundancyGroup, ...]:
        """Every redundancy group, in the order they were added."""
        return tuple(self._groups.values())

    def neighbourhood(self, ci_id: str, radius: int = 1) -> frozenset[str]:
        """The CIs within ``radius`` relationships of ``ci_id`` in either direction."""
        self._require(ci_id)
        if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
            raise ValidationError(f"radius must be an int >= 0, got {radius!r}")
        seen = {ci_id}
        frontier = [ci_id]
        succ, pred = self._graph._succ, self._graph._pred
        for _ in range(radius):
            nxt = [
                v
                for u in frontier
                for v in (*succ[u], *pred[u])
                if v not in seen and not seen.add(v)  # type: ignore[func-returns-value]
            ]
            frontier = nxt
        return frozenset(seen)

    # -- building -----------------------------------------------------------------------

    def add_relationship_type(self, rel_type: RelationshipType) -> RelationshipType:
        """Register another relationship type."""
        added = self._types.add(rel_type)
        self._index = None
        return added

    def add_ci(self, ci: CI) -> CI:
        """Add one CI; its id must be new."""
        self.add_cis([ci])
        return ci

    def add_cis(self, cis: Iterable[CI]) -> int:
        """Add many CIs at once (all or nothing); returns how many were added.

        Bulk loading writes the networkx structures directly and pauses the cyclic garbage
        collector meanwhile, which makes a million CIs a matter of seconds.
        """
        nodes, succ, pred = self._graph._node, self._graph._succ, self._graph._pred
        added: list[str] = []
        with _gc_paused():
            try:
                for ci in cis:
                    if not isinstance(ci, CI):
                        raise ValidationError(f"expected a CI, got {type(ci).__name__}: {ci!r}")
                    if ci.id in nodes:
                        raise DuplicateError(f"a CI with id {ci.id!r} exists already")
                    nodes[ci.id] = {"ci": ci}
                    succ[ci.id] = {}
                    pred[ci.id] = {}
                    added.append(ci.id)
            except BaseException:
                for ci_id in added:
                    del nodes[ci_id], succ[ci_id], pred[ci_id]
                raise
        if added:
            self._changed()
        return len(added)

    def update_ci(self, ci: CI) -> CI:
        """Replace the stored CI that has ``ci.id`` (status, owner, ...)."""
        if not isinstance(ci, CI):
            raise ValidationError(f"expected a CI, got {type(ci).__name__}: {ci!r}")
        data = self._graph._node.get(ci.id)
        if data is None:
            raise NotFoundError(self._unknown(ci.id))
        data["ci"] = ci
        return ci

    def remove_ci(self, ci_id: str) -> CI:
        """Remove a CI and its relationships; it must not be in a redundancy group."""
        ci = self.ci(ci_id)
        used = [g for g in self._groups.values() if ci_id == g.consumer or ci_id in g.members]
        if used:
            raise ConfigurationError(
                f"CI {ci_id!r} is in {len(used)} redundancy group(s) (consumer "
                f"{allowed_list(g.consumer for g in used)}); remove those groups first"
            )
        self._graph.remove_node(ci_id)
        self._changed()
        return ci

    def _resolve(self, label: str) -> _Resolved:
        found = self._resolved.get(label)
        if found is None:
            rel_type, swapped = self._types.resolve(label)
            found = self._resolved[label] = _Resolved(rel_type, swapped)
        return found

    def _edge(self, spec: RelationshipSpec) -> tuple[str, str, _Resolved]:
        if isinstance(spec, Relationship):
            parent, label, child = spec.parent, spec.type, spec.child
        else:
            try:
                if not isinstance(spec, tuple | list):
                    raise TypeError
                parent, label, child = spec
            except (TypeError, ValueError):
                raise ValidationError(
                    f"a relationship is a Relationship or a (parent, type, child) tuple, "
                    f"got {spec!r}"
                ) from None
        resolved = self._resolve(label)
        if resolved.swapped:
            parent, child = child, parent
        nodes = self._graph._node
        for ci_id in (parent, child):
            if ci_id not in nodes:
                raise NotFoundError(self._unknown(ci_id) + f" (in relationship {spec!r})")
        if parent == child:
            raise ValidationError(
                f"CI {parent!r} cannot have a {resolved.rel_type.name!r} relationship with "
                "itself; relationships join two different CIs"
            )
        u, v = resolved.rel_type.provider_consumer(parent, child)
        return u, v, resolved

    def add_relationship(self, parent: str, rel_type: str, child: str) -> Relationship:
        """Add ``parent --rel_type--> child`` (``rel_type`` may be either descriptor)."""
        self.add_relationships([(parent, rel_type, child)])
        u, v, resolved = self._edge((parent, rel_type, child))
        p, c = resolved.rel_type.parent_child(u, v)
        return Relationship(p, resolved.rel_type.name, c)

    def add_relationships(self, relationships: Iterable[RelationshipSpec]) -> int:
        """Add many relationships at once (all or nothing); returns how many were added."""
        nodes, succ, pred = self._graph._node, self._graph._succ, self._graph._pred
        cache = self._resolved
        added_u: list[str] = []
        added_v: list[str] = []
        with _gc_paused():
            try:
                for spec in relationships:
                    # fast path for well-formed tuples; anything odd goes through _edge
                    if type(spec) is tuple and len(spec) == 3:
                        parent, label, child = spec
                        resolved = cache.get(label) if isinstance(label, str) else None
                        if (
                            resolved is None
                            or parent == child
                            or parent not in nodes
                            or child not in nodes
                        ):
                            u, v, resolved = self._edge(spec)
                        else:
                            if resolved.swapped:
                                parent, child = child, parent
                            u, v = (child, parent) if resolved.upward else (parent, child)
                    else:
                        u, v, resolved = self._edge(spec)
                    targets = succ[u]
                    if v in targets:
                        raise DuplicateError(
                            f"a {targets[v]['type']!r} relationship already joins {u!r} -> "
                            f"{v!r} in the impact direction; cannot add {spec!r} as well"
                        )
                    targets[v] = resolved.data
                    pred[v][u] = resolved.data
                    added_u.append(u)
                    added_v.append(v)
            except BaseException:
                for u, v in zip(added_u, added_v, strict=True):
                    del succ[u][v], pred[v][u]
                raise
        if added_u:
            self._changed()
        return len(added_u)

    def remove_relationship(self, parent: str, rel_type: str, child: str) -> None:
        """Remove a relationship; it must not carry a redundancy group membership."""
        u, v, resolved = self._edge((parent, rel_type, child))
        data = self._graph._succ[u].get(v)
        if data is None or data["type"] != resolved.rel_type.name:
            raise NotFoundError(
                f"no {resolved.rel_type.name!r} relationship between {parent!r} and {child!r}"
            )
        if (u, v) in self._member_of:
            raise ConfigurationError(
                f"{u!r} -> {v!r} belongs to a redundancy group of {v!r}; remove the group first"
            )
        self._graph.remove_edge(u, v)
        self._changed()

    def add_redundancy_group(
        self, consumer: str, members: Iterable[str], min_up: MinUp | str = 1, *, name: str = ""
    ) -> RedundancyGroup:
        """Declare that ``consumer`` needs ``min_up`` of ``members`` (a count or ``"50%"``).

        Every member must already impact the consumer through a propagating relationship and
        belong to no other group of that consumer.
        """
        self._require(consumer)
        group = RedundancyGroup(consumer=consumer, members=members, min_up=min_up, name=name)
        self._insert_group(group)
        return group

    def _insert_group(self, group: RedundancyGroup) -> None:
        consumer = group.consumer
        self._require(consumer)
        pred = self._graph._pred[consumer]
        for member in group.members:
            data = pred.get(member)
            if data is None or not self._resolve(data["type"]).moves:
                self._require(member)
                raise ConfigurationError(
                    f"redundancy member {member!r} has no relationship through which it "
                    f"impacts {consumer!r}; add one (e.g. {consumer!r} 'Depends on' "
                    f"{member!r}) first"
                )
            other = self._member_of.get((member, consumer))
            if other is not None:
                raise DuplicateError(
                    f"{member!r} is already in a redundancy group of {consumer!r} "
                    f"(members {allowed_list(sorted(other.members))})"
                )
        self._groups[(consumer, group.members)] = group
        for member in group.members:
            self._member_of[(member, consumer)] = group
        self._changed()

    def remove_redundancy_group(self, group: RedundancyGroup) -> None:
        """Remove a redundancy group; its members become direct providers again."""
        found = self._groups.pop((group.consumer, group.members), None)
        if found is None:
            raise NotFoundError(
                f"no redundancy group of {group.consumer!r} with members "
                f"{allowed_list(sorted(group.members))}"
            )
        for member in found.members:
            del self._member_of[(member, found.consumer)]
        self._changed()

    @classmethod
    def from_records(
        cls,
        *,
        cis: Iterable[CI],
        relationships: Iterable[RelationshipSpec] = (),
        redundancy_groups: Iterable[RedundancyGroup] = (),
        relationship_types: Iterable[RelationshipType] = DEFAULT_RELATIONSHIP_TYPES,
        service_classes: Iterable[str] = SERVICE_CLASSES,
    ) -> CMDB:
        """Build a CMDB in one go from CIs, relationships and groups."""
        cmdb = cls(relationship_types=relationship_types, service_classes=service_classes)
        cmdb.add_cis(cis)
        cmdb.add_relationships(relationships)
        for group in redundancy_groups:
            if not isinstance(group, RedundancyGroup):
                raise ValidationError(f"expected a RedundancyGroup, got {type(group).__name__}")
            cmdb._insert_group(group)
        return cmdb

    # -- analysis -----------------------------------------------------------------------

    def index(self) -> Index:
        """The compact index (built now if the CMDB changed since the last analysis)."""
        if self._index is None:
            propagating = {t.name: t.propagation is not Propagation.NONE for t in self._types}
            self._index = Index(self._graph, propagating, list(self._groups.values()))
        return self._index

    def impact(
        self,
        sources: Iterable[str],
        *,
        degraded: Iterable[str] = (),
        max_depth: int | None = None,
        max_nodes: int | None = None,
        exclude: Iterable[str] = (),
        types: Iterable[str] | None = None,
        engine: Engine = "auto",
    ) -> ImpactResult:
        """What fails when ``sources`` are down (and ``degraded`` CIs run degraded).

        ``exclude`` stops propagation at those CIs (iTop's *not impacted*); ``types`` limits
        the relationship types followed; ``max_depth`` bounds the BFS hops; ``max_nodes``
        bounds the report (``truncated`` tells). ``engine`` picks the implementation; all give
        the same answer.
        """
        down_ids = self._ids(sources, "sources")
        degraded_ids = self._ids(degraded, "degraded")
        excluded_ids = self._ids(exclude, "exclude")
        _check_limit(max_depth, "max_depth", 0)
        _check_limit(max_nodes, "max_nodes", 1)
        if engine not in ("auto", "python", "numpy"):
            raise ValidationError(
                f"unknown engine {engine!r}; allowed: {allowed_list(['auto', 'python', 'numpy'])}"
            )
        index = self.index()
        type_ok = self._type_filter(index, types)
        pos = index.pos
        down_pos = [pos[c] for c in down_ids]
        excluded = {pos[c] for c in excluded_ids}
        dist, down = run(
            index,
            sources=down_pos + [pos[c] for c in degraded_ids],
            down_sources=down_pos,
            excluded=excluded,
            type_ok=type_ok,
            max_depth=max_depth,
            engine=engine,
        )
        return ImpactResult(
            index=index,
            dist=dist,
            down=down,
            sources=(frozenset(down_ids) | frozenset(degraded_ids)) - frozenset(excluded_ids),
            max_nodes=max_nodes,
            type_ok=type_ok,
        )

    def depends_on(
        self, ci_id: str, *, max_depth: int | None = None, types: Iterable[str] | None = None
    ) -> DependencyTree:
        """The upstream dependency tree of a CI or service (impact walked backwards)."""
        from itsmcore.cmdb.upstream import depends_on

        return depends_on(self, ci_id, max_depth=max_depth, types=types)

    def root_cause_candidates(
        self,
        incidents: Mapping[str, str] | Iterable[str],
        *,
        max_depth: int | None = None,
        limit: int = 10,
    ) -> tuple[RootCauseCandidate, ...]:
        """Upstream CIs whose failure explains most of the incidents' CIs, best first."""
        from itsmcore.cmdb.rootcause import root_cause_candidates

        return root_cause_candidates(self, incidents, max_depth=max_depth, limit=limit)

    def health(self) -> ServiceHealth:
        """Each service's state given the operational status of every CI."""
        from itsmcore.cmdb.health import service_health

        return service_health(self)

    def blast_radius(self, cis: Iterable[str], *, max_depth: int | None = None) -> BlastRadius:
        """What a planned change on ``cis`` could take down or degrade, and whom to tell."""
        from itsmcore.cmdb.health import blast_radius

        return blast_radius(self, cis, max_depth=max_depth)

    def affected_services(self, result: ImpactResult) -> tuple[AffectedService, ...]:
        """The services in an impact result, most critical and most affected first."""
        from itsmcore.cmdb.health import affected_services

        return affected_services(self, result)

    def contacts(self, result: ImpactResult) -> tuple[Contact, ...]:
        """Support groups and owners of everything in an impact result."""
        from itsmcore.cmdb.health import contacts

        return contacts(self, result)

    # -- helpers ------------------------------------------------------------------------

    def _changed(self) -> None:
        self._index = None
        nx._clear_cache(self._graph)

    def _unknown(self, ci_id: object) -> str:
        return f"unknown CI {ci_id!r}; it is not in this CMDB ({len(self)} CIs)"

    def _require(self, ci_id: object) -> str:
        if not isinstance(ci_id, str) or ci_id not in self._graph._node:
            raise NotFoundError(self._unknown(ci_id))
        return ci_id

    def _ids(self, values: Iterable[str], name: str) -> list[str]:
        if isinstance(values, str):
            raise ValidationError(
                f"{name} must be a collection of CI ids, got the string {values!r}; "
                f"write [{values!r}]"
            )
        return [self._require(v) for v in values]

    def _type_filter(self, index: Index, types: Iterable[str] | None) -> list[bool] | None:
        if types is None:
            return None
        if isinstance(types, str):
            raise ValidationError(f"types must be a collection of type names, got {types!r}")
        flags = [False] * len(index.type_codes)
        for label in types:
            rel_type = self._types.get(label)
            if rel_type.propagation is Propagation.NONE:
                raise ValidationError(
                    f"relationship type {rel_type.name!r} does not propagate impact; allowed: "
                    + allowed_list(
                        t.name for t in self._types if t.propagation is not Propagation.NONE
                    )
                )
            flags[index.type_codes[rel_type.name]] = True
        return flags


def _check_limit(value: object, name: str, least: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValidationError(f"{name} must be None or an int >= {least}, got {value!r}")


class _gc_paused:
    """Pause the cyclic GC while bulk-loading (re-enabled afterwards if it was on)."""

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_enabled:
            gc.enable()
