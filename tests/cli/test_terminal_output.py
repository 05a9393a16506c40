"""Terminal output fits the terminal: at 80 columns no line of check, compare, diff, explain,
rules or coverage is longer than 80 characters, and no word or dotted field name is split.

The fixture pack's questions name long fields
(``community_and_reporting.post_reporting_support.named_contact``); the shipped examples and
rules are checked for width only, in tests/catalogue/test_terminal_width.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.questions import open_questions
from cvecheck.reporters import render_reports
from cvecheck.reporters.layout import Terminal, fill, table, wrap
from cvecheck.results import Report, Status
from cvecheck.rules import load_rules

from ..reporting import CLEAN_YAML, PACK_DIR, TRICKY_YAML, check

WIDTH = 80
narrow = CliRunner(env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
PACK = str(PACK_DIR)


def assert_fits(text: str, width: int = WIDTH) -> None:
    long = [line for line in text.splitlines() if len(line) > width]
    assert not long, f"{len(long)} lines wider than {width}, e.g. {long[0]!r}"


def assert_words_whole(text: str, sources: list[str]) -> None:
    """Every word of the texts a report shows appears whole in it: nothing was split."""
    shown = set(text.split())
    split = {word for source in sources for word in source.split() if word not in shown}
    assert not split, f"split or missing words: {sorted(split)[:5]}"


def shown_texts(report: Report) -> list[str]:
    """The rule-pack texts a table report shows for this report."""
    texts: list[str] = []
    for result in report.results:
        rule = report.rules[result.rule_id]
        if result.status is Status.GAP:
            texts += [g.message for g in result.gaps] + [rule.remediation]
        if result.status is Status.NOT_APPLICABLE:
            texts.append(result.reason)
    # Questions are shown once per field, in the words open_questions gives them.
    return texts + [question.text for question in open_questions(report)]


@pytest.fixture
def programmes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of realistic programmes under relative paths, as a commissioner keeps them."""
    folder = tmp_path / "proposals"
    folder.mkdir()
    (folder / "bridges-community-mentoring-proposal.yaml").write_text(TRICKY_YAML, "utf-8")
    (folder / "northgate-clean.yaml").write_text(CLEAN_YAML, "utf-8")
    (folder / "silent.yaml").write_text("programme:\n  name: Silent\n", "utf-8")
    (folder / "asks.yaml").write_text(
        "programme:\n  name: Asks\ncommunity_and_reporting:\n  receives_concerns: true\n", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return Path("proposals")


def test_check_fits_80_columns_and_splits_no_word(programmes: Path) -> None:
    result = narrow.invoke(app, ["check", "--rules", PACK, "--today", "2026-01-01", "proposals"])
    assert result.exit_code == 1, result.stderr
    assert_fits(result.stdout)
    assert "community_and_reporting.post_reporting_support.named_contact" in result.stdout
    texts: list[str] = []
    for path in sorted(programmes.glob("*.yaml")):
        outcome = check(path.read_text("utf-8"), str(path))
        assert outcome.report is not None
        texts += shown_texts(outcome.report)
    assert_words_whole(result.stdout, texts)


@pytest.mark.parametrize("width", [60, 80, 100, 140, 200])
def test_the_table_is_never_wider_than_the_terminal(width: int) -> None:
    outcomes = [check(TRICKY_YAML, "proposals/bridges.yaml"), check(CLEAN_YAML, "clean.yaml")]
    text = render_reports("table", outcomes, Terminal(width))
    assert_fits(text, width)
    report = outcomes[0].report
    assert report is not None
    assert_words_whole(text, shown_texts(report))


def test_a_wide_terminal_keeps_the_columns_side_by_side() -> None:
    outcome = check(TRICKY_YAML, "bridges.yaml")
    wide = render_reports("table", [outcome], Terminal(200))
    narrow_text = render_reports("table", [outcome], Terminal(50))
    assert any(line.startswith("rule ") and "what to do" in line for line in wide.splitlines())
    assert not any("what to do" in line and "severity" in line for line in narrow_text.splitlines())
    assert "    what to do: " in narrow_text  # stacked: the row's text on indented lines


@pytest.mark.parametrize(
    "arguments",
    [
        ["compare", "--rules", PACK, "proposals"],
        [
            "diff",
            "--rules",
            PACK,
            "proposals/northgate-clean.yaml",
            "proposals/bridges-community-mentoring-proposal.yaml",
        ],
        ["rules", "--rules", PACK],
        ["coverage", "--rules", PACK],
        ["explain", "--rules", PACK, "REP001"],
        ["explain", "--rules", PACK, "DLV001"],
    ],
    ids=lambda a: " ".join(a[:1] + a[-1:]),
)
def test_every_other_command_fits_80_columns(programmes: Path, arguments: list[str]) -> None:
    result = narrow.invoke(app, arguments)
    assert result.exit_code in (0, 1), result.output
    assert_fits(result.stdout)
    ruleset = load_rules([PACK_DIR])
    if arguments[0] == "rules":
        assert_words_whole(result.stdout, [c.rule.title for c in ruleset.rules])
    if arguments[0] == "explain":
        rule = ruleset.by_id()[arguments[-1]].rule
        assert_words_whole(result.stdout, [rule.remediation, rule.why])


def test_compare_turns_the_matrix_on_its_side_when_it_is_too_wide(programmes: Path) -> None:
    result = narrow.invoke(app, ["compare", "--rules", PACK, "proposals"])
    # Too narrow for a row per proposal: each proposal becomes a block of its own.
    assert "\nproposals/asks.yaml\n    " in result.stdout
    assert_fits(result.stdout)
    wide = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["compare", "--rules", PACK, "proposals"])
    assert "\nproposals/asks.yaml\n    " not in wide.stdout and "all proposals" in wide.stdout


