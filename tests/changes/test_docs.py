"""The docs page shows the default change workflow's own Mermaid export."""

from __future__ import annotations

import re
from pathlib import Path

from itsmcore.changes import default_change_workflow
from itsmcore.workflow import to_mermaid

PAGE = Path(__file__).resolve().parents[2] / "docs" / "changes.md"


def test_page_shows_the_default_change_workflow() -> None:
    text = PAGE.read_text(encoding="utf-8")
    diagrams = re.findall(r"^```mermaid\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert diagrams[0].rstrip("\n") == to_mermaid(default_change_workflow())
