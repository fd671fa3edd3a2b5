"""The registry of data forms: one entry per domain type, with its name and its two hooks.

Each domain package declares the data form of its values in its own ``_data.py`` module,
which calls :func:`register` when imported; :mod:`itsmcore.data` imports those modules the
first time it converts anything, so importing a domain package never loads the converter.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from itsmcore.errors import DataError, UnknownValueError, allowed_list

__all__ = ["Form", "form_for_name", "form_for_value", "forms", "register"]

T = TypeVar("T")

Unstructure = Callable[[Any], Any]
"""value -> its JSON-safe body (dicts, lists, str, int, float, bool, None)."""

Structure = Callable[[object, str], Any]
"""(body, path) -> the value; raises :class:`~itsmcore.errors.DataError` naming the path."""

_DOMAIN_MODULES = (
    "itsmcore.priority._data",
    "itsmcore.workflow._data",
    "itsmcore.sla._data",
    "itsmcore.sla._agreement_data",
    "itsmcore.cmdb._data",
    "itsmcore.changes._data",
)
"""The modules that register the library's own forms (each adds its package's types)."""


@attrs.frozen
class Form:
    """The data form of one type: its name in stored data and how to convert it."""

    name: str
    cls: type
    unstructure: Unstructure
    structure: Structure


_by_name: dict[str, Form] = {}
_by_type: dict[type, Form] = {}
_lock = threading.Lock()
_loaded = False


def register(cls: type, name: str, *, unstructure: Unstructure, structure: Structure) -> None:
    """Declare the data form of ``cls`` under ``name`` (a name is taken once, by one type)."""
    form = Form(name=name, cls=cls, unstructure=unstructure, structure=structure)
    with _lock:
        known = _by_name.get(name)
        if known is not None and known.cls is not cls:
            raise UnknownValueError(
                f"data form name {name!r} is taken by {known.cls.__qualname__}; choose another name"
            )
        _by_name[name] = form
        _by_type[cls] = form


def _load_domain_forms() -> None:
    global _loaded
    if _loaded:
        return
    for module in _DOMAIN_MODULES:
        importlib.import_module(module)
    _loaded = True


def forms() -> tuple[Form, ...]:
    """Every registered form, the library's own included."""
    _load_domain_forms()
    return tuple(_by_name.values())


def form_for_value(value: object) -> Form:
    """The form of ``value``'s type (or of its nearest registered base class)."""
    _load_domain_forms()
    for cls in type(value).__mro__:
        form = _by_type.get(cls)
        if form is not None:
            return form
    raise UnknownValueError(
        f"{type(value).__qualname__} has no data form; types with one: "
        f"{allowed_list(sorted(f.cls.__qualname__ for f in _by_name.values()))}"
    )


def form_for_name(name: object, path: str) -> Form:
    """The form called ``name`` in stored data."""
    _load_domain_forms()
    form = _by_name.get(name) if isinstance(name, str) else None
    if form is None:
        raise DataError(
            f"unknown type {name!r}; allowed: {allowed_list(sorted(_by_name))}", path=path
        )
    return form
