"""``--statistics``: counts of gaps and questions per rule and per focus area over every file.

A ``Tally`` takes one report at a time and keeps only counts, so the terminal renderers (table,
concise) can print the statistics after the last file without holding every report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cvecheck.escaping import one_line
from cvecheck.results import FocusArea, Report, Status


@dataclass
class Tally:
    """Counts over the reports added so far."""

    files: int = 0
    gaps: Counter[str] = field(default_factory=Counter)
    """Per rule: how many files have a gap for it."""
    questions: Counter[str] = field(default_factory=Counter)
    """Per rule: how many files leave it open (a question)."""
    focus_gaps: Counter[str] = field(default_factory=Counter)
    focus_questions: Counter[str] = field(default_factory=Counter)
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Per rule: its severity and title."""
    totals: Counter[Status] = field(default_factory=lambda: Counter(dict.fromkeys(Status, 0)))

    def add(self, report: Report) -> None:
        self.files += 1
        for result in report.results:
            rule = report.rules[result.rule_id]
            self.titles[result.rule_id] = (rule.severity.value, one_line(rule.title))
            area = rule.focus.label if rule.focus else ""
            if result.status is Status.GAP:
                self.gaps[result.rule_id] += 1
                if area:
                    self.focus_gaps[area] += 1
            elif result.status is Status.CANNOT_ASSESS:
                self.questions[result.rule_id] += 1
                if area:
                    self.focus_questions[area] += 1
        self.totals.update(report.counts())

    @classmethod
    def of(cls, report: Report) -> Tally:
        """The counts of one report: what a worker sends back for it."""
        tally = cls()
        tally.add(report)
        return tally

    def merge(self, other: Tally) -> None:
        """Add the counts of ``other`` (another file's, say) to these."""
        self.files += other.files
        self.gaps.update(other.gaps)
        self.questions.update(other.questions)
        self.focus_gaps.update(other.focus_gaps)
        self.focus_questions.update(other.focus_questions)
        self.titles.update(other.titles)
        self.totals.update(other.totals)

    def ranked(self) -> list[str]:
        """The rules with a gap or a question, most gaps first."""
        return sorted(
            set(self.gaps) | set(self.questions),
            key=lambda r: (-self.gaps[r], -self.questions[r], r),
        )

    def areas(self) -> list[str]:
        """The focus areas with a gap or a question, in the review's order."""
        return [
            area.label
            for area in FocusArea
            if area.label in self.focus_gaps or area.label in self.focus_questions
        ]

    def of_files(self) -> str:
        return _files(self.files)


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def concise_lines(tally: Tally) -> list[str]:
    """The statistics as plain lines, one per rule then one per focus area, for logs and grep."""
    lines = [f"Rules with gaps or questions over {tally.of_files()}: {len(tally.ranked())}"]
    for rule in tally.ranked():
        severity, title = tally.titles[rule]
        lines.append(
            f"{rule} {severity}: gap in {_files(tally.gaps[rule])}, question in "
            f"{_files(tally.questions[rule])} - {title}"
        )
    lines.append(f"Focus areas over {tally.of_files()}:" + ("" if tally.areas() else " none"))
    for area in tally.areas():
        gaps, questions = tally.focus_gaps[area], tally.focus_questions[area]
        lines.append(
            f"{area}: {gaps} {'gap' if gaps == 1 else 'gaps'}, "
            f"{questions} {'question' if questions == 1 else 'questions'}"
        )
    return lines
