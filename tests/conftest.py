"""Shared fixtures: the shipped rule set (loaded once), the profiles of the property-based tests,
and the test markers. Paths into the repository live in tests/paths.py."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from cvecheck.rules import RuleSet, load_rules

from .paths import EXAMPLES_DIR, PRACTICE_RULES, REPO, SHIPPED_RULES

RULES_DIR = SHIPPED_RULES  # the names older tests import
PRACTICE_DIR = PRACTICE_RULES
__all__ = ["EXAMPLES_DIR", "PRACTICE_DIR", "REPO", "RULES_DIR", "SHIPPED_RULES"]

# Property-based tests: the default profile fits in CI's time; "long" is for a deeper hunt
# (pytest tests/unit/test_fuzz.py --hypothesis-profile=long).
settings.register_profile(
    "default", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The shipped pack: for tests whose subject is the shipped catalogue."""
    return load_rules([SHIPPED_RULES])


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line caches checked rule sets under XDG_CACHE_HOME: keep tests' out of home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
