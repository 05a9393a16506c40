"""The JSON report: a documented, versioned shape with the same keys whatever the content.

The shape is published as ``docs/report.schema.json`` and tests validate every output against
it. It records the tool version, the rule set version and a hash of each programme file so
saved reports can be compared later (``cvecheck diff``). No timestamps, so output is stable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cvecheck import __version__
from cvecheck.questions import Question, open_questions
from cvecheck.results import (
    Coverage,
    FileOutcome,
    Finding,
    Issue,
    Location,
    Notice,
    Report,
    RuleResult,
    Status,
    json_pointer,
)

SCHEMA_VERSION = 1


def render(outcomes: Sequence[FileOutcome]) -> str:
    return json.dumps(document(outcomes), indent=2, ensure_ascii=False) + "\n"


def document(outcomes: Sequence[FileOutcome]) -> dict[str, Any]:
    """The whole run as plain data."""
    totals = dict.fromkeys((s.value for s in Status), 0)
    for outcome in outcomes:
        if outcome.report is not None:
            for status, count in outcome.report.counts().items():
                totals[status.value] += count
    rulesets = sorted({o.report.ruleset_version for o in outcomes if o.report is not None})
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cvecheck", "version": __version__},
        "ruleset": {"version": rulesets[0] if len(rulesets) == 1 else "+".join(rulesets)},
        "summary": {
            "files": len(outcomes),
            "invalid_files": sum(1 for o in outcomes if o.report is None),
            "results": totals,
        },
        "files": [_file(outcome) for outcome in outcomes],
    }


def _file(outcome: FileOutcome) -> dict[str, Any]:
    report = outcome.report
    if report is None:
        return {
            "path": outcome.path,
            "status": "invalid",
            "programme": {"name": "", "sha256": ""},
            "errors": [_issue(issue) for issue in outcome.issues],
            "scope": {"review_scope": None, "note": ""},
            "summary": dict.fromkeys((s.value for s in Status), 0),
            "questions": [],
            "coverage": {"focus_areas": [], "sections": []},
            "results": [],
            "notices": [],
        }
    return {
        "path": outcome.path,
        "status": "checked",
        "programme": {"name": report.programme_name, "sha256": report.programme_hash},
        "errors": [],
        "scope": {"review_scope": report.scope, "note": report.scope_note},
        "summary": {status.value: count for status, count in report.counts().items()},
        "questions": [_question(q) for q in open_questions(report)],
        "coverage": {
            "focus_areas": [_coverage(c) for c in report.focus_coverage],
            "sections": [_coverage(c) for c in report.section_coverage],
        },
        "results": [_result(report, result) for result in report.results],
        "notices": [_notice(notice) for notice in report.notices],
    }


def _coverage(coverage: Coverage) -> dict[str, Any]:
    ratio = coverage.ratio
    return {
        "id": coverage.key,
        "title": coverage.title,
        "coverage": None if ratio is None else round(ratio, 4),
        "met": coverage.met,
        "not_met": coverage.not_met,
        "not_known": coverage.not_known,
        "counts": {status.value: coverage.counts.get(status, 0) for status in Status},
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "field": question.field,
        "question": question.text,
        "gate": question.gate,
        "section": question.section,
        "rules": list(question.rules),
        "location": _location(question.location),
    }


def _result(report: Report, result: RuleResult) -> dict[str, Any]:
    rule = report.rules[result.rule_id]
    waiver = result.waiver
    return {
        "rule": rule.id,
        "name": rule.name,
        "title": rule.title,
        "section": rule.source.section,
        "recommendation": rule.source.recommendation,
        "focus_area": rule.focus.value if rule.focus else None,
        "pack": rule.pack,
        "severity": rule.severity.value,
        "evidence": rule.evidence.value,
        "source_text": rule.provenance(),
        "status": result.status.value,
        "reason": result.reason,
        "location": _location(result.location),
        "gaps": [_finding(f) for f in result.gaps],
        "questions": [_finding(f) for f in result.questions],
        "remediation": rule.remediation if result.status in (Status.GAP, Status.WAIVED) else "",
        "waiver": None
        if waiver is None
        else {
            "reason": waiver.reason,
            "approved_by": waiver.approved_by,
            "expires": waiver.expires.isoformat(),
            "status_without_waiver": result.waived_status.value if result.waived_status else None,
        },
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "requirement": finding.requirement,
        "message": finding.message,
        "location": _location(finding.location),
        "value": finding.value,
        "field": finding.field,
    }


def _issue(issue: Issue) -> dict[str, Any]:
    return {"code": issue.code, "message": issue.message, "location": _location(issue.location)}


def _notice(notice: Notice) -> dict[str, Any]:
    return {
        "code": notice.code,
        "message": notice.message,
        "location": _location(notice.location),
        "rule": notice.rule,
    }


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "line": location.line or None,
        "column": location.column or None,
        "pointer": json_pointer(location.path),
    }
