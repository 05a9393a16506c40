"""The JSON report: a documented, versioned shape with the same keys whatever the content.

The shape is published as ``docs/report.schema.json`` and tests validate every output against
it. It records the tool version, the rule set version and a hash of each programme file so
saved reports can be compared later (``cvecheck diff``). No timestamps, so output is stable.

This module is the one place that knows the shape, in both directions: ``render`` writes it
and ``read`` turns a saved report back into file outcomes, whose rules are `SavedRule` values
holding what the JSON records of each rule.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cvecheck import __version__
from cvecheck.questions import Question, open_questions
from cvecheck.reporters import Part, jsonstream
from cvecheck.results import (
    Coverage,
    Evidence,
    FileOutcome,
    Finding,
    FocusArea,
    InputError,
    Issue,
    Location,
    Notice,
    PackIdentity,
    Report,
    RuleFacts,
    RuleResult,
    Severity,
    Status,
    Waiver,
    json_pointer,
)
from cvecheck.rules import Source

SCHEMA_VERSION = 2
"""2: results name their pack and the review's words; evidence labels renamed."""


class RecordedRule(RuleFacts, Protocol):
    """What the JSON records of a rule beside each of its results."""

    @property
    def name(self) -> str: ...

    @property
    def source(self) -> Source: ...

    @property
    def focus(self) -> FocusArea | None: ...

    @property
    def pack(self) -> str: ...

    @property
    def evidence(self) -> Evidence: ...

    @property
    def remediation(self) -> str: ...

    def provenance(self) -> str: ...


def render(outcomes: Sequence[FileOutcome[RecordedRule]]) -> str:
    return json.dumps(document(outcomes), indent=2, ensure_ascii=False) + "\n"


def document(outcomes: Sequence[FileOutcome[RecordedRule]]) -> dict[str, Any]:
    """The whole run as plain data."""
    run = _Run()
    for outcome in outcomes:
        run.keep(_tally(outcome))
    return run.head() | {"files": [_file(outcome) for outcome in outcomes]}


_Tally = tuple[tuple[int, ...] | None, str, tuple[PackIdentity, ...]]
"""What the summary needs of a file: its count of each status (None when it could not be
checked), its rule set version and its rule packs."""


def _tally(outcome: FileOutcome[RecordedRule]) -> _Tally:
    report = outcome.report
    if report is None:
        return None, "", ()
    counts = report.counts()
    return tuple(counts.get(s, 0) for s in Status), report.ruleset_version, report.rule_packs


class _Run:
    """The summary of a run, kept from each file's tally: everything before the files."""

    def __init__(self) -> None:
        self.files = 0
        self.invalid = 0
        self.totals = dict.fromkeys((s.value for s in Status), 0)
        self.rulesets: set[str] = set()
        self.packs: dict[str, PackIdentity] = {}

    def keep(self, tally: _Tally) -> None:
        counts, ruleset, packs = tally
        self.files += 1
        if counts is None:
            self.invalid += 1
            return
        for status, count in zip(Status, counts, strict=True):
            self.totals[status.value] += count
        self.rulesets.add(ruleset)
        for identity in packs:
            self.packs[identity.digest] = identity

    def head(self) -> dict[str, Any]:
        rulesets = sorted(self.rulesets)
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "cvecheck", "version": __version__},
            "ruleset": {
                "version": rulesets[0] if len(rulesets) == 1 else "+".join(rulesets),
                "packs": [
                    {
                        "name": p.name,
                        "version": p.version,
                        "sha256": p.digest,
                        "shipped": p.shipped,
                    }
                    for p in self.packs.values()
                ],
            },
            "summary": {
                "files": self.files,
                "invalid_files": self.invalid,
                "results": dict(self.totals),
            },
        }


