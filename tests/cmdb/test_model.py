"""CI values: validation, defaults, and the cheap representation of empty attributes."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB, ImpactState, OperationalStatus
from itsmcore.errors import ValidationError
from itsmcore.testing.strategies import cis


def test_defaults_and_label() -> None:
    ci = CI(id="db01", ci_class="database")
    assert ci.status is OperationalStatus.OPERATIONAL
    assert ci.attributes is None
    assert ci.criticality is None
    assert ci.label == "db01"
    assert CI(id="db01", ci_class="database", name="Orders DB").label == "Orders DB"


def test_empty_attributes_are_stored_as_none_and_others_read_only() -> None:
    assert CI(id="a", ci_class="vm", attributes={}).attributes is None
    ci = CI(id="a", ci_class="vm", attributes={"os": "linux"})
    assert ci.attributes == {"os": "linux"}
    with pytest.raises(TypeError):
        ci.attributes["os"] = "windows"  # type: ignore[index]


def test_status_accepts_its_value_string() -> None:
    assert CI(id="a", ci_class="vm", status="degraded").status is OperationalStatus.DEGRADED


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"id": "", "ci_class": "vm"}, "id must be a string that is not blank"),
        ({"id": "a", "ci_class": ""}, "ci_class must be a string that is not blank"),
        ({"id": "a", "ci_class": "vm", "criticality": 0}, "criticality"),
        ({"id": "a", "ci_class": "vm", "criticality": True}, "criticality"),
        ({"id": "a", "ci_class": "vm", "status": "broken"}, "'broken'; allowed: 'operational'"),
        ({"id": "a", "ci_class": "vm", "attributes": {"k": [1]}}, "attribute 'k'"),
        ({"id": "a", "ci_class": "vm", "name": 3}, "name must be a string"),
    ],
)
def test_bad_values_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        CI(**kwargs)  # type: ignore[arg-type]


@given(ci=cis())
def test_cis_are_frozen_hashable_values(ci: CI) -> None:
    assert attrs.evolve(ci) == ci
    assert hash(attrs.evolve(ci)) == hash(ci)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ci.name = "x"  # type: ignore[misc]


def test_impact_states_are_ordered() -> None:
    assert max(ImpactState.DEGRADED, ImpactState.DOWN) is ImpactState.DOWN
    assert ImpactState.DEGRADED.label == "degraded"


@given(ci=st.from_type(CI), cmdb=st.from_type(CMDB))
def test_strategies_are_registered_for_from_type(ci: CI, cmdb: CMDB) -> None:
    assert isinstance(ci, CI)
    assert isinstance(cmdb, CMDB)
    assert all(isinstance(c, CI) for c in cmdb.cis())
