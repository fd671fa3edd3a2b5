"""Data forms of the priority package's values (registered with :mod:`itsmcore.data`)."""

from __future__ import annotations
