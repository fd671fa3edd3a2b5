"""Registers itsmcore's strategies with hypothesis, so ``st.from_type`` works for our types.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry point declared
in ``pyproject.toml``, once, whenever hypothesis is imported, in every project that has itsmcore
installed. So the hook loads nothing: it registers the types of the itsmcore packages already
imported, and registers the others the moment their package finishes importing (a small
import-system finder that watches only those package names). Each registered strategy is a
resolver that imports its strategies module on first use, so ``import hypothesis`` costs the
same with or without itsmcore installed.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

__all__: list[str] = []

_STRATEGIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # package that defines the types: (type name, strategies module, strategy factory)
    "pendulum": (("DateTime", "_time_strategies", "aware_datetimes"),),
    "itsmcore.priority": (
        ("Level", "_priority_strategies", "priority_levels"),
        ("Scale", "_priority_strategies", "priority_scales"),
        ("PriorityMatrix", "_priority_strategies", "priority_matrices"),
        ("Cell", "_priority_strategies", "matrix_cells"),
        ("ImpactRule", "_priority_strategies", "impact_rules"),
        ("ImpactRules", "_priority_strategies", "impact_rule_sets"),
        ("ImpactFacts", "_priority_strategies", "impact_facts"),
        ("ImpactAssessment", "_priority_strategies", "impact_assessments"),
    ),
    "itsmcore.workflow": (
        ("Workflow", "_workflow_strategies", "workflows"),
        ("Record", "_record_strategies", "records"),
    ),
    "itsmcore.incidents": (("Incident", "_ticket_strategies", "incidents"),),
    "itsmcore.requests": (
        ("ServiceRequest", "_ticket_strategies", "service_requests"),
        ("CatalogItem", "_ticket_strategies", "catalog_items"),
    ),
    "itsmcore.problems": (("Problem", "_ticket_strategies", "problems"),),
    "itsmcore.sla": (
        ("BusinessCalendar", "_calendar_strategies", "business_calendars"),
        ("CombinedCalendar", "_calendar_strategies", "combined_calendars"),
        ("WeeklySchedule", "_calendar_strategies", "weekly_schedules"),
        ("Holiday", "_calendar_strategies", "calendar_holidays"),
        ("RecurringHoliday", "_calendar_strategies", "recurring_holidays"),
        ("CountryHolidays", "_calendar_strategies", "country_holidays"),
        ("Override", "_calendar_strategies", "calendar_overrides"),
        ("SlaDefinition", "_sla_strategies", "sla_definitions"),
        ("SlaSet", "_sla_strategies", "sla_sets"),
        ("StateIn", "_sla_strategies", "state_in_conditions"),
        ("FieldIn", "_sla_strategies", "field_in_conditions"),
        ("EventIs", "_sla_strategies", "event_is_conditions"),
        ("ActorIs", "_sla_strategies", "actor_is_conditions"),
        ("TicketTypeIn", "_sla_strategies", "ticket_type_in_conditions"),
        ("AllOf", "_sla_strategies", "all_of_conditions"),
        ("AnyOf", "_sla_strategies", "any_of_conditions"),
        ("Not", "_sla_strategies", "not_conditions"),
    ),
    "itsmcore.cmdb": (
        ("CI", "_cmdb_strategies", "cis"),
        ("CMDB", "_cmdb_strategies", "cmdbs"),
        ("RelationshipType", "_cmdb_strategies", "relationship_types"),
        ("RelationshipTypes", "_cmdb_strategies", "relationship_type_registries"),
        ("Relationship", "_cmdb_strategies", "relationships"),
        ("RedundancyGroup", "_cmdb_strategies", "redundancy_groups"),
    ),
    "itsmcore.changes": (
        ("Change", "_change_strategies", "changes"),
        ("Stage", "_change_strategies", "approval_stages"),
        ("PolicyCondition", "_change_strategies", "policy_conditions"),
        ("PolicyRule", "_change_strategies", "policy_rules"),
        ("ApprovalPolicy", "_change_strategies", "approval_policies"),
        ("ChangeTemplate", "_change_strategies", "change_templates"),
        ("Delegation", "_change_strategies", "delegations"),
        ("PlannedChange", "_change_strategies", "planned_changes"),
        ("Conflict", "_change_strategies", "change_conflicts"),
        ("ChangeWindow", "_change_strategies", "change_windows"),
        ("RiskCondition", "_change_strategies", "risk_conditions"),
        ("RiskRule", "_change_strategies", "risk_rules"),
        ("Question", "_change_strategies", "risk_questions"),
        ("Questionnaire", "_change_strategies", "risk_questionnaires"),
        ("RiskModel", "_change_strategies", "risk_models"),
    ),
}
"""Each domain registers its types here, one entry per package."""

_pending: set[str] = set()
_lock = threading.Lock()


def _resolver(module: str, factory: str) -> Callable[[type], st.SearchStrategy[Any]]:
    """A strategy for ``st.register_type_strategy`` that imports its module when first used."""

    def resolve(_: type) -> st.SearchStrategy[Any]:
        strategies = importlib.import_module(f"itsmcore.testing.{module}")
        strategy: st.SearchStrategy[Any] = getattr(strategies, factory)()
        return strategy

    return resolve


def _register(package: str, module: ModuleType) -> None:
    for type_name, strategies, factory in _STRATEGIES[package]:
        kind = getattr(module, type_name, None)
        if isinstance(kind, type):
            st.register_type_strategy(kind, _resolver(strategies, factory))


class _Loader(importlib.abc.Loader):
    """Runs a package's own loader, then registers the package's types."""

    def __init__(self, loader: importlib.abc.Loader, package: str) -> None:
        self._loader = loader
        self._package = package

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _register(self._package, module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_resource_reader, ...
        return getattr(self._loader, name)


class _RegisterOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of a watched package found by the other finders."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        with _lock:
            if fullname not in _pending:
                return None
            _pending.discard(fullname)
            if not _pending and self in sys.meta_path:
                sys.meta_path.remove(self)
        for finder in list(sys.meta_path):
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _Loader(spec.loader, fullname)
                return spec
        return None


def _hypothesis_setup_hook() -> None:
    with _lock:
        for package in _STRATEGIES:
            module = sys.modules.get(package)
            if module is not None:
                _register(package, module)
            else:
                _pending.add(package)
        if _pending and not any(isinstance(f, _RegisterOnImport) for f in sys.meta_path):
            sys.meta_path.insert(0, _RegisterOnImport())
