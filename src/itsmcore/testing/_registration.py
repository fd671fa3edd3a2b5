"""Registers itsmcore's strategies with hypothesis so ``st.from_type`` works for our types.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry point
declared in ``pyproject.toml``, once, when hypothesis is imported.
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from itsmcore.testing import _time_strategies

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    st.register_type_strategy(pendulum.DateTime, _time_strategies.aware_datetimes())
    # Each domain registers its types below, one call per domain.
