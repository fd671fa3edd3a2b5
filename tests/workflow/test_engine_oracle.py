"""The compiled engine agrees with a naive interpreter of the declared workflow."""

from __future__ import annotations

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import (
    InvalidTransitionError,
    MissingFieldsError,
    TransitionRefusedError,
)
from itsmcore.testing._workflow_strategies import workflows
from itsmcore.workflow import Record, Workflow, start

T0 = pendulum.datetime(2026, 1, 1, tz="UTC")


def naive_step(
    workflow: Workflow, state: str, fields: dict[str, object], name: str, given: dict[str, object]
) -> tuple[str, str | None]:
    """(outcome, new state): a linear scan over the declared transitions, no compiled tables."""
    matches = [t for t in workflow.transitions if t.name == name and state in t.sources]
    if not matches:
        return "invalid", None
    (transition,) = matches
    if transition.guards and fields.get("block"):
        return "refused", None
    merged = {**fields, **given}
    target = next(s for s in workflow.states if s.name == transition.target)
    needed = set(transition.requires) | set(target.requires)
    if any(merged.get(n) in (None, "") for n in needed):
        return "missing", None
    return "ok", transition.target


@given(
    workflow=workflows(),
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30),
            st.booleans(),
            st.sampled_from([None, True]),
        ),
        max_size=15,
    ),
)
def test_engine_matches_the_naive_interpreter(
    workflow: Workflow, steps: list[tuple[int, bool, bool | None]]
) -> None:
    record: Record = start(workflow, number="R1", at=T0, actor="a")
    state, fields = workflow.initial, {}
    names = workflow.transition_names
    for pick, supply, block in steps:
        name = names[pick % len(names)]
        given: dict[str, object] = (
            {f"f_{t.name}": "v" for t in workflow.transitions} if supply else {}
        )
        given["block"] = block
        if not record.is_final:  # the block flag is set first, as an update, so guards see it
            record = record.update({"block": block}, at=T0, actor="a")
            fields = {**fields, "block": block}
        expected, target = naive_step(workflow, state, fields, name, given)
        allowed_now = record.allowed()
        assert set(allowed_now) == {
            t.name
            for t in workflow.transitions
            if state in t.sources and not (t.guards and fields.get("block"))
        }
        try:
            record = record.apply(name, at=T0, actor="a", fields=given)
        except MissingFieldsError:
            outcome = "missing"
        except TransitionRefusedError:
            outcome = "refused"
        except InvalidTransitionError:
            outcome = "invalid"
        else:
            outcome = "ok"
            state = record.state
            fields = {**fields, **{k: v for k, v in given.items() if v is not None}}
        assert outcome == expected
        if outcome == "ok":
            assert state == target
        assert record.state == state
