"""Data forms of the cmdb package's values (registered with :mod:`itsmcore.data`)."""

from __future__ import annotations
