"""Reading plain data safely: the one "a mapping with only these keys" check, and typed reads.

Every loader and every structure hook reads its input through these functions, so every
message has one format: ``<path>: <what was wrong>; allowed: <what is>``, raised as
:class:`~itsmcore.errors.DataError` with the path (``$.states[2].name``) attached.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar, cast

from itsmcore.errors import DataError, ItsmError, allowed_list

__all__ = [
    "at_index",
    "at_key",
    "built",
    "expect_bool",
    "expect_int",
    "expect_list",
    "expect_mapping",
    "expect_names",
    "expect_text",
    "only_keys",
]

MAX_DEPTH = 64
"""Deepest nesting accepted in data read back (deeper data is refused, never recursed into)."""

MAX_ITEMS = 10_000_000
"""Most items accepted in one list or mapping of data read back."""


T = TypeVar("T")


def built(path: str, build: Callable[[], T]) -> T:
    """``build()``: a library error from a constructor is re-raised as a
    :class:`DataError` at ``path`` (so a bad value read from data names where it was)."""
    try:
        return build()
    except DataError:
        raise
    except ItsmError as error:
        raise DataError(str(error), path=path) from None


def at_key(path: str, key: str) -> str:
    """The path of ``key`` inside the mapping at ``path``: ``$.states``."""
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def at_index(path: str, index: int) -> str:
    """The path of item ``index`` inside the list at ``path``: ``$.states[2]``."""
    return f"{path}[{index}]"


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def expect_mapping(value: object, path: str) -> Mapping[str, object]:
    """``value`` as a mapping with string keys, or a :class:`DataError` naming ``path``."""
    if not isinstance(value, Mapping):
        raise DataError(f"expected a mapping, got {_kind(value)} {_short(value)}", path=path)
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise DataError(f"keys must be strings, got {allowed_list(bad)}", path=path)
    if len(value) > MAX_ITEMS:
        raise DataError(f"{len(value)} entries is more than {MAX_ITEMS} allowed", path=path)
    return cast(Mapping[str, object], value)


def only_keys(
    value: object,
    path: str,
    allowed: Collection[str],
    *,
    required: Collection[str] = (),
) -> Mapping[str, object]:
    """``value`` as a mapping holding only ``allowed`` keys and every ``required`` one.

    >>> only_keys({"name": "x", "colour": 1}, "$", ("name",))
    Traceback (most recent call last):
    ...
    itsmcore.errors.DataError: $: unknown key(s) 'colour'; allowed: 'name'
    """
    data = expect_mapping(value, path)
    unknown = sorted(k for k in data if k not in allowed)
    if unknown:
        raise DataError(
            f"unknown key(s) {allowed_list(unknown)}; allowed: {allowed_list(sorted(allowed))}",
            path=path,
        )
    missing = sorted(k for k in required if k not in data)
    if missing:
        raise DataError(f"missing required key(s) {allowed_list(missing)}", path=path)
    return data


def expect_list(value: object, path: str) -> list[object]:
    """``value`` as a list (a JSON array or a tuple), or a :class:`DataError`."""
    if not isinstance(value, list | tuple):
        raise DataError(f"expected a list, got {_kind(value)} {_short(value)}", path=path)
    if len(value) > MAX_ITEMS:
        raise DataError(f"{len(value)} items is more than {MAX_ITEMS} allowed", path=path)
    return list(value)


def expect_text(value: object, path: str, *, blank: bool = False) -> str:
    """``value`` as a string; empty or whitespace-only text is refused unless ``blank``."""
    if not isinstance(value, str):
        raise DataError(f"expected text, got {_kind(value)} {_short(value)}", path=path)
    if not blank and not value.strip():
        raise DataError("expected non-empty text, got a blank string", path=path)
    return value


def expect_int(value: object, path: str) -> int:
    """``value`` as a whole number (a bool is refused: ``true`` is not ``1``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError(f"expected a whole number, got {_kind(value)} {_short(value)}", path=path)
    return value


def expect_bool(value: object, path: str) -> bool:
    """``value`` as ``true`` / ``false`` (``"no"`` or ``0`` are refused, never guessed)."""
    if not isinstance(value, bool):
        raise DataError(f"expected true or false, got {_kind(value)} {_short(value)}", path=path)
    return value


def expect_names(value: object, path: str) -> tuple[str, ...]:
    """A name or a list of names (non-blank strings), as a tuple."""
    if isinstance(value, str):
        return (expect_text(value, path),)
    items = expect_list(value, path)
    return tuple(expect_text(item, at_index(path, i)) for i, item in enumerate(items))


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = 50
_REPR.maxother = 50


def _short(value: object) -> str:
    """A short repr of ``value`` (bounded depth and length, whatever its nesting)."""
    text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
