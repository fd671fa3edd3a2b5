"""Boundary checks shared by the CMDB's entry points: ids, collections, relationship specs.

Each raises :class:`~itsmcore.errors.ValidationError` naming the value and what is allowed,
before anything changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from itsmcore.cmdb.relationships import Relationship
from itsmcore.errors import ValidationError

__all__: list[str] = []

T = TypeVar("T")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def ci_id_of(value: object, what: str = "a CI id") -> str:
    """``value`` as an id: a string that is not blank (a list or a number is refused)."""
    if not isinstance(value, str):
        raise ValidationError(
            f"{what} must be a string, got {type(value).__name__} {_short(value)}"
        )
    if not value.strip():
        raise ValidationError(f"{what} must not be blank, got {value!r}")
    return value


def collection(value: Iterable[T] | None, name: str, of: str) -> list[T]:
    """``value`` as a list: any iterable but a string, bytes or a mapping; never ``None``."""
    if value is None:
        raise ValidationError(f"{name} must be a collection of {of}, got None")
    if isinstance(value, str | bytes):
        raise ValidationError(
            f"{name} must be a collection of {of}, got the string {value!r}; write [{value!r}]"
        )
    if isinstance(value, Mapping):
        raise ValidationError(f"{name} must be a collection of {of}, got a mapping {_short(value)}")
    try:
        return list(value)
    except TypeError:
        raise ValidationError(
            f"{name} must be a collection of {of}, got {type(value).__name__} {_short(value)}"
        ) from None


def relationship_parts(spec: object) -> tuple[str, str, str]:
    """``(parent, type, child)`` from a Relationship or a 3-tuple, each part checked."""
    if type(spec) is tuple and len(spec) == 3:  # the common case, checked without detours
        parent, label, child = spec
        if (
            type(parent) is str
            and type(label) is str
            and type(child) is str
            and parent
            and child
            and label
            and not (parent.isspace() or child.isspace() or label.isspace())
        ):
            return parent, label, child
    if isinstance(spec, Relationship):
        parts: tuple[object, ...] = (spec.parent, spec.type, spec.child)
    elif isinstance(spec, tuple | list) and len(spec) == 3:
        parts = tuple(spec)
    else:
        raise ValidationError(
            f"a relationship is a Relationship or a (parent, type, child) tuple, got {_short(spec)}"
        )
    parent = ci_id_of(parts[0], f"the parent of relationship {_short(spec)}")
    label = ci_id_of(parts[1], f"the type of relationship {_short(spec)}")
    child = ci_id_of(parts[2], f"the child of relationship {_short(spec)}")
    return parent, label, child
