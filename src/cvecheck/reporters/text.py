"""Plain wording shared by the human-readable renderers, so they say the same thing."""

from __future__ import annotations

from cvecheck.results import Location, Status, one_line

STATUS_LABEL: dict[Status, str] = {
    Status.PASS: "pass",
    Status.GAP: "gap",
    Status.CANNOT_ASSESS: "cannot assess",
    Status.NOT_APPLICABLE: "not applicable",
    Status.WAIVED: "waived",
    Status.ERROR: "error",
}

COUNT_LABEL: dict[Status, str] = {
    Status.PASS: "passed",
    Status.GAP: "gaps",
    Status.CANNOT_ASSESS: "questions",
    Status.NOT_APPLICABLE: "not applicable",
    Status.WAIVED: "waived",
    Status.ERROR: "errors",
}


def where(location: Location | None) -> str:
    """``file:line`` for a finding, or the file alone when the line is not known."""
    if location is None:
        return ""
    file = one_line(location.file)
    return f"{file}:{location.line}" if location.line else file


def summary_line(counts: dict[Status, int]) -> str:
    return ", ".join(f"{counts.get(status, 0)} {COUNT_LABEL[status]}" for status in Status)
