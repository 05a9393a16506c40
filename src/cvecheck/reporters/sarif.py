"""SARIF 2.1.0: every rule's outcome for every file, for code-scanning tools and viewers.

One run holds all files. ``tool.driver.rules`` describes every loaded rule once (built first,
in one pure step) and results point at it by ``ruleId`` and ``ruleIndex``. Outcomes map onto
SARIF's own vocabulary rather than all becoming alerts:

- gap: ``kind: fail`` at the level of the rule's severity, with the region of the first
  finding and the other findings as related locations;
- cannot assess: ``kind: review`` (a person must look), level ``none``, the questions as text;
- not applicable: ``kind: notApplicable``, level ``none``, the reason as text;
- pass: ``kind: pass``, level ``none``;
- waived: the outcome it would have had, plus an accepted external suppression carrying the
  justification, approver and expiry;
- a rule that could not be evaluated, a file that could not be checked, and notices (expired
  or unused waivers) are tool execution notifications, not results.

The spec requires level ``none`` whenever kind is not ``fail`` (SARIF 2.1.0, 3.27.10).

GitHub code scanning ignores ``kind`` and ``suppressions`` and would show every result as an
alert, so the ``sarif-github`` format keeps only open gaps, with the full rule list.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from cvecheck import __version__
from cvecheck.escaping import markdown as md
from cvecheck.reporters import Part, jsonstream
from cvecheck.results import (
    FileOutcome,
    Finding,
    Issue,
    Location,
    Notice,
    Report,
    RuleResult,
    Status,
)
from cvecheck.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
AUTOMATION_ID = "cvecheck/"

_KIND: dict[Status, str] = {
    Status.PASS: "pass",
    Status.GAP: "fail",
    Status.CANNOT_ASSESS: "review",
    Status.NOT_APPLICABLE: "notApplicable",
}


def render(outcomes: Sequence[FileOutcome]) -> str:
    """Every outcome, in SARIF's own terms."""
    return _dump(sarif_log(outcomes, open_gaps_only=False))


def render_code_scanning(outcomes: Sequence[FileOutcome]) -> str:
    """Only open gaps, for GitHub code scanning, which shows every result as an alert."""
    return _dump(sarif_log(outcomes, open_gaps_only=True))


