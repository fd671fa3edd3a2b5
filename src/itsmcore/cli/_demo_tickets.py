"""The tickets section of ``itsmcore demo``: an incident, a service request and a problem."""

from __future__ import annotations

import pendulum

from itsmcore.errors import InvalidTransitionError
from itsmcore.incidents import auto_close, open_incident
from itsmcore.problems import link_incident, mark_known_error, open_problem
from itsmcore.requests import CatalogItem, open_request
from itsmcore.workflow import Record

__all__ = ["demo_tickets"]

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="UTC")


def _trail(record: Record) -> None:
    for event in record.history:
        what = event.transition or event.kind
        move = f"{event.source} -> {event.target}" if event.source != event.target else ""
        changed = ", ".join(sorted(event.changes))
        line = (
            f"  v{event.seq:<2} {event.at:%m-%d %H:%M}  {event.actor:<8} "
            f"{what:<16} {move:<28} {changed}"
        ).rstrip()
        print(line if len(line) <= 100 else line[:97] + "...")


def demo_tickets() -> None:
    """Print a short walk through the three ticket types on fixed instants."""
    inc = open_incident(
        "INC0001002",
        at=T0,
        actor="desk",
        caller="carla",
        short_description="Email down for sales",
        impact=2,
        urgency=1,
    )
    print(f"Incident {inc.number}: priority {inc.priority} {inc.priority_label}")
    inc = inc.update(
        {"impact": 1, "assignment_group": "messaging"}, at=T0.add(minutes=3), actor="ann"
    )
    inc = inc.apply("start", at=T0.add(minutes=9), actor="ann")
    inc = inc.update({"assignment_group": "network"}, at=T0.add(minutes=30), actor="ann")
    inc = inc.apply(
        "hold",
        at=T0.add(minutes=40),
        actor="nina",
        fields={"hold_reason": "awaiting_vendor"},
    )
    try:
        inc.apply("close", at=T0.add(hours=1), actor="nina")
    except InvalidTransitionError as error:
        print(f"  refused: {error}")
    inc = inc.apply(
        "resolve",
        at=T0.add(hours=2),
        actor="nina",
        fields={"resolution_code": "solved", "resolution_notes": "renewed MX certificate"},
    )
    inc = auto_close(inc, at=T0.add(days=8), after_days=7)
    _trail(inc)
    print(
        f"  now {inc.state}, priority {inc.priority} {inc.priority_label}, "
        f"reassignments {inc.reassignment_count}, resolved by {inc.resolved_by}"
    )

    laptop = CatalogItem(name="Developer laptop", needs_approval=True)
    ritm = open_request("RITM0010001", at=T0, actor="sam", item=laptop, requested_for="sam")
    ritm = ritm.apply("request_approval", at=T0, actor="sam")
    ritm = ritm.apply("approve", at=T0.add(hours=3), actor="boss")
    ritm = ritm.apply("complete", at=T0.add(days=2), actor="hw")
    print(f"\nRequest {ritm.number} for {ritm.catalog_item}: {ritm.state}, {ritm.approval}")

    prb = open_problem(
        "PRB0040001", at=T0, actor="pm", short_description="MX certificates expire unnoticed"
    )
    prb = link_incident(prb, inc.number, at=T0.add(days=1), actor="pm")
    prb = prb.apply("assess", at=T0.add(days=1), actor="pm")
    prb = prb.apply("confirm", at=T0.add(days=1), actor="pm")
    prb = mark_known_error(prb, workaround="renew by hand", at=T0.add(days=1, hours=1), actor="pm")
    prb = prb.apply(
        "fix", at=T0.add(days=2), actor="eng", fields={"root_cause": "no renewal automation"}
    )
    prb = prb.apply(
        "resolve", at=T0.add(days=4), actor="eng", fields={"fix_notes": "automated renewal"}
    )
    print(
        f"Problem {prb.number}: {prb.state} ({prb.resolution_code}), known error "
        f"{prb.known_error}, incidents {sorted(prb.incidents)}, version {prb.version}"
    )
