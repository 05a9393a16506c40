"""Traceability: every recommendation of a pack is listed with its rules (`coverage`, `explain`,
`rules` and the rules reference), shown with a fixture pack."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cvecheck.catalogue import coverage_document, rules_markdown
from cvecheck.cli import app
from cvecheck.rules import load_rules

from ..paths import FIXTURES

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


def test_rules_reference_changes_with_the_rules() -> None:
    text = rules_markdown(load_rules([FIXTURES / "pack"]))
    assert "### DEM001 formers-trained" in text
    assert "| 1 | Train formers. | full | [DEM001](#dem001-formers-trained) |" in text
