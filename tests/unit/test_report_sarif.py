"""SARIF 2.1.0: the shape, field by field, and validation by Microsoft's SARIF Multitool."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cvecheck.reporters import sarif
from cvecheck.results import FileOutcome, Status

from ..reporting import APPROVER, REASON, outcomes, report_of
from ..tools import sarif_multitool, sarif_schema


def log(found: list[FileOutcome] | None = None, *, github: bool = False) -> dict[str, Any]:
    render = sarif.render_code_scanning if github else sarif.render
    loaded: dict[str, Any] = json.loads(render(found if found is not None else outcomes()))
    return loaded


def run(document: dict[str, Any]) -> dict[str, Any]:
    [only] = document["runs"]
    assert isinstance(only, dict)
    return only


def results_for(document: dict[str, Any], file: str) -> dict[str, dict[str, Any]]:
    found = run(document)["results"]
    return {
        r["ruleId"]: r
        for r in found
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == file
    }


def test_every_rule_is_described_once_with_its_metadata() -> None:
    document = log()
    report = report_of(outcomes(), 0)
    rules = run(document)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(report.rules)
    for descriptor in rules:
        rule = report.rules[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == rule.recommendation
        assert rule.remediation in descriptor["help"]["text"]
        assert rule.why in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.sarif_level
        tags = descriptor["properties"]["tags"]
        assert f"section:{rule.source.section}" in tags
        assert f"evidence:{rule.evidence.value}" in tags
        assert f"focus:{rule.focus.value}" in tags  # type: ignore[union-attr]
        assert descriptor["properties"]["recommendation"] == rule.source.recommendation


def test_results_point_at_their_rule_and_the_programme_file() -> None:
    document = log()
    rules = run(document)["tool"]["driver"]["rules"]
    artifacts = run(document)["artifacts"]
    for result in run(document)["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifacts[location["index"]]["location"]["uri"] == location["uri"]
        # SARIF 2.1.0 (3.27.10): any kind but "fail" requires level "none".
        if result["kind"] != "fail":
            assert result["level"] == "none"
    assert run(document)["automationDetails"]["id"] == "cvecheck/"
    assert run(document)["columnKind"] == "unicodeCodePoints"


def test_a_gap_is_a_failure_at_the_line_and_column_of_its_finding() -> None:
    report = report_of(outcomes(), 0)
    [gap] = report.with_status(Status.GAP)
    result = results_for(log(), "programmes/tricky.yaml")[gap.rule_id]
    rule = report.rules[gap.rule_id]
    assert (result["kind"], result["level"]) == ("fail", rule.severity.sarif_level)
    assert result["message"]["text"].startswith(gap.gaps[0].message)
    assert rule.remediation in result["message"]["text"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (
        gap.gaps[0].location.line,
        gap.gaps[0].location.column,
    )
    assert "suppressions" not in result


def test_a_waiver_is_an_accepted_external_suppression() -> None:
    result = results_for(log(), "programmes/tricky.yaml")["REP001"]
    assert result["kind"] == "fail"
    [suppression] = result["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert suppression["justification"] == REASON
    assert suppression["properties"] == {"approvedBy": APPROVER, "expires": "2099-01-01"}
    assert suppression["location"]["physicalLocation"]["region"]["startLine"] == 13


def test_other_outcomes_are_recorded_without_raising_alerts() -> None:
    tricky = results_for(log(), "programmes/tricky.yaml")
    clean = results_for(log(), "programmes/clean.yaml")
    assert (tricky["DLV002"]["kind"], tricky["DLV002"]["level"]) == ("review", "none")
    assert "Which agency leads the partnership" in tricky["DLV002"]["message"]["text"]
    assert (clean["DLV001"]["kind"], clean["DLV001"]["level"]) == ("notApplicable", "none")
    assert clean["DLV001"]["message"]["text"] == (
        "Not applicable: the programme does not involve former extremists."
    )
    assert (clean["DLV002"]["kind"], clean["DLV002"]["level"]) == ("pass", "none")


def test_rule_errors_invalid_files_and_notices_are_notifications() -> None:
    document = log()
    [invocation] = run(document)["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    rule_error = next(n for n in notes if n["descriptor"]["id"] == "rule-error")
    rules = run(document)["tool"]["driver"]["rules"]
    assert rules[rule_error["associatedRule"]["index"]]["id"] == "REP001"
    invalid = next(n for n in notes if n["descriptor"]["id"] == "yaml-unclosed")
    assert invalid["level"] == "error"
    where = invalid["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "programmes/broken.yaml"
    assert where["region"]["startLine"] == 2  # where the unclosed list opens
    expired = next(n for n in notes if n["descriptor"]["id"] == "waiver-expired")
    assert expired["level"] == "warning"
    assert "REP001" not in results_for(document, "programmes/clean.yaml")


def test_the_code_scanning_variant_keeps_only_open_gaps_and_every_rule() -> None:
    full, github = log(), log(github=True)
    assert run(github)["tool"] == run(full)["tool"]
    kept = [(r["ruleId"], r["kind"]) for r in run(github)["results"]]
    expected = [
        (r["ruleId"], "fail")
        for r in run(full)["results"]
        if r["kind"] == "fail" and "suppressions" not in r
    ]
    assert kept == expected and kept


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("programmes/a b.yaml", "programmes/a%20b.yaml"),
        ("/srv/x/p#1.yaml", "file:///srv/x/p%231.yaml"),
        ("C:\\work\\p.yaml", "file:///C:/work/p.yaml"),
    ],
)
def test_file_paths_become_uri_references(path: str, uri: str) -> None:
    assert sarif.file_uri(path) == uri


@pytest.mark.slow
@pytest.mark.parametrize("github", [False, True], ids=["sarif", "sarif-github"])
def test_the_sarif_multitool_finds_no_error(tmp_path: Path, github: bool) -> None:
    multitool = sarif_multitool()
    document = log(github=github)
    # The Multitool's bundled schema: its validate command silently accepts some schema
    # errors (an unknown enum value ends the analysis with no result), so check it directly.
    schema = sarif_schema(multitool)
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert errors == []
    target = tmp_path / "cvecheck.sarif"
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    verdict = tmp_path / "validation.sarif"
    completed = subprocess.run(
        [multitool, "validate", str(target), "--output", str(verdict)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    found = json.loads(verdict.read_text(encoding="utf-8-sig"))
    problems = [
        f"{r['ruleId']}: {r['message'].get('text', r['message'])}"
        for r in run(found)["results"]
        if r.get("level", "warning") == "error"
    ]
    assert problems == []
    # The validator did run over the file: it reports the missing informationUri, a warning.
    assert any(r["ruleId"] == "SARIF2005" for r in run(found)["results"])
