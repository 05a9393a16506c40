"""Plain wording shared by the human-readable renderers, so they say the same thing."""

from __future__ import annotations

from cvecheck.escaping import one_line
from cvecheck.questions import gate_count, open_questions
from cvecheck.results import Coverage, Finding, Location, Report, Status

STATUS_LABEL: dict[Status, str] = {
    Status.PASS: "pass",
    Status.GAP: "gap",
    Status.CANNOT_ASSESS: "cannot assess",
    Status.NOT_APPLICABLE: "not applicable",
    Status.WAIVED: "waived",
    Status.ERROR: "error",
}

COVERAGE_NOTE = (
    "Coverage = rules met / rules whose verdict is known (met or not met). Rules the file "
    "leaves open are counted as not known, never as not met."
)
COVERAGE_HEADERS = ("coverage", "met", "not met", "not known", "not applicable", "waived")
"""Columns of every coverage table, after the group's name."""


def coverage_cells(group: Coverage) -> tuple[str, ...]:
    """A coverage row: the share met over what is known, then each count on its own."""
    counts = group.counts
    return (
        group.percent(),
        str(group.met),
        str(group.not_met),
        str(group.not_known),
        str(counts.get(Status.NOT_APPLICABLE, 0)),
        str(counts.get(Status.WAIVED, 0)),
    )


def where(location: Location | None) -> str:
    """``file:line`` for a finding, or the file alone when the line is not known."""
    if location is None:
        return ""
    file = one_line(location.file)
    return f"{file}:{location.line}" if location.line else file


def summary_line(report: Report | dict[Status, int]) -> str:
    """Rules by outcome and the questions they leave, worded the same in every format, e.g.
    "39 rules: 30 met, 1 not met, 2 not known, 6 not applicable; 3 questions to answer (1 gate)".
    Given counts only (over several files), the rules alone."""
    counts = report if isinstance(report, dict) else report.counts()
    counts = {status: counts.get(status, 0) for status in Status}
    total = sum(counts.values())
    parts = [
        f"{counts[Status.PASS]} met",
        f"{counts[Status.GAP]} not met",
        f"{counts[Status.CANNOT_ASSESS]} not known",
        f"{counts[Status.NOT_APPLICABLE]} not applicable",
    ]
    if counts[Status.WAIVED]:
        parts.append(f"{counts[Status.WAIVED]} waived")
    if counts[Status.ERROR]:
        errors = counts[Status.ERROR]
        parts.append(f"{errors} {'error' if errors == 1 else 'errors'}")
    rules = f"{total} {'rule' if total == 1 else 'rules'}: " + ", ".join(parts)
    if isinstance(report, dict):
        return rules
    questions = open_questions(report)
    gates = gate_count(questions)
    asked = f"{len(questions)} {'question' if len(questions) == 1 else 'questions'} to answer"
    if gates:
        asked += f" ({gates} {'gate' if gates == 1 else 'gates'} first)"
    return rules + "; " + asked


def waiting(rules: tuple[str, ...]) -> str:
    """The rules waiting on a question: their ids when few, else how many."""
    return ", ".join(rules) if len(rules) <= 2 else f"{len(rules)} rules"


def worst(report: Report) -> Status | None:
    """What a file's verdict rests on, worst first: a rule error, a gap, a question, or None
    when there is none of these."""
    counts = report.counts()
    return next((s for s in (Status.ERROR, Status.GAP, Status.CANNOT_ASSESS) if counts[s]), None)


VERDICT: dict[Status | None, str] = {
    Status.ERROR: "rule errors",
    Status.GAP: "gaps",
    Status.CANNOT_ASSESS: "questions",
    None: "no gaps",
}


def verdict(report: Report) -> str:
    """A file's verdict in a word or two: "gaps", "questions", "no gaps" or "rule errors"."""
    return VERDICT[worst(report)]


def stated_text(finding: Finding) -> str:
    """What the file gives for a gap, named: "stated: 2", "needs without alternative:
    identity, purpose"; "" when the value adds nothing (a boolean)."""
    value = finding.value
    if value is None or isinstance(value, bool):
        return ""
    name = next((str(p) for p in reversed(finding.location.path) if isinstance(p, str)), "")
    label = name.replace("_", " ") if name else "stated"
    if isinstance(value, list):
        shown = ", ".join(one_line(str(v)) for v in value) if value else "none listed"
    else:
        shown = one_line(str(value))
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{label}: {shown}"


def plural(count: int, word: str) -> str:
    """A count with its noun, e.g. "1 gate question", "3 gate questions"."""
    return f"{count} {word if count == 1 else word + 's'}"
