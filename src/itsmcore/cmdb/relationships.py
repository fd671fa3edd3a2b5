"""Relationship types: named in both directions, each declaring which way impact flows.

Types follow ServiceNow's ``"parent descriptor::child descriptor"`` naming. A relationship
``(parent, type, child)`` reads as a sentence: ``app "Runs on" server``. The type's
:class:`Propagation` says whether a failure of the child impacts the parent (``Depends on``,
``Runs on``), the other way round (``Contains``), or neither (``Manages``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator

import attrs

from itsmcore.errors import ConfigurationError, DuplicateError, UnknownValueError, allowed_list

__all__ = [
    "DEFAULT_RELATIONSHIP_TYPES",
    "Propagation",
    "Relationship",
    "RelationshipType",
    "RelationshipTypes",
]


class Propagation(enum.StrEnum):
    """Which way a failure travels along a relationship."""

    CHILD_TO_PARENT = "child_to_parent"
    PARENT_TO_CHILD = "parent_to_child"
    NONE = "none"


def _descriptor(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or "::" in value:
        raise ConfigurationError(
            f"relationship {attribute.name} must be a string, not blank and without '::', got "
            f"{value!r}"
        )


def _propagation(value: object) -> Propagation:
    if not isinstance(value, str):
        raise ConfigurationError(
            f"propagation must be one of {allowed_list(p.value for p in Propagation)}, got "
            f"{type(value).__name__} {value!r}"
        )
    try:
        return Propagation(str(value))
    except ValueError:
        raise ConfigurationError(
            f"unknown propagation {value!r}; allowed: {allowed_list(p.value for p in Propagation)}"
        ) from None


@attrs.frozen(kw_only=True)
class RelationshipType:
    """A relationship type: both descriptors and the direction impact propagates."""

    parent_label: str = attrs.field(validator=_descriptor)
    child_label: str = attrs.field(validator=_descriptor)
    propagation: Propagation = attrs.field(
        default=Propagation.CHILD_TO_PARENT, converter=_propagation
    )

    @property
    def name(self) -> str:
        """The ServiceNow-style full name, ``"Depends on::Used by"``."""
        return f"{self.parent_label}::{self.child_label}"

    def provider_consumer(self, parent: str, child: str) -> tuple[str, str]:
        """The stored edge ``(from, to)``: provider -> consumer, or parent -> child if inert."""
        if self.propagation is Propagation.CHILD_TO_PARENT:
            return child, parent
        return parent, child

    def parent_child(self, source: str, target: str) -> tuple[str, str]:
        """Inverse of :meth:`provider_consumer`: the ``(parent, child)`` of a stored edge."""
        if self.propagation is Propagation.CHILD_TO_PARENT:
            return target, source
        return source, target


def _part(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        from itsmcore.errors import ValidationError

        raise ValidationError(
            f"a relationship's {attribute.name} must be a string that is not blank, got "
            f"{type(value).__name__} {value!r}"
        )


@attrs.frozen
class Relationship:
    """One relationship as declared: ``parent`` --type--> ``child``."""

    parent: str = attrs.field(validator=_part)
    type: str = attrs.field(validator=_part)
    child: str = attrs.field(validator=_part)


class RelationshipTypes:
    """A registry of relationship types, looked up by full name or by either descriptor.

    Looking up a child descriptor (``"Runs"``) tells the caller to swap parent and child, so
    ``server "Runs" app`` and ``app "Runs on" server`` are the same relationship.
    """

    __slots__ = ("_by_label", "_types")

    def __init__(self, types: Iterable[RelationshipType] = ()) -> None:
        self._types: dict[str, RelationshipType] = {}
        self._by_label: dict[str, tuple[RelationshipType, bool]] = {}
        if types is None or isinstance(types, str | bytes) or not isinstance(types, Iterable):
            raise ConfigurationError(
                f"relationship types must be a collection of RelationshipType, got "
                f"{type(types).__name__} {types!r}"
            )
        for rel_type in types:
            self.add(rel_type)

    def add(self, rel_type: RelationshipType) -> RelationshipType:
        """Register a type; its name and descriptors must not clash with existing ones."""
        if not isinstance(rel_type, RelationshipType):
            raise ConfigurationError(f"expected a RelationshipType, got {type(rel_type).__name__}")
        keys = {
            rel_type.name.casefold(): (rel_type, False),
            rel_type.parent_label.casefold(): (rel_type, False),
        }
        child_key = rel_type.child_label.casefold()
        if child_key not in keys:
            keys[child_key] = (rel_type, True)
        clashes = [k for k in keys if k in self._by_label]
        if clashes:
            raise DuplicateError(
                f"relationship type {rel_type.name!r} clashes with registered names "
                f"{allowed_list(clashes)}; registered: {allowed_list(self._types)}"
            )
        self._types[rel_type.name] = rel_type
        self._by_label.update(keys)
        return rel_type

    def resolve(self, label: str) -> tuple[RelationshipType, bool]:
        """The type named ``label`` and whether ``label`` was its child descriptor."""
        found = self._by_label.get(label.casefold()) if isinstance(label, str) else None
        if found is None:
            raise UnknownValueError(
                f"unknown relationship type {label!r}; allowed: {allowed_list(self._types)}"
            )
        return found

    def get(self, name: str) -> RelationshipType:
        """The type with this full name or descriptor."""
        return self.resolve(name)[0]

    def __contains__(self, label: object) -> bool:
        return isinstance(label, str) and label.casefold() in self._by_label

    def __iter__(self) -> Iterator[RelationshipType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def copy(self) -> RelationshipTypes:
        """An independent registry with the same types."""
        return RelationshipTypes(self._types.values())


_C2P = Propagation.CHILD_TO_PARENT

#: The standard types, after ServiceNow's ``cmdb_rel_type`` table.
DEFAULT_RELATIONSHIP_TYPES: tuple[RelationshipType, ...] = (
    RelationshipType(parent_label="Depends on", child_label="Used by", propagation=_C2P),
    RelationshipType(parent_label="Runs on", child_label="Runs", propagation=_C2P),
    RelationshipType(parent_label="Hosted on", child_label="Hosts", propagation=_C2P),
    RelationshipType(parent_label="Members", child_label="Member of", propagation=_C2P),
    RelationshipType(parent_label="Connects to", child_label="Connected by", propagation=_C2P),
    RelationshipType(parent_label="Powered by", child_label="Powers", propagation=_C2P),
    RelationshipType(
        parent_label="Contains",
        child_label="Contained by",
        propagation=Propagation.PARENT_TO_CHILD,
    ),
    RelationshipType(
        parent_label="Manages", child_label="Managed by", propagation=Propagation.NONE
    ),
    RelationshipType(parent_label="Owns", child_label="Owned by", propagation=Propagation.NONE),
)
