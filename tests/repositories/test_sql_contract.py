"""The SQL adapter passes the whole adapter contract kit on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itsmcore.repositories.sql import SQLStore
from itsmcore.testing.contract import StoreContract, StoreFactory


class TestSQLStore(StoreContract):
    @pytest.fixture
    def make_store(self, make_sql_store: Callable[[], SQLStore]) -> StoreFactory:
        return make_sql_store