def _dump(log: dict[str, Any]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def sarif_log(outcomes: Sequence[FileOutcome], *, open_gaps_only: bool) -> dict[str, Any]:
    reports = [o.report for o in outcomes if o.report is not None]
    rules = _all_rules(reports)
    index = {rule_id: position for position, rule_id in enumerate(rules)}
    section_titles = {g.key: g.title for r in reports for g in r.section_coverage}
    artifacts = [_artifact(o) for o in outcomes]
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for artifact_index, outcome in enumerate(outcomes):
        found, noted = _file_items(outcome, index, artifact_index, open_gaps_only)
        results += found
        notifications += noted
    rulesets = sorted({r.ruleset_version for r in reports})
    return _log(
        [_descriptor(rules[rule_id], section_titles) for rule_id in rules],
        not any(n["level"] == "error" for n in notifications),
        notifications,
        artifacts,
        results,
        "+".join(rulesets),
    )


def _file_items(
    outcome: FileOutcome, index: Mapping[str, int], artifact_index: int, open_gaps_only: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One file's results and tool execution notifications."""
    if outcome.report is None:
        return [], [
            _issue_notification(outcome.path, issue, artifact_index) for issue in outcome.issues
        ]
    report = outcome.report
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    if report.scope_note:
        notifications.append(_scope(report, artifact_index))
    for result in report.results:
        if result.status is Status.ERROR:
            notifications.append(_rule_error(report, result, index, artifact_index))
        elif not open_gaps_only or result.status is Status.GAP:
            results.append(_result(report, result, index, artifact_index))
    notifications += [_notice(report.file, n, artifact_index) for n in report.notices]
    return results, notifications


def _log(
    descriptors: list[dict[str, Any]],
    successful: bool,
    notifications: list[Any],
    artifacts: list[Any],
    results: list[Any],
    ruleset_version: str,
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cvecheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "automationDetails": {"id": AUTOMATION_ID},
                "invocations": [
                    {
                        "executionSuccessful": successful,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "artifacts": artifacts,
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"rulesetVersion": ruleset_version},
            }
        ],
    }


_NOTIFICATIONS, _ARTIFACTS, _RESULTS = 0, 1, 2
"""The log's three streams of per-file items, in the order they appear in it."""


@dataclass(frozen=True)
class _Tally:
    """What the head of the log needs of one file."""

    rules: tuple[str, ...] | None
    """The ids of the file's rules, sorted (None when it could not be checked)."""
    sections: tuple[tuple[str, str], ...]
    ruleset_version: str
    failed: bool
    """A notification at level error: a file that could not be checked, a broken rule."""
    sizes: tuple[int, int, int]
    """How many notifications, artifacts and results the file gave."""


class SarifReport:
    """The SARIF log as a stream: each file's notifications, artifact and results as it is
    checked, spooled, and the rule descriptors before them when the run ends; the same bytes
    as ``render``. Every report of a run holds the same rules (one rule set), so each file's
    results point at the right descriptor on their own. ``rules`` (the run's rules by id)
    gives the descriptors."""

    streams: tuple[str, ...] = (jsonstream.SEPARATOR,) * 3
    head_last: bool = True
    open_gaps_only = False

    def __init__(self, view: object = None, rules: Mapping[str, Rule] | None = None) -> None:
        self._rules = rules or {}
        self._seen: tuple[str, ...] | None = None
        self._sections: dict[str, str] = {}
        self._rulesets: set[str] = set()
        self._successful = True
        self._sizes = [0, 0, 0]

    def part(self, outcome: FileOutcome, position: int) -> Part:
        report = outcome.report
        ids = tuple(sorted(report.rules)) if report is not None else ()
        index = {rule_id: number for number, rule_id in enumerate(ids)}
        results, notifications = _file_items(outcome, index, position, self.open_gaps_only)
        indents = _indents()
        texts = (
            ",\n".join(jsonstream.item(n, indents[_NOTIFICATIONS]) for n in notifications),
            jsonstream.item(_artifact(outcome), indents[_ARTIFACTS]),
            ",\n".join(jsonstream.item(r, indents[_RESULTS]) for r in results),
        )
        tally = _Tally(
            ids if report is not None else None,
            tuple((g.key, g.title) for g in report.section_coverage) if report else (),
            report.ruleset_version if report is not None else "",
            any(n["level"] == "error" for n in notifications),
            (len(notifications), 1, len(results)),
        )
        return Part(texts, tally)

    def keep(self, tally: _Tally) -> None:
        if tally.rules is not None:
            if self._seen is None:
                self._seen = tally.rules
            elif tally.rules != self._seen:
                raise ValueError("the reports of one SARIF log must hold the same rules")
            self._sections.update(tally.sections)
            self._rulesets.add(tally.ruleset_version)
        self._successful = self._successful and not tally.failed
        for stream, size in enumerate(tally.sizes):
            self._sizes[stream] += size

    def start(self) -> str:
        return self._frame()[0]

    def finish(self) -> Sequence[str]:
        return self._frame()[1:]

    def _frame(self) -> list[str]:
        descriptors = [
            _descriptor(self._rules[rule_id], self._sections) for rule_id in self._seen or ()
        ]
        log = _log(
            descriptors,
            self._successful,
            jsonstream.marker(_NOTIFICATIONS),
            jsonstream.marker(_ARTIFACTS),
            jsonstream.marker(_RESULTS),
            "+".join(sorted(self._rulesets)),
        )
        filled = tuple(size > 0 for size in self._sizes)
        return jsonstream.frame(log, filled)[0]


class CodeScanningReport(SarifReport):
    """The ``sarif-github`` log as a stream: open gaps only."""

    open_gaps_only = True


@functools.cache
def _indents() -> list[str]:
    """How deep each stream's items sit in the log."""
    marker = jsonstream.marker
    log = _log([], True, marker(_NOTIFICATIONS), marker(_ARTIFACTS), marker(_RESULTS), "")
    return jsonstream.frame(log, (True, True, True))[1]


def _all_rules(reports: Sequence[Report]) -> dict[str, Rule]:
    merged: dict[str, Rule] = {}
    for report in reports:
        merged.update(report.rules)
    return dict(sorted(merged.items()))


def _descriptor(rule: Rule, section_titles: Mapping[str, str]) -> dict[str, Any]:
    section = section_titles.get(rule.source.section, rule.source.section)
    reference = f"{section}, recommendation {rule.source.recommendation}"
    focus = rule.focus.value if rule.focus else None
    tags = [f"section:{rule.source.section}", f"evidence:{rule.evidence.value}"]
    if focus:
        tags.insert(1, f"focus:{focus}")
    text = (
        f"{rule.recommendation}\n\nWhy it matters: {rule.why}\n\nWhat to do: {rule.remediation}\n\n"
        f"Report reference: {reference}. Severity: {rule.severity.value}. "
        f"Evidence: {rule.evidence.value} ({rule.evidence.meaning}).\n\n{rule.provenance()}"
    )
    markdown = (
        f"**{md(rule.title)}**\n\n{md(rule.recommendation)}\n\n"
        f"**Why it matters:** {md(rule.why)}\n\n**What to do:** {md(rule.remediation)}\n\n"
        f"**Report reference:** {md(reference)} · **Severity:** {rule.severity.value} "
        f"({md(rule.severity.meaning)}) · **Evidence:** {rule.evidence.value} "
        f"({md(rule.evidence.meaning)})\n\n> {md(rule.provenance())}"
    )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _limit(rule.title)},
        "fullDescription": {"text": _limit(rule.recommendation)},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {
            "tags": tags,
            "section": rule.source.section,
            "recommendation": rule.source.recommendation,
            "reference": reference,
            "focusArea": focus,
            "severity": rule.severity.value,
            "evidence": rule.evidence.value,
            "pack": rule.pack,
            "quote": " ".join(rule.quote.split()) if rule.quote else None,
        },
    }


