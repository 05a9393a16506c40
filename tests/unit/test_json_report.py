"""The JSON report matches its published schema, keeps the same keys, and records provenance."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from jsonschema import Draft202012Validator

from cvecheck.batch import check_paths
from cvecheck.reporters.json_ import document, render
from cvecheck.rules import RuleSet, load_rules

from ..paths import REPO, REPORTING_PACK

SCHEMA = json.loads((REPO / "docs" / "report.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_examples_and_a_broken_file_match_the_schema(ruleset: RuleSet, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("programme: [\n")
    paths = [*sorted((REPO / "programme_examples").glob("*.yaml")), broken]
    outcomes = list(check_paths(paths, ruleset, today=date(2026, 12, 1)))
    data = json.loads(render(outcomes))
    errors = sorted(VALIDATOR.iter_errors(data), key=str)
    assert errors == []
    assert data["summary"]["invalid_files"] == 1
    assert data["files"][-1]["errors"][0]["location"] == {"line": 2, "column": 1, "pointer": ""}


def test_file_hash_and_versions_are_recorded(ruleset: RuleSet) -> None:
    path = REPO / "programme_examples" / "community-mentoring.yaml"
    [outcome] = check_paths([path], ruleset, today=date(2026, 12, 1))
    data = document([outcome])
    assert data["files"][0]["programme"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["ruleset"]["version"] == ruleset.version
    assert data["tool"]["name"] == "cvecheck"


def test_gap_carries_the_failing_value(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("formers:\n  used: true\n  training:\n    before_delivery: false\n")
    [outcome] = check_paths([path], load_rules([REPORTING_PACK]), today=date(2026, 12, 1))
    results = {r["rule"]: r for r in document([outcome])["files"][0]["results"]}
    training = results["DLV001"]
    assert training["status"] == "gap"
    assert training["gaps"][0]["value"] is False
    assert training["questions"] and all(q["value"] is None for q in training["questions"])


def test_same_keys_whatever_the_outcome(ruleset: RuleSet, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text("programme: {name: Quiet}\n")
    full = REPO / "programme_examples" / "community-mentoring.yaml"
    outcomes = list(check_paths([quiet, full], ruleset, today=date(2026, 12, 1)))
    files = document(outcomes)["files"]
    key_sets = {tuple(sorted(result)) for f in files for result in f["results"]}
    assert len(key_sets) == 1
