"""The JSON report keeps its published shape for every outcome, including the awkward ones."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from cvecheck.reporters import json_

from ..paths import REPO
from ..reporting import APPROVER, REASON, outcomes

SCHEMA = json.loads((REPO / "docs" / "report.schema.json").read_text("utf-8"))


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json_.render(outcomes()))
    return loaded


def test_every_state_validates_against_the_published_schema() -> None:
    found = document()
    assert [e.message for e in Draft202012Validator(SCHEMA).iter_errors(found)] == []
    states = {r["status"] for f in found["files"] for r in f["results"]}
    assert states == {"gap", "cannot_assess", "waived", "not_applicable", "pass", "error"}


def test_fields_carry_the_report_values() -> None:
    tricky, clean, broken = document()["files"]
    waived = next(r for r in tricky["results"] if r["status"] == "waived")
    assert waived["waiver"] == {
        "reason": REASON,
        "approved_by": APPROVER,
        "expires": "2099-01-01",
        "status_without_waiver": "gap",
    }
    gap = next(r for r in tricky["results"] if r["status"] == "gap")
    assert (gap["rule"], gap["section"], gap["recommendation"]) == ("DLV001", "delivery", 1)
    assert gap["location"]["pointer"] == "/formers/training/before_delivery"
    assert [n["code"] for n in clean["notices"]] == ["waiver-expired"]
    assert (broken["status"], broken["errors"][0]["code"]) == ("invalid", "yaml-unclosed")
    assert document()["summary"]["invalid_files"] == 1