def _limit(text: str, size: int = 1024) -> str:
    # GitHub truncates descriptions longer than 1024 characters; do it where a word ends.
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


def _result(
    report: Report, result: RuleResult, index: Mapping[str, int], artifact: int
) -> dict[str, Any]:
    rule = report.rules[result.rule_id]
    outcome = (
        (result.waived_status or Status.GAP) if result.status is Status.WAIVED else result.status
    )
    kind = _KIND[outcome]
    findings = result.gaps if outcome is Status.GAP else result.questions
    entry: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": index[rule.id],
        "kind": kind,
        "level": rule.severity.sarif_level if kind == "fail" else "none",
        "message": {"text": _message(outcome, result, rule)},
        "locations": [
            _location(report.file, artifact, result.location or _first_location(findings))
        ],
    }
    related = [
        _location(report.file, artifact, finding.location, number, finding.message)
        for number, finding in enumerate(findings[1:], start=1)
    ]
    if related:
        entry["relatedLocations"] = related
    if result.waiver is not None:
        waiver = result.waiver
        entry["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": waiver.reason,
                "location": _location(report.file, artifact, waiver.location),
                "properties": {
                    "approvedBy": waiver.approved_by,
                    "expires": waiver.expires.isoformat(),
                },
            }
        ]
    return entry


def _first_location(findings: Sequence[Finding]) -> Location | None:
    return findings[0].location if findings else None


def _message(outcome: Status, result: RuleResult, rule: Rule) -> str:
    if outcome is Status.GAP:
        missing = " ".join(_sentence(gap.message) for gap in result.gaps)
        return f"{missing} What to do: {_sentence(rule.remediation)}"
    if outcome is Status.CANNOT_ASSESS:
        asked = " ".join(_sentence(q.message) for q in result.questions)
        return f"The file does not say. {asked}"
    if outcome is Status.NOT_APPLICABLE:
        return f"Not applicable: {_sentence(result.reason)}"
    return f"Passed: {_sentence(rule.title)}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _location(
    file: str,
    artifact: int,
    location: Location | None,
    identifier: int | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": file_uri(file), "index": artifact}}
    if location is not None and location.line:
        physical["region"] = {"startLine": location.line, "startColumn": location.column or 1}
    entry: dict[str, Any] = {"physicalLocation": physical}
    if identifier is not None:
        entry["id"] = identifier
    if message is not None:
        entry["message"] = {"text": message}
    return entry


def file_uri(path: str) -> str:
    """A URI reference for a file path: relative stays relative (code scanning needs that)."""
    if PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_uri()
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return posix.as_uri()
    return quote(str(posix), safe="/")


def _artifact(outcome: FileOutcome) -> dict[str, Any]:
    artifact: dict[str, Any] = {
        "location": {"uri": file_uri(outcome.path)},
        "roles": ["analysisTarget"],
    }
    if outcome.report is not None and outcome.report.programme_hash:
        artifact["hashes"] = {"sha-256": outcome.report.programme_hash}
    return artifact


def _issue_notification(file: str, issue: Issue, artifact: int) -> dict[str, Any]:
    return {
        "level": "error",
        "descriptor": {"id": issue.code},
        "message": {"text": _sentence(f"The file could not be checked: {issue.message}")},
        "locations": [_location(file, artifact, issue.location)],
    }


def _rule_error(
    report: Report, result: RuleResult, index: Mapping[str, int], artifact: int
) -> dict[str, Any]:
    return {
        "level": "error",
        "descriptor": {"id": "rule-error"},
        "associatedRule": {"id": result.rule_id, "index": index[result.rule_id]},
        "message": {"text": _sentence(result.reason)},
        "locations": [_location(report.file, artifact, None)],
    }


def _scope(report: Report, artifact: int) -> dict[str, Any]:
    """The review's scope, said before any result: out of scope, or only partly in scope."""
    stages = Location(report.file, 0, 0, ("programme", "stages"))
    return {
        "level": "warning" if report.scope == "primary_only" else "note",
        "descriptor": {"id": f"scope-{report.scope}"},
        "message": {"text": _sentence(report.scope_note)},
        "locations": [_location(report.file, artifact, stages)],
    }


def _notice(file: str, notice: Notice, artifact: int) -> dict[str, Any]:
    return {
        "level": "warning",
        "descriptor": {"id": notice.code},
        "message": {"text": _sentence(notice.message)},
        "locations": [_location(file, artifact, notice.location)],
    }
