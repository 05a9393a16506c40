"""Traceability: every recommendation is listed with its rules; docs are generated and current."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cvecheck.catalogue import coverage_document, rules_markdown
from cvecheck.cli import app
from cvecheck.rules import RuleSet, load_rules

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parents[1]
runner = CliRunner()


def test_coverage_lists_every_recommendation_with_its_rules() -> None:
    document = coverage_document(load_rules([FIXTURES / "pack"]))
    rows = {(r["section"], r["number"]): r for r in document["recommendations"]}
    assert rows[("demo", 1)]["rules"] == ["DEM001"]
    assert rows[("demo", 2)]["state"] == "full"
    assert document["summary"]["recommendations"] == 2


def test_a_recommendation_without_rules_is_reported_missing(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text((FIXTURES / "pack" / "pack.yaml").read_text())
    rule = FIXTURES / "pack" / "DEM001-formers-trained.yaml"
    (pack / rule.name).write_text(rule.read_text())
    document = coverage_document(load_rules([pack]))
    states = {r["number"]: r["state"] for r in document["recommendations"]}
    assert states == {1: "full", 2: "missing"}
    assert document["summary"]["missing"] == 1


def test_coverage_command_json_matches_the_document() -> None:
    result = runner.invoke(app, ["coverage", "--format", "json", "--rules", str(FIXTURES / "pack")])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == coverage_document(load_rules([FIXTURES / "pack"]))


def test_builtin_recommendations_all_cite_the_report(ruleset: RuleSet) -> None:
    document = coverage_document(ruleset)
    per_section = {}
    for row in document["recommendations"]:
        per_section[row["section"]] = per_section.get(row["section"], 0) + 1
    # The review's 28 recommendations under its six headings; the key findings are context.
    assert per_section == {
        "formers": 7,
        "multi-agency": 7,
        "community-reporting": 2,
        "online": 7,
        "risk": 2,
        "ideology": 3,
    }
    assert [row["number"] for row in document["findings"]] == list(range(1, 12))
    for row in document["recommendations"]:
        if row["state"] in ("partial", "manual"):
            assert row["note"], (
                f"{row['section']} {row['number']} needs a note saying what is not checked"
            )


def test_explain_has_every_section_in_order() -> None:
    result = runner.invoke(app, ["explain", "dem001", "--rules", str(FIXTURES / "pack")])
    assert result.exit_code == 0
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Source",
        "## What it checks",
        "## Why it matters",
        "## When it does not apply",
        "## Example with a gap",
        "## Compliant example",
        "## How to close the gap",
    ]
    assert "Not applicable when the programme does not involve former extremists." in result.stdout
    assert "provided: false" in result.stdout


def test_explain_unknown_rule_suggests_the_nearest() -> None:
    result = runner.invoke(app, ["explain", "DEM01", "--rules", str(FIXTURES / "pack")])
    assert result.exit_code == 2
    assert "did you mean DEM001?" in result.stderr


def test_rules_filters() -> None:
    pack = str(FIXTURES / "pack")
    by_focus = runner.invoke(
        app, ["rules", "--focus", "former-training", "--rules", pack, "-f", "json"]
    )
    assert [r["id"] for r in json.loads(by_focus.stdout)] == ["DEM001"]
    by_severity = runner.invoke(
        app, ["rules", "--severity", "advisory", "--rules", pack, "-f", "json"]
    )
    assert [r["id"] for r in json.loads(by_severity.stdout)] == ["DEM002"]
    by_section = runner.invoke(app, ["rules", "--section", "demo", "--rules", pack])
    assert "2 of 2 rules" in by_section.stdout
    unknown = runner.invoke(app, ["rules", "--section", "nope", "--rules", pack])
    assert unknown.exit_code == 2


def test_rules_reference_is_current(ruleset: RuleSet) -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(ruleset), "docs/rules.md is stale: run 'make docs'"


def test_rules_reference_changes_with_the_rules() -> None:
    text = rules_markdown(load_rules([FIXTURES / "pack"]))
    assert "### DEM001 formers-trained" in text
    assert "| 1 | Train formers. | full | [DEM001](#dem001-formers-trained) |" in text


def test_every_builtin_recommendation_is_encoded(ruleset: RuleSet) -> None:
    document = coverage_document(ruleset)
    missing = [
        f"{r['section']} {r['number']}"
        for r in document["recommendations"]
        if r["state"] == "missing"
    ]
    assert missing == []
    assert document["summary"]["recommendations"] == 28
    for row in document["recommendations"]:
        if row["state"] == "manual":
            assert row["note"], "a recommendation that cannot be checked must say why"
