"""Data forms of the workflow package's values (registered with :mod:`itsmcore.data`)."""

from __future__ import annotations
