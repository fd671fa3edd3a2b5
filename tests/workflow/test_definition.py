"""Customising a workflow derives a new, re-validated one and never changes the original."""

from __future__ import annotations

import pendulum
import pytest

from itsmcore.errors import ConfigurationError, TransitionRefusedError, UnknownValueError
from itsmcore.workflow import Attempt, State, Transition, Workflow, start

T0 = pendulum.datetime(2026, 3, 2, 9, tz="UTC")

BASE = Workflow(
    name="base",
    initial="new",
    states=[State(name="new"), State(name="work"), State(name="done", final=True)],
    transitions=[
        Transition(name="start", sources="new", target="work"),
        Transition(name="finish", sources="work", target="done"),
    ],
)


def test_add_a_state_and_its_transitions() -> None:
    review = BASE.extended(
        states=[State(name="review")],
        transitions=[
            Transition(name="ask_review", sources="work", target="review"),
            Transition(name="approve", sources="review", target="done"),
        ],
    )
    assert review.state_names == ("new", "work", "done", "review")
    assert review.transitions_from("work") == ("finish", "ask_review")
    assert BASE.state_names == ("new", "work", "done")


def test_adding_a_state_without_transitions_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="'review' has no way out"):
        BASE.with_state(State(name="review"))


def test_add_a_guard() -> None:
    def needs_owner(attempt: Attempt) -> bool | str:
        return True if attempt.value("owner") else "assign an owner first"

    guarded = BASE.with_guard("start", needs_owner)
    record = start(guarded, number="X1", at=T0, actor="a")
    with pytest.raises(TransitionRefusedError, match="assign an owner first"):
        record.apply("start", at=T0, actor="a")
    assert record.apply("start", at=T0, actor="a", fields={"owner": "kim"}).state == "work"
    assert (
        start(BASE, number="X1", at=T0, actor="a").apply("start", at=T0, actor="a").state == "work"
    )


def test_replace_and_remove_transitions_and_states() -> None:
    relabelled = BASE.with_transition(
        Transition(name="start", sources="new", target="work", label="Begin"), replace=True
    )
    assert relabelled.transition("start")[0].label == "Begin"
    assert len(relabelled.transitions) == 2
    with pytest.raises(ConfigurationError, match="'work' cannot be reached"):
        BASE.with_transition(Transition(name="start", sources="new", target="done"), replace=True)
    with pytest.raises(ConfigurationError, match="state 'new' has no way out"):
        BASE.without_transition("start")
    shorter = BASE.with_transition(
        Transition(name="skip", sources="new", target="done")
    ).without_state("work")
    assert shorter.state_names == ("new", "done")
    assert shorter.transition_names == ("skip",)


def test_required_hooks_and_renames() -> None:
    flow = BASE.with_required("finish", "code").with_hook("finish", lambda a: {"by": a.actor})
    record = start(flow, number="X2", at=T0, actor="a").apply("start", at=T0, actor="a")
    done = record.apply("finish", at=T0, actor="zed", fields={"code": "ok"})
    assert done.fields["by"] == "zed"
    assert BASE.renamed("other").name == "other"


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(UnknownValueError, match="no state 'x'; states: 'new', 'work', 'done'"):
        BASE.state("x")
    with pytest.raises(UnknownValueError, match="transitions: 'start', 'finish'"):
        BASE.with_guard("nope", lambda a: True)
    assert BASE.state("new").title == "New"
    assert BASE.with_state(State(name="work", label="Working")).state("work").title == "Working"


def test_extended_can_replace_and_add_in_one_step() -> None:
    flow = BASE.extended(
        states=[State(name="review")],
        transitions=[Transition(name="approve", sources="review", target="work")],
        replacing=[Transition(name="start", sources="new", target="review")],
    )
    assert flow.transition("start")[0].target == "review"
    assert flow.transitions_from("review") == ("approve",)
    with pytest.raises(UnknownValueError, match="no transition 'nope'"):
        BASE.extended(replacing=[Transition(name="nope", sources="new", target="work")])
