"""Each shipped example has its expected report stored beside it, and a change shows in it.

`make generated` writes the reports (tests/catalogue/test_generated.py fails when one is stale);
read the diff as a commissioner would before committing it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cvecheck.pipeline import check_file, check_text
from cvecheck.reporters import render_reports
from cvecheck.results import FileOutcome
from cvecheck.rules import RuleSet

from ..paths import REPO

EXAMPLES = sorted((REPO / "programme_examples").glob("*.yaml"))
REPORTS = REPO / "programme_examples" / "reports"
# Fixed so that waiver expiry cannot change a stored report on its own.
TODAY = date(2026, 12, 1)


def expected_report(path: Path, ruleset: RuleSet) -> str:
    name = f"programme_examples/{path.name}"
    report = check_file(path, ruleset, today=TODAY, display=name)
    return render_reports("table", [FileOutcome(name, report)])


def test_every_stored_report_has_its_example() -> None:
    assert {p.stem for p in REPORTS.glob("*.txt")} == {p.stem for p in EXAMPLES}


def test_stored_report_changes_when_the_programme_does(ruleset: RuleSet) -> None:
    path = REPO / "programme_examples" / "community-mentoring.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    emotional_skills: true", "    emotional_skills: false"
    )
    name = f"programme_examples/{path.name}"
    changed = render_reports(
        "table", [FileOutcome(name, check_text(text, name, ruleset, today=TODAY))]
    )
    stored = (REPORTS / "community-mentoring.txt").read_text(encoding="utf-8")
    assert changed != stored
    assert expected_report(path, ruleset) == stored