# --- the layout on its own ----------------------------------------------------------------------


def test_wrapping_never_splits_a_word_or_a_field_name() -> None:
    field = "community_and_reporting.post_reporting_support.emotional_support"
    lines = wrap(f"Is support offered ({field})? Self-report, case-notes and more.", 70)
    assert f"({field})?" in lines
    assert all("Self-report," in line or "Self" not in line for line in lines)


def test_a_field_name_longer_than_its_column_goes_on_its_own_line() -> None:
    field = "community_and_reporting.post_reporting_support.updates_to_reporter.policy"
    row = [["R1", f"Are reporters told ({field})?"]]
    text = table(row, ["rule", "question"], Terminal(90), prose=(1,))
    assert any(line.strip() == f"({field})?" for line in text.splitlines())
    assert_fits(text, 90)


def test_a_name_longer_than_the_terminal_is_broken_only_after_its_dots() -> None:
    field = "community_and_reporting.post_reporting_support.updates_to_reporter.what_can_be_shared"
    lines = wrap(f"What can be shared ({field})?", 60, "    ")
    assert_fits("\n".join(lines), 60)
    assert lines[-2:] == [
        "    (community_and_reporting.post_reporting_support.",
        "    updates_to_reporter.what_can_be_shared)?",
    ]


def test_rules_that_share_a_reason_are_listed_once() -> None:
    outcome = check("programme:\n  name: Offline\n  online_work: false\n", "p.yaml")
    text = render_reports("table", [outcome], Terminal(80))
    not_applicable = text.split("Not applicable")[1]
    reasons = [r.reason for r in outcome.report.results if r.status is Status.NOT_APPLICABLE]  # type: ignore[union-attr]
    for reason in set(reasons):
        assert " ".join(not_applicable.split()).count(reason) == 1


def test_the_folder_summary_gives_each_files_verdict() -> None:
    outcomes = [
        check(TRICKY_YAML, "gaps.yaml"),
        check("programme:\n  name: Silent\n", "silent.yaml"),
        check("programme: [unclosed\n", "broken.yaml"),
    ]
    text = render_reports("table", outcomes, Terminal(120))
    summary = text.split("Checked 2 of 3 files")[1]
    rows = [line.split() for line in summary.splitlines() if line.split()[:1] != []]
    verdicts = {row[0]: row[1] for row in rows if row[0].endswith(".yaml")}
    assert verdicts == {"gaps.yaml": "gaps", "silent.yaml": "questions", "broken.yaml": "invalid"}
    assert not any(row[1] == "checked" for row in rows if len(row) > 1)


def test_a_failing_derived_value_is_named_not_called_stated() -> None:
    from cvecheck.reporters.text import stated_text
    from cvecheck.results import Finding, Location

    needs = Finding("r", "m", Location("p.yaml", 3, 1, ("needs_without_alternative",)), ["a", "b"])
    assert stated_text(needs) == "needs without alternative: a, b"
    empty = Finding("r", "m", Location("p.yaml", 3, 1, ("evaluation", "outcome_measures")), [])
    assert stated_text(empty) == "outcome measures: none listed"
    assert stated_text(Finding("r", "m", Location("p.yaml"), True)) == ""


def test_fill_keeps_a_hanging_indent() -> None:
    text = fill("- " + "word " * 30, 40, hanging="  ")
    assert all(line.startswith("  ") for line in text.splitlines()[1:])
    assert_fits(text, 40)


@pytest.mark.parametrize("width", [200, 50, 30])
def test_each_finding_of_a_cell_keeps_its_own_line(width: int) -> None:
    cell = "- first gap\n- second gap that is long enough to need wrapping somewhere"
    text = table(
        [["R001", cell, "do it"]], ["rule", "missing", "what"], Terminal(width), prose=(1, 2)
    )
    assert "\\n" not in text  # the line break is laid out, not shown escaped
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.endswith("- first gap") or "- first gap  " in line for line in lines)
    assert not any("first gap - second" in line for line in lines)
    assert_fits(text, width)


def test_stacked_entries_are_separated_by_a_blank_line() -> None:
    long = "the programme does not say who trains its formers or how " * 2
    rows = [
        [
            "R001",
            "expected",
            "programmes/commissioning/round-two/a-long-file-name.yaml:12",
            long,
            "Name the trainer.",
        ],
        [
            "R002",
            "advisory",
            "programmes/commissioning/round-two/a-long-file-name.yaml:40",
            "Nothing",
            long,
        ],
    ]
    headers = ["rule", "severity", "where", "missing", "what to do"]
    text = table(rows, headers, Terminal(WIDTH), prose=(3, 4))
    assert_fits(text)
    first, second = text.split("\n\n")  # one block per entry, a blank line between
    assert first.startswith("R001  expected") and second.startswith("R002  advisory")
    for block in (first, second):  # the entry's prose is indented under its first line
        assert all(line.startswith("    ") for line in block.splitlines()[1:])
