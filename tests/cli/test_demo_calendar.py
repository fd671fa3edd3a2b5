"""The calendar section of ``itsmcore demo`` prints SLA due times, a DST night and a shift."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest

from itsmcore.cli import demo
from itsmcore.cli._demo_calendar import demo_calendar, sample_calendar


def test_the_calendar_section_prints_the_walk_through(capsys: pytest.CaptureFixture[str]) -> None:
    demo_calendar()
    out = capsys.readouterr().out
    assert "ticket opened      Fri 2025-03-07 15:30" in out
    assert "  +  4 business h  Sat 2025-03-08 11:30" in out
    assert "  + 40 business h  Fri 2025-03-14 11:30" in out
    assert "Christmas week     15 business hours" in out
    assert "Sun 2025-03-30 01:30 + 2 business h = Mon 2025-03-31 01:30" in out
    assert "Fri 2025-03-07 23:00 + 8 business h = Mon 2025-03-10 23:00" in out


def test_the_sample_week_has_43_business_hours() -> None:
    monday = pendulum.datetime(2025, 3, 3, tz="Europe/Berlin")
    assert sample_calendar().between(monday, monday.add(weeks=1)) == timedelta(hours=43)


def test_the_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    demo_calendar()
    first = capsys.readouterr().out
    demo_calendar()
    assert capsys.readouterr().out == first


def test_the_section_is_registered_in_the_demo() -> None:
    assert demo_calendar in [section for _, section in demo._sections()]
