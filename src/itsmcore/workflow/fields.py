"""The kinds of value a ticket field holds, checked and frozen when they come in.

A ticket type declares the kind of each of its fields (``{"caller": "text", "impact":
"level", "resolved_at": "instant", "linked_incidents": "names"}``). The engine checks every
value set (by the caller, a hook or a field rule) against its kind and freezes it, so neither
a snapshot nor its history can change after the fact; the data form uses the kinds to store
and read values back exactly. ``None`` always means "unset".

=========  ===============================================  =============================
kind       accepted                                         stored as
=========  ===============================================  =============================
text       ``str``                                          the string
int        ``int`` (not ``bool``)                           the number
level      ``int`` (not ``bool``) or a non-blank ``str``    the number or the label
number     ``int`` or ``float`` (finite, not ``bool``)      the number
bool       ``bool``                                         the flag
instant    an aware ``datetime``                            a UTC ``datetime``
names      an iterable of non-blank ``str`` (not a ``str``) a ``frozenset`` of the names
data       JSON-like values (dicts, lists, scalars)         read-only mappings and tuples
=========  ===============================================  =============================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Literal, get_args

from itsmcore._time import to_instant
from itsmcore.errors import ConfigurationError, ValidationError, allowed_list

__all__ = ["FIELD_KINDS", "FieldKind", "freeze", "freeze_field", "freeze_json"]

FieldKind = Literal["text", "int", "level", "number", "bool", "instant", "names", "data"]
"""The kind of value a field holds (see the module docs)."""

FIELD_KINDS: tuple[FieldKind, ...] = get_args(FieldKind)
"""Every field kind, in the order of the table above."""

MAX_DEPTH = 32
"""Deepest nesting accepted in a ``data`` field value."""

MAX_ITEMS = 100_000
"""Most items (all levels together) accepted in one ``data`` or ``names`` field value."""

Check = Callable[[object, str], object]
"""(value, field name) -> the frozen value; raises :class:`ValidationError`."""


def _refuse(name: str, kind: str, value: object, allowed: str) -> ValidationError:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return ValidationError(
        f"field {name!r} is of kind {kind!r}: got {type(value).__name__} {text}; "
        f"allowed: {allowed} (or None to unset it)"
    )


def _text(value: object, name: str) -> object:
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise _refuse(name, "text", value, "a str")


def _int(value: object, name: str) -> object:
    if type(value) is int:
        return value
    raise _refuse(name, "int", value, "a whole number (not a bool)")


def _level(value: object, name: str) -> object:
    if type(value) is int:
        return value
    if type(value) is str and value.strip():
        return value
    raise _refuse(name, "level", value, "a level number or a non-blank label")


def _number(value: object, name: str) -> object:
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return value
    raise _refuse(name, "number", value, "a finite int or float (not a bool)")


def _bool(value: object, name: str) -> object:
    if type(value) is bool:
        return value
    raise _refuse(name, "bool", value, "True or False")


def _instant(value: object, name: str) -> object:
    if not isinstance(value, datetime):
        raise _refuse(name, "instant", value, "a timezone-aware datetime")
    return to_instant(value, name=name)


def _names(value: object, name: str) -> object:
    if type(value) is frozenset and all(type(v) is str and v.strip() for v in value):
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _refuse(name, "names", value, "a set, list or tuple of non-blank names")
    items: list[str] = []
    for item in value:
        if type(item) is not str or not item.strip():
            raise _refuse(name, "names", value, "a set, list or tuple of non-blank names")
        items.append(item)
        if len(items) > MAX_ITEMS:
            raise ValidationError(f"field {name!r} holds more than {MAX_ITEMS} names")
    return frozenset(items)


def freeze_json(value: object, where: str) -> object:
    """``value`` (JSON-like) with dicts as read-only mappings and lists as tuples.

    Refuses what JSON cannot hold (sets, datetimes, objects, non-finite floats, non-string
    keys), nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_ITEMS` items.
    """
    budget = [MAX_ITEMS]

    def walk(item: object, depth: int) -> object:
        if item is None or type(item) in (str, int, bool):
            return item
        if type(item) is float:
            if math.isfinite(item):  # type: ignore[arg-type,unused-ignore]
                return item
            raise ValidationError(f"{where}: {item!r} is not a finite number")
        if depth >= MAX_DEPTH:
            raise ValidationError(f"{where}: nested deeper than {MAX_DEPTH} levels")
        budget[0] -= 1
        if budget[0] < 0:
            raise ValidationError(f"{where}: holds more than {MAX_ITEMS} items")
        if isinstance(item, Mapping):
            frozen: dict[str, object] = {}
            for key, inner in item.items():
                if type(key) is not str:
                    raise ValidationError(f"{where}: keys must be strings, got {key!r}")
                frozen[key] = walk(inner, depth + 1)
            return MappingProxyType(frozen)
        if isinstance(item, list | tuple):
            return tuple(walk(inner, depth + 1) for inner in item)
        raise ValidationError(
            f"{where}: {type(item).__name__} {item!r} is not JSON-like data; allowed: "
            "str, int, float, bool, None, lists and mappings of them"
        )

    return walk(value, 0)


def _data(value: object, name: str) -> object:
    return freeze_json(value, f"field {name!r}")


CHECKS: Mapping[str, Check] = MappingProxyType(
    {
        "text": _text,
        "int": _int,
        "level": _level,
        "number": _number,
        "bool": _bool,
        "instant": _instant,
        "names": _names,
        "data": _data,
    }
)
"""The check of each field kind."""


def freeze_field(kind: FieldKind, value: object, name: str) -> object:
    """``value`` checked against ``kind`` and frozen (``None`` passes as "unset")."""
    if value is None:
        return None
    return CHECKS[kind](value, name)


def freeze(value: object, name: str) -> object:
    """A value of an undeclared field frozen: lists -> tuples, sets -> frozensets, dicts ->
    read-only mappings (recursively); scalars, datetimes and other immutables pass."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, datetime):
        return to_instant(value, name=name)
    if isinstance(value, set | frozenset):
        return frozenset(value)
    if isinstance(value, Mapping | list | tuple):
        return freeze_json(value, f"field {name!r}")
    return value


def check_kinds(fields: Mapping[str, object]) -> Mapping[str, FieldKind]:
    """Validate a ``{field: kind}`` declaration (names non-blank, kinds known)."""
    if not isinstance(fields, Mapping):
        raise ConfigurationError(
            f"'fields' must map field names to kinds, got {type(fields).__name__}"
        )
    checked: dict[str, FieldKind] = {}
    for name, kind in fields.items():
        if type(name) is not str or not name.strip():
            raise ConfigurationError(f"a field name must be a non-blank string, got {name!r}")
        if kind not in FIELD_KINDS:
            raise ConfigurationError(
                f"field {name!r} has unknown kind {kind!r}; allowed: {allowed_list(FIELD_KINDS)}"
            )
        checked[name] = kind
    return MappingProxyType(checked)
