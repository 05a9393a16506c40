"""The default terminal report: coverage first, then gaps with what to do, then questions.

Laid out for the terminal it is shown on (``layout.Terminal``: width and colour). ``--quiet``
keeps each file's summary line only; ``--statistics`` replaces the reports with counts per
rule and per focus area over every file checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cvecheck.escaping import one_line
from cvecheck.questions import gate_count, grouped, open_questions
from cvecheck.reporters import Part, View, layout
from cvecheck.reporters.layout import Terminal
from cvecheck.reporters.statistics import Tally
from cvecheck.reporters.text import (
    COVERAGE_HEADERS,
    COVERAGE_NOTE,
    STATUS_LABEL,
    coverage_cells,
    plural,
    stated_text,
    summary_line,
    verdict,
    waiting,
    where,
)
from cvecheck.results import Coverage, FileOutcome, Report, RuleResult, Status

COLLAPSE = 2
"""Rules sharing a reason of not applying are listed on one line from this many."""

# Every table states each column's alignment, counts to the right, so that neither cvecheck nor
# tabulate tries any cell as a number (most of the cost of a table).
TEXT = ("left",) * 6
SUMMARY_ALIGN = ("left", "left", "right", "right", "left")
COVERAGE_ALIGN = ("left", *("right",) * 6)
STATISTICS_ALIGN = ("left", "left", "right", "right", "left")


@dataclass(frozen=True)
class Detail:
    """How much of each report to show."""

    quiet: bool = False
    """Only each file's summary line (and the summary of several files)."""
    statistics: bool = False
    """Counts per rule and per focus area over every file, instead of each file's report."""


class TableReport:
    """The terminal report, one file at a time: each file's report as soon as it is checked,
    then, for several files or a broken one, a summary line per file with its verdict. What it
    keeps of each file is its summary row (and, for --statistics, its counts), never the
    report."""

    head_last: bool = False

    def __init__(self, view: View | None = None, rules: object = None) -> None:
        self._terminal = (view.terminal if view else None) or Terminal()
        self._detail = (view.detail if view else None) or Detail()
        # Reports are separated by a blank line; quiet lines follow each other.
        self.streams: tuple[str, ...] = ("" if self._detail.quiet else "\n\n",)
        self._rows: list[list[object]] = []
        self._statistics = Tally()

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        row = summary_row(outcome)
        report = outcome.report
        if report is None:
            return Part(("",), (row, None))
        if self._detail.statistics:
            return Part(("",), (row, Tally.of(report)))
        if self._detail.quiet:
            line = f"{one_line(outcome.path)}: {summary_line(report)}."
            text = self._terminal.safe(layout.fill(line, self._terminal.width, hanging="    "))
            return Part((text + "\n",), (row, None))
        return Part((self._terminal.safe(render_one(report, self._terminal)),), (row, None))

    def keep(self, tally: tuple[list[object], Tally | None]) -> None:
        row, statistics = tally
        self._rows.append(row)
        if statistics is not None:
            self._statistics.merge(statistics)

    def finish(self) -> Sequence[str]:
        return (self._finish(),)

    def _finish(self) -> str:
        text = ""
        several = len(self._rows) > 1 or any(row[1] == "invalid" for row in self._rows)
        if self._detail.statistics:
            text = render_tally(self._statistics, self._terminal) + "\n"
            if several:
                text += "\n" + render_summary(self._rows, self._terminal) + "\n"
            return self._terminal.safe(text)
        written = any(row[1] != "invalid" for row in self._rows)
        if several:
            gap = "\n" if self._detail.quiet else "\n\n"
            text = (gap if written or self._detail.quiet else "") + render_summary(
                self._rows, self._terminal
            )
        if self._detail.quiet:
            return self._terminal.safe(text + "\n") if text else ""
        return self._terminal.safe(text + "\n")


