"""Records of every shipped ticket type: what ``st.from_type(Record)`` draws."""

from __future__ import annotations

from hypothesis import strategies as st

from itsmcore.testing._change_strategies import changes
from itsmcore.testing._ticket_strategies import incidents, problems, service_requests
from itsmcore.workflow import Record

__all__ = ["records"]


def records(*, max_steps: int = 10) -> st.SearchStrategy[Record]:
    """Incidents, service requests, problems and changes in any state."""
    return st.one_of(
        incidents(max_steps=max_steps),
        service_requests(max_steps=max_steps),
        problems(max_steps=max_steps),
        changes(max_steps=max_steps),
    )
