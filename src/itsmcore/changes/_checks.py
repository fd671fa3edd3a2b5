"""Boundary checks shared by the change package, and the freezing of JSON-like field values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from itsmcore._time import to_instant
from itsmcore.errors import ValidationError, allowed_list

__all__ = [
    "check_choice",
    "check_instant",
    "check_names",
    "check_optional_text",
    "check_text",
    "check_whole",
    "freeze",
]

MAX_NAMES = 100_000
"""Most names accepted in one set of CI ids, approvers or services."""


def check_text(value: object, name: str) -> str:
    """``value`` as non-blank text, or a :class:`ValidationError` naming ``name``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name!r} must be non-empty text, got {value!r}")
    return value


def check_optional_text(value: object, name: str) -> str | None:
    """``None`` or non-blank text."""
    return None if value is None else check_text(value, name)


def check_whole(value: object, name: str, *, least: int = 0, most: int | None = None) -> int:
    """``value`` as an int in ``[least, most]``; a bool is not a number here."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name!r} must be a whole number, got {value!r}")
    if value < least or (most is not None and value > most):
        upper = "" if most is None else f" and <= {most}"
        raise ValidationError(f"{name!r} must be >= {least}{upper}, got {value}")
    return value


def check_names(value: object, name: str) -> frozenset[str]:
    """A collection of non-blank names (not a bare string) as a frozenset."""
    if value is None or isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(
            f"{name!r} must be a collection of names (e.g. a list or set of str), got {value!r}"
        )
    items = list(value) if not isinstance(value, frozenset) else value
    if len(items) > MAX_NAMES:
        raise ValidationError(f"{name!r} holds {len(items)} names; at most {MAX_NAMES} allowed")
    bad = [item for item in items if not isinstance(item, str) or not item.strip()]
    if bad:
        raise ValidationError(f"{name!r} must hold non-empty strings, got {allowed_list(bad)}")
    return frozenset(items)


def check_choice(value: object, name: str, allowed: Iterable[str]) -> str:
    """``value`` as one of ``allowed``."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise ValidationError(f"unknown {name} {value!r}; allowed: {allowed_list(options)}")
    return value


def check_instant(value: object, name: str) -> datetime:
    """An aware instant, in UTC (a naive datetime is refused)."""
    return to_instant(value, name=name)


def freeze(value: object) -> object:
    """A JSON-like value made immutable: lists become tuples, dicts read-only mappings."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(value)
    return value
