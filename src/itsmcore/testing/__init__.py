"""The test kit itsmcore ships to its users.

* :mod:`itsmcore.testing.strategies`: hypothesis strategies for every domain value object.
  They are also registered with hypothesis (through its ``hypothesis`` entry point), so
  ``st.from_type(PriorityMatrix)`` and friends work in your own tests.

Import the strategies from :mod:`itsmcore.testing.strategies`; this package itself only
documents the kit, so importing it never pulls hypothesis into production code.
"""

from __future__ import annotations

__all__: list[str] = []
