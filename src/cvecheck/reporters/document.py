"""The gap report as a document: headings, paragraphs, lists, tables and coverage charts.

The markdown and HTML formats both render this one structure, so they always say the same
thing in the same order: coverage of the four focus areas first, then every report section,
the gaps with what to do and where the report says so, the questions the file leaves open,
waivers and why rules do not apply. Text here is plain; each renderer escapes it for its own
syntax, because much of it (names, reasons, file paths) comes from the programme file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cvecheck.engine import SCOPE_REASON
from cvecheck.questions import gate_count, grouped, open_questions
from cvecheck.reporters.text import (
    COVERAGE_HEADERS,
    COVERAGE_NOTE,
    STATUS_LABEL,
    coverage_cells,
    plural,
    summary_line,
    waiting,
    where,
    worst,
)
from cvecheck.results import Coverage, FileOutcome, Location, Report, Status

CAVEAT = (
    "This report shows how far the programme description follows the recommendations of the "
    "CREST review. It does not predict whether the programme will be effective or safe."
)


@dataclass(frozen=True, slots=True)
class Strong:
    """Text to show in bold (a label)."""

    text: str


Inline = str | Strong
Line = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str = ""
    """A name other blocks can link to (the HTML report's overview links to each file)."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Line


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    """Per column: right-align it (counts and percentages)."""
    kinds: tuple[str, ...] = ()
    """Per column, how a layout may wrap it: "" like prose, "id" never (rule ids, dates),
    "path" anywhere (file paths, which have no spaces to break at). Empty: all prose."""
    links: tuple[str, ...] = ()
    """Per row, the anchor its first cell links to ("" for none). Empty: no links."""

    def kind(self, column: int) -> str:
        return self.kinds[column] if self.kinds else ""


@dataclass(frozen=True, slots=True)
class CoverageChart:
    """One bar per group: the share of assessed rules that pass, have gaps or questions."""

    title: str
    groups: tuple[Coverage, ...]


@dataclass(frozen=True, slots=True)
class Divider:
    """A thematic break between the reports of two files."""


Block = Heading | Paragraph | Bullets | Table | CoverageChart | Divider


def report_document(outcomes: Sequence[FileOutcome]) -> tuple[Block, ...]:
    """Every file's report, one after the other; several files open with an overview."""
    several = len(outcomes) > 1
    blocks: list[Block] = _overview(outcomes) if several else []
    for index, outcome in enumerate(outcomes):
        if blocks:
            blocks.append(Divider())
        anchor = file_anchor(index) if several else ""
        if outcome.report is None:
            blocks.extend(_invalid_file(outcome, anchor))
        else:
            blocks.extend(_file_report(outcome.report, anchor))
    return tuple(blocks)


def file_anchor(index: int) -> str:
    """The anchor of the index-th file's report in a document of several files."""
    return f"file-{index + 1}"


def _invalid_file(outcome: FileOutcome, anchor: str) -> list[Block]:
    return [
        Heading(1, f"Could not check {outcome.path}", anchor),
        Paragraph(("The file is not a valid programme description. Fix these and run again:",)),
        Bullets(tuple((str(issue.location) + ": " + issue.message,) for issue in outcome.issues)),
    ]


def _file_report(report: Report, anchor: str) -> list[Block]:
    name = report.programme_name or report.file
    blocks: list[Block] = [
        Heading(1, f"Gap report: {name}", anchor),
        Paragraph(
            (
                Strong("File:"),
                f" {report.file} · ",
                Strong("Rules:"),
                f" {report.ruleset_version} · ",
                Strong("Checked with:"),
                f" cvecheck {report.tool_version}",
            )
        ),
        *([Paragraph((Strong("Scope:"), f" {report.scope_note}"))] if report.scope_note else []),
        Paragraph((Strong("Summary:"), f" {summary_line(report)}.")),
        Paragraph((CAVEAT,)),
        Heading(2, "Focus areas"),
        Paragraph((COVERAGE_NOTE,)),
        CoverageChart("Coverage of the focus areas", report.focus_coverage),
        _coverage_table("Focus area", report.focus_coverage),
        Heading(2, "Report sections"),
        _coverage_table("Report section", report.section_coverage),
    ]
    blocks += _gaps(report)
    blocks += _questions(report)
    blocks += _waivers(report)
    blocks += _not_applicable(report)
    blocks += _errors(report)
    if report.notices:
        blocks += [
            Heading(2, "Notices"),
            Bullets(tuple((f"{at(report, n.location)}: {n.message}",) for n in report.notices)),
        ]
    return blocks


def _coverage_table(heading: str, groups: Sequence[Coverage]) -> Table:
    rows = tuple((group.title, *coverage_cells(group)) for group in groups)
    headers = (heading, *(h[:1].upper() + h[1:] for h in COVERAGE_HEADERS))
    return Table(headers, rows, (False,) + (True,) * len(COVERAGE_HEADERS))


def at(report: Report, location: Location | None) -> str:
    """Where a finding is, without the file's path when it is the report's own file (the
    report names it once, at the top): "line 12"."""
    if location is not None and location.file == report.file:
        return f"line {location.line}" if location.line else "the file as a whole"
    return where(location)


def reference(report: Report, rule_id: str) -> str:
    """Where the report makes the recommendation: section title and recommendation number."""
    rule = report.rules[rule_id]
    titles = {group.key: group.title for group in report.section_coverage}
    section = titles.get(rule.source.section, rule.source.section)
    return f"{section}, recommendation {rule.source.recommendation}"


def _gaps(report: Report) -> list[Block]:
    gaps = report.with_status(Status.GAP)
    blocks: list[Block] = [Heading(2, f"Gaps ({len(gaps)})")]
    if not gaps:
        return [*blocks, Paragraph(("No gaps: nothing the file states falls short.",))]
    for result in gaps:
        rule = report.rules[result.rule_id]
        blocks += [
            Heading(3, f"{rule.id} {rule.title}"),
            Paragraph(
                (
                    Strong("Severity:"),
                    f" {rule.severity.value} ({rule.severity.meaning}) · ",
                    Strong("Evidence:"),
                    f" {rule.evidence.value} ({rule.evidence.meaning})",
                )
            ),
            Paragraph((Strong("Report reference:"), f" {reference(report, rule.id)}")),
            Paragraph((Strong("Source:"), f" {rule.provenance()}")),
            Paragraph((Strong("Where:"), f" {at(report, result.location)}")),
            Paragraph((Strong("What is missing:"),)),
            Bullets(tuple((f"{gap.message} ({at(report, gap.location)})",) for gap in result.gaps)),
            Paragraph((Strong("What to do:"), f" {rule.remediation}")),
        ]
    return blocks


def _questions(report: Report) -> list[Block]:
    questions = open_questions(report)
    heading = Heading(2, f"Questions to answer ({len(questions)})")
    if not questions:
        return [heading, Paragraph(("None: the file answers everything the rules ask.",))]
    gates = gate_count(questions)
    intro = "The file does not say. Answer these in the programme description"
    intro += (
        f", the {plural(gates, 'gate question')} first: their answers decide which rules apply."
        if gates
        else "."
    )
    blocks: list[Block] = [heading, Paragraph((intro,))]
    for group in grouped(questions):
        rows = tuple((q.text, waiting(q.rules), at(report, q.location)) for q in group.questions)
        blocks += [
            Heading(3, group.title),
            Table(
                ("Question", "Rules waiting", "Where"), rows, (False, False, False), ("", "", "id")
            ),
        ]
    return blocks


def _waivers(report: Report) -> list[Block]:
    waived = report.with_status(Status.WAIVED)
    heading = Heading(2, f"Waivers ({len(waived)})")
    if not waived:
        return [heading, Paragraph(("None.",))]
    rows = tuple(
        (
            result.rule_id,
            STATUS_LABEL[result.waived_status or Status.GAP],
            result.reason,
            result.waiver.approved_by if result.waiver else "",
            result.waiver.expires.isoformat() if result.waiver else "",
            where(result.waiver.location) if result.waiver else "",
        )
        for result in waived
    )
    headers = ("Rule", "Without the waiver", "Reason", "Approved by", "Expires", "Granted in")
    return [heading, Table(headers, rows, (False,) * 6, ("id", "", "", "", "id", "path"))]


def _not_applicable(report: Report) -> list[Block]:
    results = report.with_status(Status.NOT_APPLICABLE)
    heading = Heading(2, f"Not applicable ({len(results)})")
    if not results:
        return [heading, Paragraph(("None: every rule applies to this programme.",))]
    if all(r.reason == SCOPE_REASON for r in results):
        return [heading, Paragraph((f"Every rule: {SCOPE_REASON}.",))]
    rows = tuple(
        (r.rule_id, report.rules[r.rule_id].title, r.reason, at(report, r.location))
        for r in results
    )
    headers = ("Rule", "Title", "Why it does not apply", "Where")
    return [heading, Table(headers, rows, (False,) * 4, ("id", "", "", "id"))]


def _errors(report: Report) -> list[Block]:
    errors = report.with_status(Status.ERROR)
    if not errors:
        return []
    return [
        Heading(2, f"Rule errors ({len(errors)})"),
        Paragraph(("These rules could not be evaluated; the rule pack needs fixing:",)),
        Table(
            ("Rule", "Problem"),
            tuple((r.rule_id, r.reason) for r in errors),
            (False, False),
            ("id", ""),
        ),
    ]


VERDICT: dict[Status | None, str] = {
    Status.ERROR: "rule errors",
    Status.GAP: "gaps to close",
    Status.CANNOT_ASSESS: "questions to answer",
    None: "no gaps or questions",
}
"""A file's result in a few words for documents (the terminal's are shorter)."""


def verdict(report: Report) -> str:
    """One file's result in a few words, worst first."""
    return VERDICT[worst(report)]


def _overview(outcomes: Sequence[FileOutcome]) -> list[Block]:
    rows: list[tuple[str, ...]] = []
    for outcome in outcomes:
        if outcome.report is None:
            first = outcome.issues[0].message if outcome.issues else ""
            rows.append((outcome.path, "", "could not be checked", "", "", "", first))
            continue
        report = outcome.report
        counts = report.counts()
        rows.append(
            (
                outcome.path,
                report.programme_name or "",
                verdict(report),
                str(counts[Status.GAP]),
                str(len(open_questions(outcome.report))),
                str(counts[Status.WAIVED]),
                "",
            )
        )
    invalid = sum(1 for o in outcomes if o.report is None)
    return [
        Heading(1, f"Overview of {len(outcomes)} files"),
        Paragraph((f"{len(outcomes) - invalid} checked, {invalid} could not be checked.",)),
        Table(
            ("File", "Programme", "Result", "Gaps", "Questions", "Waived", "Error"),
            tuple(rows),
            (False, False, False, True, True, True, False),
            ("path", "", "", "", "", "", ""),
            tuple(file_anchor(index) for index in range(len(outcomes))),
        ),
    ]
