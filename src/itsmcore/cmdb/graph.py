"""The CMDB: CIs and typed relationships, redundancy groups, and the analyses over them.

A :class:`CMDB` is a sequence of immutable versions (see :mod:`itsmcore.cmdb._store`).
Writers are serialised by a lock; each write builds the next version from the current one,
copying only what it touches, and publishes it in one step. Every read (an impact, a lookup,
a health rollup) takes the current version once, so it sees each write entirely or not at
all, and never fails because another thread writes meanwhile.

:attr:`CMDB.graph` is a frozen networkx ``DiGraph`` over the current version: one node per
CI (``graph.nodes[id]["ci"]`` is the :class:`~itsmcore.cmdb.CI`), one edge per relationship,
pointing the way impact travels (provider -> consumer; inert types parent -> child), with
``graph.edges[u, v]["type"]`` the type's name. Analyses run on a compact index of the
version, patched from the previous version's index after a few changes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

from itsmcore.cmdb._store import (
    TYPE_MASK,
    Builder,
    State,
    Vec,
    group_of,
    pack,
)
from itsmcore.cmdb._validate import ci_id_of, collection, relationship_parts
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
    import networkx as nx

    from itsmcore.cmdb._index import Index
    from itsmcore.cmdb.health import AffectedService, BlastRadius, Contact, ServiceHealth
    from itsmcore.cmdb.rootcause import RootCauseCandidate
    from itsmcore.cmdb.upstream import DependencyTree

__all__ = ["CMDB", "RelationshipSpec"]

#: A relationship given as a :class:`Relationship` or a ``(parent, type, child)`` tuple.
RelationshipSpec = Relationship | tuple[str, str, str]


class CMDB:
    """A configuration management database: build it, then ask what a failure affects.

    >>> from itsmcore.cmdb import CI, CMDB
    >>> cmdb = CMDB()
    >>> _ = cmdb.add_cis([CI(id="db", ci_class="database"), CI(id="app", ci_class="application")])
    >>> _ = cmdb.add_relationship("app", "Depends on", "db")
    >>> sorted(cmdb.impact(["db"]).down)
    ['app', 'db']
    """

    __slots__ = ("_lock", "_read_only", "_state")

    def __init__(
        self,
        *,
        relationship_types: Iterable[RelationshipType] = DEFAULT_RELATIONSHIP_TYPES,
        service_classes: Iterable[str] = SERVICE_CLASSES,
    ) -> None:
        types = RelationshipTypes(relationship_types)
        classes = frozenset(
            ci_id_of(c, "a service class")
            for c in collection(service_classes, "service_classes", "CI class names")
        )
        self._lock = threading.Lock()
        self._read_only = False
        self._state = State(
            types=types,
            service_classes=classes,
            ids=[],
            pos={},
            cis=Vec(),
            alive=bytearray(),
            count=0,
            out=Vec(),
            inn=Vec(),
            edges=0,
            groups=Vec(),
            scratch=threading.Lock(),
            seed=None,
        )

    def __reduce__(self) -> tuple[object, tuple[object]]:
        # Pickled (and deep-copied) as its data form: the version in force, without its locks.
        from itsmcore.data import unstructure

        return (_restore, (unstructure(self),))

    @classmethod
    def _pinned(cls, state: State) -> CMDB:
        cmdb = cls.__new__(cls)
        cmdb._lock = threading.Lock()
        cmdb._read_only = True
        cmdb._state = state
        return cmdb

    def snapshot(self) -> CMDB:
        """A read-only CMDB frozen at the current version (writes to it raise).

        Reads on the snapshot agree with each other whatever other threads write meanwhile.
        """
        return CMDB._pinned(self._state)

    # -- reading ------------------------------------------------------------------------

    @property
    def graph(self) -> nx.DiGraph:
        """A frozen networkx view of the current version (edges point provider -> consumer)."""
        from itsmcore.cmdb._view import view

        return view(self._state)

    @property
    def relationship_types(self) -> RelationshipTypes:
        """The registry of relationship types this CMDB accepts (a copy)."""
        return self._state.types.copy()

    @property
    def service_classes(self) -> frozenset[str]:
        """CI classes counted as services by health and affected-service reports."""
        return self._state.service_classes

    def __len__(self) -> int:
        return self._state.count

    def __repr__(self) -> str:
        state = self._state
        groups = sum(1 for g in state.groups if g is not None)
        return (
            f"<CMDB {state.count} CIs, {state.edges} relationships, "
            f"{groups} redundancy groups{', read-only' if self._read_only else ''}>"
        )

    def __contains__(self, ci_id: object) -> bool:
        return self._state.position(ci_id) is not None

    def ci(self, ci_id: str) -> CI:
        """The CI with this id."""
        state = self._state
        return cast(CI, state.cis[_require(state, ci_id)])

    def cis(self, ci_class: str | None = None) -> Iterator[CI]:
        """Every CI, in insertion order, optionally of one class."""
        if ci_class is not None:
            ci_id_of(ci_class, "ci_class")
        for ci in self._state.cis:
            if ci is not None and (ci_class is None or ci.ci_class == ci_class):
                yield ci

    def services(self) -> Iterator[CI]:
        """Every CI whose class is a service class."""
        state = self._state
        classes = state.service_classes
        return (ci for ci in state.cis if ci is not None and ci.ci_class in classes)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship as declared (parent, type, child)."""
        state = self._state
        ids, types = state.ids, [state.types.get(name) for name in state.names]
        for u, row in enumerate(state.out):
            for v, packed in row.items():
                rel_type = types[packed & TYPE_MASK]
                parent, child = rel_type.parent_child(ids[u], ids[v])
                yield Relationship(parent, rel_type.name, child)

    def redundancy_groups(self) -> tuple[RedundancyGroup, ...]:
        """Every redundancy group, in the order they were added."""
        return tuple(g for g in self._state.groups if g is not None)

    def neighbourhood(self, ci_id: str, radius: int = 1) -> frozenset[str]:
        """The CIs within ``radius`` relationships of ``ci_id`` in either direction."""
        state = self._state
        start = _require(state, ci_id)
        if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
            raise ValidationError(f"radius must be an int >= 0, got {radius!r}")
        seen = {start}
        frontier = [start]
        for _ in range(radius):
            nxt = []
            for u in frontier:
                for v in (*state.out[u], *state.inn[u]):
                    if v not in seen:
                        seen.add(v)
                        nxt.append(v)
            frontier = nxt
        return frozenset(state.ids[i] for i in seen)

    # -- building -----------------------------------------------------------------------

    def _writing(self) -> Builder:
        if self._read_only:
            raise ConfigurationError("this CMDB is a read-only snapshot; write to the CMDB itself")
        return Builder(self._state)

    def add_relationship_type(self, rel_type: RelationshipType) -> RelationshipType:
        """Register another relationship type."""
        with self._lock:
            b = self._writing()
            types = b.types.copy()
            added = types.add(rel_type)
            b.types = types
            self._state = b.publish(changed_index=False)
        return added

    def add_ci(self, ci: CI) -> CI:
        """Add one CI; its id must be new."""
        self.add_cis([_check_ci(ci)])
        return ci

    def add_cis(self, cis: Iterable[CI]) -> int:
        """Add many CIs at once (all or nothing); returns how many were added."""
        items = collection(cis, "cis", "CIs")
        with self._lock, _gc_paused():
            b = self._writing()
            for ci in items:
                _check_ci(ci)
                if b.position(ci.id) is not None:
                    raise DuplicateError(f"a CI with id {ci.id!r} exists already")
                b.new_position(ci)
            if items:
                self._state = b.publish()
        return len(items)

    def update_ci(self, ci: CI) -> CI:
        """Replace the stored CI that has ``ci.id`` (status, owner, ...)."""
        _check_ci(ci)
        with self._lock:
            b = self._writing()
            i = b.position(ci.id)
            if i is None:
                raise NotFoundError(_unknown(self._state, ci.id))
            b.cis[i] = ci
            self._state = b.publish(changed_index=False)
        return ci

    def remove_ci(self, ci_id: str) -> CI:
        """Remove a CI and its relationships; it must not be in a redundancy group."""
        return self.remove_cis([ci_id])[0]

    def remove_cis(self, ci_ids: Iterable[str]) -> tuple[CI, ...]:
        """Remove CIs and their relationships at once (all or nothing); returns the CIs.

        None of them may be in a redundancy group (as consumer or member).
        """
        items = collection(ci_ids, "ci_ids", "CI ids")
        with self._lock:
            b = self._writing()
            removed: list[CI] = []
            for ci_id in items:
                i = b.position(ci_id)
                if i is None:
                    _require(b.base, ci_id, "ci_ids")
                    raise NotFoundError(f"CI {ci_id!r} is listed twice; remove it once")
                out, inn = b.out[i], b.inn[i]
                used = {group_of(p) for p in (*out.values(), *inn.values())} - {-1}
                if used:
                    groups = [b.groups[g] for g in sorted(used)]
                    raise ConfigurationError(
                        f"CI {ci_id!r} is in {len(used)} redundancy group(s) (consumer "
                        f"{allowed_list(g.consumer for g in groups if g is not None)}); "
                        "remove those groups first"
                    )
                for v in out:
                    del b.in_row(v)[i]
                for u in inn:
                    del b.out_row(u)[i]
                b.edges -= len(out) + len(inn)
                removed.append(b.drop(i))
            if removed:
                self._state = b.publish()
        return tuple(removed)

    def add_relationship(self, parent: str, rel_type: str, child: str) -> Relationship:
        """Add ``parent --rel_type--> child`` (``rel_type`` may be either descriptor)."""
        self.add_relationships([(parent, rel_type, child)])
        resolved, swapped = self._state.types.resolve(rel_type)
        if swapped:
            parent, child = child, parent
        return Relationship(parent, resolved.name, child)

    def add_relationships(self, relationships: Iterable[RelationshipSpec]) -> int:
        """Add many relationships at once (all or nothing); returns how many were added."""
        specs = collection(relationships, "relationships", "relationships")
        with self._lock, _gc_paused():
            b = self._writing()
            resolve = _Resolver(b.types)
            known, pos, alive = resolve.known, b.base.pos, b.alive
            out_rows, in_rows = b.out_rows, b.in_rows
            placed = len(alive)
            for spec in specs:
                # the common case, a well-formed tuple of known ids, inline; the rest (and
                # every error) through the checked path
                found = p = c = None
                if type(spec) is tuple and len(spec) == 3:
                    parent, label, child = spec
                    if type(parent) is str and type(child) is str and type(label) is str:
                        found = known.get(label)
                        p, c = pos.get(parent), pos.get(child)
                if (
                    found is None
                    or p is None
                    or c is None
                    or p == c
                    or p >= placed
                    or c >= placed
                    or not (alive[p] and alive[c])
                ):
                    u, v, code = resolve.edge(b, spec)
                else:
                    code, swapped, upward = found
                    u, v = (c, p) if upward != swapped else (p, c)
                row = out_rows.get(u)
                if row is None:
                    row = b.out_row(u)
                if v in row:
                    raise DuplicateError(
                        f"a {b.base.names[row[v] & TYPE_MASK]!r} relationship already joins "
                        f"{b.base.ids[u]!r} -> {b.base.ids[v]!r} in the impact direction; "
                        f"cannot add {spec!r} as well"
                    )
                packed = code  # pack(code, -1): a new edge is in no group
                row[v] = packed
                back = in_rows.get(v)
                if back is None:
                    back = b.in_row(v)
                back[u] = packed
            b.edges += len(specs)
            if specs:
                self._state = b.publish()
        return len(specs)

    def remove_relationship(self, parent: str, rel_type: str, child: str) -> None:
        """Remove a relationship; it must not carry a redundancy group membership."""
        self.remove_relationships([(parent, rel_type, child)])

    def remove_relationships(self, relationships: Iterable[RelationshipSpec]) -> int:
        """Remove relationships at once (all or nothing); returns how many were removed.

        None of them may carry a redundancy group membership.
        """
        specs = collection(relationships, "relationships", "relationships")
        with self._lock:
            b = self._writing()
            resolve = _Resolver(b.types)
            for spec in specs:
                u, v, code = resolve.edge(b, spec)
                packed = b.out[u].get(v)
                if packed is None or packed & TYPE_MASK != code:
                    parent, _, child = relationship_parts(spec)
                    raise NotFoundError(
                        f"no {b.base.names[code]!r} relationship between {parent!r} and {child!r}"
                    )
                if group_of(packed) >= 0:
                    raise ConfigurationError(
                        f"{b.base.ids[u]!r} -> {b.base.ids[v]!r} belongs to a redundancy group "
                        f"of {b.base.ids[v]!r}; remove the group first"
                    )
                del b.out_row(u)[v]
                del b.in_row(v)[u]
                b.edges -= 1
            if specs:
                self._state = b.publish()
        return len(specs)

    def add_redundancy_group(
        self, consumer: str, members: Iterable[str], min_up: MinUp | str = 1, *, name: str = ""
    ) -> RedundancyGroup:
        """Declare that ``consumer`` needs ``min_up`` of ``members`` (a count or ``"50%"``).

        Every member must already impact the consumer through a propagating relationship and
        belong to no other group of that consumer.
        """
        _require(self._state, consumer)
        group = RedundancyGroup(consumer=consumer, members=members, min_up=min_up, name=name)
        with self._lock:
            b = self._writing()
            _insert_group(b, group)
            self._state = b.publish()
        return group

    def remove_redundancy_group(self, group: RedundancyGroup) -> None:
        """Remove a redundancy group; its members become direct providers again."""
        if not isinstance(group, RedundancyGroup):
            raise ValidationError(f"expected a RedundancyGroup, got {type(group).__name__}")
        with self._lock:
            b = self._writing()
            gid = _group_id(b, group)
            if gid is None:
                raise NotFoundError(
                    f"no redundancy group of {group.consumer!r} with members "
                    f"{allowed_list(sorted(group.members))}"
                )
            v = cast(int, b.position(group.consumer))
            for member in group.members:
                u = cast(int, b.position(member))
                packed = pack(b.out[u][v] & TYPE_MASK, -1)
                b.out_row(u)[v] = packed
                b.in_row(v)[u] = packed
            b.groups[gid] = None
            b.changed_group(gid)
            self._state = b.publish()

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
        groups = collection(redundancy_groups, "redundancy_groups", "RedundancyGroups")
        with cmdb._lock:
            b = cmdb._writing()
            for group in groups:
                if not isinstance(group, RedundancyGroup):
                    raise ValidationError(
                        f"expected a RedundancyGroup, got {type(group).__name__}: {group!r}"
                    )
                _insert_group(b, group)
            if groups:
                cmdb._state = b.publish()
        return cmdb

    # -- analysis -----------------------------------------------------------------------

    def index(self) -> Index:
        """The compact index of the current version (built or patched on first use)."""
        return self._state.index()

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
        state = self._state
        down_pos = _positions(state, sources, "sources")
        degraded_pos = _positions(state, degraded, "degraded")
        excluded = set(_positions(state, exclude, "exclude"))
        check_limit(max_depth, "max_depth", 0)
        check_limit(max_nodes, "max_nodes", 1)
        if not isinstance(engine, str) or engine not in ("auto", "python", "numpy"):
            raise ValidationError(
                f"unknown engine {engine!r}; allowed: {allowed_list(['auto', 'python', 'numpy'])}"
            )
        type_ok = type_filter(state, types)
        index = state.index()
        dist, down = run(
            index,
            sources=down_pos + degraded_pos,
            down_sources=down_pos,
            excluded=excluded,
            type_ok=type_ok,
            max_depth=max_depth,
            engine=engine,
        )
        ids = state.ids
        return ImpactResult(
            state=state,
            index=index,
            dist=dist,
            down=down,
            sources=frozenset(ids[i] for i in (*down_pos, *degraded_pos) if i not in excluded),
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

    def _require(self, ci_id: object, where: str = "") -> str:
        _require(self._state, ci_id, where)
        return cast(str, ci_id)


def _unknown(state: State, ci_id: object) -> str:
    return f"unknown CI {ci_id!r}; it is not in this CMDB ({state.count} CIs)"


def _require(state: State, ci_id: object, where: str = "") -> int:
    """The position of ``ci_id`` in ``state``: a clear error for a bad or unknown id."""
    i = state.position(ci_id)
    if i is None:
        ci_id_of(ci_id, f"an id in {where}" if where else "a CI id")
        raise NotFoundError(_unknown(state, ci_id) + (f" (in {where})" if where else ""))
    return i


def _positions(state: State, values: Iterable[str], name: str) -> list[int]:
    return [_require(state, v, name) for v in collection(values, name, "CI ids")]


def _check_ci(ci: object) -> CI:
    if not isinstance(ci, CI):
        raise ValidationError(f"expected a CI, got {type(ci).__name__}: {ci!r}")
    return ci


class _Resolver:
    """Relationship specs -> stored edges, with the type lookups of one batch cached.

    ``known[label]`` is ``(type code, label is the child descriptor, impact flows child ->
    parent)`` for every label resolved so far.
    """

    __slots__ = ("_codes", "_types", "known")

    def __init__(self, types: RelationshipTypes) -> None:
        self._types = types
        self.known: dict[str, tuple[int, bool, bool]] = {}
        self._codes = {t.name: i for i, t in enumerate(types)}

    def edge(self, b: Builder, spec: object) -> tuple[int, int, int]:
        """``(from, to, type code)`` of the stored edge for ``spec``, checked."""
        parent, label, child = relationship_parts(spec)
        found = self.known.get(label)
        if found is None:
            rel_type, swapped = self._types.resolve(label)
            upward = rel_type.propagation is Propagation.CHILD_TO_PARENT
            found = self.known[label] = (self._codes[rel_type.name], swapped, upward)
        code, swapped, upward = found
        p, c = b.position(parent), b.position(child)
        if p is None or c is None:
            missing = parent if p is None else child
            raise NotFoundError(_unknown(b.base, missing) + f" (in relationship {spec!r})")
        if p == c:
            raise ValidationError(
                f"CI {parent!r} cannot have a {b.base.names[code]!r} relationship with "
                "itself; relationships join two different CIs"
            )
        return (c, p, code) if upward != swapped else (p, c, code)


def _insert_group(b: Builder, group: RedundancyGroup) -> None:
    consumer = group.consumer
    v = b.position(consumer)
    if v is None:
        _require(b.base, consumer, "the redundancy group's consumer")
        raise NotFoundError(_unknown(b.base, consumer))
    moves = b.base.moves
    edges: list[tuple[int, int]] = []
    for member in sorted(group.members):
        u = b.position(member)
        packed = None if u is None else b.out[u].get(v)
        if u is None or packed is None or not moves[packed & TYPE_MASK]:
            if u is None:
                _require(b.base, member, "redundancy group members")
            raise ConfigurationError(
                f"redundancy member {member!r} has no relationship through which it "
                f"impacts {consumer!r}; add one (e.g. {consumer!r} 'Depends on' "
                f"{member!r}) first"
            )
        other = group_of(packed)
        if other >= 0:
            known = b.groups[other]
            raise DuplicateError(
                f"{member!r} is already in a redundancy group of {consumer!r} "
                f"(members {allowed_list(sorted(known.members) if known else [])})"
            )
        edges.append((u, packed))
    gid = len(b.groups)
    b.groups.append(group)
    b.changed_group(gid)
    for u, packed in edges:
        grouped = pack(packed & TYPE_MASK, gid)
        b.out_row(u)[v] = grouped
        b.in_row(v)[u] = grouped


def _group_id(b: Builder, group: RedundancyGroup) -> int | None:
    v = b.position(group.consumer)
    member = next(iter(group.members))
    u = b.position(member)
    if u is None or v is None:
        return None
    packed = b.out[u].get(v)
    gid = -1 if packed is None else group_of(packed)
    if gid < 0 or b.groups[gid] != group:
        return None
    return gid


def type_filter(state: State, types: Iterable[str] | None) -> list[bool] | None:
    """Per type code, whether ``types`` asks for it (``None``: every type)."""
    if types is None:
        return None
    flags = [False] * len(state.names)
    registry = state.types
    for label in collection(types, "types", "relationship type names"):
        rel_type = registry.get(label)
        if rel_type.propagation is Propagation.NONE:
            raise ValidationError(
                f"relationship type {rel_type.name!r} does not propagate impact; allowed: "
                + allowed_list(t.name for t in registry if t.propagation is not Propagation.NONE)
            )
        flags[state.codes[rel_type.name]] = True
    return flags


def check_limit(value: object, name: str, least: int) -> None:
    """``value`` is ``None`` or an int of at least ``least`` (a bool is refused)."""
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


def _restore(body: object) -> CMDB:
    """A CMDB rebuilt from its data form (how a pickled CMDB comes back)."""
    from itsmcore.data import structure

    return structure(body, CMDB)
