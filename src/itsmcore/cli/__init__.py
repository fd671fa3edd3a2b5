"""The ``itsmcore`` command line: ``itsmcore demo`` walks through the library's capabilities."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from itsmcore.cli import demo

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``itsmcore`` command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="itsmcore", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("demo", help="walk through itsmcore's capabilities on sample data")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo.run_demo()
    parser.error(f"unknown command {args.command!r}; allowed: 'demo'")  # pragma: no cover
    return 2  # pragma: no cover
