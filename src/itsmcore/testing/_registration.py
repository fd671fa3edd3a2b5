"""Registers itsmcore's strategies with hypothesis so ``st.from_type`` works for our types.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry point
declared in ``pyproject.toml``, once, when hypothesis is imported.
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB
from itsmcore.incidents import Incident
from itsmcore.priority import Level, PriorityMatrix, Scale
from itsmcore.problems import Problem
from itsmcore.requests import CatalogItem, ServiceRequest
from itsmcore.sla import BusinessCalendar, WeeklySchedule
from itsmcore.testing import (
    _calendar_strategies,
    _cmdb_strategies,
    _priority_strategies,
    _ticket_strategies,
    _time_strategies,
    _workflow_strategies,
)
from itsmcore.workflow import Workflow

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    st.register_type_strategy(pendulum.DateTime, _time_strategies.aware_datetimes())
    # Each domain registers its types below, one call per domain.
    st.register_type_strategy(CI, _cmdb_strategies.cis())
    st.register_type_strategy(CMDB, _cmdb_strategies.cmdbs())
    st.register_type_strategy(BusinessCalendar, _calendar_strategies.business_calendars())
    st.register_type_strategy(WeeklySchedule, _calendar_strategies.weekly_schedules())
    st.register_type_strategy(Level, _priority_strategies.priority_levels())
    st.register_type_strategy(Scale, _priority_strategies.priority_scales())
    st.register_type_strategy(PriorityMatrix, _priority_strategies.priority_matrices())
    st.register_type_strategy(Workflow, _workflow_strategies.workflows())
    st.register_type_strategy(Incident, _ticket_strategies.incidents())
    st.register_type_strategy(ServiceRequest, _ticket_strategies.service_requests())
    st.register_type_strategy(Problem, _ticket_strategies.problems())
    st.register_type_strategy(CatalogItem, _ticket_strategies.catalog_items())
