"""The one data form of every itsmcore value: plain, JSON-safe data and back, exactly.

:func:`to_data` turns a domain value (a ticket record with its whole history, a workflow, a
business calendar, a priority matrix, impact rules, a CMDB ...) into plain data wrapped in a
versioned envelope; :func:`from_data` reads it back and validates every part of it, raising
:class:`~itsmcore.errors.DataError` with the path to the first bad value. :func:`dumps`,
:func:`loads`, :func:`load` and :func:`save` do the same with JSON / TOML text and files.

>>> from itsmcore.priority import preset
>>> data = to_data(preset("servicenow"))
>>> data["itsmcore"], data["type"]
(1, 'priority-matrix')
>>> from_data(data) == preset("servicenow")
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar, overload

from itsmcore.data._read import (
    at_index,
    at_key,
    expect_bool,
    expect_int,
    expect_list,
    expect_mapping,
    expect_names,
    expect_text,
    only_keys,
)
from itsmcore.data._registry import Form, forms, register
from itsmcore.data._registry import form_for_name as _form_for_name
from itsmcore.data._registry import form_for_value as _form_for_value
from itsmcore.data._text import Format
from itsmcore.data._text import parse_text as _parse_text
from itsmcore.data._text import read_file as _read_file
from itsmcore.data._text import to_json as _to_json
from itsmcore.errors import DataError as _DataError
from itsmcore.errors import ValidationError as _ValidationError

__all__ = [
    "FORMAT_VERSION",
    "Form",
    "Format",
    "at_index",
    "at_key",
    "dumps",
    "expect_bool",
    "expect_int",
    "expect_list",
    "expect_mapping",
    "expect_names",
    "expect_text",
    "forms",
    "from_data",
    "load",
    "loads",
    "only_keys",
    "register",
    "save",
    "structure",
    "to_data",
    "unstructure",
]

_T = TypeVar("_T")

FORMAT_VERSION = 1
"""The version of the data form this release writes. It reads every version up to it."""

_ENVELOPE = ("itsmcore", "type", "data")


def unstructure(value: object) -> Any:
    """The bare data form of ``value`` (no envelope): what an adapter stores in a column."""
    return _form_for_value(value).unstructure(value)


def structure(data: object, cls: type[_T], *, path: str = "$") -> _T:
    """Read the bare data form of a ``cls`` (no envelope) back, validated."""
    _check_class(cls)
    form = _form_for_type(cls)
    value: _T = form.structure(data, path)
    if not isinstance(value, cls):
        raise _DataError(
            f"the data holds a {type(value).__qualname__}, not a {cls.__qualname__}", path=path
        )
    return value


def _form_for_type(cls: type) -> Form:
    """The registered form for ``cls`` (or for its nearest registered base class)."""
    found = _forms_by_type.get(cls)
    if found is not None:
        return found
    known = {form.cls: form for form in forms()}
    for base in cls.__mro__:
        if base in known:
            _forms_by_type[cls] = known[base]
            return known[base]
    raise _ValidationError(
        f"{cls.__qualname__} has no data form; types with one: "
        + ", ".join(sorted(repr(f.cls.__qualname__) for f in forms()))
    )


_forms_by_type: dict[type, Form] = {}


def _check_class(cls: object) -> None:
    if not isinstance(cls, type):
        raise _ValidationError(f"expected a class to read the data as, got {cls!r}")


def to_data(value: object) -> dict[str, Any]:
    """``value`` as versioned plain data: ``{"itsmcore": 1, "type": ..., "data": ...}``."""
    form = _form_for_value(value)
    return {"itsmcore": FORMAT_VERSION, "type": form.name, "data": form.unstructure(value)}


@overload
def from_data(data: object) -> object: ...
@overload
def from_data(data: object, expected: type[_T]) -> _T: ...
def from_data(data: object, expected: type[_T] | None = None) -> object:
    """Read versioned plain data back into the value it describes, validated.

    With ``expected``, the data must describe a value of that type; the bare form (without
    the envelope, as written by hand in a config file) is accepted too.
    """
    if expected is not None:
        _check_class(expected)
    if expected is not None and not (isinstance(data, dict) and "itsmcore" in data):
        return structure(data, expected)
    envelope = only_keys(data, "$", _ENVELOPE, required=_ENVELOPE)
    version = envelope["itsmcore"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _DataError(
            f"format version {version!r} is not a positive whole number", path="$.itsmcore"
        )
    if version > FORMAT_VERSION:
        raise _DataError(
            f"format version {version} is newer than this release reads "
            f"(up to {FORMAT_VERSION}); upgrade itsmcore",
            path="$.itsmcore",
        )
    form = _form_for_name(envelope["type"], "$.type")
    if expected is not None and not (
        issubclass(form.cls, expected) or issubclass(expected, form.cls)
    ):
        raise _DataError(
            f"the data holds a {form.name!r}, not a {expected.__qualname__}", path="$.type"
        )
    value = form.structure(envelope["data"], "$.data")
    if expected is not None and not isinstance(value, expected):
        raise _DataError(
            f"the data holds a {type(value).__qualname__}, not a {expected.__qualname__}",
            path="$.data",
        )
    return value


def dumps(value: object, *, indent: int | None = None) -> str:
    """``value``'s versioned data form as JSON text."""
    return _to_json(to_data(value), indent=indent)


@overload
def loads(text: str | bytes, *, format: Format = "json") -> object: ...
@overload
def loads(text: str | bytes, expected: type[_T], *, format: Format = "json") -> _T: ...
def loads(
    text: str | bytes, expected: type[_T] | None = None, *, format: Format = "json"
) -> object:
    """Read a value from JSON (or, with ``format="toml"``, TOML) text."""
    data = _parse_text(text, format)
    return from_data(data) if expected is None else from_data(data, expected)


@overload
def load(path: str | os.PathLike[str]) -> object: ...
@overload
def load(path: str | os.PathLike[str], expected: type[_T]) -> _T: ...
def load(path: str | os.PathLike[str], expected: type[_T] | None = None) -> object:
    """Read a value from a ``.json`` or ``.toml`` file."""
    data = _read_file(path)
    return from_data(data) if expected is None else from_data(data, expected)


def save(value: object, path: str | os.PathLike[str], *, indent: int | None = 2) -> None:
    """Write ``value``'s versioned data form to a ``.json`` file."""
    file = Path(path)
    if file.suffix.lower() != ".json":
        raise _ValidationError(f"save() writes JSON; name the file '*.json', got {str(file)!r}")
    file.write_text(dumps(value, indent=indent) + "\n", encoding="utf-8")
