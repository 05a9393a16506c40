"""`cvecheck diff`: what changed between two versions of a proposal, and why."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import FormatChecker
from jsonschema.validators import Draft202012Validator
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.diff import ABSENT, RuleState, Snapshot, diff_pair
from cvecheck.pipeline import check_file
from cvecheck.reporters import json_
from cvecheck.results import FileOutcome
from cvecheck.rules import RuleSet

from .conftest import EXAMPLES_DIR, REPO, RULES_DIR

FORMAT_CHECKER = FormatChecker()

RIVERSIDE = Path(__file__).parent / "fixtures" / "riverside"
V1, V2 = str(RIVERSIDE / "v1.yaml"), str(RIVERSIDE / "v2.yaml")
runner = CliRunner()


DIFF_SCHEMA = json.loads((REPO / "docs" / "diff.schema.json").read_text(encoding="utf-8"))


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    """Run diff with JSON output; every output is checked against docs/diff.schema.json."""
    result = runner.invoke(app, ["diff", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    Draft202012Validator(DIFF_SCHEMA, format_checker=FORMAT_CHECKER).validate(document)
    return result.exit_code, document


def test_diff_schema_is_valid() -> None:
    Draft202012Validator.check_schema(DIFF_SCHEMA)


def pairs(changes: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(c["rule"], c["requirement"]) for c in changes}


def test_diff_of_two_versions_lists_the_right_changes() -> None:
    code, document = run_json(V1, V2)
    assert code == 0
    (item,) = document["files"]
    assert pairs(item["gaps_closed"]) == {
        ("COM003", "updates"),
        ("FRM002", "emotional-skills"),
    }
    assert pairs(item["gaps_opened"]) == {("ONL002", "formal-training")}
    assert pairs(item["questions_answered"]) == {
        ("FRM002", "trainer-named"),
        ("ONL007", "comparison"),
    }
    assert item["new_questions"] == []
    assert {(w["rule"], w["change"]) for w in item["waivers"]} == {
        ("COM003", "removed"),
        ("ONL005", "added"),
    }
    assert item["status_changes"] == []
    assert item["programme_changed"] is True and item["rules_changed"] is False
    assert "changes to the programme file" in item["cause"]
    # Online staff are no longer trained: the one gap open now that was not before.
    assert item["summary"]["new_unwaived_gaps"] == 1


def test_diff_the_other_way_round() -> None:
    _, document = run_json(V2, V1)
    (item,) = document["files"]
    assert pairs(item["gaps_closed"]) == {("ONL002", "formal-training")}
    assert pairs(item["gaps_opened"]) == {
        ("COM003", "updates"),
        ("FRM002", "emotional-skills"),
    }
    assert pairs(item["new_questions"]) == {
        ("FRM002", "trainer-named"),
        ("ONL007", "comparison"),
    }
    assert {(w["rule"], w["change"]) for w in item["waivers"]} == {
        ("COM003", "added"),
        ("ONL005", "removed"),
    }
    # COM003 is waived again, so only FRM002 and ONL005's standing gap are newly open.
    assert document["new_unwaived_gaps"] == 2


def test_fail_on_new_gaps_sets_the_exit_code() -> None:
    assert runner.invoke(app, ["diff", V1, V2, "--fail-on-new-gaps"]).exit_code == 1
    assert runner.invoke(app, ["diff", V1, V1, "--fail-on-new-gaps"]).exit_code == 0
    assert runner.invoke(app, ["diff", V1, V2]).exit_code == 0


def test_no_change() -> None:
    result = runner.invoke(app, ["diff", V1, V1])
    assert result.exit_code == 0
    assert "File:      the same (sha256" in result.stdout
    assert "No outcome changed." in result.stdout
    assert "Gaps closed: none" in result.stdout


def test_table_output_says_where_differences_come_from_and_lists_changes() -> None:
    result = runner.invoke(app, ["diff", V1, V2])
    text = result.stdout
    assert "Rules:     the same (crest-cve-2021@" in text
    assert "Gaps closed (2)" in text and "Gaps opened (1)" in text
    assert "Questions answered (2)" in text and "New questions: none" in text
    assert "- COM003: removed from the file; the rule is now pass" in text
    assert "- ONL005: added; expires 2099-06-30; the rule is now waived" in text
    assert text.index("Gaps closed") < text.index("Gaps opened") < text.index("Waivers")


def test_markdown_output(tmp_path: Path) -> None:
    target = tmp_path / "changes.md"
    result = runner.invoke(app, ["diff", V1, V2, "-f", "markdown", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "## Gaps opened (1)" in text
    assert "| ONL002 | expected | formal-training | pass -&gt; gap |" in text
    assert "formers.training.delivered_by" in text


def save_report(path: Path, programme: Path, ruleset: RuleSet, today: date) -> Path:
    report = check_file(programme, ruleset, today=today)
    document = json_.document([FileOutcome(str(programme), report)])
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_saved_reports_a_waiver_that_expired_comes_from_the_date(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    example = EXAMPLES_DIR / "community-mentoring.yaml"
    before = save_report(tmp_path / "before.json", example, ruleset, date(2027, 1, 1))
    after = save_report(tmp_path / "after.json", example, ruleset, date(2027, 6, 1))
    code, document = run_json(str(before), str(after), "--fail-on-new-gaps")
    (item,) = document["files"]
    assert [(w["rule"], w["change"], w["status_now"]) for w in item["waivers"]] == [
        ("COM002", "expired", "gap")
    ]
    assert item["programme_changed"] is False and item["rules_changed"] is False
    assert "the date (waivers expiring)" in item["cause"]
    assert code == 1


def test_saved_reports_a_change_of_rules_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    pack = rules / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace('version: "', 'version: "9', 1), encoding="utf-8"
    )
    rule = next(rules.rglob("ONL002-*.yaml"))
    text = rule.read_text(encoding="utf-8")
    strict = "online.staff_online_training.provided: {const: true}"
    assert strict in text
    rule.write_text(text.replace(strict, strict.replace("const: true", "type: boolean")))
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert runner.invoke(app, ["check", V2, "-f", "json", "-o", str(old)]).exit_code == 1
    result = runner.invoke(app, ["check", V2, "--rules", str(rules), "-f", "json", "-o", str(new)])
    assert result.exit_code in (0, 1), result.output
    _, document = run_json(str(old), str(new))
    (item,) = document["files"]
    assert item["programme_changed"] is False and item["rules_changed"] is True
    assert "the change of rules" in item["cause"]
    assert pairs(item["gaps_closed"]) == {("ONL002", "formal-training")}
    table = runner.invoke(app, ["diff", str(old), str(new)]).stdout
    assert "Rules:     changed (crest-cve-2021@" in table and "@9" in table


def test_batch_reports_are_paired_by_path(tmp_path: Path) -> None:
    both, first = tmp_path / "both.json", tmp_path / "first.json"
    runner.invoke(app, ["check", str(RIVERSIDE), "-f", "json", "-o", str(both)])
    runner.invoke(app, ["check", V1, str(EXAMPLES_DIR), "-f", "json", "-o", str(first)])
    _, document = run_json(str(first), str(both))
    assert [f["new"]["path"] for f in document["files"]] == [V1]
    assert document["files"][0]["gaps_closed"] == []
    assert document["only_new"] == [V2]
    assert document["only_old"] == [str(p) for p in sorted(EXAMPLES_DIR.glob("*.yaml"))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"files": [\n  1,,]}', ":2:5: not valid JSON"),
        ('{"schema_version": 1, "files": []}', "not a cvecheck JSON report (tool: Field required)"),
        ('{"schema_version": 7}', "report schema_version 7 is newer than this cvecheck reads"),
    ],
)
def test_bad_reports_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), V1])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}") and message in line


def test_invalid_programme_or_missing_file(tmp_path: Path) -> None:
    broken = Path(__file__).parent / "fixtures" / "broken.yaml"
    result = runner.invoke(app, ["diff", V1, str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:6:3: formers.used" in result.stderr
    missing = runner.invoke(app, ["diff", str(tmp_path / "gone.json"), V1])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def state(rule: str, status: str, **kwargs: Any) -> RuleState:
    return RuleState(
        rule,
        f"title {rule}",
        "expected",
        status,
        kwargs.get("gaps", {}),
        kwargs.get("questions", {}),
        kwargs.get("waiver"),
    )


def snapshot(*states: RuleState, sha: str = "a", rules: str = "p@1") -> Snapshot:
    return Snapshot("p.yaml", "P", sha, "0.1.0", rules, {s.rule: s for s in states})


def test_a_gap_that_became_a_question_is_a_new_question() -> None:
    old = snapshot(state("AAA001", "gap", gaps={"x": "X is missing"}))
    new = snapshot(state("AAA001", "cannot_assess", questions={"x": "Is there X?"}), sha="b")
    item = diff_pair(old, new)
    assert item.gaps_closed == ()
    (question,) = item.new_questions
    assert (question.message, question.note) == ("Is there X?", "was a gap")


def test_other_status_changes_and_new_rules() -> None:
    old = snapshot(state("AAA001", "pass"))
    new = snapshot(
        state("AAA001", "not_applicable"), state("BBB001", "gap", gaps={"y": "no Y"}), rules="p@2"
    )
    item = diff_pair(old, new)
    (status,) = item.status_changes
    assert (status.rule, status.before, status.after) == ("AAA001", "pass", "not_applicable")
    (opened,) = item.gaps_opened
    assert (opened.rule, opened.before, opened.note) == ("BBB001", ABSENT, "new rule")
    assert "the change of rules" in item.cause()
