"""Shipped ticket lifecycles: itsmcore vs ``transitions`` doing the same work, in one run.

What users run: the shipped incident, request and problem workflows with their required
fields, field rules and hooks, through the public API (``open_incident`` / ``open_request`` /
``open_problem`` and ``record.apply``). ``at=`` is given three ways, prebuilt outside the
timed loops: a stdlib aware ``datetime`` (``timezone.utc``, as most applications pass it),
a pendulum UTC instant, and a pendulum instant in Europe/Berlin.

Two shapes:

* per ticket: create a ticket and run its whole lifecycle (incident: start, hold with a
  hold_reason, resume, resolve with resolution_code and notes, close; request: approval,
  approve, pend with a pending_reason, resume, complete; problem: assess, confirm, fix with a
  root_cause, resolve with fix_notes, complete);
* steady: one long-lived ticket cycling without end (incident: hold / resume / resolve /
  reopen with a comment; request: pend / resume; problem: fix / resolve / reanalyse).

The peer is ``transitions`` (one shared ``Machine`` per workflow; each ticket is added as a
model and removed when it is closed, the library's cheapest documented use for many
tickets) doing the same work per step: the same field names and protected fields checked,
the time order and actor checked, guards that refuse with an error, the hooks' effects
(resolved_at/by stamped, hold_reason cleared, reopens counted, priority from impact x
urgency by a dict lookup), required fields checked on the merged values (raising when
missing, changing nothing), copy-on-write fields, and one audit tuple per step (seq, when,
who, kind, from, to, transition, why, changed fields as {name: (old, new)}, comment),
creation included. Both sides get the same inputs; the final states, fields and audit
contents are compared ("same answers").

Also: bytes per history event (tracemalloc over a long steady history) for itsmcore and for
the peer's audit tuple, and ``--profile``: where the itsmcore time per steady incident step
goes, by input form (cProfile shares scaled to timeit per-step figures).

Run: ``.venv/bin/python benchmarks/bench_workflow.py [--quick] [--profile [PATH]]``.
Median of several repetitions (``time.perf_counter``, ``gc.collect()`` before each, one
warm-up). Writes the table to ``benchmarks/results/workflow.txt`` (not with ``--quick``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import os
import platform
import pstats
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pendulum
import transitions

import itsmcore
from itsmcore.incidents import HOLD_REASONS, INCIDENT_FIELDS, open_incident
from itsmcore.problems import PROBLEM_FIELDS, open_problem
from itsmcore.requests import REQUEST_FIELDS, CatalogItem, open_request
from itsmcore.workflow import Record, State, Transition, Workflow, start

RESULTS = Path(__file__).parent / "results" / "workflow.txt"
ACTOR = "agent.smith"
BERLIN = pendulum.timezone("Europe/Berlin")
BASE = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
FORMS = ("stdlib", "pendulum-utc", "pendulum-berlin")
TARGET = 5.0


def instants(form: str, count: int, step_seconds: int = 7) -> list[dt.datetime]:
    """``count`` increasing instants in the given input form (built outside every timing)."""
    std = [BASE + dt.timedelta(seconds=i * step_seconds) for i in range(count)]
    if form == "stdlib":
        return std
    utc = [pendulum.instance(d, tz=pendulum.UTC) for d in std]
    if form == "pendulum-utc":
        return list(utc)
    return [d.in_timezone(BERLIN) for d in utc]


# -- the lifecycles: one script of (transition, keyword arguments) for both libraries ------

Script = list[tuple[str, dict[str, Any]]]
HOLD = {"hold_reason": "awaiting_vendor"}
RESOLVE = {"resolution_code": "solved_permanently", "resolution_notes": "patched the relay"}

INCIDENT_LIFE: Script = [
    ("start", {}),
    ("hold", {"fields": HOLD, "reason": "vendor case opened"}),
    ("resume", {}),
    ("resolve", {"fields": RESOLVE}),
    ("close", {}),
]
INCIDENT_CYCLE: Script = [
    ("hold", {"fields": HOLD, "reason": "vendor case opened"}),
    ("resume", {}),
    ("resolve", {"fields": RESOLVE}),
    ("reopen", {"comment": "the relay failed again"}),
]
REQUEST_LIFE: Script = [
    ("request_approval", {}),
    ("approve", {"reason": "budget ok"}),
    ("pend", {"fields": {"pending_reason": "awaiting stock"}}),
    ("resume", {}),
    ("complete", {}),
]
REQUEST_CYCLE: Script = [
    ("pend", {"fields": {"pending_reason": "awaiting stock"}}),
    ("resume", {}),
]
PROBLEM_LIFE: Script = [
    ("assess", {}),
    ("confirm", {}),
    ("fix", {"fields": {"root_cause": "relay firmware"}}),
    ("resolve", {"fields": {"fix_notes": "firmware 2.1 rolled out"}}),
    ("complete", {}),
]
PROBLEM_CYCLE: Script = [
    ("fix", {"fields": {"root_cause": "relay firmware"}}),
    ("resolve", {"fields": {"fix_notes": "firmware 2.1 rolled out"}}),
    ("reanalyse", {"comment": "recurred after the fix"}),
]
ITEM = CatalogItem(name="laptop", needs_approval=True, fulfilment_group="service desk")
IMPACTS = (1, 2, 3)


# -- itsmcore ------------------------------------------------------------------------------


def itsm_open(kind: str, number: str, at: dt.datetime, i: int) -> Record:
    if kind == "incident":
        return open_incident(
            number,
            at=at,
            actor=ACTOR,
            caller="carol",
            short_description="mail relay down",
            impact=IMPACTS[i % 3],
            urgency=IMPACTS[(i // 3) % 3],
        )
    if kind == "request":
        return open_request(number, at=at, actor=ACTOR, item=ITEM, requested_for="dave")
    return open_problem(number, at=at, actor=ACTOR, short_description="mail relay flaps")


def itsm_per_ticket(kind: str, numbers: list[str], ats: list[dt.datetime]) -> Record:
    life = LIVES[kind]
    opened = ats[0]
    steps = [(name, ats[j + 1], kw) for j, (name, kw) in enumerate(life)]
    record: Record | None = None
    for i, number in enumerate(numbers):
        record = itsm_open(kind, number, opened, i)
        for name, at, kw in steps:
            record = record.apply(name, at=at, actor=ACTOR, **kw)
    assert record is not None
    return record


def itsm_steady(kind: str, n: int, ats: list[dt.datetime]) -> Record:
    record = itsm_open(kind, "T0000001", ats[0], 4)
    for name, kw in PREFIX[kind]:
        record = record.apply(name, at=ats[0], actor=ACTOR, **kw)
    cycle = CYCLES[kind]
    k = len(cycle)
    for i in range(n):
        name, kw = cycle[i % k]
        record = record.apply(name, at=ats[i], actor=ACTOR, **kw)
    return record


# -- the peer: transitions, table-driven, the same work per step ---------------------------


class Refused(Exception):
    """A guard, a requirement or a field rule said no (the peer's error)."""


Rule = Callable[[Mapping[str, object], Mapping[str, object]], Mapping[str, object]]
Hook = Callable[["TxTicket", dt.datetime, str], Mapping[str, object]]
Requirement = Callable[["TxTicket", Mapping[str, object], "str | None"], Iterable[str]]
PRIORITY = {
    (i, u): (i + u - 1, ("Critical", "High", "Moderate", "Low", "Planning")[i + u - 2])
    for i in (1, 2, 3)
    for u in (1, 2, 3)
}


class Spec:
    """One workflow for the peer: the transitions table plus per-step rules as data."""

    def __init__(
        self,
        *,
        states: list[str],
        edges: list[tuple[str, str | list[str], str]],
        requires: dict[str, frozenset[str]],
        requirements: dict[str, tuple[Requirement, ...]] | None = None,
        hooks: dict[str, tuple[Hook, ...]] | None = None,
        guards: dict[str, str] | None = None,
        rules: list[tuple[tuple[str, ...], Rule]] | None = None,
        names: frozenset[str],
        protected: frozenset[str],
    ) -> None:
        self.requires = requires
        self.requirements = requirements or {}
        self.hooks = hooks or {}
        self.rule_map: dict[str, list[Rule]] = {}
        for watch, rule in rules or []:
            for name in watch:
                self.rule_map.setdefault(name, []).append(rule)
        self.names = names
        self.protected = protected
        table = []
        for trigger, source, dest in edges:
            row: dict[str, Any] = {"trigger": trigger, "source": source, "dest": dest}
            if guards and trigger in guards:
                row["conditions"] = guards[trigger]
            table.append(row)
        self.machine = transitions.Machine(
            model=None,
            states=states,
            transitions=table,
            initial=states[0],
            send_event=True,
            auto_transitions=False,
            before_state_change="step",
        )


def merge(
    spec: Spec, old: Mapping[str, object], changes: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, tuple[object, object]]]:
    """New fields (a copy) and the {name: (old, new)} diff, field rules applied once."""
    diff: dict[str, tuple[object, object]] = {}
    for name, value in changes.items():
        before = old.get(name)
        if before is not value and before != value:
            diff[name] = (before, value)
    if not diff:
        return dict(old), diff
    new = dict(old)
    for name, (_, value) in diff.items():
        new[name] = value
    rule_map = spec.rule_map
    if rule_map:
        rules: list[Rule] = []
        for name in list(diff):
            for rule in rule_map.get(name, ()):
                if rule not in rules:
                    rules.append(rule)
        for rule in rules:
            for name, value in rule(old, new).items():
                if new.get(name) != value:
                    diff[name] = (old.get(name), value)
                    new[name] = value
    return new, diff


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TxTicket:
    """A ticket model for ``transitions``: fields, an audit list and the per-step work."""

    def __init__(
        self,
        spec: Spec,
        number: str,
        *,
        at: dt.datetime,
        actor: str,
        fields: Mapping[str, object] | None = None,
        initial: Mapping[str, object] | None = None,
    ) -> None:
        if at.tzinfo is None:
            raise Refused(f"'at' must be timezone-aware, got {at!r}")
        if type(actor) is not str or not actor.strip():
            raise Refused(f"'actor' must be a non-empty string, got {actor!r}")
        user = dict(fields or {})
        if not spec.protected.isdisjoint(user):
            raise Refused(f"protected field(s) {sorted(spec.protected & user.keys())}")
        given = {**(initial or {}), **user}
        if not spec.names.issuperset(given):
            raise Refused(f"unknown field(s) {sorted(given.keys() - spec.names)}")
        self.spec = spec
        self.number = number
        self.fields, diff = merge(spec, {}, given)
        self.last_at = at
        self.audit: list[tuple[object, ...]] = [
            (1, at, actor, "created", "new", "new", None, None, diff, None)
        ]
        spec.machine.add_model(self)

    def step(self, event: transitions.EventData) -> None:
        """Everything a step does besides the state change (before_state_change)."""
        kw = event.kwargs
        at: dt.datetime = kw["at"]
        actor: str = kw["actor"]
        comment: str | None = kw.get("comment")
        changes: Mapping[str, object] = kw.get("fields") or {}
        if at.tzinfo is None:
            raise Refused(f"'at' must be timezone-aware, got {at!r}")
        if at < self.last_at:
            raise Refused(f"'at' {at} is earlier than the last event ({self.last_at})")
        if type(actor) is not str or not actor:
            raise Refused(f"'actor' must be a non-empty string, got {actor!r}")
        spec = self.spec
        if changes:
            if not spec.protected.isdisjoint(changes):
                raise Refused(f"protected field(s) {sorted(spec.protected & changes.keys())}")
            if not spec.names.issuperset(changes):
                raise Refused(f"unknown field(s) {sorted(changes.keys() - spec.names)}")
        name = event.event.name
        given = changes
        hooks = spec.hooks.get(name)
        if hooks:
            merged = dict(changes)
            for hook in hooks:
                extra = hook(self, at, actor)
                if extra:
                    merged.update(extra)
            changes = merged
        if changes:
            new, diff = merge(spec, self.fields, changes)
        else:
            new, diff = self.fields, {}
        needed = spec.requires.get(name)
        requirements = spec.requirements.get(name)
        if needed or requirements:
            wanted = set(needed or ())
            for requirement in requirements or ():
                wanted.update(requirement(self, given, comment))
            missing = sorted(n for n in wanted if _blank(comment if n == "comment" else new.get(n)))
            if missing:
                raise Refused(f"cannot {name!r} {self.number}: missing {missing}")
        transition = event.transition
        assert transition is not None
        self.fields = new
        self.last_at = at
        self.audit.append(
            (
                len(self.audit) + 1,
                at,
                actor,
                "transition",
                transition.source,
                transition.dest,
                name,
                kw.get("reason"),
                diff,
                comment,
            )
        )

    def close(self) -> None:
        """The ticket is done: stop tracking it on the shared machine."""
        self.spec.machine.remove_model(self)

    # guards (conditions): they raise with the reason, like itsmcore's refusal
    def needs_approval(self, event: transitions.EventData) -> bool:
        if self.fields.get("needs_approval"):
            return True
        raise Refused(f"catalog item {self.fields.get('catalog_item')!r} needs no approval")

    def approval_done_or_not_needed(self, event: transitions.EventData) -> bool:
        if not self.fields.get("needs_approval"):
            return True
        raise Refused(f"catalog item {self.fields.get('catalog_item')!r} needs approval first")

    def not_itself(self, event: transitions.EventData) -> bool:
        fields = event.kwargs.get("fields") or {}
        if fields.get("duplicate_of", self.fields.get("duplicate_of")) == self.number:
            raise Refused("a problem cannot be a duplicate of itself")
        return True


