"""The shipped strategies are registered: ``st.from_type`` builds every domain type."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB
from itsmcore.incidents import Incident
from itsmcore.priority import Level, PriorityMatrix, Scale
from itsmcore.problems import Problem
from itsmcore.requests import CatalogItem, ServiceRequest
from itsmcore.sla import BusinessCalendar, WeeklySchedule
from itsmcore.testing import strategies
from itsmcore.workflow import Workflow

TYPES = [
    pendulum.DateTime,
    Level,
    Scale,
    PriorityMatrix,
    Workflow,
    Incident,
    ServiceRequest,
    Problem,
    CatalogItem,
    BusinessCalendar,
    WeeklySchedule,
    CI,
    CMDB,
]


@pytest.mark.parametrize("kind", TYPES, ids=lambda t: t.__name__)
def test_from_type_builds_instances(kind: type) -> None:
    @settings(max_examples=5, deadline=None)
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)

    check()


def test_strategies_module_exports_only_strategy_factories() -> None:
    for name in strategies.__all__:
        assert callable(getattr(strategies, name)), name
