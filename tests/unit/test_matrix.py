"""The comparison matrix (`cvecheck compare`, `check --format matrix`) in its four formats.

The proposals in tests/fixtures/proposals are checked with the fixture pack
tests/fixtures/reporting-pack, so these expectations do not move when the shipped rules change.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.pipeline import check_file, check_text
from cvecheck.questions import open_questions
from cvecheck.reporters import matrix
from cvecheck.results import Coverage, FileOutcome, Issue, Location, Status
from cvecheck.rules import RuleSet, load_rules

from ..paths import FIXTURES, REPORTING_PACK

PROPOSALS = FIXTURES / "proposals"
PACK = ["--rules", str(REPORTING_PACK)]
runner = CliRunner(
    env={"COLUMNS": "400"}
)  # the wide layout; tests/cli/test_terminal_output.py covers 80


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_rules([REPORTING_PACK])


def outcomes(ruleset: RuleSet) -> list[FileOutcome]:
    good = [FileOutcome(str(p), check_file(p, ruleset)) for p in sorted(PROPOSALS.glob("*.yaml"))]
    broken = FileOutcome(
        "broken.yaml",
        None,
        (Issue("not-true-or-false", "formers.used: wrong", Location("b", 6, 3)),),
    )
    return [*good, broken]


def test_columns_are_the_focus_areas_then_the_report_sections(ruleset: RuleSet) -> None:
    built = matrix.build(outcomes(ruleset))
    kinds = [c.kind for c in built.columns]
    assert kinds == ["focus"] * 4 + ["section"] * len(ruleset.packs[0].sections)
    assert [c.key for c in built.columns if c.kind == "section"] == [
        s.id for s in ruleset.packs[0].sections
    ]


def test_rows_carry_each_reports_coverage_and_counts(ruleset: RuleSet) -> None:
    given = outcomes(ruleset)
    built = matrix.build(given)
    for row, outcome in zip(built.rows, given, strict=True):
        assert row.path == outcome.path
        if outcome.report is None:
            assert row.error == "line 6: formers.used: wrong"
            continue
        assert row.cells[:4] == outcome.report.focus_coverage
        assert row.gaps == outcome.report.counts()[Status.GAP]
        assert row.questions == len(open_questions(outcome.report))  # each field once


def test_totals_add_up_the_checked_rows(ruleset: RuleSet) -> None:
    built = matrix.build(outcomes(ruleset))
    for index, total in enumerate(built.totals()):
        for status in Status:
            expected = sum(r.cells[index].counts[status] for r in built.rows if r.checked)
            assert total.counts[status] == expected


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        # coverage over what is known: questions count neither way
        ({Status.PASS: 1, Status.GAP: 1, Status.CANNOT_ASSESS: 2}, "50% 1m 1g 2q"),
        ({Status.CANNOT_ASSESS: 3}, "not known 3q"),
        ({Status.PASS: 2}, "100% 2m"),
        ({Status.NOT_APPLICABLE: 1, Status.WAIVED: 1}, "n/a 1w"),
        ({}, "-"),
    ],
)
def test_cell_text(counts: dict[Status, int], text: str) -> None:
    assert matrix.cell_text(Coverage("k", "t", {**dict.fromkeys(Status, 0), **counts})) == text


def test_csv_has_one_line_per_proposal_with_numbers(ruleset: RuleSet) -> None:
    given = outcomes(ruleset)
    rows = list(csv.DictReader(io.StringIO(matrix.render_csv(given))))
    assert [r["file"] for r in rows] == [o.path for o in given]
    v1 = rows[0]
    assert v1["status"] == "checked" and v1["programme"] == "Riverside Mentoring"
    assert v1["focus:former-training coverage"] == "0"
    assert v1["focus:former-training gaps"] == "1"
    assert v1["section:reporting waived"] == "1"
    # DLV001 (emotional skills) and REP002 (no baseline).
    assert v1["gaps"] == "2"
    report = given[0].report
    assert report is not None
    assert v1["questions"] == str(len(open_questions(report)))
    assert rows[-1]["status"] == "invalid" and "formers.used" in rows[-1]["error"]


def test_csv_defuses_spreadsheet_formulas(ruleset: RuleSet) -> None:
    report = check_text("programme: {name: '=HYPERLINK(1)'}\n", "=cmd.yaml", ruleset)
    rows = list(csv.reader(io.StringIO(matrix.render_csv([FileOutcome("=cmd.yaml", report)]))))
    assert rows[1][:2] == ["'=cmd.yaml", "'=HYPERLINK(1)"]


def test_html_is_self_contained_and_escaped(ruleset: RuleSet) -> None:
    name = "<script>alert('x')</script> & co"
    report = check_text(f'programme: {{name: "{name}"}}\n', "p<1>.yaml", ruleset)
    page = matrix.render_html([FileOutcome("p<1>.yaml", report), *outcomes(ruleset)])
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    assert "p&lt;1&gt;.yaml" in page
    assert "http" not in page.replace('lang="en"', "")  # nothing to fetch
    assert page.count("<tr>") + page.count('<tr class="total">') == 2 + 4 + 1


def test_markdown_escapes_table_breaks(ruleset: RuleSet) -> None:
    report = check_text("programme: {name: 'A | B *bold*'}\n", "a.yaml", ruleset)
    text = matrix.render_markdown([FileOutcome("a.yaml", report)])
    row = next(line for line in text.splitlines() if line.startswith("| `a.yaml`"))
    assert "A \\| B \\*bold\\*" in row
    assert row.count(" | ") == len(matrix.build([FileOutcome("a.yaml", report)]).columns) + 2


def test_compare_on_proposals_and_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, folder)
    shutil.copy(FIXTURES / "broken.yaml", folder / "broken.yaml")
    result = runner.invoke(app, ["compare", *PACK, str(folder)])
    assert result.exit_code == 2
    assert "Comparison of 3 proposals; 1 could not be checked" in result.stdout
    assert f"- {folder / 'broken.yaml'}: line 6: formers.used" in result.stdout
    for example in PROPOSALS.glob("*.yaml"):
        row = next(
            line for line in result.stdout.splitlines() if str(folder / example.name) in line
        )
        assert "%" in row
    assert f"{folder / 'broken.yaml'}:6:3" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html"])
def test_compare_writes_each_format_to_a_file(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"matrix.{fmt}"
    files = [str(p) for p in sorted(PROPOSALS.glob("*.yaml"))]
    result = runner.invoke(
        app, ["compare", *PACK, *files, "--format", fmt, "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rules = load_rules([REPORTING_PACK])
    assert target.read_text(encoding="utf-8") == getattr(matrix, f"render_{fmt}")(
        [FileOutcome(f, check_file(f, rules)) for f in files]
    )


def test_compare_exit_code_ignores_gaps() -> None:
    result = runner.invoke(app, ["compare", *PACK, str(PROPOSALS)])
    assert result.exit_code == 0
    assert "all proposals" in result.stdout


def test_check_has_a_matrix_format(tmp_path: Path) -> None:
    copy = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, copy)
    result = runner.invoke(app, ["check", *PACK, "--format", "matrix", str(copy)])
    assert result.exit_code == 1  # gaps at the default threshold, as for any check
    assert result.stdout.startswith("Comparison of 2 proposals\n")
    assert "first.yaml" in result.stdout and "all proposals" in result.stdout


def test_compare_to_an_unwritable_file_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "matrix.csv"
    result = runner.invoke(app, ["compare", *PACK, str(PROPOSALS), "-f", "csv", "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {target}: cannot be written: No such file or directory [output-unwritable]"
    ]
