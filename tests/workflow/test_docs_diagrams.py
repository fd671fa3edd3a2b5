"""The Mermaid diagrams on the docs pages are the default workflows' own exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from itsmcore.incidents import default_incident_workflow
from itsmcore.problems import default_problem_workflow
from itsmcore.requests import default_request_workflow
from itsmcore.workflow import Workflow, to_mermaid

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("page", "factory"),
    [
        ("incidents.md", default_incident_workflow),
        ("requests.md", default_request_workflow),
        ("problems.md", default_problem_workflow),
    ],
)
def test_page_shows_the_default_workflow(page: str, factory: Callable[[], Workflow]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    diagrams = re.findall(r"^```mermaid\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert diagrams, f"{page} has no mermaid diagram"
    assert diagrams[0].rstrip("\n") == to_mermaid(factory())