def summary_row(outcome: FileOutcome) -> list[object]:
    """One file's line of the summary: its verdict, gaps and questions, or why it failed."""
    if outcome.report is None:
        first = outcome.issues[0] if outcome.issues else None
        message = one_line(first.message) if first else ""
        # None, not "": tabulate keeps a column with missing values numeric (right-aligned).
        return [one_line(outcome.path), "invalid", None, None, message]
    counts = outcome.report.counts()
    return [
        one_line(outcome.path),
        verdict(outcome.report),
        counts[Status.GAP],
        len(open_questions(outcome.report)),
        "",
    ]


def render_summary(rows: Sequence[Sequence[object]], terminal: Terminal | None = None) -> str:
    """The summary of several files from their summary rows."""
    terminal = terminal or Terminal()
    broken = sum(1 for row in rows if row[1] == "invalid")
    heading = f"Checked {len(rows) - broken} of {len(rows)} files" + (
        f"; {broken} could not be checked (errors on stderr)" if broken else ""
    )
    headers = ["file", "verdict", "gaps", "questions", "error"]
    if not broken:
        rows, headers = [row[:4] for row in rows], headers[:4]
    body = layout.table(
        rows, headers, terminal, prose=(4,), paint={1: terminal.paint}, colalign=SUMMARY_ALIGN
    )
    return terminal.paint(layout.fill(heading, terminal.width), "heading") + "\n" + body


def _coverage_table(rows: Sequence[Coverage], heading: str, terminal: Terminal) -> str:
    body = [[row.title, *coverage_cells(row)] for row in rows]
    # "n/a" rather than "not applicable": six counts must fit 80 columns beside the names.
    headers = [heading, *("n/a" if h == "not applicable" else h for h in COVERAGE_HEADERS)]
    return layout.table(body, headers, terminal, prose=(0,), colalign=COVERAGE_ALIGN)


def _heading(text: str, terminal: Terminal) -> str:
    return terminal.paint(layout.fill(text, terminal.width), "heading")


def render_one(report: Report, terminal: Terminal | None = None) -> str:
    """One file's report, laid out for ``terminal`` (80 columns, no colour, by default)."""
    terminal = terminal or Terminal()
    width = terminal.width
    rules = report.rules
    # The file name and programme name come from the input: escape anything that could
    # break the layout or drive the terminal.
    name = one_line(report.programme_name)
    title = one_line(report.file) + (f" - {name}" if name else "")
    parts = [
        _heading(f"cvecheck {report.tool_version}: {title}", terminal),
        *([layout.fill(one_line(report.scope_note), width), ""] if report.scope_note else []),
        layout.fill(f"Rules: {report.ruleset_version}. {COVERAGE_NOTE}", width),
        "",
        _coverage_table(report.focus_coverage, "Focus area", terminal),
        "",
        _coverage_table(report.section_coverage, "Report section", terminal),
    ]
    severity = {1: terminal.paint}
    gaps = report.with_status(Status.GAP)
    if gaps:
        rows = []
        for result in gaps:
            rule = rules[result.rule_id]
            found = [
                gap.message + (f" ({stated_text(gap)})" if stated_text(gap) else "")
                for gap in result.gaps
            ]
            missing = found[0] if len(found) == 1 else "\n".join(f"- {f}" for f in found)
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
            _heading(f"Gaps ({len(gaps)}): what is missing and what to do", terminal),
            layout.table(
                rows,
                ["rule", "severity", "where", "missing", "what to do"],
                terminal,
                prose=(3, 4),
                paint=severity,
                colalign=TEXT,
            ),
        ]
    questions = open_questions(report)
    if questions:
        gates = gate_count(questions)
        heading = f"Questions to answer ({len(questions)}): the file does not say"
        heading += f"; answer the {plural(gates, 'gate question')} first" if gates else ""
        parts += ["", _heading(heading, terminal)]
        for group in grouped(questions):
            rows = [[where(q.location), waiting(q.rules), q.text] for q in group.questions]
            parts += [
                "",
                layout.fill(one_line(group.title), width),
                layout.table(
                    rows, ["where", "rules", "question"], terminal, prose=(2,), colalign=TEXT
                ),
            ]
    waived = report.with_status(Status.WAIVED)
    if waived:
        rows = [
            [
                r.rule_id,
                STATUS_LABEL[r.waived_status or Status.GAP],
                one_line(r.waiver.approved_by) if r.waiver else "",
                r.waiver.expires.isoformat() if r.waiver else "",
                where(r.waiver.location) if r.waiver else "",
                one_line(r.reason),
            ]
            for r in waived
        ]
        parts += [
            "",
            _heading(f"Waived ({len(waived)})", terminal),
            layout.table(
                rows,
                ["rule", "would be", "approved by", "expires", "granted in", "reason"],
                terminal,
                prose=(2, 5),
                paint={1: terminal.paint},
                colalign=TEXT,
            ),
        ]
    not_applicable = report.with_status(Status.NOT_APPLICABLE)
    if not_applicable:
        parts += [
            "",
            _heading(f"Not applicable ({len(not_applicable)})", terminal),
            layout.table(
                collapsed_reasons(not_applicable),
                ["rules", "why not"],
                terminal,
                prose=(0, 1),
                colalign=TEXT,
            ),
        ]
    errors = report.with_status(Status.ERROR)
    if errors:
        rows = [[r.rule_id, r.reason] for r in errors]
        parts += [
            "",
            _heading(f"Rule errors ({len(errors)})", terminal),
            layout.table(rows, ["rule", "problem"], terminal, prose=(1,), colalign=TEXT),
        ]
    if report.notices:
        parts += ["", _heading("Notices", terminal)] + [
            layout.fill(f"- {where(n.location)}: {one_line(n.message)}", width, hanging="  ")
            for n in report.notices
        ]
    parts += ["", layout.fill(f"Summary: {summary_line(report)}.", width)]
    return "\n".join(parts)


