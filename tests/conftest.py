"""Shared test settings: hypothesis profiles, bounded unless a deeper one is asked for.

``.venv/bin/python -m pytest`` runs the ``default`` profile, sized so the whole suite stays
under three minutes on a 2-core machine. Choose another with ``HYPOTHESIS_PROFILE``:
``ci`` (what ``.ci/run`` uses: twice the examples, failure blobs printed for reproduction),
``dev`` (more examples) or ``thorough`` (many more; minutes per property, for a release).
A test's own ``@settings(max_examples=...)`` takes precedence over every profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_BOUNDED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}

settings.register_profile("default", max_examples=30, **_BOUNDED)
settings.register_profile("ci", max_examples=60, print_blob=True, **_BOUNDED)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
