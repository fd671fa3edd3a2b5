"""The tickets section of ``itsmcore demo`` walks an incident, a request and a problem."""

from __future__ import annotations

import pytest

from itsmcore.cli import demo
from itsmcore.cli._demo_tickets import demo_tickets


def test_the_tickets_section_shows_the_lifecycles(capsys: pytest.CaptureFixture[str]) -> None:
    demo_tickets()
    out = capsys.readouterr().out
    assert "Incident INC0001002: priority 2 High" in out
    assert (
        "refused: cannot 'close' INC0001002 from state 'on_hold'; "
        "allowed: 'resume', 'resolve', 'cancel'"
    ) in out
    assert "v3  03-02 09:09  ann      start            new -> in_progress" in out
    assert "v7  03-10 09:00  system   close            resolved -> closed" in out
    assert "now closed, priority 1 Critical, reassignments 1, resolved by nina" in out
    assert "Request RITM0010001 for Developer laptop: closed_complete, approved" in out
    assert "Problem PRB0040001: resolved (fix_applied), known error True" in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_the_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    demo_tickets()
    first = capsys.readouterr().out
    demo_tickets()
    assert capsys.readouterr().out == first


def test_the_section_is_registered_in_the_demo() -> None:
    assert demo_tickets in [section for _, section in demo._sections()]
