"""Opening incidents, priority from the matrix, recorded impact/urgency changes."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import UnknownValueError, ValidationError
from itsmcore.incidents import Incident, incident_workflow, open_incident
from itsmcore.priority import preset

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
LABELS = {"high": 1, "medium": 2, "low": 3}
PRIORITY_LABELS = {1: "Critical", 2: "High", 3: "Moderate", 4: "Low", 5: "Planning"}


def servicenow_oracle(impact: int | str, urgency: int | str) -> int:
    """ServiceNow's sample lookup table (reference doc): priority = impact + urgency - 1."""
    i = LABELS[impact.lower()] if isinstance(impact, str) else impact
    u = LABELS[urgency.lower()] if isinstance(urgency, str) else urgency
    return i + u - 1


def make(impact: int | str = 2, urgency: int | str = 3, **kw: object) -> Incident:
    return open_incident(
        "INC0000042",
        at=T0,
        actor="desk",
        caller="carla",
        short_description="VPN drops",
        impact=impact,
        urgency=urgency,
        **kw,  # type: ignore[arg-type]
    )


levels = st.sampled_from([1, 2, 3, "High", "medium", "LOW"])


@given(impact=levels, urgency=levels)
def test_priority_is_servicenows_matrix(impact: int | str, urgency: int | str) -> None:
    incident = make(impact, urgency)
    expected = servicenow_oracle(impact, urgency)
    assert incident.priority == expected
    assert incident.priority_label == PRIORITY_LABELS[expected]


@given(changes=st.lists(st.tuples(st.sampled_from(["impact", "urgency"]), levels), max_size=6))
def test_impact_and_urgency_changes_are_recorded_and_recompute_priority(
    changes: list[tuple[str, int | str]],
) -> None:
    incident = make()
    at = T0
    for name, value in changes:
        at = at.add(minutes=1)
        before = incident
        incident = incident.update({name: value}, at=at, actor="ann")
        if incident is before:
            assert before.fields[name] == value
            continue
        last = incident.history.last
        assert last is not None
        assert last.kind == "update"
        assert last.source == last.target == "new"
        assert last.changes[name] == (before.fields[name], value)
        assert incident.priority == servicenow_oracle(incident.impact, incident.urgency)  # type: ignore[arg-type]
        if incident.priority != before.priority:
            assert last.changes["priority"] == (before.priority, incident.priority)
        else:
            assert "priority" not in last.changes


def test_an_injected_matrix_is_used() -> None:
    glpi = preset("glpi")
    incident = open_incident(
        "INC1",
        at=T0,
        actor="a",
        caller="c",
        short_description="s",
        impact=5,
        urgency=4,
        matrix=glpi,
    )
    assert incident.priority == glpi.lookup(5, 4).value
    assert incident.workflow.name == incident_workflow(glpi).name == "incident"


def test_bad_values_are_refused() -> None:
    with pytest.raises(UnknownValueError):
        make(impact=7)
    with pytest.raises(UnknownValueError, match="unknown field 'colour'"):
        make(fields={"colour": "red"})
    incident = make()
    with pytest.raises(UnknownValueError):
        incident.update({"urgency": "whenever"}, at=T0, actor="a")
    assert incident.version == 1


def test_typed_views() -> None:
    incident = make(
        fields={
            "category": "network",
            "assignment_group": "network",
            "assigned_to": "nina",
            "configuration_item": "vpn-gw-1",
            "service": "Remote access",
        }
    )
    assert (incident.caller, incident.short_description, incident.category) == (
        "carla",
        "VPN drops",
        "network",
    )
    assert (incident.assignment_group, incident.assigned_to) == ("network", "nina")
    assert (incident.configuration_item, incident.service) == ("vpn-gw-1", "Remote access")
    assert (incident.impact, incident.urgency) == (2, 3)
    assert (incident.reopen_count, incident.reassignment_count) == (0, 0)
    assert incident.get("missing", "n/a") == "n/a"


def test_protected_fields_are_set_only_by_the_workflow() -> None:
    incident = make()
    for name, value in [("priority", 1), ("reopen_count", 5), ("resolved_by", "me")]:
        with pytest.raises(ValidationError, match=f"field '{name}' is set by the workflow"):
            incident.update({name: value}, at=T0, actor="a")
    with pytest.raises(ValidationError, match="field 'priority' is set by the workflow"):
        incident.apply("start", at=T0, actor="a", fields={"priority": 1})
    assert incident.version == 1


def test_protected_fields_cannot_be_given_at_creation() -> None:
    with pytest.raises(ValidationError, match="field 'reopen_count' is set by the workflow"):
        make(fields={"reopen_count": 3})


def test_snapshots_copy_as_themselves_even_with_long_histories() -> None:
    import copy

    import pendulum

    from itsmcore.incidents import open_incident

    t0 = pendulum.datetime(2026, 1, 5, 9, tz="UTC")
    inc = open_incident(
        "INC9", at=t0, actor="desk", caller="c", short_description="x", impact=2, urgency=2
    )
    for i in range(3000):
        inc = inc.note(f"n{i}", at=t0.add(seconds=i + 1), actor="desk")
    assert copy.deepcopy(inc) is inc
    assert copy.copy(inc) is inc
    assert len(inc.history) == inc.version == 3001
