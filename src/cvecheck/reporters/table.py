"""The default terminal report: coverage first, then gaps with what to do, then questions."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from tabulate import _isnumber, tabulate  # type: ignore[attr-defined]

from cvecheck.engine import SCOPE_REASON
from cvecheck.escaping import one_line
from cvecheck.questions import gate_count, grouped, open_questions
from cvecheck.reporters.text import (
    COVERAGE_HEADERS,
    COVERAGE_NOTE,
    STATUS_LABEL,
    coverage_cells,
    summary_line,
    waiting,
    where,
)
from cvecheck.results import Coverage, FileOutcome, Report, Status

WRAP = 48


class TableReport:
    """The terminal report, one file at a time: each file's report as soon as it is checked,
    then, for several files or a broken one, a summary line per file (counts only)."""

    def __init__(self) -> None:
        self._written = 0
        self._rows: list[list[object]] = []

    def start(self) -> str:
        return ""

    def file(self, outcome: FileOutcome) -> str:
        self._rows.append(summary_row(outcome))
        if outcome.report is None:
            return ""
        text = ("\n\n" if self._written else "") + render_one(outcome.report)
        self._written += 1
        return _shown(text)

    def finish(self) -> str:
        text = ""
        if len(self._rows) > 1 or any(row[1] == "invalid" for row in self._rows):
            text = ("\n\n" if self._written else "") + render_summary(self._rows)
        return _shown(text + "\n")


def _shown(text: str) -> str:
    # Last line of defence for text from a rule pack (which --rules may bring from anywhere):
    # nothing that could drive the terminal leaves this renderer.
    return "\n".join(one_line(line) for line in text.split("\n"))


def summary_row(outcome: FileOutcome) -> list[object]:
    """One file's line of the summary: its gaps and questions, or that it could not be checked."""
    if outcome.report is None:
        first = outcome.issues[0] if outcome.issues else None
        message = one_line(first.message) if first else ""
        # None, not "": tabulate keeps a column with missing values numeric (right-aligned).
        return [one_line(outcome.path), "invalid", None, None, message]
    counts = outcome.report.counts()
    questions = len(open_questions(outcome.report))
    return [one_line(outcome.path), "checked", counts[Status.GAP], questions, ""]


def render_summary(rows: Sequence[Sequence[object]]) -> str:
    """The summary of several files from their summary rows."""
    broken = sum(1 for row in rows if row[1] == "invalid")
    heading = f"Checked {len(rows) - broken} of {len(rows)} files" + (
        f"; {broken} could not be checked (errors on stderr)" if broken else ""
    )
    return heading + "\n" + _wrap_table(rows, ["file", "result", "gaps", "questions", "error"])


def _coverage_table(rows: Sequence[Coverage], heading: str) -> str:
    body = [[row.title, *coverage_cells(row)] for row in rows]
    headers = [heading, *COVERAGE_HEADERS]
    return tabulate(body, headers=headers, tablefmt="simple", colalign=("left", "right"))


def render_one(report: Report) -> str:
    rules = report.rules
    # The file name and programme name come from the input: escape anything that could
    # break the layout or drive the terminal.
    name = one_line(report.programme_name)
    title = one_line(report.file) + (f" - {name}" if name else "")
    parts = [
        f"cvecheck {report.tool_version}: {title}",
        *([one_line(report.scope_note), ""] if report.scope_note else []),
        f"Rules: {report.ruleset_version}. {COVERAGE_NOTE}",
        "",
        _coverage_table(report.focus_coverage, "Focus area"),
        "",
        _coverage_table(report.section_coverage, "Report section"),
    ]
    gaps = report.with_status(Status.GAP)
    if gaps:
        rows = []
        for result in gaps:
            rule = rules[result.rule_id]
            missing = "\n".join(
                f"- {gap.message}" + (f" (stated: {gap.stated()})" if gap.stated() else "")
                for gap in result.gaps
            )
            rows.append(
                [
                    # A practice-pack finding is marked: its standard is not the review's.
                    result.rule_id + ("\n(practice)" if rule.practice_source else ""),
                    rule.severity.value,
                    where(result.location),
                    missing,
                    rule.remediation,
                ]
            )
        parts += [
            "",
            f"Gaps ({len(gaps)}): what is missing and what to do",
            _wrap_table(rows, ["rule", "severity", "where", "missing", "what to do"]),
        ]
    questions = open_questions(report)
    if questions:
        gates = gate_count(questions)
        parts += [
            "",
            f"Questions to answer ({len(questions)}): the file does not say"
            + (f"; answer the {gates} gate questions first" if gates else ""),
        ]
        for group in grouped(questions):
            rows = [[where(q.location), waiting(q.rules), q.text] for q in group.questions]
            parts += [
                "",
                one_line(group.title),
                _wrap_table(rows, ["where", "rules", "question"]),
            ]
    waived = report.with_status(Status.WAIVED)
    if waived:
        rows = [
            [
                r.rule_id,
                STATUS_LABEL[r.waived_status or Status.GAP],
                one_line(r.waiver.approved_by) if r.waiver else "",
                r.waiver.expires.isoformat() if r.waiver else "",
                one_line(r.reason),
            ]
            for r in waived
        ]
        parts += [
            "",
            f"Waived ({len(waived)})",
            _wrap_table(rows, ["rule", "would be", "approved by", "expires", "reason"]),
        ]
    not_applicable = report.with_status(Status.NOT_APPLICABLE)
    if not_applicable and all(r.reason == SCOPE_REASON for r in not_applicable):
        parts += ["", f"Not applicable ({len(not_applicable)}): every rule, {SCOPE_REASON}."]
    elif not_applicable:
        rows = [[r.rule_id, r.reason] for r in not_applicable]
        parts += [
            "",
            f"Not applicable ({len(not_applicable)})",
            _wrap_table(rows, ["rule", "why not"]),
        ]
    errors = report.with_status(Status.ERROR)
    if errors:
        rows = [[r.rule_id, r.reason] for r in errors]
        parts += ["", f"Rule errors ({len(errors)})", _wrap_table(rows, ["rule", "problem"])]
    if report.notices:
        parts += ["", "Notices"] + [
            f"- {where(n.location)}: {one_line(n.message)}" for n in report.notices
        ]
    parts += ["", f"Summary: {summary_line(report)}."]
    return "\n".join(parts)


def _wrap_table(rows: Sequence[Sequence[object]], headers: list[str]) -> str:
    widths: list[int | None] = (
        [None] * (len(headers) - 2) + [WRAP, WRAP]
        if len(headers) > 3
        else [None] * (len(headers) - 1) + [80]
    )
    # Wrap here rather than with tabulate's maxcolwidths: its wrapper measures every chunk
    # through a regular expression and was five times the cost of checking a file at 70
    # rules. For text without terminal escapes (all of it, once escaped) the lines are the
    # same: tabulate's wrapper is textwrap's, measuring the same lengths.
    wrapped = [
        [
            _wrap(cell, width) if width is not None else cell
            for cell, width in zip(row, widths, strict=True)
        ]
        for row in rows
    ]
    return tabulate(wrapped, headers=headers, tablefmt="simple")


def _wrap(cell: object, width: int) -> object:
    if not isinstance(cell, str) or _isnumber(cell):
        return cell  # tabulate leaves numbers whole
    # Each line on its own, so a list of findings keeps one finding per line.
    wrapper = textwrap.TextWrapper(width=width)
    return "\n".join(wrapped for line in cell.splitlines() for wrapped in wrapper.wrap(line))
