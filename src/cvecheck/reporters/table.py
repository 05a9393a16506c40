"""The default terminal report: coverage first, then gaps with what to do, then questions.

Laid out for the terminal it is shown on (``layout.Terminal``: width and colour). ``--quiet``
keeps each file's summary line only; ``--statistics`` replaces the reports with counts per
rule and per focus area over every file checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cvecheck.escaping import one_line
from cvecheck.questions import gate_count, grouped, open_questions
from cvecheck.reporters import Part, View, layout
from cvecheck.reporters.layout import Terminal
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
        self._statistics = Statistics()

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        row = summary_row(outcome)
        report = outcome.report
        if report is None:
            return Part(("",), (row, None))
        if self._detail.statistics:
            return Part(("",), (row, file_statistics(report)))
        if self._detail.quiet:
            line = f"{one_line(outcome.path)}: {summary_line(report)}."
            text = self._terminal.safe(layout.fill(line, self._terminal.width, hanging="    "))
            return Part((text + "\n",), (row, None))
        return Part((self._terminal.safe(render_one(report, self._terminal)),), (row, None))

    def keep(self, tally: tuple[list[object], FileStatistics | None]) -> None:
        row, statistics = tally
        self._rows.append(row)
        if statistics is not None:
            self._statistics.add(statistics)

    def finish(self) -> Sequence[str]:
        return (self._finish(),)

    def _finish(self) -> str:
        text = ""
        several = len(self._rows) > 1 or any(row[1] == "invalid" for row in self._rows)
        if self._detail.statistics:
            text = statistics_text(self._statistics, self._terminal) + "\n"
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
    body = layout.table(rows, headers, terminal, prose=(4,), paint={1: terminal.paint})
    return terminal.paint(layout.fill(heading, terminal.width), "heading") + "\n" + body


def _coverage_table(rows: Sequence[Coverage], heading: str, terminal: Terminal) -> str:
    body = [[row.title, *coverage_cells(row)] for row in rows]
    # "n/a" rather than "not applicable": six counts must fit 80 columns beside the names.
    headers = [heading, *("n/a" if h == "not applicable" else h for h in COVERAGE_HEADERS)]
    return layout.table(body, headers, terminal, prose=(0,), colalign=("left", "right"))


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
                layout.table(rows, ["where", "rules", "question"], terminal, prose=(2,)),
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
            ),
        ]
    not_applicable = report.with_status(Status.NOT_APPLICABLE)
    if not_applicable:
        parts += [
            "",
            _heading(f"Not applicable ({len(not_applicable)})", terminal),
            layout.table(
                collapsed_reasons(not_applicable), ["rules", "why not"], terminal, prose=(0, 1)
            ),
        ]
    errors = report.with_status(Status.ERROR)
    if errors:
        rows = [[r.rule_id, r.reason] for r in errors]
        parts += [
            "",
            _heading(f"Rule errors ({len(errors)})", terminal),
            layout.table(rows, ["rule", "problem"], terminal, prose=(1,)),
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


@dataclass(frozen=True)
class FileStatistics:
    """What --statistics needs of one file: each gap and question by rule, and its counts."""

    found: tuple[tuple[str, bool, str, str, str], ...]
    """(rule id, a gap (else a question), severity, title, focus area label) per result."""
    counts: tuple[int, ...]
    """The file's count of each status, in Status order."""


def file_statistics(report: Report) -> FileStatistics:
    found = []
    for result in report.with_status(Status.GAP, Status.CANNOT_ASSESS):
        rule = report.rules[result.rule_id]
        area = rule.focus.label if rule.focus else ""
        gap = result.status is Status.GAP
        found.append((result.rule_id, gap, rule.severity.value, one_line(rule.title), area))
    counts = report.counts()
    return FileStatistics(tuple(found), tuple(counts.get(s, 0) for s in Status))


class Statistics:
    """Counts over every file checked, kept one file at a time."""

    def __init__(self) -> None:
        self.files = 0
        self.gaps: Counter[str] = Counter()
        self.questions: Counter[str] = Counter()
        self.focus_gaps: Counter[str] = Counter()
        self.focus_questions: Counter[str] = Counter()
        self.titles: dict[str, tuple[str, str]] = {}
        self.total: Counter[Status] = Counter(dict.fromkeys(Status, 0))

    def add(self, found: FileStatistics) -> None:
        self.files += 1
        for rule_id, gap, severity, title, area in found.found:
            self.titles[rule_id] = (severity, title)
            if gap:
                self.gaps[rule_id] += 1
                if area:
                    self.focus_gaps[area] += 1
            else:
                self.questions[rule_id] += 1
                if area:
                    self.focus_questions[area] += 1
        self.total.update(dict(zip(Status, found.counts, strict=True)))


def render_statistics(reports: Sequence[Report], terminal: Terminal | None = None) -> str:
    """Counts over every file checked: per rule with a gap or question, then per focus area."""
    statistics = Statistics()
    for report in reports:
        statistics.add(file_statistics(report))
    return statistics_text(statistics, terminal)


def statistics_text(statistics: Statistics, terminal: Terminal | None = None) -> str:
    """The counts kept over every file: per rule with a gap or question, then per focus area."""
    terminal = terminal or Terminal()
    gaps, questions, titles = statistics.gaps, statistics.questions, statistics.titles
    focus_gaps, focus_questions = statistics.focus_gaps, statistics.focus_questions
    files = statistics.files
    ranked = sorted(set(gaps) | set(questions), key=lambda r: (-gaps[r], -questions[r], r))
    rule_rows = [[r, titles[r][0], gaps[r], questions[r], titles[r][1]] for r in ranked]
    areas = [a for a in _focus_labels() if a in focus_gaps or a in focus_questions]
    area_rows = [[a, focus_gaps[a], focus_questions[a]] for a in areas]
    of = f"{files} file" + ("" if files == 1 else "s")
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
        )
        if rule_rows
        else "none"
    )
    parts += ["", _heading(f"Focus areas over {of}: gaps and questions in their rules", terminal)]
    parts.append(
        layout.table(area_rows, ["focus area", "gaps", "questions"], terminal, prose=(0,))
        if area_rows
        else "no gaps or questions"
    )
    total = dict(statistics.total)
    parts += ["", layout.fill(f"Summary: {summary_line(total)}.", terminal.width)]
    return "\n".join(parts)


def _focus_labels() -> list[str]:
    from cvecheck.results import FocusArea

    return [area.label for area in FocusArea]
