"""Health rollup, blast radius, affected services and contacts."""

from __future__ import annotations

from hypothesis import given

from itsmcore.cmdb import (
    CI,
    CMDB,
    DEGRADED_STATUSES,
    DOWN_STATUSES,
    ImpactState,
    OperationalStatus,
)
from itsmcore.testing.strategies import cmdbs


def _shop() -> CMDB:
    cmdb = CMDB()
    cmdb.add_cis(
        [
            CI(id="shop", ci_class="business_service", criticality=1, owner="ann"),
            CI(id="blog", ci_class="business_service", criticality=3),
            CI(id="app", ci_class="application", support_group="apps"),
            CI(id="db1", ci_class="database", support_group="dba"),
            CI(id="db2", ci_class="database", support_group="dba"),
        ]
    )
    cmdb.add_relationships(
        [
            ("shop", "Depends on", "app"),
            ("blog", "Depends on", "db2"),
            ("app", "Depends on", "db1"),
            ("app", "Depends on", "db2"),
        ]
    )
    cmdb.add_redundancy_group("app", ["db1", "db2"], 1)
    return cmdb


def test_blast_radius_lists_services_and_contacts() -> None:
    radius = _shop().blast_radius(["db2"])
    assert radius.down == {"db2", "blog"}
    assert radius.degraded == {"app", "shop"}
    assert [(s.ci_id, s.state, s.criticality) for s in radius.services] == [
        ("shop", ImpactState.DEGRADED, 1),
        ("blog", ImpactState.DOWN, 3),
    ]
    assert [(c.name, c.role, c.cis) for c in radius.contacts] == [
        ("apps", "support_group", frozenset({"app"})),
        ("dba", "support_group", frozenset({"db2"})),
        ("ann", "owner", frozenset({"shop"})),
    ]


def test_health_rolls_statuses_up_to_services() -> None:
    cmdb = _shop()
    assert cmdb.health().up == {"shop", "blog"}
    cmdb.update_ci(CI(id="db1", ci_class="database", status=OperationalStatus.NON_OPERATIONAL))
    cmdb.update_ci(CI(id="db2", ci_class="database", status=OperationalStatus.DEGRADED))
    health = cmdb.health()  # db2 still serves (degraded): one of two is enough for the app
    assert health.down == set()
    assert health.degraded == {"shop", "blog"}
    cmdb.update_ci(CI(id="db2", ci_class="database", status="repair_in_progress"))
    assert cmdb.health().down == {"shop", "blog"}


@given(cmdb=cmdbs())
def test_health_equals_impact_of_failing_statuses(cmdb: CMDB) -> None:
    down = [c.id for c in cmdb.cis() if c.status in DOWN_STATUSES]
    degraded = [c.id for c in cmdb.cis() if c.status in DEGRADED_STATUSES]
    result = cmdb.impact(down, degraded=degraded)
    health = cmdb.health()
    assert set(health.states) == {c.id for c in cmdb.services()}
    for service, state in health.states.items():
        assert state is result.state(service)
    services = cmdb.affected_services(result)
    assert {s.ci_id for s in services} == {c for c in health.states if c in result}
