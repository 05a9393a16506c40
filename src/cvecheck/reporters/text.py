"""Plain wording shared by the human-readable renderers, so they say the same thing."""

from __future__ import annotations

from cvecheck.escaping import one_line
from cvecheck.results import Finding, Location, Report, Status

STATUS_LABEL: dict[Status, str] = {
    Status.PASS: "pass",
    Status.GAP: "gap",
    Status.CANNOT_ASSESS: "cannot assess",
    Status.NOT_APPLICABLE: "not applicable",
    Status.WAIVED: "waived",
    Status.ERROR: "error",
}

COUNT_LABEL: dict[Status, tuple[str, str]] = {
    Status.PASS: ("passed", "passed"),
    Status.GAP: ("gap", "gaps"),
    Status.CANNOT_ASSESS: ("cannot be assessed", "cannot be assessed"),
    Status.NOT_APPLICABLE: ("not applicable", "not applicable"),
    Status.WAIVED: ("waived", "waived"),
    Status.ERROR: ("error", "errors"),
}
"""How a count of rules in each state is worded: (one, several)."""


def where(location: Location | None) -> str:
    """``file:line`` for a finding, or the file alone when the line is not known."""
    if location is None:
        return ""
    file = one_line(location.file)
    return f"{file}:{location.line}" if location.line else file


def summary_line(counts: dict[Status, int]) -> str:
    """Counts of rules by outcome, e.g. "39 rules: 30 passed, 1 gap, 2 cannot be assessed"."""
    total = sum(counts.values())
    parts = []
    for status in Status:
        count = counts.get(status, 0)
        one, several = COUNT_LABEL[status]
        parts.append(f"{count} {one if count == 1 else several}")
    return f"{total} {'rule' if total == 1 else 'rules'}: " + ", ".join(parts)


def verdict(report: Report) -> str:
    """A file's verdict in a word or two: "gaps", "questions", "no gaps" or "rule errors"."""
    counts = report.counts()
    if counts[Status.ERROR]:
        return "rule errors"
    if counts[Status.GAP]:
        return "gaps"
    if counts[Status.CANNOT_ASSESS]:
        return "questions"
    return "no gaps"


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
