"""The in-memory store passes the whole adapter contract kit."""

from __future__ import annotations

import pytest

from itsmcore.repositories import MemoryStore
from itsmcore.testing.contract import StoreContract, StoreFactory


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def make_store(self) -> StoreFactory:
        return MemoryStore
