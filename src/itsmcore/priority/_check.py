"""Boundary checks shared by the priority package: collections, level keys, flags, text.

Each check raises the given :class:`~itsmcore.errors.ItsmError` subclass with a message
naming the value and what is allowed, before anything is built from it.
"""

from __future__ import annotations

import itertools
import reprlib
from collections.abc import Iterable, Mapping

from itsmcore.errors import ItsmError

__all__ = [
    "MAX_TEXT",
    "check_flag",
    "check_level_key",
    "check_text",
    "collect",
    "describe",
    "short",
]

MAX_TEXT = 200
"""Longest label or name accepted (characters): labels are read in tables and menus."""


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _REPR.maxother = 60


def short(value: object) -> str:
    """``repr(value)``, cut to a readable length (and depth) for an error message."""
    text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(value: object) -> str:
    """``bool True``, ``str '  '``, ``list ['High']``: a bad value with its type, for messages."""
    return f"{type(value).__name__} {short(value)}"


def collect(
    value: object, what: str, *, limit: int, error: type[ItsmError], of: str = "items"
) -> tuple[object, ...]:
    """``value`` (a list, tuple, set or other finite iterable) as a tuple of at most ``limit``.

    ``None``, text and mappings are refused: a string is not a list of labels, and a mapping
    would silently give its keys.
    """
    if value is None or isinstance(value, str | bytes | bytearray | Mapping):
        raise error(f"{what} must be a list of {of}, got {describe(value)}")
    if not isinstance(value, Iterable):
        raise error(f"{what} must be a list of {of}, got {describe(value)}")
    items = tuple(itertools.islice(value, limit + 1))
    if len(items) > limit:
        raise error(f"{what} has more than {limit} {of}; at most {limit} are allowed")
    return items


def check_level_key(value: object, what: str, *, error: type[ItsmError]) -> None:
    """``value`` names a level: an int (not a bool), non-blank text, or a Level."""
    from itsmcore.priority.scale import Level

    if isinstance(value, Level):
        return
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise error(
            f"{what} must be a level value (int), a label (str) or a Level, got {describe(value)}"
        )
    if isinstance(value, str) and not value.strip():
        raise error(f"{what} must be a level value or a non-blank label, got {describe(value)}")


def check_flag(value: object, what: str, *, error: type[ItsmError]) -> None:
    """``value`` is ``True`` or ``False`` (``"no"``, ``0`` or ``None`` are never guessed)."""
    if not isinstance(value, bool):
        raise error(f"{what} must be True or False, got {describe(value)}")


def check_text(value: object, what: str, *, error: type[ItsmError]) -> None:
    """``value`` is non-blank text of at most :data:`MAX_TEXT` characters."""
    if not isinstance(value, str) or not value.strip():
        raise error(f"{what} must be a non-empty string, got {describe(value)}")
    if len(value) > MAX_TEXT:
        raise error(f"{what} is {len(value)} characters long; at most {MAX_TEXT} are allowed")
