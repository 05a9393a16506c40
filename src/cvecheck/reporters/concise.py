"""``--format concise``: one line per finding, ``file:line:col: RULE severity message``.

The convention of compilers and linters (ruff, gcc), which editors' problem matchers and CI
logs already parse: gaps and questions, rule errors and notices, each on its own line, then one
line of totals. A file that could not be checked has its errors on standard error already.
``--quiet`` keeps the line of totals only; ``--statistics`` adds counts per rule and per focus
area before it, one plain line each.
"""

from __future__ import annotations

from collections.abc import Sequence

from cvecheck.escaping import one_line
from cvecheck.reporters import Part, View
from cvecheck.reporters.statistics import Tally, concise_lines
from cvecheck.reporters.text import stated_text
from cvecheck.results import FileOutcome, Location, Status


def _where(location: Location | None, file: str) -> str:
    if location is None or not location.line:
        return f"{one_line(location.file if location else file)}:1:1"
    return f"{one_line(location.file)}:{location.line}:{location.column or 1}"


class ConciseReport:
    """One line per finding, as each file is checked; the totals at the end."""

    streams: tuple[str, ...] = ("",)
    head_last: bool = False

    def __init__(self, view: View | None = None, rules: object = None) -> None:
        detail = view.detail if view else None
        self._quiet = bool(detail and detail.quiet)
        self._statistics = bool(detail and detail.statistics)
        self._tally = Tally() if self._statistics else None
        self._gaps = 0
        self._questions = 0
        self._files = 0
        self._broken = 0

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        """The file's lines; its tally is (checked, gaps, questions, its statistics)."""
        report = outcome.report
        if report is None:
            return Part(("",), (False, 0, 0, None))
        lines: list[str] = []
        gaps = questions = 0
        for result in report.with_status(Status.GAP, Status.CANNOT_ASSESS, Status.ERROR):
            severity = report.rules[result.rule_id].severity.value
            for gap in result.gaps:
                stated = stated_text(gap)
                message = gap.message + (f" ({stated})" if stated else "")
                lines.append(
                    f"{_where(gap.location, report.file)}: {result.rule_id} {severity} gap: {message}"
                )
                gaps += 1
            for question in result.questions:
                lines.append(
                    f"{_where(question.location, report.file)}: {result.rule_id} {severity} "
                    f"question: {question.message}"
                )
                questions += 1
            if result.status is Status.ERROR:
                lines.append(
                    f"{_where(result.location, report.file)}: {result.rule_id} {severity} "
                    f"error: {result.reason}"
                )
        for notice in report.notices:
            rule = notice.rule or "-"
            lines.append(f"{_where(notice.location, report.file)}: {rule} notice: {notice.message}")
        text = "" if self._quiet else "".join(one_line(line) + "\n" for line in lines)
        found = Tally.of(report) if self._statistics else None
        return Part((text,), (True, gaps, questions, found))

    def keep(self, tally: tuple[bool, int, int, Tally | None]) -> None:
        checked, gaps, questions, found = tally
        self._files += checked
        self._broken += not checked
        self._gaps += gaps
        self._questions += questions
        if self._tally is not None and found is not None:
            self._tally.merge(found)

    def finish(self) -> Sequence[str]:
        files = f"{self._files} file" + ("" if self._files == 1 else "s")
        broken = f"; {self._broken} could not be checked" if self._broken else ""
        gaps = f"{self._gaps} gap" + ("" if self._gaps == 1 else "s")
        questions = f"{self._questions} question" + ("" if self._questions == 1 else "s")
        statistics = (
            "".join(one_line(line) + "\n" for line in concise_lines(self._tally))
            if self._tally is not None
            else ""
        )
        return (f"{statistics}Found {gaps} and {questions} in {files}{broken}.\n",)
