"""Hypothesis strategies for itsmcore's value objects, for your own property-based tests.

Every strategy here is a function returning a ``SearchStrategy``; none raises when called
(bad arguments surface when the strategy is drawn from, as in hypothesis itself). The
strategies for each domain live in a private module beside this one and are re-exported here.
"""

from __future__ import annotations

from itsmcore.testing._time_strategies import aware_datetimes, utc_datetimes, zone_names

# Each domain's strategies are re-exported below, one import line per domain.

__all__ = [
    "aware_datetimes",
    "utc_datetimes",
    "zone_names",
]
