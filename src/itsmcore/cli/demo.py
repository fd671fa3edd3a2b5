"""``itsmcore demo``: a tour of the library on sample data, printed to stdout."""

from __future__ import annotations

from collections.abc import Callable

from itsmcore.cli import _demo_calendar, _demo_cmdb, _demo_priority, _demo_tickets

__all__ = ["run_demo"]

Section = Callable[[], None]


def _sections() -> list[tuple[str, Section]]:
    # Each capability contributes one section, in the order a service desk meets them.
    return [
        ("Priority: impact x urgency matrices", _demo_priority.demo_priority),
        ("Tickets: incidents, requests and problems", _demo_tickets.demo_tickets),
        ("Business-hours calendars: SLA time", _demo_calendar.demo_calendar),
        ("CMDB: impact of an outage", _demo_cmdb.demo_cmdb),
    ]


def run_demo() -> int:
    """Print every demo section; returns 0."""
    for title, section in _sections():
        print(f"\n== {title} ==\n")
        section()
    return 0
