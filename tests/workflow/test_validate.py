"""Definition-time validation, against a networkx oracle on random definitions."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError
from itsmcore.workflow import State, Transition, Workflow


def flow(states: list[State], transitions: list[Transition], initial: str = "a") -> Workflow:
    return Workflow(name="w", states=states, initial=initial, transitions=transitions)


A, B, C = State(name="a"), State(name="b"), State(name="c", final=True)


def test_a_valid_workflow_builds() -> None:
    wf = flow(
        [A, B, C],
        [
            Transition(name="go", sources="a", target="b"),
            Transition(name="end", sources="b", target="c"),
        ],
    )
    assert wf.state_names == ("a", "b", "c")
    assert wf.transitions_from("a") == ("go",)
    assert wf.final_states == {"c"}


@pytest.mark.parametrize(
    ("states", "transitions", "initial", "message"),
    [
        ([], [], "a", "no states"),
        ([A, A, C], [Transition(name="t", sources="a", target="c")], "a", "twice: 'a'"),
        ([A, C], [Transition(name="t", sources="a", target="c")], "x", "initial state 'x'"),
        ([A, C], [Transition(name="t", sources="a", target="zz")], "a", "unknown state(s) 'zz'"),
        ([A, B, C], [Transition(name="t", sources="a", target="c")], "a", "state 'b' has no way"),
        (
            [A, State(name="b", final=True), C],
            [Transition(name="t", sources="a", target="c")],
            "a",
            "'b' cannot be reached",
        ),
        (
            [A, C],
            [
                Transition(name="t", sources="a", target="c"),
                Transition(name="t", sources="a", target="c"),
            ],
            "a",
            "duplicate transition 't'",
        ),
        (
            [A, B, C],
            [
                Transition(name="t", sources="a", target="b"),
                Transition(name="t", sources=("a", "b"), target="c"),
            ],
            "a",
            "ambiguous transition 't' from state 'a'",
        ),
        (
            [A, C],
            [
                Transition(name="t", sources="a", target="c"),
                Transition(name="back", sources="c", target="a"),
            ],
            "a",
            "final state 'c' has transitions out ('back')",
        ),
        ([State(name="a", final=True)], [], "a", "initial state 'a' is final"),
    ],
)
def test_bad_definitions_are_rejected_with_the_culprit(
    states: list[State], transitions: list[Transition], initial: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        flow(states, transitions, initial)
    assert message in str(info.value)


def test_bad_parts_are_rejected() -> None:
    with pytest.raises(ConfigurationError, match="non-empty"):
        State(name="")
    with pytest.raises(ConfigurationError, match="no source state"):
        Transition(name="t", sources=(), target="a")


def _oracle_valid(names: list[str], finals: set[str], edges: list[tuple[str, str, str]]) -> bool:
    """Validity computed independently: networkx reachability and plain counting."""
    if not names or len(set(names)) != len(names) or names[0] in finals:
        return False
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    pairs: set[tuple[str, str]] = set()
    for name, source, target in edges:
        if source not in names or target not in names or (source, name) in pairs:
            return False
        pairs.add((source, name))
        graph.add_edge(source, target)
    for n in names:
        if (n in finals) == (graph.out_degree(n) > 0):
            return False
    return nx.descendants(graph, names[0]) | {names[0]} == set(names)


@given(
    names=st.lists(st.sampled_from("abcde"), min_size=1, max_size=5),
    finals=st.sets(st.sampled_from("abcde")),
    edges=st.lists(
        st.tuples(
            st.sampled_from(["t", "u", "v"]), st.sampled_from("abcdef"), st.sampled_from("abcdef")
        ),
        max_size=8,
    ),
)
def test_validation_matches_an_independent_oracle(
    names: list[str], finals: set[str], edges: list[tuple[str, str, str]]
) -> None:
    states = [State(name=n, final=n in finals) for n in names]
    transitions = [Transition(name=t, sources=s, target=g) for t, s, g in edges]
    expected = _oracle_valid(names, finals, edges)
    try:
        Workflow(name="w", states=states, initial=names[0], transitions=transitions)
    except ConfigurationError:
        assert not expected
    else:
        assert expected
