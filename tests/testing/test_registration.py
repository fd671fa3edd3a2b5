"""The shipped strategies are registered: ``st.from_type`` builds every domain type.

The registration is lazy: ``import hypothesis`` loads none of the library, and a type is
registered when its package is imported, before or after hypothesis. Those checks run in a
fresh interpreter each, since this one has imported everything already.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import textwrap

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore.changes import ApprovalPolicy, ChangeTemplate, Delegation, Stage
from itsmcore.cmdb import CI, CMDB
from itsmcore.incidents import Incident
from itsmcore.priority import (
    Cell,
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    Level,
    PriorityMatrix,
    Scale,
)
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
    Cell,
    ImpactRule,
    ImpactRules,
    ImpactFacts,
    ImpactAssessment,
    Workflow,
    Incident,
    ServiceRequest,
    Problem,
    CatalogItem,
    BusinessCalendar,
    WeeklySchedule,
    CI,
    CMDB,
    Stage,
    ApprovalPolicy,
    ChangeTemplate,
    Delegation,
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


def test_strategies_module_exports_every_domain_strategy() -> None:
    import itsmcore.testing

    modules = [
        importlib.import_module(f"itsmcore.testing.{info.name}")
        for info in pkgutil.iter_modules(itsmcore.testing.__path__)
        if info.name.endswith("_strategies")
    ]
    assert len(modules) >= 9
    for module in modules:
        for name in module.__all__:
            if callable(getattr(module, name)):
                assert name in strategies.__all__, f"{module.__name__}.{name} is not exported"


def _fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (plugins on, as in any project) and return stdout."""
    done = subprocess.run(  # noqa: S603 (our own code, run by the test)
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_strategies_module_imports_in_a_fresh_interpreter() -> None:
    out = _fresh(
        """
        import itsmcore.testing.strategies as s
        print(type(s.priority_matrices().example()).__name__)
        """
    )
    assert out.split() == ["PriorityMatrix"]


def test_importing_hypothesis_loads_none_of_the_library() -> None:
    out = _fresh(
        """
        import sys
        import hypothesis
        loaded = sorted(
            m for m in sys.modules
            if m.split(".")[0] in ("itsmcore", "pendulum", "networkx", "attrs", "cattrs")
        )
        print(*loaded)
        """
    )
    assert set(out.split()) <= {
        "itsmcore",
        "itsmcore._pickle",  # a copyreg entry for mapping proxies: standard library only
        "itsmcore.errors",
        "itsmcore.testing",
        "itsmcore.testing._registration",
    }


def test_types_imported_after_hypothesis_are_registered() -> None:
    out = _fresh(
        """
        from hypothesis import strategies as st
        from itsmcore.priority import ImpactRules, PriorityMatrix
        from itsmcore.sla import BusinessCalendar, SlaSet
        from itsmcore.changes import RiskModel
        for kind in (PriorityMatrix, ImpactRules, BusinessCalendar, SlaSet, RiskModel):
            print(type(st.from_type(kind).example()).__name__)
        from itsmcore.workflow import Record
        print(isinstance(st.from_type(Record).example(), Record))
        """
    )
    assert out.split() == [
        "PriorityMatrix",
        "ImpactRules",
        "BusinessCalendar",
        "SlaSet",
        "RiskModel",
        "True",
    ]


def test_types_imported_before_hypothesis_are_registered() -> None:
    out = _fresh(
        """
        from itsmcore.cmdb import CI
        from hypothesis import strategies as st
        print(type(st.from_type(CI).example()).__name__)
        """
    )
    assert out.split() == ["CI"]
