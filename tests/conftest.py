"""Hypothesis profiles: `ci` (default; fixed seed, bounded) and `thorough` (nightly-size).

    HYPOTHESIS_PROFILE=thorough uv run pytest tests/test_properties.py
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=120, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
