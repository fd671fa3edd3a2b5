"""``itsmcore demo``: a tour of the library on sample data, printed to stdout."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["run_demo"]

Section = Callable[[], None]


def _sections() -> list[tuple[str, Section]]:
    # Each capability contributes one section, in the order a service desk meets them.
    return []


def run_demo() -> int:
    """Print every demo section; returns 0."""
    for title, section in _sections():
        print(f"\n== {title} ==\n")
        section()
    return 0
