"""`cvecheck diff`: what changed between two versions of a proposal, and why.

Run against the fixture pack in tests/fixtures/changes-pack and the two versions of a
proposal in tests/fixtures/changes, so changing a shipped rule moves nothing here.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from jsonschema import FormatChecker
from jsonschema.validators import Draft202012Validator
from typer.testing import CliRunner

from cvecheck.changes import ABSENT, changes_between, file_changes
from cvecheck.cli import app
from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap
from cvecheck.pipeline import check_file
from cvecheck.programme import Programme, evaluation_view
from cvecheck.reporters import Command, json_, names, render
from cvecheck.results import (
    FileOutcome,
    Finding,
    Location,
    Report,
    RuleFacts,
    RuleResult,
    Severity,
    Status,
)
from cvecheck.rules import CompiledRule, load_rules

from ..conftest import REPO

FORMAT_CHECKER = FormatChecker()

FIXTURES = Path(__file__).parents[1] / "fixtures"
PACK = FIXTURES / "changes-pack"
PROGRAMMES = FIXTURES / "changes"
V1, V2 = str(PROGRAMMES / "v1.yaml"), str(PROGRAMMES / "v2.yaml")
RULES = ["--rules", str(PACK)]
RULESET = load_rules([PACK])
runner = CliRunner()


DIFF_SCHEMA = json.loads((REPO / "docs" / "diff.schema.json").read_text(encoding="utf-8"))


def diff(*args: str) -> Result:
    return runner.invoke(app, ["diff", *args, *RULES])


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    """Run diff with JSON output; every output is checked against docs/diff.schema.json."""
    result = diff(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    Draft202012Validator(DIFF_SCHEMA, format_checker=FORMAT_CHECKER).validate(document)
    return result.exit_code, document


def test_diff_schema_is_valid() -> None:
    Draft202012Validator.check_schema(DIFF_SCHEMA)


@pytest.mark.parametrize(
    ("compiled", "example", "expected"),
    [
        pytest.param(compiled, example, Status(outcome), id=f"{compiled.id}-{outcome}-{index}")
        for compiled in RULESET.rules
        for outcome, examples in compiled.rule.examples.by_outcome().items()
        for index, example in enumerate(examples)
    ],
)
def test_fixture_pack_examples(
    compiled: CompiledRule, example: dict[str, Any], expected: Status
) -> None:
    data = evaluation_view(Programme.model_validate(example))
    assert evaluate_rule(compiled, data, SourceMap("example.yaml")).status is expected


def pairs(changes: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(c["rule"], c["requirement"]) for c in changes}


def test_diff_of_two_versions_lists_the_right_changes() -> None:
    code, document = run_json(V1, V2)
    assert code == 0
    (item,) = document["files"]
    assert pairs(item["gaps_closed"]) == {
        ("CHG001", "emotional-skills"),
        ("CHG002", "named-contact"),
    }
    assert pairs(item["gaps_opened"]) == {("CHG003", "cadence")}
    assert pairs(item["questions_answered"]) == {
        ("CHG003", "coordinator"),
        ("CHG004", "baseline"),
        ("CHG004", "comparison"),
    }
    assert item["new_questions"] == []
    assert {(w["rule"], w["change"]) for w in item["waivers"]} == {
        ("CHG002", "removed"),
        ("CHG005", "added"),
    }
    assert item["status_changes"] == []
    assert item["programme_changed"] is True and item["rules_changed"] is False
    assert "changes to the programme file" in item["cause"]
    # CHG003's case panel now meets too rarely: the one gap open now that was not before.
    assert item["summary"]["new_unwaived_gaps"] == 1


def test_diff_the_other_way_round() -> None:
    _, document = run_json(V2, V1)
    (item,) = document["files"]
    assert pairs(item["gaps_closed"]) == {("CHG003", "cadence")}
    assert pairs(item["gaps_opened"]) == {
        ("CHG001", "emotional-skills"),
        ("CHG002", "named-contact"),
    }
    assert pairs(item["new_questions"]) == {
        ("CHG003", "coordinator"),
        ("CHG004", "baseline"),
        ("CHG004", "comparison"),
    }
    assert {(w["rule"], w["change"]) for w in item["waivers"]} == {
        ("CHG002", "added"),
        ("CHG005", "removed"),
    }
    # CHG002 is waived again, so only CHG001 and CHG005's standing gap are newly open.
    assert document["new_unwaived_gaps"] == 2


def test_fail_on_new_gaps_sets_the_exit_code() -> None:
    assert diff(V1, V2, "--fail-on-new-gaps").exit_code == 1
    assert diff(V1, V1, "--fail-on-new-gaps").exit_code == 0
    assert diff(V1, V2).exit_code == 0


def test_no_change() -> None:
    result = diff(V1, V1)
    assert result.exit_code == 0
    assert "File:      the same (sha256" in result.stdout
    assert "No outcome changed." in result.stdout
    assert "Gaps closed: none" in result.stdout


def test_table_output_says_where_differences_come_from_and_lists_changes() -> None:
    result = diff(V1, V2)
    text = result.stdout
    assert "Rules:     the same (changes-fixture@1.0.0)" in text
    assert "Gaps closed (2)" in text and "Gaps opened (1)" in text
    assert "Questions answered (3)" in text and "New questions: none" in text
    assert "- CHG002: removed from the file; the rule is now pass" in text
    assert "- CHG005: added; expires 2099-06-30; the rule is now waived" in text
    assert text.index("Gaps closed") < text.index("Gaps opened") < text.index("Waivers")


def test_markdown_output(tmp_path: Path) -> None:
    target = tmp_path / "changes.md"
    result = diff(V1, V2, "-f", "markdown", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "## Gaps opened (1)" in text
    assert "| CHG003 | expected | cadence | question -&gt; gap |" in text
    assert "multi_agency.coordinator.named_post" in text


def save(path: Path, *args: str) -> Path:
    result = runner.invoke(app, ["check", *args, *RULES, "-f", "json", "-o", str(path)])
    assert result.exit_code in (0, 1, 2), result.output  # 2: a file in it could not be checked
    assert path.exists()
    return path


def test_saved_reports_a_waiver_that_expired_comes_from_the_date(tmp_path: Path) -> None:
    # v1's waiver of CHG002 runs to 2099-12-31.
    before = save(tmp_path / "before.json", V1, "--today", "2099-06-01")
    after = save(tmp_path / "after.json", V1, "--today", "2100-01-01")
    code, document = run_json(str(before), str(after), "--fail-on-new-gaps")
    (item,) = document["files"]
    assert [(w["rule"], w["change"], w["status_now"]) for w in item["waivers"]] == [
        ("CHG002", "expired", "gap")
    ]
    assert item["programme_changed"] is False and item["rules_changed"] is False
    assert "the date (waivers expiring)" in item["cause"]
    assert code == 1


def test_saved_reports_a_change_of_rules_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(PACK, rules)
    pack = rules / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace('version: "', 'version: "9', 1), encoding="utf-8"
    )
    rule = rules / "CHG003-case-coordination.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "maximum: 8" in text
    rule.write_text(text.replace("maximum: 8", "maximum: 12"), encoding="utf-8")
    old = save(tmp_path / "old.json", V2)
    new = tmp_path / "new.json"
    result = runner.invoke(app, ["check", V2, "--rules", str(rules), "-f", "json", "-o", str(new)])
    assert result.exit_code == 0, result.output
    _, document = run_json(str(old), str(new))
    (item,) = document["files"]
    assert item["programme_changed"] is False and item["rules_changed"] is True
    assert "the change of rules" in item["cause"]
    assert pairs(item["gaps_closed"]) == {("CHG003", "cadence")}
    table = diff(str(old), str(new)).stdout
    assert "Rules:     changed (changes-fixture@1.0.0 -> changes-fixture@91.0.0)" in table


def test_batch_reports_are_paired_by_path(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    shutil.copy(V2, other)
    both = save(tmp_path / "both.json", str(PROGRAMMES))
    first = save(tmp_path / "first.json", V1, str(other))
    _, document = run_json(str(first), str(both))
    assert [f["new"]["path"] for f in document["files"]] == [V1]
    assert document["files"][0]["gaps_closed"] == []
    assert document["only_new"] == [V2]
    assert document["only_old"] == [str(other)]


def test_a_file_that_could_not_be_checked_is_not_compared(tmp_path: Path) -> None:
    programme = tmp_path / "p.yaml"
    shutil.copy(V1, programme)
    good = save(tmp_path / "good.json", str(programme), V2)
    shutil.copy(FIXTURES / "broken.yaml", programme)
    bad = save(tmp_path / "bad.json", str(programme), V2)
    _, document = run_json(str(good), str(bad))
    assert [f["new"]["path"] for f in document["files"]] == [V2]
    ((path, reason),) = [(n["path"], n["reason"]) for n in document["not_compared"]]
    assert path == str(programme)
    assert reason.startswith("the new side could not be checked: formers.used: expected true")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"files": [\n  1,,]}', ":2:5: not valid JSON"),
        ("[" * 100_000, ": not valid JSON: nested too deeply"),
        ('{"schema_version": 2, "files": []}', "not a cvecheck JSON report (tool: Field required)"),
        ('{"schema_version": 1, "files": []}', "written by an older cvecheck"),
        ('{"schema_version": 7}', "report schema_version 7 is newer than this cvecheck reads"),
    ],
)
def test_bad_reports_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = diff(str(bad), V1)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}") and message in line


def test_invalid_programme_or_missing_file(tmp_path: Path) -> None:
    broken = FIXTURES / "broken.yaml"
    result = diff(V1, str(broken))
    assert result.exit_code == 2
    assert f"{broken}:6:3: formers.used" in result.stderr
    missing = diff(str(tmp_path / "gone.json"), V1)
    assert missing.exit_code == 2 and "no such file" in missing.stderr


# --- hostile text: shown, never obeyed ---------------------------------------------------------

HOSTILE_NAME = "\x1b[2J\x1b[31mRiver\x07side\x9b31m\u202eMentoring\r\nline two"


def _controls(text: str) -> set[str]:
    """Control and format characters other than the newlines that end lines."""
    return {ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf")}


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_control_characters_in_a_programme_name_are_escaped(tmp_path: Path, fmt: str) -> None:
    name = json.dumps(HOSTILE_NAME)  # a YAML double-quoted scalar takes JSON's escapes
    sides = []
    for version in (V1, V2):
        text = Path(version).read_text(encoding="utf-8")
        side = tmp_path / Path(version).name
        side.write_text(text.replace("name: Riverside Mentoring", f"name: {name}"), "utf-8")
        sides.append(str(side))
    result = diff(*sides, "-f", fmt)
    assert result.exit_code == 0, result.output
    assert _controls(result.stdout) == set()
    shown = result.stdout.replace("\\", "")  # Markdown adds escapes of its own
    assert "x1b[2J" in shown and "u202e" in shown and "x9b31m" in shown


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_control_characters_in_a_saved_report_are_escaped(tmp_path: Path, fmt: str) -> None:
    """A saved report is input too: every string in it may be hostile."""
    old = save(tmp_path / "old.json", V1)
    document = json.loads(old.read_text(encoding="utf-8"))
    document["ruleset"]["version"] = "1\x1b]0;owned\x07"
    entry = document["files"][0]
    entry["programme"]["sha256"] = "\x1b[31m"
    for result in entry["results"]:
        for finding in result["gaps"] + result["questions"]:
            finding["message"] += "\x1b[2J\u2066"
            finding["requirement"] += "\x08"
    new = tmp_path / "new.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    result = diff(str(old), str(new), "-f", fmt)
    assert result.exit_code == 0, result.output
    assert _controls(result.stdout) == set()
    assert "x1b]0;owned" in result.stdout.replace("\\", "")


# --- computed from Reports ---------------------------------------------------------------------


def live(*paths: str) -> list[FileOutcome]:
    return [FileOutcome(p, check_file(p, RULESET, today=date(2027, 1, 1))) for p in paths]


def test_changes_read_back_from_json_equal_the_changes_of_the_live_reports() -> None:
    old, new = live(V1), live(V2)
    direct = changes_between(old, new, ("old", "new"))
    old_back = json_.read(json_.render(old), "old.json")
    new_back = json_.read(json_.render(new), "new.json")
    read_back = changes_between(old_back, new_back, ("old", "new"))
    assert direct.files[0].has_changes
    for name in names(Command.DIFF):
        assert render(Command.DIFF, name, read_back) == render(Command.DIFF, name, direct)


def test_a_saved_report_reads_back_to_the_same_json() -> None:
    outcomes = [*live(V1, V2), FileOutcome("broken.yaml", None, ())]
    text = json_.render(outcomes)
    assert json_.render(json_.read(text, "saved.json")) == text


@dataclass(frozen=True)
class Facts:
    id: str
    title: str
    severity: Severity


def report(*results: RuleResult, sha: str = "a", rules: str = "p@1") -> Report[RuleFacts]:
    facts = {r.rule_id: Facts(r.rule_id, f"title {r.rule_id}", Severity.EXPECTED) for r in results}
    return Report("p.yaml", "P", sha, "0.1.0", rules, facts, results, (), ())


def result(rule: str, status: Status, gaps: str = "", questions: str = "") -> RuleResult:
    def findings(spec: str) -> tuple[Finding, ...]:
        named = [part.split("=", 1) for part in spec.split(",") if part]
        return tuple(Finding(req, message, Location("p.yaml")) for req, message in named)

    return RuleResult(rule, status, findings(gaps), findings(questions))


def test_a_gap_that_became_a_question_is_a_new_question() -> None:
    old = report(result("AAA001", Status.GAP, gaps="x=X is missing"))
    new = report(result("AAA001", Status.CANNOT_ASSESS, questions="x=Is there X?"), sha="b")
    item = file_changes(old, new)
    assert item.gaps_closed == ()
    (question,) = item.new_questions
    assert (question.message, question.note) == ("Is there X?", "was a gap")


def test_other_status_changes_and_new_rules() -> None:
    old = report(result("AAA001", Status.PASS))
    new = report(
        result("AAA001", Status.NOT_APPLICABLE),
        result("BBB001", Status.GAP, gaps="y=no Y"),
        rules="p@2",
    )
    item = file_changes(old, new)
    (status,) = item.status_changes
    assert (status.rule, status.before, status.after) == ("AAA001", "pass", "not_applicable")
    (opened,) = item.gaps_opened
    assert (opened.rule, opened.before, opened.note) == ("BBB001", ABSENT, "new rule")
    assert "the change of rules" in item.cause()
    assert item.new_unwaived_gaps() == [("BBB001", "y")]