def _priority(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    impact, urgency = new.get("impact"), new.get("urgency")
    if impact is None or urgency is None:
        return {"priority": None, "priority_label": None}
    value, label = PRIORITY[impact, urgency]  # type: ignore[index]
    return {"priority": value, "priority_label": label}


def _hold_reason(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    reason = new.get("hold_reason")
    if reason is not None and reason not in HOLD_REASONS:
        raise Refused(f"unknown hold_reason {reason!r}")
    return {}


def _reassigned(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    before, after = old.get("assignment_group"), new.get("assignment_group")
    if before is None or before == after:
        return {}
    return {"reassignment_count": int(old.get("reassignment_count") or 0) + 1}  # type: ignore[call-overload]


def _known_error(old: Mapping[str, object], new: Mapping[str, object]) -> Mapping[str, object]:
    workaround = new.get("workaround")
    if new.get("known_error") and (not isinstance(workaround, str) or not workaround.strip()):
        raise Refused("a known error needs a workaround")
    return {}


def _caller_comment(
    ticket: TxTicket, changes: Mapping[str, object], comment: str | None
) -> Iterable[str]:
    reason = changes.get("hold_reason", ticket.fields.get("hold_reason"))
    return ("comment",) if reason == "awaiting_caller" else ()


def _fix_notes_when_fixing(
    ticket: TxTicket, changes: Mapping[str, object], comment: str | None
) -> Iterable[str]:
    return ("fix_notes",) if ticket.state == "fix_in_progress" else ()  # type: ignore[attr-defined]


def _clear_hold(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"hold_reason": None}


def _stamp_resolution(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"resolved_at": at, "resolved_by": actor, "hold_reason": None}


def _stamp_reopen(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {
        "reopen_count": int(t.fields.get("reopen_count") or 0) + 1,  # type: ignore[call-overload]
        "last_reopened_at": at,
        "last_reopened_by": actor,
        "resolved_at": None,
        "resolved_by": None,
        "resolution_code": None,
        "resolution_notes": None,
    }


def _requested(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"approval": "requested"}


def _approved(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"approval": "approved", "approved_by": actor, "approved_at": at}


def _rejected(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"approval": "rejected"}


def _clear_pending(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"pending_reason": None}


def _code(code: str) -> Hook:
    def hook(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
        return {"resolution_code": code, "resolved_at": at, "resolved_by": actor}

    return hook


def _complete_code(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    if t.state == "fix_in_progress":  # type: ignore[attr-defined]
        return {"resolution_code": "fix_applied", "resolved_at": at, "resolved_by": actor}
    return {}


def _reopen_analysis(t: TxTicket, at: dt.datetime, actor: str) -> Mapping[str, object]:
    return {"resolution_code": None, "resolved_at": None, "resolved_by": None}


def _set(*names: str) -> frozenset[str]:
    return frozenset(names)


def incident_spec() -> Spec:
    open_ = ["new", "in_progress", "on_hold"]
    return Spec(
        states=["new", "in_progress", "on_hold", "resolved", "closed", "canceled"],
        edges=[
            ("start", "new", "in_progress"),
            ("hold", ["new", "in_progress"], "on_hold"),
            ("resume", "on_hold", "in_progress"),
            ("resolve", open_, "resolved"),
            ("reopen", "resolved", "in_progress"),
            ("close", "resolved", "closed"),
            ("cancel", open_, "canceled"),
        ],
        requires={
            "hold": _set("hold_reason"),
            "resolve": _set("resolution_code", "resolution_notes"),
            "reopen": _set("comment"),
        },
        requirements={"hold": (_caller_comment,)},
        hooks={
            "resume": (_clear_hold,),
            "resolve": (_stamp_resolution,),
            "reopen": (_stamp_reopen,),
        },
        rules=[
            (("hold_reason",), _hold_reason),
            (("impact", "urgency"), _priority),
            (("assignment_group",), _reassigned),
        ],
        names=INCIDENT_FIELDS,
        protected=_set(
            "priority",
            "priority_label",
            "reopen_count",
            "reassignment_count",
            "resolved_at",
            "resolved_by",
            "last_reopened_at",
            "last_reopened_by",
        ),
    )


def request_spec() -> Spec:
    open_ = ["new", "awaiting_approval", "work_in_progress", "pending"]
    return Spec(
        states=[
            "new",
            "awaiting_approval",
            "work_in_progress",
            "pending",
            "closed_complete",
            "closed_incomplete",
            "closed_skipped",
        ],
        edges=[
            ("request_approval", "new", "awaiting_approval"),
            ("approve", "awaiting_approval", "work_in_progress"),
            ("reject", "awaiting_approval", "closed_incomplete"),
            ("start", "new", "work_in_progress"),
            ("pend", "work_in_progress", "pending"),
            ("resume", "pending", "work_in_progress"),
            ("complete", "work_in_progress", "closed_complete"),
            ("close_incomplete", ["work_in_progress", "pending"], "closed_incomplete"),
            ("skip", open_, "closed_skipped"),
        ],
        guards={"request_approval": "needs_approval", "start": "approval_done_or_not_needed"},
        requires={
            "reject": _set("comment", "close_notes"),
            "pend": _set("pending_reason"),
            "close_incomplete": _set("close_notes"),
            "skip": _set("close_notes"),
        },
        hooks={
            "request_approval": (_requested,),
            "approve": (_approved,),
            "reject": (_rejected,),
            "resume": (_clear_pending,),
        },
        names=REQUEST_FIELDS,
        protected=_set("catalog_item", "needs_approval", "approval", "approved_by", "approved_at"),
    )


def problem_spec() -> Spec:
    return Spec(
        states=[
            "new",
            "assess",
            "root_cause_analysis",
            "fix_in_progress",
            "resolved",
            "closed",
            "canceled",
        ],
        edges=[
            ("assess", "new", "assess"),
            ("confirm", "assess", "root_cause_analysis"),
            ("mark_duplicate", ["new", "assess"], "closed"),
            ("fix", "root_cause_analysis", "fix_in_progress"),
            ("accept_risk", "root_cause_analysis", "resolved"),
            ("resolve", "fix_in_progress", "resolved"),
            ("complete", ["fix_in_progress", "resolved"], "closed"),
            ("reanalyse", ["fix_in_progress", "resolved", "closed"], "root_cause_analysis"),
            ("cancel", ["new", "assess", "root_cause_analysis", "fix_in_progress"], "canceled"),
        ],
        guards={"mark_duplicate": "not_itself"},
        requires={
            "mark_duplicate": _set("duplicate_of"),
            "fix": _set("root_cause"),
            "accept_risk": _set("risk_accepted_reason"),
            "resolve": _set("fix_notes"),
            "reanalyse": _set("comment"),
            "cancel": _set("comment"),
        },
        requirements={"complete": (_fix_notes_when_fixing,)},
        hooks={
            "mark_duplicate": (_code("duplicate"),),
            "accept_risk": (_code("risk_accepted"),),
            "resolve": (_code("fix_applied"),),
            "complete": (_complete_code,),
            "reanalyse": (_reopen_analysis,),
        },
        rules=[(("known_error", "workaround"), _known_error)],
        names=PROBLEM_FIELDS,
        protected=_set("resolution_code", "resolved_at", "resolved_by"),
    )


SPECS: dict[str, Spec] = {}


def tx_open(kind: str, number: str, at: dt.datetime, i: int) -> TxTicket:
    spec = SPECS[kind]
    if kind == "incident":
        fields = {
            "caller": "carol",
            "short_description": "mail relay down",
            "impact": IMPACTS[i % 3],
            "urgency": IMPACTS[(i // 3) % 3],
        }
        return TxTicket(spec, number, at=at, actor=ACTOR, fields=fields)
    if kind == "request":
        initial = {
            "catalog_item": ITEM.name,
            "needs_approval": ITEM.needs_approval,
            "requested_for": "dave",
            "quantity": 1,
            "approval": "not_yet_requested" if ITEM.needs_approval else "not_required",
            "assignment_group": ITEM.fulfilment_group,
        }
        return TxTicket(spec, number, at=at, actor=ACTOR, initial=initial)
    fields = {
        "short_description": "mail relay flaps",
        "incidents": frozenset(),
        "known_error": False,
    }
    return TxTicket(spec, number, at=at, actor=ACTOR, fields=fields)


def tx_per_ticket(kind: str, numbers: list[str], ats: list[dt.datetime]) -> TxTicket:
    life = LIVES[kind]
    opened = ats[0]
    steps = [(name, ats[j + 1], kw) for j, (name, kw) in enumerate(life)]
    ticket: TxTicket | None = None
    for i, number in enumerate(numbers):
        ticket = tx_open(kind, number, opened, i)
        for name, at, kw in steps:
            ticket.trigger(name, at=at, actor=ACTOR, **kw)  # type: ignore[attr-defined]
        ticket.close()
    assert ticket is not None
    return ticket


def tx_steady(kind: str, n: int, ats: list[dt.datetime]) -> TxTicket:
    ticket = tx_open(kind, "T0000001", ats[0], 4)
    for name, kw in PREFIX[kind]:
        ticket.trigger(name, at=ats[0], actor=ACTOR, **kw)  # type: ignore[attr-defined]
    cycle = CYCLES[kind]
    k = len(cycle)
    for i in range(n):
        name, kw = cycle[i % k]
        ticket.trigger(name, at=ats[i], actor=ACTOR, **kw)  # type: ignore[attr-defined]
    return ticket


LIVES = {"incident": INCIDENT_LIFE, "request": REQUEST_LIFE, "problem": PROBLEM_LIFE}
CYCLES = {"incident": INCIDENT_CYCLE, "request": REQUEST_CYCLE, "problem": PROBLEM_CYCLE}
PREFIX: dict[str, Script] = {  # from creation to the first state of the steady cycle
    "incident": [("start", {})],
    "request": [("request_approval", {}), ("approve", {})],
    "problem": [("assess", {}), ("confirm", {})],
}


# -- answers: what both libraries must agree on --------------------------------------------


def answer(result: Record | TxTicket) -> tuple[str, dict[str, object], list[tuple[object, ...]]]:
    """Final state, fields (unset = None left out) and the audit, read after timing."""
    if isinstance(result, Record):
        audit = [
            (
                e.seq,
                e.at,
                e.actor,
                e.kind,
                e.source,
                e.target,
                e.transition,
                e.reason,
                dict(e.changes),
                e.note,
            )
            for e in result.history
        ]
        state, fields = result.state, result.fields
    else:
        audit = result.audit
        state, fields = result.state, result.fields  # type: ignore[attr-defined]
    return str(state), {k: v for k, v in fields.items() if v is not None}, audit


# -- harness -------------------------------------------------------------------------------


def measure(
    mine: Callable[[], object],
    peer: Callable[[], object],
    warm: tuple[Callable[[], object], Callable[[], object]],
    runs: int,
) -> tuple[float, float, Any, Any]:
    """Median seconds of each side; the two sides alternate, so load shifts hit both."""
    for fn in warm:
        fn()
    times: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for _ in range(runs):
        for side, fn in enumerate((mine, peer)):
            results[side] = None  # the previous run's ticket and its history must not stay alive
            gc.collect()
            t0 = time.perf_counter()
            results[side] = fn()
            times[side].append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1]), results[0], results[1]


def verdict(ratio: float) -> str:
    if ratio >= TARGET:
        return "met"
    return f"MISSED by {TARGET / ratio:.1f}x"


def bytes_per_event(make: Callable[[int], object], events: int) -> tuple[float, int]:
    """Traced bytes kept alive by a steady ticket after ``events`` steps, per event."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = make(events)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    count = len(result.history) if isinstance(result, Record) else len(result.audit)  # type: ignore[attr-defined]
    size = len(result.fields)  # type: ignore[attr-defined]
    del result
    return (after - before) / count, size


def run(args: argparse.Namespace) -> tuple[list[str], bool]:
    quick = args.quick
    runs = 3 if quick else 5
    tickets = 400 if quick else 1_200
    steady_n = 3_600 if quick else 9_600
    mem_events = 20_000 if quick else 100_000
    for kind, make in (
        ("incident", incident_spec),
        ("request", request_spec),
        ("problem", problem_spec),
    ):
        SPECS[kind] = make()

    lines = [
        f"workflow benchmark - Python {platform.python_version()} on {platform.machine()}, "
        f"itsmcore {version('itsmcore')}, transitions {version('transitions')}, "
        f"pendulum {version('pendulum')}",
        f"itsmcore imported from {Path(itsmcore.__file__).parent}; load average "
        f"{os.getloadavg()[0]:.1f} at start (2 cores shared: absolute figures float, ratios hold)",
        f"median of {runs} runs; per ticket: {tickets:,} tickets (create + 5 steps); "
        f"steady: {steady_n:,} steps on one ticket",
        "",
        f"{'workflow':<9}{'shape':<11}{'at= form':<16}{'itsmcore':>11}{'transitions':>13}"
        f"{'ratio':>8}  target >= {TARGET:.0f}x",
    ]
    print("\n".join(lines), flush=True)
    all_same = True
    ats_by_form = {form: instants(form, steady_n) for form in FORMS}
    numbers = [f"T{i:07d}" for i in range(tickets)]
    warm_numbers = numbers[: max(1, tickets // 10)]
    for kind in ("incident", "request", "problem"):
        for shape in ("per ticket", "steady"):
            for form in FORMS:
                ats = ats_by_form[form]
                sides: list[Callable[[], object]] = []
                if shape == "per ticket":
                    for fn in (itsm_per_ticket, tx_per_ticket):
                        for group in (numbers, warm_numbers):
                            sides.append(functools.partial(fn, kind, group, ats))
                    count = tickets
                else:
                    for fn in (itsm_steady, tx_steady):  # type: ignore[assignment]
                        for steps in (steady_n, steady_n // 10):
                            sides.append(functools.partial(fn, kind, steps, ats))
                    count = steady_n
                mine, peer, mine_result, peer_result = measure(
                    sides[0], sides[2], (sides[1], sides[3]), runs
                )
                same = answer(mine_result) == answer(peer_result)
                all_same &= same
                del mine_result, peer_result
                us_mine, us_peer = mine / count * 1e6, peer / count * 1e6
                ratio = us_peer / us_mine
                line = (
                    f"{kind:<9}{shape:<11}{form:<16}{us_mine:>8.1f} us{us_peer:>10.1f} us"
                    f"{ratio:>7.1f}x  {verdict(ratio)}{'' if same else '  ANSWERS DIFFER'}"
                )
                print(line, flush=True)
                lines.append(line)
    lines.append(
        "(us per ticket = create + whole lifecycle; steady: us per step; "
        "ratio = transitions time / itsmcore time)"
    )
    lines.append("")
    lines.append(
        "same answers (final state, fields, every audit record): " + ("yes" if all_same else "NO")
    )
    print("\n".join(lines[-3:]), flush=True)

    # bytes per history event: a long steady incident history
    lines.append("")
    lines.append(
        f"bytes per history event (steady incident, tracemalloc, {mem_events:,} events;"
        " instants prebuilt, not counted):"
    )
    print(lines[-1], flush=True)
    half = mem_events // 5
    mem_rows = [
        ("itsmcore, at= pendulum UTC", itsm_steady, "pendulum-utc"),
        ("itsmcore, at= stdlib", itsm_steady, "stdlib"),
        ("itsmcore, at= pendulum Berlin", itsm_steady, "pendulum-berlin"),
        ("transitions + audit tuple", tx_steady, "pendulum-utc"),
    ]
    for label, fn, form in mem_rows:
        one = instants(form, 1)[0]
        repeated = [one] * mem_events
        full, size_full = bytes_per_event(
            lambda n, f=fn, r=repeated: f("incident", n, r), mem_events
        )  # type: ignore[misc]
        part, size_half = bytes_per_event(lambda n, f=fn, r=repeated: f("incident", n, r), half)  # type: ignore[misc]
        flat = "flat" if abs(full - part) <= 0.02 * full and size_full == size_half else "GROWS"
        line = (
            f"  {label:<32}{full:>7.0f} B/event   ({part:.0f} B at {half:,} events: per-event cost "
            f"{flat}; {size_full} fields)"
        )
        print(line, flush=True)
        lines.append(line)
    return lines, all_same


# -- profile: where the itsmcore time per steady incident step goes -------------------------

CATEGORIES = [  # (category, predicate on (file, function name)), first match wins
    (
        "time conversion",
        lambda f, n: (
            "_time.py" in f
            or "pendulum" in f
            or n in ("astimezone", "utcoffset", "instance", "in_timezone", "convert", "fromutc")
        ),
    ),
    (
        "field rules",
        lambda f, n: (
            "incidents/workflow.py" in f
            and n in ("compute", "_check_hold_reason", "_count_reassignment")
        ),
    ),
    ("hooks", lambda f, n: "incidents/workflow.py" in f and n.startswith(("_clear", "_stamp"))),
    (
        "requirement checks",
        lambda f, n: n in ("_missing", "_blank", "_caller_comment", "value") or "requirement" in n,
    ),
    ("field-name checks", lambda f, n: "_check_names" in n or n in ("isdisjoint", "issuperset")),
    ("field merge", lambda f, n: "merge" in n),
    ("history node", lambda f, n: "history.py" in f),
    (
        "record construction",
        lambda f, n: n in ("__new__", "__set__", "_make", "__init__") or "<method '__set__'" in n,
    ),
]


def categorise(stats: pstats.Stats) -> tuple[dict[str, float], float, list[tuple[str, float]]]:
    totals: dict[str, float] = {}
    every = 0.0
    top: list[tuple[str, float]] = []
    for (file, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        every += tottime
        top.append((f"{Path(file).name}:{name}", tottime))
        category = next((c for c, test in CATEGORIES if test(file, name)), None)
        if category is None:
            category = (
                "engine step (apply body, lookups, node tuple)"
                if "engine.py" in file
                else "other (builtins, loop)"
            )
        totals[category] = totals.get(category, 0.0) + tottime
    top.sort(key=lambda item: -item[1])
    return totals, every, top[:8]


def profile(path: str | None) -> list[str]:
    SPECS["incident"] = incident_spec()
    n = 12_000
    out = ["# itsmcore steady incident step: where the time goes", ""]
    out.append(
        f"Steady incident cycle (hold / resume / resolve / reopen), {n:,} steps; "
        "us per step from timeit, split by cProfile self-time shares."
    )
    out.append("")
    per_form: dict[str, float] = {}
    for form in FORMS:
        ats = instants(form, n)
        mine = min(timeit.repeat(lambda a=ats: itsm_steady("incident", n, a), number=1, repeat=5))  # type: ignore[misc]
        peer = min(timeit.repeat(lambda a=ats: tx_steady("incident", n, a), number=1, repeat=3))  # type: ignore[misc]
        per_step = mine / n * 1e6
        per_form[form] = per_step
        profiler = cProfile.Profile()
        profiler.enable()
        itsm_steady("incident", n, ats)
        profiler.disable()
        totals, every, top = categorise(pstats.Stats(profiler))
        out.append(
            f"## at= {form}: {per_step:.2f} us/step (transitions peer {peer / n * 1e6:.2f}"
            f" us/step; 5x budget = {peer / n * 1e6 / TARGET:.2f} us/step)"
        )
        out.append("")
        out.append("| part | us/step | share |")
        out.append("|---|---:|---:|")
        for category, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
            share = seconds / every
            out.append(f"| {category} | {per_step * share:.2f} | {share:.0%} |")
        out.append("")
        out.append(
            "top self-time functions: "
            + ", ".join(f"{name} {seconds / every:.0%}" for name, seconds in top)
        )
        out.append("")

    out.append("## micro-measurements (timeit, best of 5, us per call)")
    out.append("")
    micro = micro_measurements()
    out.append("| what | us |")
    out.append("|---|---:|")
    out.extend(f"| {what} | {us:.2f} |" for what, us in micro)
    out.append("")
    text = "\n".join(out)
    print(text)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
    return out


def _us(stmt: Callable[[], object], number: int = 20_000) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number * 1e6


def micro_measurements() -> list[tuple[str, float]]:
    rows: list[tuple[str, float]] = []
    std = BASE
    utc = pendulum.instance(BASE, tz=pendulum.UTC)
    berlin = utc.in_timezone(BERLIN)
    rows.append(
        (
            "pendulum.instance(aware stdlib) (what a naive conversion costs)",
            _us(lambda: pendulum.instance(std, tz=pendulum.UTC)),
        )
    )
    rows.append(
        (
            "pendulum in_timezone(UTC) of a Berlin instant",
            _us(lambda: berlin.in_timezone(pendulum.UTC)),
        )
    )
    off = dt.timedelta(0)
    rows.append(
        (
            "arithmetic floor: stdlib aware - utcoffset() (datetime - timedelta)",
            _us(lambda: std - (std.utcoffset() or off)),
        )
    )
    try:  # private helper, measured if it still exists after the rework
        from itsmcore._time import to_utc

        for label, value in (("stdlib", std), ("pendulum UTC", utc), ("pendulum Berlin", berlin)):
            rows.append((f"itsmcore._time.to_utc({label})", _us(lambda v=value: to_utc(v))))  # type: ignore[misc]
    except ImportError:
        pass

    # Public-API step costs, each from the same source snapshot (immutable, so no history
    # grows): one step of each kind, per input form.
    for form, at in (("pendulum UTC", utc), ("stdlib", std), ("pendulum Berlin", berlin)):
        incident = open_incident(
            "INC1", at=BASE, actor=ACTOR, caller="c", short_description="s", impact=2, urgency=2
        ).apply("start", at=BASE, actor=ACTOR)
        held = incident.apply("hold", at=BASE, actor=ACTOR, fields=HOLD)
        resolved = incident.apply("resolve", at=BASE, actor=ACTOR, fields=RESOLVE)
        steps = [
            ("hold (sets hold_reason, rule)", incident, "hold", {"fields": HOLD}),
            ("resume (hook clears hold_reason)", held, "resume", {}),
            ("resolve (2 fields + stamp hook)", incident, "resolve", {"fields": RESOLVE}),
            ("reopen (comment + 7-field hook)", resolved, "reopen", {"comment": "again"}),
        ]
        for label, source, name, kw in steps:
            stmt = functools.partial(source.apply, name, at=at, actor=ACTOR, **kw)
            rows.append((f"incident {label}, at= {form}", _us(stmt)))
    bare = Workflow(
        name="bare",
        initial="a",
        states=[State(name="a"), State(name="b", final=True)],
        transitions=[Transition(name="go", sources="a", target="b")],
    )
    record = start(bare, number="B1", at=BASE, actor=ACTOR)
    rows.append(
        (
            "bare workflow step, no fields/hooks/rules (engine floor), at= pendulum UTC",
            _us(lambda: record.apply("go", at=utc, actor=ACTOR)),
        )
    )
    rows.append(
        ("bare workflow step, at= stdlib", _us(lambda: record.apply("go", at=std, actor=ACTOR)))
    )
    old = {"caller": "c", "impact": 2, "urgency": 2, "priority": 3, "hold_reason": None}
    rows.append(
        (
            "for scale: dict(old) + 1 key update + 1-entry diff dict (plain Python)",
            _us(lambda: ({**old, "hold_reason": "x"}, {"hold_reason": (None, "x")})),
        )
    )
    rows.append(
        (
            "for scale: a 12-tuple (a history node)",
            _us(lambda: (1, utc, ACTOR, "t", "a", "b", "go", None, old, None, False, old)),
        )
    )
    SPECS["incident"] = SPECS.get("incident") or incident_spec()
    ticket = tx_open("incident", "P1", BASE, 4)
    ticket.trigger("start", at=BASE, actor=ACTOR)  # type: ignore[attr-defined]
    rows.append(
        (
            "transitions: one trigger('hold') + resume pair / 2 (peer, with its audit)",
            _peer_pair(ticket, utc),
        )
    )
    return rows


def _peer_pair(ticket: TxTicket, at: dt.datetime) -> float:
    def pair() -> None:
        ticket.trigger("hold", at=at, actor=ACTOR, fields=HOLD)  # type: ignore[attr-defined]
        ticket.trigger("resume", at=at, actor=ACTOR)  # type: ignore[attr-defined]

    return _us(pair, number=5_000) / 2


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="",
        metavar="PATH",
        help="profile the itsmcore steady incident step instead (markdown to PATH if given)",
    )
    args = parser.parse_args()
    if args.profile is not None:
        profile(args.profile or None)
        return 0
    t0 = time.perf_counter()
    lines, same = run(args)
    lines.append("")
    lines.append(f"total run {time.perf_counter() - t0:.0f} s")
    print(lines[-1])
    if not args.quick:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written to {RESULTS}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
