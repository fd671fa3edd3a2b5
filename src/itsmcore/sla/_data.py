"""Data forms of the sla package's values (registered with :mod:`itsmcore.data`)."""

from __future__ import annotations
