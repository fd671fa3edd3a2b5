"""Each package's ``__all__`` is its contract: complete, and nothing in it dangles."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import itsmcore

PACKAGES = [
    *sorted(
        name
        for _, name, is_pkg in pkgutil.walk_packages(itsmcore.__path__, "itsmcore.")
        if is_pkg and not any(part.startswith("_") for part in name.split("."))
    ),
    "itsmcore",
    "itsmcore.errors",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_resolve(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}.__all__ has duplicates"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr!r}"


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_are_exported(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(getattr(module, "__all__", ()))
    stray = [
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith("itsmcore")
        and attr not in exported
    ]
    assert stray == [], f"{name} defines public names outside __all__: {stray}"
