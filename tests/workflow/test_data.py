"""Workflows and records as data: exact round trips, replay checks, paths in every error."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore import data
from itsmcore.changes import ChangeTemplate, default_change_workflow, open_change
from itsmcore.errors import DataError, ItsmError, TransitionRefusedError, UnknownValueError
from itsmcore.incidents import default_incident_workflow, open_incident
from itsmcore.problems import default_problem_workflow
from itsmcore.requests import default_request_workflow
from itsmcore.testing._ticket_strategies import incidents, problems, service_requests
from itsmcore.workflow import (
    Attempt,
    Record,
    RequiredWhen,
    State,
    Transition,
    Workflow,
    registry,
    replay,
    start,
)

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def has_owner(attempt: Attempt) -> bool | str:
    return True if attempt.value("owner") else "assign an owner first"


registry.register_guard("tests.has_owner", has_owner)

DATA = {
    "name": "tests.ticket",
    "version": 1,
    "initial": "new",
    "states": [
        {"name": "new"},
        {"name": "work", "label": "Working"},
        {
            "name": "done",
            "final": True,
            "requires": ["code"],
            "requirements": [{"when": "code", "in": ["failed"], "require": ["comment"]}],
        },
    ],
    "transitions": [
        {"name": "start", "from": ["new"], "to": "work", "guards": ["tests.has_owner"]},
        {"name": "finish", "from": ["work"], "to": "done"},
    ],
    "fields": {"code": "text", "owner": "text"},
}


def test_a_workflow_written_as_data_refers_to_registered_guards() -> None:
    flow = data.from_data(json.loads(json.dumps(DATA)), Workflow)
    record = start(flow, number="T1", at=T0, actor="a")
    with pytest.raises(TransitionRefusedError, match="assign an owner first"):
        record.apply("start", at=T0, actor="a")
    record = record.apply("start", at=T0, actor="a", fields={"owner": "ann"})
    with pytest.raises(ItsmError, match="comment"):
        record.apply("finish", at=T0, actor="a", fields={"code": "failed"})
    assert record.apply("finish", at=T0, actor="a", fields={"code": "ok"}).state == "done"
    assert data.unstructure(flow) == DATA


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"colour": "red"}, "$", "unknown key(s) 'colour'"),
        ({"states": [{"name": "new", "shape": "x"}]}, "$.states[0]", "unknown key(s) 'shape'"),
        ({"states": [{"name": "new", "final": "no"}]}, "$.states[0].final", "true or false"),
        ({"version": True}, "$.version", "whole number"),
        ({"fields": {"code": "colour"}}, "$.fields.code", "unknown field kind 'colour'"),
        (
            {"transitions": [{"name": "t", "from": "new", "to": "work", "guards": ["nope"]}]},
            "$.transitions[0].guards[0]",
            "no guard registered as 'nope'",
        ),
        ({"states": "new"}, "$.states", "expected a list"),
    ],
)
def test_bad_workflow_data_names_the_path(
    change: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(DataError) as caught:
        data.structure({**DATA, **change}, Workflow)
    assert caught.value.path == path
    assert message in str(caught.value)


SHIPPED = [
    default_incident_workflow,
    default_request_workflow,
    default_problem_workflow,
    default_change_workflow,
]


@pytest.mark.parametrize("make", SHIPPED)
def test_every_shipped_workflow_exports_and_rebuilds_identically(make: object) -> None:
    flow = make()  # type: ignore[operator]
    text = json.dumps(data.to_data(flow))
    rebuilt = data.loads(text, Workflow)
    assert rebuilt == flow
    assert rebuilt is not flow


def _walk_both(original: Workflow, rebuilt: Workflow, record: Record, choices: list[int]) -> None:
    """Apply the same choices on ``record`` and on its twin on ``rebuilt``; they agree."""
    twin = replay(rebuilt, record.number, record.history, record_type=type(record))
    at = record.history.last.at  # type: ignore[union-attr]
    for step, choice in enumerate(choices):
        at += timedelta(minutes=7)
        names = original.transitions_from(record.state)
        if not names:
            return
        name = names[choice % len(names)]
        values = {
            "hold_reason": "awaiting_caller",
            "resolution_code": "fixed",
            "resolution_notes": "done",
            "pending_reason": "waiting",
            "close_notes": "notes",
            "fix_notes": "patched",
            "duplicate_of": "PRB9",
            "risk_accepted_reason": "cheap",
            "root_cause": "disk",
        }
        fields = {k: v for k, v in values.items() if k in (original.fields or {})}
        comment = "why" if step % 2 else None
        outcomes = []
        for subject in (record, twin):
            try:
                outcomes.append(
                    subject.apply(name, at=at, actor="ann", comment=comment, fields=fields)
                )
            except ItsmError as error:
                outcomes.append(type(error))
        first, second = outcomes
        if isinstance(first, Record):
            assert isinstance(second, Record)
            assert first.history == second.history
            assert first.state == second.state
            assert first.fields == second.fields
            record, twin = first, second
        else:
            assert first == second


@given(incidents(), st.lists(st.integers(0, 10), max_size=12))
def test_random_walks_agree_on_the_original_and_the_rebuilt_incident_workflow(
    incident: Record, choices: list[int]
) -> None:
    flow = incident.workflow
    _walk_both(flow, data.from_data(data.to_data(flow), Workflow), incident, choices)


@given(st.one_of(incidents(), service_requests(), problems()))
def test_records_round_trip_through_json_exactly(record: Record) -> None:
    text = data.dumps(record)
    back = data.loads(text, Record)
    assert type(back) is type(record)
    assert back == record
    assert back.workflow is record.workflow  # rebuilt on the registered workflow
    assert back.history.events() == record.history.events()
    assert back.allowed(actor="ann") == record.allowed(actor="ann")


@given(st.one_of(incidents(), service_requests(), problems()))
def test_records_pickle_and_copy_as_themselves(record: Record) -> None:
    assert pickle.loads(pickle.dumps(record)) == record  # noqa: S301 - our own bytes
    assert copy.deepcopy(record) is record
    assert copy.copy(record) is record


@given(incidents())
def test_fields_at_each_version_are_the_snapshot_fields_then(incident: Record) -> None:
    events = incident.history.events()
    rebuilt = [
        replay(incident.workflow, incident.number, events[:k]) for k in range(1, len(events) + 1)
    ]
    for version, snapshot in enumerate(rebuilt, start=1):
        assert incident.history.fields_at(version) == snapshot.fields
    assert incident.history.fields_at(len(events)) == incident.fields


@given(incidents(), st.integers(0, 20))
def test_since_returns_exactly_the_later_events(incident: Record, version: int) -> None:
    assert incident.history.since(version) == incident.history.events()[version:]


def _stored(record: Record) -> dict[str, object]:
    return json.loads(data.dumps(record))  # type: ignore[no-any-return]


def _sample() -> Record:
    inc = open_incident(
        "INC1", at=T0, actor="desk", caller="carla", short_description="x", impact=2, urgency=2
    )
    inc = inc.apply("start", at=T0, actor="ann")
    return inc.apply("hold", at=T0, actor="ann", fields={"hold_reason": "awaiting_vendor"})


@pytest.mark.parametrize(
    ("corrupt", "path", "message"),
    [
        (lambda e: e[1].update(seq=5), "$.data.events[1]", "seq 5 out of order"),
        (lambda e: e[1].update(transition="close"), "$.data.events[1]", "no transition 'close'"),
        (lambda e: e[2].update(source="new"), "$.data.events[2]", "leaves state 'new'"),
        (lambda e: e[1].update(colour="red"), "$.data.events[1]", "unknown key(s) 'colour'"),
        (lambda e: e[1].update(at="yesterday"), "$.data.events[1].at", "not an ISO 8601"),
        (lambda e: e[1].update(at="2026-01-05T09:00:00"), "$.data.events[1].at", "naive"),
        (
            lambda e: e[2]["changes"].update(hold_reason=["awaiting_caller", "awaiting_vendor"]),
            "$.data.events[2]",
            "changes from 'awaiting_caller'",
        ),
        (
            lambda e: e[0]["changes"].update(impact=[None, True]),
            "$.data.events[0].changes.impact[1]",
            "kind 'level'",
        ),
        (
            lambda e: e[0]["changes"].update(colour=[None, "red"]),
            "$.data.events[0].changes.colour",
            "unknown field 'colour'",
        ),
        (lambda e: e.pop(0), "$.data.events[0]", "seq 2 out of order"),
        (lambda e: e.clear(), "$.data.events", "at least its 'created' event"),
    ],
)
def test_a_stored_history_that_does_not_replay_is_refused_with_its_path(
    corrupt: object, path: str, message: str
) -> None:
    stored = _stored(_sample())
    corrupt(stored["data"]["events"])  # type: ignore[index, operator]
    with pytest.raises(DataError) as caught:
        data.from_data(stored)
    assert caught.value.path == path, str(caught.value)
    assert message in str(caught.value)


def test_the_envelope_is_checked() -> None:
    stored = _stored(_sample())
    with pytest.raises(DataError, match="newer than this release"):
        data.from_data({**stored, "itsmcore": 99})
    with pytest.raises(DataError, match="unknown type 'ticket'"):
        data.from_data({**stored, "type": "ticket"})
    with pytest.raises(DataError, match="not a Workflow"):
        data.from_data(stored, Workflow)
    stored["data"]["workflow"]["name"] = "nope"  # type: ignore[index]
    with pytest.raises(DataError, match="no workflow registered as 'nope'"):
        data.from_data(stored)


def test_deeply_nested_or_broken_text_is_refused() -> None:
    with pytest.raises(DataError, match="nests deeper"):
        data.loads("[" * 10_000 + "]" * 10_000)
    with pytest.raises(DataError, match="not valid JSON"):
        data.loads("{")
    with pytest.raises(DataError, match="not UTF-8"):
        data.loads(b"\xff\xfe")


def test_a_workflow_with_an_unregistered_hook_says_how_to_export_it() -> None:
    flow = Workflow(
        name="tests.local",
        initial="a",
        states=[State(name="a"), State(name="b", final=True)],
        transitions=[Transition(name="go", sources="a", target="b", hooks=[lambda _: None])],
    )
    with pytest.raises(UnknownValueError, match="register_hook"):
        data.to_data(flow)


def test_required_when_is_a_data_requirement() -> None:
    rule = RequiredWhen(field="hold_reason", values="awaiting_caller", requires="comment")
    assert rule.values == frozenset({"awaiting_caller"})
    flow = default_incident_workflow()
    assert rule in flow.state("on_hold").requirements


def test_a_change_record_round_trips_with_its_approvals_and_plans() -> None:
    template = ChangeTemplate(
        name="restart web tier",
        short_description="Rolling restart",
        implementation_plan="one by one",
        backout_plan="none",
        test_plan="health checks",
        affected_cis=["web", "db"],
    )
    change = open_change("CHG1", at=T0, actor="ann", requester="ann", template=template)
    span = {"planned_start": T0, "planned_end": T0 + timedelta(hours=1)}
    change = change.apply("schedule", at=T0, actor="ann", fields=span)
    back = data.loads(data.dumps(change), Record)
    assert type(back) is type(change)
    assert back == change
    assert back.fields["affected_cis"] == frozenset({"web", "db"})
    assert (
        back.apply("implement", at=T0, actor="ann").history
        == change.apply("implement", at=T0, actor="ann").history
    )
