"""Every registered data form has a strategy, and every value it draws is storable.

Parametrised over :func:`itsmcore.data.forms`, so a new form is covered the moment it is
registered: ``st.from_type`` must build valid values of it (a form without a registered
strategy fails here, naming where to add one), and each value must come back equal from its
data form as JSON text, from ``pickle`` and from ``copy.deepcopy``.

"Equal" is ``==`` for value types. The two types without value equality (``CMDB``, a mutable
store, and ``RelationshipTypes``, a mutable registry) compare by their data form instead.
"""

from __future__ import annotations

import copy
import importlib
import json
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsmcore import data
from itsmcore.data import Form
from itsmcore.testing import _registration

FORMS = data.forms()

_EXAMPLES = max(5, settings().max_examples // 2)
"""Half the profile's examples per form (15 by default): 47 forms stay within seconds each."""


def _registered(form: Form) -> bool:
    """Whether the test kit registers a strategy for exactly this form's class."""
    package = ".".join(form.cls.__module__.split(".")[:2])
    declared = {name for name, _, _ in _registration._STRATEGIES.get(package, ())}
    module = importlib.import_module(package)
    return form.cls.__name__ in declared and getattr(module, form.cls.__name__) is form.cls


def _has_value_equality(value: object) -> bool:
    return type(value).__eq__ is not object.__eq__


def _assert_same(again: object, value: object, how: str) -> None:
    assert type(again) is type(value), f"{how} gave a {type(again).__name__}"
    if _has_value_equality(value):
        assert again == value, f"{how} changed the value"
    assert data.to_data(again) == data.to_data(value), f"{how} changed the data form"


def test_the_forms_cover_every_package() -> None:
    names = {form.name for form in FORMS}
    assert {"record", "workflow", "priority-matrix", "business-calendar", "sla-set"} <= names
    assert {"cmdb", "change-approval-policy", "risk-model"} <= names


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_every_form_has_a_strategy_and_round_trips(form: Form) -> None:
    assert _registered(form), (
        f"data form {form.name!r} ({form.cls.__module__}.{form.cls.__qualname__}) has no "
        "hypothesis strategy: add one to src/itsmcore/testing/_*_strategies.py, export it "
        "from itsmcore.testing.strategies and register it in _registration._STRATEGIES"
    )
    if form.name == "country-holidays":
        pytest.importorskip("holidays")

    @settings(max_examples=_EXAMPLES)
    @given(st.from_type(form.cls))
    def check(value: Any) -> None:
        assert isinstance(value, form.cls)
        if attrs.has(type(value)):
            attrs.validate(value)  # the validators hold (constructors ran them already)
        text = data.dumps(value)
        json.loads(text)  # plain JSON text
        _assert_same(data.loads(text), value, "the data form (as JSON text)")
        _assert_same(data.loads(text, form.cls), value, "the data form read as its class")
        _assert_same(pickle.loads(pickle.dumps(value)), value, "pickle")  # noqa: S301 (ours)
        _assert_same(copy.deepcopy(value), value, "copy.deepcopy")

    check()


def test_a_form_without_a_strategy_is_reported() -> None:
    class Unknown:
        pass

    form = Form(name="unknown", cls=Unknown, unstructure=lambda v: {}, structure=lambda b, p: b)
    Unknown.__module__ = "itsmcore.priority"
    assert not _registered(form)
