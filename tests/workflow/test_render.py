"""Mermaid and DOT exports list exactly the workflow's states and edges."""

from __future__ import annotations

import re

from hypothesis import given

from itsmcore.incidents import default_incident_workflow
from itsmcore.testing._workflow_strategies import workflows
from itsmcore.workflow import Workflow, to_dot, to_mermaid


def expected_edges(workflow: Workflow) -> set[tuple[str, str, str]]:
    return {(s, t.target, t.name) for t in workflow.transitions for s in t.sources}


@given(workflows())
def test_mermaid_has_every_edge_once(workflow: Workflow) -> None:
    text = to_mermaid(workflow)
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    edges = [m.groups() for m in map(re.compile(r"^    (\w+) --> (\w+): (\w+)$").match, lines) if m]
    assert len(edges) == len(set(edges))
    assert set(edges) == expected_edges(workflow)
    assert f"    [*] --> {workflow.initial}" in lines
    finals = {m.group(1) for m in map(re.compile(r"^    (\w+) --> \[\*\]$").match, lines) if m}
    assert finals == workflow.final_states


@given(workflows())
def test_dot_has_every_edge_and_marks_finals(workflow: Workflow) -> None:
    text = to_dot(workflow)
    edges = set(re.findall(r'^    "(\w+)" -> "(\w+)" \[label="(\w+)"\];$', text, re.MULTILINE))
    assert edges == expected_edges(workflow)
    doubled = set(
        re.findall(r'^    "(\w+)" \[label="[^"]*", peripheries=2\];$', text, re.MULTILINE)
    )
    assert doubled == workflow.final_states
    assert text.startswith('digraph "random" {')
    assert text.endswith("}")


def test_the_incident_diagram() -> None:
    text = to_mermaid(default_incident_workflow())
    assert "    resolved --> in_progress: reopen" in text
    assert "    on_hold --> resolved: resolve" in text
    assert "    canceled --> [*]" in text
