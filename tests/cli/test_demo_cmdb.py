"""The CMDB section of ``itsmcore demo`` walks an outage through impact, contacts and causes."""

from __future__ import annotations

import pytest

from itsmcore.cli import demo
from itsmcore.cli._demo_cmdb import demo_cmdb, sample_cmdb


def test_the_cmdb_section_explains_the_outage(capsys: pytest.CaptureFixture[str]) -> None:
    demo_cmdb()
    out = capsys.readouterr().out
    assert "degraded depth 1  farm-1     via esx-1 -> farm-1" in out
    assert "service 'Online shop' (criticality 1): degraded" in out
    assert "down     depth 4  shop       via san-1 -> vm-db -> orders-db -> shop-web -> shop" in out
    assert "notify: DBA, Platform, Storage, Web team, Dana (e-commerce)" in out
    assert "esx-1=down, esx-2=down, farm-1=down, vm-db=down, vm-web=down" in out
    assert "vm-web   explains INC1001, INC1002 (4 hops in total)" in out


def test_the_sample_agrees_with_its_story() -> None:
    cmdb = sample_cmdb()
    assert cmdb.impact(["esx-1"]).down == {"esx-1"}
    assert "intranet" not in cmdb.impact(["san-1"])


def test_the_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    demo_cmdb()
    first = capsys.readouterr().out
    demo_cmdb()
    assert capsys.readouterr().out == first


def test_the_section_is_registered_in_the_demo() -> None:
    assert demo_cmdb in [section for _, section in demo._sections()]
