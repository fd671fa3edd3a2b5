"""Strategies for tickets: field values for their transitions, and tickets in any state.

``*_fields_for(record, transition)`` functions plug into
:func:`~itsmcore.testing.strategies.workflow_state_machine` so the stateful test passes
sensible values (and sometimes none, to exercise the required-field refusals).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

import pendulum
from hypothesis import strategies as st

from itsmcore.errors import ItsmError
from itsmcore.incidents import HOLD_REASONS, Incident, open_incident
from itsmcore.problems import Problem, open_problem
from itsmcore.requests import CatalogItem, ServiceRequest, open_request
from itsmcore.workflow import Record

__all__ = [
    "catalog_items",
    "incident_fields_for",
    "incident_updates",
    "incidents",
    "problem_fields_for",
    "problem_updates",
    "problems",
    "random_walk",
    "request_fields_for",
    "service_requests",
]

_BASE = pendulum.datetime(2026, 1, 5, 9, tz="UTC")
_PEOPLE = ("alice", "bob", "carol", "dave")
_GROUPS = ("service desk", "network", "database", None)


def incident_updates() -> st.SearchStrategy[Mapping[str, object]]:
    """Field updates an agent makes: impact, urgency, assignment, category."""
    return st.fixed_dictionaries(
        {},
        optional={
            "impact": st.integers(min_value=1, max_value=3),
            "urgency": st.sampled_from([1, 2, 3, "High", "medium", "LOW"]),
            "assignment_group": st.sampled_from(_GROUPS),
            "assigned_to": st.sampled_from((*_PEOPLE, None)),
            "category": st.sampled_from(["network", "software", "hardware"]),
        },
    )


def incident_fields_for(record: Record, transition: str) -> st.SearchStrategy[Mapping[str, object]]:
    """Values for an incident transition: complete most of the time, sometimes missing."""
    complete: st.SearchStrategy[Mapping[str, object]]
    if transition == "hold":
        complete = st.fixed_dictionaries({"hold_reason": st.sampled_from(HOLD_REASONS)})
    elif transition == "resolve":
        complete = st.fixed_dictionaries(
            {
                "resolution_code": st.sampled_from(["solved", "workaround", "duplicate"]),
                "resolution_notes": st.just("restarted the service"),
            }
        )
    else:
        complete = st.just({})
    return st.one_of(complete, complete, st.just({}))


@st.composite
def random_walk(
    draw: st.DrawFn,
    record: Record,
    fields_for: Callable[[Record, str], st.SearchStrategy[Mapping[str, object]]],
    *,
    max_steps: int = 12,
) -> Record:
    """Move ``record`` through up to ``max_steps`` random transitions that go ahead."""
    at = record.history.last.at if record.history.last is not None else _BASE
    for _ in range(draw(st.integers(min_value=0, max_value=max_steps))):
        options = record.workflow.transitions_from(record.state)
        if not options:
            break
        name = draw(st.sampled_from(options))
        at = at + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)))
        try:
            record = record.apply(
                name,
                at=at,
                actor=draw(st.sampled_from(_PEOPLE)),
                comment="see ticket",
                fields=draw(fields_for(record, name)),
            )
        except ItsmError:
            continue
    return record


@st.composite
def incidents(draw: st.DrawFn, *, max_steps: int = 12) -> Incident:
    """Incidents in any state, reached by random allowed transitions and field updates."""
    incident = open_incident(
        draw(st.from_regex(r"INC[0-9]{7}", fullmatch=True)),
        at=_BASE + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))),
        actor=draw(st.sampled_from(_PEOPLE)),
        caller=draw(st.sampled_from(_PEOPLE)),
        short_description="something is broken",
        impact=draw(st.integers(min_value=1, max_value=3)),
        urgency=draw(st.integers(min_value=1, max_value=3)),
        fields={"assignment_group": draw(st.sampled_from(_GROUPS))},
    )
    last = incident.history.last
    if last is not None and draw(st.booleans()):
        incident = incident.update(draw(incident_updates()), at=last.at, actor="alice")
    walked = draw(random_walk(incident, incident_fields_for, max_steps=max_steps))
    assert isinstance(walked, Incident)  # noqa: S101 - random_walk keeps the record type
    return walked


def catalog_items() -> st.SearchStrategy[CatalogItem]:
    """Catalog items, with and without approval."""
    return st.builds(
        CatalogItem,
        name=st.sampled_from(["Laptop", "Monitor", "VPN access", "Mailbox"]),
        needs_approval=st.booleans(),
        fulfilment_group=st.sampled_from([None, "hardware", "access"]),
    )


def request_fields_for(record: Record, transition: str) -> st.SearchStrategy[Mapping[str, object]]:
    """Values for a service request transition: complete most of the time."""
    complete: st.SearchStrategy[Mapping[str, object]]
    if transition == "pend":
        complete = st.just({"pending_reason": "awaiting stock"})
    elif transition in ("close_incomplete", "skip", "reject"):
        complete = st.just({"close_notes": "not needed any more"})
    else:
        complete = st.just({})
    return st.one_of(complete, complete, st.just({}))


@st.composite
def service_requests(draw: st.DrawFn, *, max_steps: int = 10) -> ServiceRequest:
    """Service requests in any state, reached by random allowed transitions."""
    request = open_request(
        draw(st.from_regex(r"RITM[0-9]{7}", fullmatch=True)),
        at=_BASE + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))),
        actor=draw(st.sampled_from(_PEOPLE)),
        item=draw(catalog_items()),
        requested_for=draw(st.sampled_from(_PEOPLE)),
        quantity=draw(st.integers(min_value=1, max_value=5)),
    )
    walked = draw(random_walk(request, request_fields_for, max_steps=max_steps))
    assert isinstance(walked, ServiceRequest)  # noqa: S101 - random_walk keeps the record type
    return walked


def problem_fields_for(record: Record, transition: str) -> st.SearchStrategy[Mapping[str, object]]:
    """Values for a problem transition: complete most of the time."""
    complete: st.SearchStrategy[Mapping[str, object]] = st.just({})
    if transition == "fix":
        complete = st.just({"root_cause": "expired certificate"})
    elif transition in ("resolve", "complete"):
        complete = st.just({"fix_notes": "renewed and automated renewal"})
    elif transition == "accept_risk":
        complete = st.just({"risk_accepted_reason": "legacy system retires next quarter"})
    elif transition == "mark_duplicate":
        complete = st.sampled_from(
            [{"duplicate_of": "PRB0000001"}, {"duplicate_of": record.number}]
        )
    return st.one_of(complete, complete, st.just({}))


def problem_updates() -> st.SearchStrategy[Mapping[str, object]]:
    """Field updates on a problem: known error flag, workaround, linked incidents."""
    return st.fixed_dictionaries(
        {},
        optional={
            "known_error": st.booleans(),
            "workaround": st.sampled_from([None, "restart the gateway"]),
            "incidents": st.frozensets(st.sampled_from(["INC1", "INC2", "INC3"])),
            "assigned_to": st.sampled_from(_PEOPLE),
        },
    )


@st.composite
def problems(draw: st.DrawFn, *, max_steps: int = 10) -> Problem:
    """Problems in any state, reached by random allowed transitions."""
    problem = open_problem(
        draw(st.from_regex(r"PRB[0-9]{7}", fullmatch=True)),
        at=_BASE + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))),
        actor=draw(st.sampled_from(_PEOPLE)),
        short_description="recurring VPN drops",
        incidents=draw(st.frozensets(st.sampled_from(["INC1", "INC2", "INC3"]))),
    )
    walked = draw(random_walk(problem, problem_fields_for, max_steps=max_steps))
    assert isinstance(walked, Problem)  # noqa: S101 - random_walk keeps the record type
    return walked