def collapsed_reasons(results: Sequence[RuleResult]) -> list[list[str]]:
    """One row per reason of not applying, with the rules it covers ("9 rules: ONL001, ...")."""
    by_reason: dict[str, list[str]] = {}
    for result in results:
        by_reason.setdefault(result.reason, []).append(result.rule_id)
    rows = []
    for reason, ids in by_reason.items():
        ids = sorted(ids)
        label = ", ".join(ids) if len(ids) < COLLAPSE else f"{len(ids)} rules: " + ", ".join(ids)
        rows.append([label, reason])
    return rows


def render_statistics(reports: Sequence[Report], terminal: Terminal | None = None) -> str:
    """Counts over every file checked: per rule with a gap or question, then per focus area."""
    tally = Tally()
    for report in reports:
        tally.add(report)
    return render_tally(tally, terminal)


def render_tally(tally: Tally, terminal: Terminal | None = None) -> str:
    """The statistics of ``tally`` as tables: per rule with a gap or question, then per area."""
    terminal = terminal or Terminal()
    ranked = tally.ranked()
    rule_rows = [
        [r, tally.titles[r][0], tally.gaps[r], tally.questions[r], tally.titles[r][1]]
        for r in ranked
    ]
    area_rows = [[a, tally.focus_gaps[a], tally.focus_questions[a]] for a in tally.areas()]
    of = tally.of_files()
    parts = [
        _heading(
            f"Rules with gaps or questions over {of} ({len(ranked)}): how many files have each",
            terminal,
        )
    ]
    parts.append(
        layout.table(
            rule_rows,
            ["rule", "severity", "gaps", "questions", "title"],
            terminal,
            prose=(4,),
            paint={1: terminal.paint},
            colalign=STATISTICS_ALIGN,
        )
        if rule_rows
        else "none"
    )
    parts += ["", _heading(f"Focus areas over {of}: gaps and questions in their rules", terminal)]
    parts.append(
        layout.table(
            area_rows,
            ["focus area", "gaps", "questions"],
            terminal,
            prose=(0,),
            colalign=("left", "right", "right"),
        )
        if area_rows
        else "no gaps or questions"
    )
    parts += ["", layout.fill(f"Summary: {summary_line(dict(tally.totals))}.", terminal.width)]
    return "\n".join(parts)
