"""Draw a workflow: Mermaid ``stateDiagram-v2`` text and Graphviz DOT text.

Both are plain strings (no rendering dependency); paste Mermaid into a Markdown page or feed
DOT to ``dot -Tsvg``. Each transition is one edge per source state, labelled with its name.
"""

from __future__ import annotations

from itsmcore.workflow.definition import Workflow

__all__ = ["to_dot", "to_mermaid"]


def _edges(workflow: Workflow) -> list[tuple[str, str, str]]:
    return [
        (source, t.target, t.label or t.name)
        for t in workflow.transitions
        for source in sorted(t.sources)
    ]


def to_mermaid(workflow: Workflow) -> str:
    """The workflow as a Mermaid state diagram (initial and final states marked).

    >>> from itsmcore.workflow import State, Transition, Workflow
    >>> flow = Workflow(name="tiny", initial="open", states=[State(name="open"),
    ...     State(name="done", final=True)],
    ...     transitions=[Transition(name="finish", sources="open", target="done")])
    >>> print(to_mermaid(flow))
    stateDiagram-v2
        open: Open
        done: Done
        [*] --> open
        open --> done: finish
        done --> [*]
    """
    lines = ["stateDiagram-v2"]
    lines += [f"    {s.name}: {s.title}" for s in workflow.states]
    lines.append(f"    [*] --> {workflow.initial}")
    lines += [f"    {source} --> {target}: {label}" for source, target, label in _edges(workflow)]
    lines += [f"    {s.name} --> [*]" for s in workflow.states if s.final]
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(workflow: Workflow) -> str:
    """The workflow as a Graphviz DOT digraph (final states drawn with a double border)."""
    lines = [
        f"digraph {_quote(workflow.name)} {{",
        "    rankdir=LR;",
        "    node [shape=box, style=rounded];",
        '    "__initial__" [shape=point, label=""];',
    ]
    for state in workflow.states:
        extra = ", peripheries=2" if state.final else ""
        lines.append(f"    {_quote(state.name)} [label={_quote(state.title)}{extra}];")
    lines.append(f'    "__initial__" -> {_quote(workflow.initial)};')
    lines += [
        f"    {_quote(source)} -> {_quote(target)} [label={_quote(label)}];"
        for source, target, label in _edges(workflow)
    ]
    lines.append("}")
    return "\n".join(lines)
