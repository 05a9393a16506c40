"""The README's quick start shows a newcomer what a report looks like: the example `make demo`
checks has gaps, questions and a waiver (a test about a shipped example's verdicts)."""

from __future__ import annotations

import re
from datetime import date

from cvecheck.pipeline import check_file
from cvecheck.results import Status
from cvecheck.rules import RuleSet

from ..paths import REPO


def test_the_demo_example_shows_gaps_questions_and_a_waiver(ruleset: RuleSet) -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    example = re.search(r"^EXAMPLE \?= (\S+)$", makefile, re.MULTILINE)
    assert example is not None
    assert example.group(1) in (REPO / "README.md").read_text("utf-8")
    # The date the stored reports are made for, so the waiver's expiry cannot fail this alone.
    counts = check_file(REPO / example.group(1), ruleset, today=date(2026, 12, 1)).counts()
    assert counts[Status.GAP] and counts[Status.CANNOT_ASSESS] and counts[Status.WAIVED], counts
