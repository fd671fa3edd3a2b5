"""The ``itsmcore`` command: version, help text, a reader that stops early, output width."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import itsmcore
from itsmcore.cli import _parser, demo, main

ROOT = Path(__file__).resolve().parents[2]
REST_ROLE = re.compile(r"``|:(class|func|meth|mod|data|attr|exc):`")


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "itsmcore", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_version_is_the_package_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert itsmcore.__version__ == project["version"]
    done = _run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"itsmcore {project['version']}\n",
        "",
    )


@pytest.mark.parametrize("args", [["--help"], ["demo", "--help"]])
def test_help_is_plain_text(args: list[str]) -> None:
    done = _run(*args, env={**os.environ, "COLUMNS": "100"})
    assert done.returncode == 0
    assert "usage: itsmcore" in done.stdout
    assert REST_ROLE.search(done.stdout) is None, done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 100


def test_the_parser_descriptions_carry_no_rest_roles() -> None:
    parser = _parser()
    texts = [parser.description or "", parser.format_help()]
    assert all(REST_ROLE.search(text) is None for text in texts)


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["dance"])
    assert info.value.code == 2
    assert "invalid choice: 'dance'" in capsys.readouterr().err


def test_a_reader_that_stops_early_ends_the_demo_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "itsmcore", "demo"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 1


def test_demo_piped_into_head_prints_no_traceback() -> None:
    done = subprocess.run(  # noqa: S603 (a fixed shell line)
        ["/bin/sh", "-c", f"'{sys.executable}' -m itsmcore demo | head -n 2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == ""
    assert done.stdout.splitlines()[1] == "== Priority: impact x urgency matrices =="


def test_demo_output_fits_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.run_demo() == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 20
    wide = [line for line in lines if len(line) > 100]
    assert wide == []
