"""itsmcore.changes states its public API in ``__all__`` (and nothing else is public)."""

from __future__ import annotations

import types

import itsmcore.changes as changes


def test_all_is_the_public_api() -> None:
    exported = set(changes.__all__)
    assert all(hasattr(changes, name) for name in exported)
    stray = [
        name
        for name, value in vars(changes).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith("itsmcore")
        and name not in exported
    ]
    assert stray == []
