"""Definition-time checks for a :class:`~itsmcore.workflow.Workflow`.

A workflow that could strand a ticket (a state nothing leads to, a non-final state with no way
out) or that is ambiguous (two transitions with the same name from the same state) is rejected
when it is built, with a :class:`~itsmcore.errors.ConfigurationError` naming the culprit.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from itsmcore.errors import ConfigurationError, allowed_list

if TYPE_CHECKING:
    from itsmcore.workflow.definition import Workflow

__all__ = ["validate"]


def validate(workflow: Workflow) -> None:
    """Raise :class:`ConfigurationError` if ``workflow`` is inconsistent; return otherwise."""
    where = f"workflow {workflow.name!r}"
    names = [s.name for s in workflow.states]
    if not names:
        raise ConfigurationError(f"{where} has no states; declare at least the initial state")
    doubled = sorted(n for n, c in Counter(names).items() if c > 1)
    if doubled:
        raise ConfigurationError(f"{where} declares state(s) twice: {allowed_list(doubled)}")
    known = set(names)
    if workflow.initial not in known:
        raise ConfigurationError(
            f"{where}: initial state {workflow.initial!r} is not a declared state; "
            f"states: {allowed_list(names)}"
        )
    finals = {s.name for s in workflow.states if s.final}
    if workflow.initial in finals:
        raise ConfigurationError(f"{where}: the initial state {workflow.initial!r} is final")

    seen: dict[tuple[str, str], str] = {}
    out: dict[str, set[str]] = {n: set() for n in names}
    for t in workflow.transitions:
        unknown = sorted((t.sources | {t.target}) - known)
        if unknown:
            raise ConfigurationError(
                f"{where}: transition {t.name!r} names unknown state(s) {allowed_list(unknown)}; "
                f"states: {allowed_list(names)}"
            )
        for source in sorted(t.sources):
            key = (source, t.name)
            if key in seen:
                kind = "duplicate" if seen[key] == t.target else "ambiguous"
                raise ConfigurationError(
                    f"{where}: {kind} transition {t.name!r} from state {source!r} "
                    f"(to {seen[key]!r} and to {t.target!r}); a transition name may leave a "
                    "state only once"
                )
            seen[key] = t.target
            out[source].add(t.target)

    for state in names:
        if state in finals and out[state]:
            leaving = sorted(name for (source, name) in seen if source == state)
            raise ConfigurationError(
                f"{where}: final state {state!r} has transitions out ({allowed_list(leaving)}); "
                "final states accept nothing: make it non-final or drop the transitions"
            )
        if state not in finals and not out[state]:
            raise ConfigurationError(
                f"{where}: state {state!r} has no way out and is not final; "
                "add a transition from it or mark it final"
            )

    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        for target in out[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    unreachable = [n for n in names if n not in reached]
    if unreachable:
        raise ConfigurationError(
            f"{where}: state(s) {allowed_list(unreachable)} cannot be reached from the initial "
            f"state {workflow.initial!r}; add a transition into them or remove them"
        )
