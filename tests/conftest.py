"""Shared fixtures: the built-in rule set (loaded once), paths into the repository, and the
profiles of the property-based tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cvecheck.rules import RuleSet, load_rules

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = REPO / "rules" / "crest"
"""The CREST pack, built in and on by default."""
PRACTICE_DIR = REPO / "rules" / "practice"
"""The practice-standards pack, shipped but off by default."""

# Property-based tests: the default profile fits in CI's time; "long" is for a deeper hunt
# (pytest tests/test_fuzz.py --hypothesis-profile=long).
settings.register_profile(
    "default", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile("default")
EXAMPLES_DIR = REPO / "programme_examples"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_rules([RULES_DIR])


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line caches checked rule sets under XDG_CACHE_HOME: keep tests' out of home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
