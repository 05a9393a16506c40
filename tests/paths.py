"""Where the tests find things: the repository, the shipped rule pack, the shipped examples and
the fixture packs.

The shipped pack is located in one place, here, so moving it touches one line. Only the tests
under tests/catalogue/ (whose subject is the shipped pack) should depend on its verdicts.
"""

from __future__ import annotations

from pathlib import Path

from cvecheck.rules import builtin_rules_root, default_rules_dir

REPO = Path(__file__).resolve().parents[1]
SHIPPED_RULES = default_rules_dir()
"""The CREST pack, built in and on by default."""
PRACTICE_RULES = builtin_rules_root() / "practice"
"""The practice-standards pack, shipped but off by default."""
EXAMPLES_DIR = REPO / "programme_examples"
FIXTURES = REPO / "tests" / "fixtures"
# Two rules in one section: the smallest pack for rule-pack, catalogue and CLI plumbing tests.
DEMO_PACK = FIXTURES / "pack"
# Four rules in two sections, built so that between them every outcome appears (see reporting.py).
REPORTING_PACK = FIXTURES / "reporting-pack"
