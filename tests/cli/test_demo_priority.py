"""The priority section of ``itsmcore demo`` prints the matrices, lookups and impact rules."""

from __future__ import annotations

import pytest

from itsmcore.cli import demo
from itsmcore.cli._demo_priority import demo_priority


def test_the_priority_section_walks_through_lookup_and_impact_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo_priority()
    out = capsys.readouterr().out
    assert "1 High           | 1 Critical | 2 High     | 3 Moderate" in out
    assert "lookup('High', 'Medium') -> 2 High" in out
    assert "lookup(3, 3)             -> 5 Planning" in out
    assert "(1 High, 3 Low), (2 Medium, 2 Medium), (3 Low, 1 High)" in out
    assert "Very high        | Low      | Medium   | High   | Very high | Very high" in out
    assert "Payroll down  impact 1 High    (business-critical service down)" in out
    assert "Printer jam   impact 3 Low     (no rule matched: default) -> priority 3 Moderate" in out


def test_the_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    demo_priority()
    first = capsys.readouterr().out
    demo_priority()
    assert capsys.readouterr().out == first


def test_the_section_is_registered_in_the_demo() -> None:
    assert demo_priority in [section for _, section in demo._sections()]