class JsonReport:
    """The JSON report as a stream: each file's entry as it is checked, spooled, and the
    summary before them when the run ends; the same bytes as ``render``."""

    streams: tuple[str, ...] = (jsonstream.SEPARATOR,)
    head_last: bool = True

    def __init__(self, view: object = None, rules: object = None) -> None:
        self._run = _Run()

    def part(self, outcome: FileOutcome[RecordedRule], position: int = 0) -> Part:
        return Part((jsonstream.item(_file(outcome), _indent()),), _tally(outcome))

    def keep(self, tally: _Tally) -> None:
        self._run.keep(tally)

    def start(self) -> str:
        return self._frame()[0]

    def finish(self) -> Sequence[str]:
        return (self._frame()[1],)

    def _frame(self) -> list[str]:
        document = self._run.head() | {"files": jsonstream.marker(0)}
        return jsonstream.frame(document, (self._run.files > 0,))[0]


@functools.cache
def _indent() -> str:
    """How deep a file's entry sits in the document."""
    return jsonstream.frame(_Run().head() | {"files": jsonstream.marker(0)}, (True,))[1][0]


def _file(outcome: FileOutcome[RecordedRule]) -> dict[str, Any]:
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


def _result(report: Report[RecordedRule], result: RuleResult) -> dict[str, Any]:
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
            "source": waiver.source,
            "granted_in": str(waiver.location),
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


# --- reading a saved report back -----------------------------------------------------------


@dataclass(frozen=True)
class SavedRule:
    """A rule as a saved report records it. The JSON keeps no rule text but the remediation,
    and that only beside a gap or a waived gap (it is "" otherwise)."""

    id: str
    name: str
    title: str
    source: Source
    focus: FocusArea | None
    pack: str
    severity: Severity
    evidence: Evidence
    source_text: str
    remediation: str

    def provenance(self) -> str:
        """The source text as the JSON recorded it."""
        return self.source_text


