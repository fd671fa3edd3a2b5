"""The itsmcore command line: "itsmcore demo" walks through the library's capabilities."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from itsmcore import __version__
from itsmcore.cli import demo

__all__ = ["main"]

_DESCRIPTION = (
    "itsmcore, the domain engine a service desk is built on. "
    "Run 'itsmcore demo' for a tour of the library on sample data."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="itsmcore", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"itsmcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "demo",
        help="walk through itsmcore's capabilities on sample data",
        description="Print a tour of itsmcore on sample data: priority matrices, tickets, "
        "business-hours calendars and CMDB impact. Nothing is read or written.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``itsmcore`` command; returns the process exit code.

    A reader that stops early (``itsmcore demo | head``) ends the command quietly, with exit
    status 1 as Python's docs recommend for a broken pipe.
    """
    args = _parser().parse_args(argv)
    try:
        code = demo.run_demo() if args.command == "demo" else 2
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader has gone: send what is still buffered to /dev/null, so the interpreter's
        # final flush does not fail again at exit (the recipe in Python's signal docs).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code
