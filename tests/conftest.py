"""Shared pytest set-up: hypothesis profiles sized for a 2-core machine."""

import os

from hypothesis import HealthCheck, settings

# derandomize: every run (and CI) tries the same examples, so a rare example cannot fail one run at random;
# HYPOTHESIS_PROFILE=thorough explores afresh
settings.register_profile(
    "default", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
