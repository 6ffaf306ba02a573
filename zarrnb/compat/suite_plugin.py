"""Loaded by the suite runner with ``-p zarrnb.compat.suite_plugin``, before zarr-python's conftest.

Registers the hypothesis profile both runs load through ``HYPOTHESIS_PROFILE``: the same
strategies with fewer examples (``ZARRNB_SUITE_EXAMPLES``, default 10), so the suite stays
bounded inside ``make test``. Importing it is the whole effect (conftest loads profiles at import).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = "zarrnb-suite"

settings.register_profile(
    PROFILE,
    max_examples=int(os.environ.get("ZARRNB_SUITE_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
