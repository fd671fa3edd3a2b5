"""Mermaid and Graphviz DOT pictures of an impact result, a dependency tree or a neighbourhood.

Nodes show the CI name and class; down CIs are red, degraded ones amber, sources outlined;
edges point the way impact travels, labelled with the relationship read in that direction
(``db "Used by" app``, ``server "Runs" app``).
"""

from __future__ import annotations

from collections.abc import Iterable

from itsmcore.cmdb._validate import ci_id_of, collection
from itsmcore.cmdb.graph import CMDB
from itsmcore.cmdb.impact import ImpactResult
from itsmcore.cmdb.model import ImpactState
from itsmcore.cmdb.relationships import Propagation
from itsmcore.cmdb.upstream import DependencyTree
from itsmcore.errors import ValidationError

__all__ = ["View", "to_dot", "to_mermaid"]

#: What can be drawn: an impact result, a dependency tree, or any collection of CI ids.
View = ImpactResult | DependencyTree | Iterable[str]

_FILL = {ImpactState.DOWN: "#f8a5a5", ImpactState.DEGRADED: "#fbd88a"}


def _collect(
    cmdb: CMDB, view: View, max_nodes: int
) -> tuple[CMDB, list[str], dict[str, ImpactState], frozenset[str]]:
    if not isinstance(cmdb, CMDB):
        raise ValidationError(f"expected a CMDB, got {type(cmdb).__name__}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValidationError(f"max_nodes must be an int >= 1, got {max_nodes!r}")
    if isinstance(view, ImpactResult):
        cmdb = CMDB._pinned(view._state)  # draw the version the result was computed on
        nodes = list(view)
        states = {c: view.state(c) for c in nodes}
        sources = view.sources
    elif isinstance(view, DependencyTree):
        cmdb = cmdb.snapshot()
        nodes, states, sources = list(view), {}, frozenset({view.root})
    else:
        cmdb = cmdb.snapshot()
        items = collection(view, "the view", "CI ids")
        nodes = sorted({ci_id_of(c, "an id in the view") for c in items})
        states, sources = {}, frozenset()
    if len(nodes) > max_nodes:
        raise ValidationError(
            f"{len(nodes)} CIs is too many to draw; allowed: up to max_nodes={max_nodes} "
            "(pass a larger max_nodes, or a smaller view)"
        )
    for ci_id in nodes:
        cmdb._require(ci_id, "the view")
    return cmdb, nodes, states, sources


def _edges(cmdb: CMDB, nodes: list[str]) -> list[tuple[str, str, str]]:
    inside = set(nodes)
    types = cmdb.relationship_types
    out = []
    for u in nodes:
        for v, data in cmdb.graph.succ[u].items():
            if v in inside:
                rel_type = types.get(data["type"])
                label = (
                    rel_type.child_label
                    if rel_type.propagation is Propagation.CHILD_TO_PARENT
                    else rel_type.parent_label
                )
                out.append((u, v, label))
    return out


def _label(cmdb: CMDB, ci_id: str) -> tuple[str, str]:
    ci = cmdb.ci(ci_id)
    return ci.label, ci.ci_class


def to_mermaid(cmdb: CMDB, view: View, *, max_nodes: int = 500) -> str:
    """A Mermaid ``flowchart`` of ``view``."""
    cmdb, nodes, states, sources = _collect(cmdb, view, max_nodes)
    key = {c: f"n{i}" for i, c in enumerate(nodes)}
    lines = ["flowchart LR"]
    for ci_id in nodes:
        name, cls = _label(cmdb, ci_id)
        text = f"{name}<br/><small>{cls}</small>".replace('"', "#quot;")
        style = ""
        state = states.get(ci_id)
        if state is not None and state is not ImpactState.UP:
            style = f":::{state.label}"
        lines.append(f'    {key[ci_id]}["{text}"]{style}')
    for u, v, label in _edges(cmdb, nodes):
        lines.append(f"    {key[u]} -->|{label.replace('|', '/')}| {key[v]}")
    lines.append(f"    classDef down fill:{_FILL[ImpactState.DOWN]},stroke:#b00000")
    lines.append(f"    classDef degraded fill:{_FILL[ImpactState.DEGRADED]},stroke:#a06000")
    for ci_id in nodes:
        if ci_id in sources:
            lines.append(f"    style {key[ci_id]} stroke-width:3px")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(cmdb: CMDB, view: View, *, max_nodes: int = 500, name: str = "cmdb") -> str:
    """A Graphviz DOT digraph of ``view``."""
    if not isinstance(name, str):
        raise ValidationError(f"name must be a string, got {type(name).__name__} {name!r}")
    cmdb, nodes, states, sources = _collect(cmdb, view, max_nodes)
    lines = [
        f"digraph {_dot_quote(name)} {{",
        "    rankdir=LR;",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff"];',
    ]
    for ci_id in nodes:
        label, cls = _label(cmdb, ci_id)
        attrs = [f"label={_dot_quote(label)[:-1]}\\n{_dot_quote(cls)[1:]}"]
        state = states.get(ci_id)
        if state is not None and state is not ImpactState.UP:
            attrs.append(f'fillcolor="{_FILL[state]}"')
            attrs.append(f'tooltip="{state.label}"')
        if ci_id in sources:
            attrs.append("penwidth=3")
        lines.append(f"    {_dot_quote(ci_id)} [{', '.join(attrs)}];")
    for u, v, label in _edges(cmdb, nodes):
        lines.append(f"    {_dot_quote(u)} -> {_dot_quote(v)} [label={_dot_quote(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
