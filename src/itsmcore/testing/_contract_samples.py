"""Sample data for the adapter contract kit: tickets of every type, a CMDB, documents."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from itsmcore.cmdb import CI, CMDB
from itsmcore.data import unstructure
from itsmcore.workflow import Record, replay

__all__ = [
    "BASE",
    "cmdb_parts",
    "renumbered",
    "sample_cmdb",
    "sample_tickets",
    "unique_number",
]

BASE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
"""A Monday morning, UTC: the samples' clock starts here."""

_counter = itertools.count(1)
_counter_lock = threading.Lock()


def unique_number(prefix: str = "T") -> str:
    """A ticket number not used before in this process."""
    with _counter_lock:
        return f"{prefix}{next(_counter):07d}"


def renumbered(record: Record, number: str) -> Record:
    """``record`` with its history under another number (same type, workflow, events)."""
    return replay(record.workflow, number, record.history, record_type=type(record))


def sample_tickets(prefix: str = "") -> list[Record]:
    """Twelve tickets of all four types, in assorted states, groups, CIs and services."""
    from itsmcore.changes import open_change
    from itsmcore.incidents import open_incident
    from itsmcore.problems import open_problem
    from itsmcore.requests import CatalogItem, open_request

    out: list[Record] = []
    groups = ("network", "database", "desk")
    people = ("ann", "bob", None)
    for i in range(6):
        at = BASE + timedelta(hours=i)
        fields: dict[str, Any] = {
            "assignment_group": groups[i % 3],
            "configuration_item": f"ci-{i % 2}",
            "service": "mail" if i % 2 else "web",
        }
        if people[i % 3] is not None:
            fields["assigned_to"] = people[i % 3]
        inc = open_incident(
            f"{prefix}INC{i:04d}",
            at=at,
            actor="desk",
            caller="carla",
            short_description=f"incident {i}",
            impact=1 + i % 3,
            urgency=1 + (i // 2) % 3,
            fields=fields,
        )
        if i % 3 >= 1:
            inc = inc.apply("start", at=at + timedelta(minutes=5), actor="ann")
        if i % 3 == 2:
            inc = inc.note("rebooted the switch", at=at + timedelta(minutes=9), actor="ann")
            inc = inc.apply(
                "resolve",
                at=at + timedelta(minutes=30),
                actor="ann",
                fields={"resolution_code": "solved", "resolution_notes": "rebooted"},
            )
        if i == 5:
            inc = inc.apply("close", at=at + timedelta(days=3), actor="desk")
        out.append(inc)
    item = CatalogItem(name="laptop", fulfilment_group="desk")
    for i in range(2):
        out.append(
            open_request(
                f"{prefix}REQ{i:04d}",
                at=BASE + timedelta(hours=i, minutes=30),
                actor="desk",
                item=item,
                requested_for="dave",
                fields={"assigned_to": "bob"} if i else None,
            )
        )
    for i in range(2):
        out.append(
            open_problem(
                f"{prefix}PRB{i:04d}",
                at=BASE + timedelta(hours=2 * i, minutes=45),
                actor="ann",
                short_description=f"problem {i}",
                incidents=[f"{prefix}INC{i:04d}"],
                fields={"configuration_item": "ci-0", "assignment_group": "network"},
            )
        )
    for i in range(2):
        out.append(
            open_change(
                f"{prefix}CHG{i:04d}",
                at=BASE + timedelta(hours=3 * i, minutes=15),
                actor="bob",
                requester="bob",
                short_description=f"change {i}",
                affected_cis=["ci-0", "ci-1"] if i else ["ci-1"],
                fields={"assignment_group": "network"},
            )
        )
    return out


def sample_cmdb() -> CMDB:
    """A small CMDB: a service on two apps on a clustered database, with a redundancy group."""
    cmdb = CMDB()
    cmdb.add_cis(
        [
            CI(id="mail", ci_class="business_service", criticality=1),
            CI(id="app-1", ci_class="application", support_group="apps"),
            CI(id="app-2", ci_class="application", attributes={"version": "2.1"}),
            CI(id="db-1", ci_class="database", owner="dba"),
            CI(id="db-2", ci_class="database", status="degraded"),
        ]
    )
    cmdb.add_relationships(
        [
            ("mail", "Depends on", "app-1"),
            ("mail", "Depends on", "app-2"),
            ("app-1", "Depends on", "db-1"),
            ("app-1", "Depends on", "db-2"),
            ("app-2", "Depends on", "db-1"),
        ]
    )
    cmdb.add_redundancy_group("app-1", ["db-1", "db-2"])
    return cmdb


def cmdb_parts(cmdb: CMDB) -> dict[str, Any]:
    """What a stored CMDB must give back, in an order-free form (for comparisons)."""
    return {
        "cis": sorted((ci.id, repr(unstructure(ci))) for ci in cmdb.cis()),
        "relationships": sorted((r.parent, r.type, r.child) for r in cmdb.relationships()),
        "groups": sorted(repr(unstructure(g)) for g in cmdb.redundancy_groups()),
        "types": sorted(t.name for t in cmdb.relationship_types),
        "service_classes": sorted(cmdb.service_classes),
    }
