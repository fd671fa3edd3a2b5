"""The itsmcore pytest plugin (registered through the ``pytest11`` entry point).

It gives every test session two fixtures, so an adapter's tests need no imports for them:

* ``memory_store``: a new, empty :class:`~itsmcore.repositories.MemoryStore`;
* ``itsm_contract``: the :class:`~itsmcore.testing.contract.StoreContract` class, for
  ``class TestMine(itsm_contract)``-style use in conftest-generated suites.

Loading the plugin imports nothing heavy: the kit is imported when a fixture is used.
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["itsm_contract", "memory_store"]


@pytest.fixture
def memory_store() -> Any:
    """A new, empty in-memory store."""
    from itsmcore.repositories import MemoryStore

    return MemoryStore()


@pytest.fixture
def itsm_contract() -> Any:
    """The adapter contract kit's base class."""
    from itsmcore.testing.contract import StoreContract

    return StoreContract


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "itsm_contract: a test of the itsmcore storage adapter contract kit"
    )
