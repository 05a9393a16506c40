"""Shared fixtures: the built-in rule set (loaded once) and paths into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvecheck.rules import RuleSet, load_rules

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = REPO / "rules"
EXAMPLES_DIR = REPO / "programme_examples"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_rules([RULES_DIR])