def read(text: str, source: str) -> list[FileOutcome[SavedRule]]:
    """Every file of a saved JSON report, as written by `render`.

    Raises InputError, located in ``source``, for text that is not JSON, a schema_version newer
    than this module writes, or a document that is not a cvecheck report.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = Location(source, error.lineno, error.colno)
        raise InputError([Issue("report-syntax", f"not valid JSON: {error.msg}", where)]) from None
    except (ValueError, RecursionError) as error:  # an integer too long; nesting too deep
        message = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise InputError(
            [Issue("report-syntax", f"not valid JSON: {message}", Location(source))]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("schema_version"), int):
        version = data["schema_version"]
        if version > SCHEMA_VERSION:
            raise InputError(
                [
                    Issue(
                        "report-version",
                        f"report schema_version {version} is newer than this cvecheck reads "
                        f"({SCHEMA_VERSION}); upgrade cvecheck",
                        Location(source),
                    )
                ]
            )
        if version < SCHEMA_VERSION:
            raise InputError(
                [
                    Issue(
                        "report-version",
                        f"report schema_version {version} was written by an older cvecheck, "
                        "whose rules and labels have changed; check the programme file again "
                        "and compare that",
                        Location(source),
                    )
                ]
            )
    try:
        saved = _Document.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        key = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(
            [
                Issue(
                    "report-invalid",
                    f"not a cvecheck JSON report ({key}: {first['msg']}); "
                    "save one with `cvecheck check --format json`",
                    Location(source),
                )
            ]
        ) from None
    packs = tuple(PackIdentity(p.name, p.version, p.sha256, p.shipped) for p in saved.ruleset.packs)
    return [
        _outcome(entry, saved.tool.version, saved.ruleset.version, packs) for entry in saved.files
    ]


class _Saved(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _SavedLocation(_Saved):
    line: int | None
    column: int | None
    pointer: str


class _SavedFinding(_Saved):
    requirement: str
    message: str
    location: _SavedLocation
    value: Any
    field: str = ""


class _SavedWaiver(_Saved):
    reason: str
    approved_by: str
    expires: date
    source: str = "programme"
    granted_in: str = ""
    status_without_waiver: Status | None


class _SavedResult(_Saved):
    rule: str
    name: str
    title: str
    section: str
    recommendation: int = Field(ge=1)
    focus_area: FocusArea | None
    pack: str
    severity: Severity
    evidence: Evidence
    source_text: str
    status: Status
    reason: str
    location: _SavedLocation | None
    gaps: list[_SavedFinding]
    questions: list[_SavedFinding]
    remediation: str
    waiver: _SavedWaiver | None


class _SavedIssue(_Saved):
    code: str
    message: str
    location: _SavedLocation


class _SavedNotice(_SavedIssue):
    rule: str | None


class _SavedProgramme(_Saved):
    name: str
    sha256: str


class _SavedCoverage(_Saved):
    id: str
    title: str
    counts: dict[Status, int]


class _SavedCoverages(_Saved):
    focus_areas: list[_SavedCoverage]
    sections: list[_SavedCoverage]


class _SavedScope(_Saved):
    review_scope: str | None = None
    note: str = ""


class _SavedFile(_Saved):
    path: str
    status: str
    scope: _SavedScope = _SavedScope()
    programme: _SavedProgramme
    errors: list[_SavedIssue]
    coverage: _SavedCoverages
    results: list[_SavedResult]
    notices: list[_SavedNotice]


class _SavedVersion(_Saved):
    version: str


class _SavedPack(_Saved):
    name: str
    version: str
    sha256: str
    shipped: bool


class _SavedRuleset(_SavedVersion):
    packs: list[_SavedPack] = Field(default_factory=list)


class _Document(_Saved):
    schema_version: int
    tool: _SavedVersion
    ruleset: _SavedRuleset
    files: list[_SavedFile]


def _outcome(
    entry: _SavedFile, tool: str, ruleset: str, packs: tuple[PackIdentity, ...]
) -> FileOutcome[SavedRule]:
    path = entry.path
    if entry.status != "checked":
        issues = tuple(_read_issue(e, path) for e in entry.errors)
        return FileOutcome(path, None, issues)
    report = Report(
        file=path,
        programme_name=entry.programme.name,
        programme_hash=entry.programme.sha256,
        tool_version=tool,
        ruleset_version=ruleset,
        rules={r.rule: _read_rule(r) for r in entry.results},
        results=tuple(_read_result(r, path) for r in entry.results),
        focus_coverage=tuple(_read_coverage(c) for c in entry.coverage.focus_areas),
        section_coverage=tuple(_read_coverage(c) for c in entry.coverage.sections),
        notices=tuple(
            Notice(n.code, n.message, _read_location(n.location, path), n.rule)
            for n in entry.notices
        ),
        rule_packs=packs,
        scope=entry.scope.review_scope,
        scope_note=entry.scope.note,
    )
    return FileOutcome(path, report)


def _read_rule(result: _SavedResult) -> SavedRule:
    return SavedRule(
        id=result.rule,
        name=result.name,
        title=result.title,
        source=Source(section=result.section, recommendation=result.recommendation),
        focus=result.focus_area,
        pack=result.pack,
        severity=result.severity,
        evidence=result.evidence,
        source_text=result.source_text,
        remediation=result.remediation,
    )


def _read_result(result: _SavedResult, path: str) -> RuleResult:
    waiver = result.waiver
    return RuleResult(
        rule_id=result.rule,
        status=result.status,
        gaps=tuple(_read_finding(f, path) for f in result.gaps),
        questions=tuple(_read_finding(f, path) for f in result.questions),
        reason=result.reason,
        location=None if result.location is None else _read_location(result.location, path),
        # The JSON records where the waiver was written as one text, file:line:column.
        waiver=None
        if waiver is None
        else Waiver(
            result.rule,
            waiver.reason,
            waiver.approved_by,
            waiver.expires,
            Location(waiver.granted_in or path),
            waiver.source,
        ),
        waived_status=None if waiver is None else waiver.status_without_waiver,
    )


def _read_finding(finding: _SavedFinding, path: str) -> Finding:
    location = _read_location(finding.location, path)
    return Finding(finding.requirement, finding.message, location, finding.value, finding.field)


def _read_issue(issue: _SavedIssue, path: str) -> Issue:
    return Issue(issue.code, issue.message, _read_location(issue.location, path))


def _read_coverage(coverage: _SavedCoverage) -> Coverage:
    return Coverage(coverage.id, coverage.title, dict(coverage.counts))


def _read_location(location: _SavedLocation, path: str) -> Location:
    """The JSON keeps line, column and pointer; the file is the one the entry is about."""
    parts = location.pointer.split("/")[1:] if location.pointer else []
    steps = tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)
    return Location(path, location.line or 0, location.column or 0, steps)
