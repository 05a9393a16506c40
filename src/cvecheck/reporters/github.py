"""GitHub Actions annotations: one workflow command per gap, shown on the file in the run.

Each gap becomes ``::error``, ``::warning`` or ``::notice`` (from the rule's severity) with the
file, line and column of its first finding and a title naming the rule; the message says what
is missing and what to do. Files that could not be checked, rules that could not be
evaluated and notices (an expired waiver, say) are annotated too. Questions, waivers, passes
and rules that do not apply are not: an annotation asks someone to act.

Values are escaped as GitHub's toolkit does: ``%``, CR and LF in the message; those and also
``:`` and ``,`` in properties, which would otherwise end the property.
"""

from __future__ import annotations

from collections.abc import Sequence

from cvecheck.escaping import github_data, github_property
from cvecheck.reporters import Part
from cvecheck.reporters.document import reference
from cvecheck.results import FileOutcome, Location, Report, Status

# Severity.sarif_level gives error / warning / note; GitHub calls the last one notice.
_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


class GithubAnnotations:
    """Workflow commands, one file at a time; nothing kept."""

    streams: tuple[str, ...] = ("",)
    head_last: bool = False

    def __init__(self, view: object = None, rules: object = None) -> None:
        pass

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        if outcome.report is None:
            lines = [
                command("error", issue.location, "cvecheck: invalid programme file", issue.message)
                for issue in outcome.issues
            ]
        else:
            lines = _report(outcome.report)
        return Part(("".join(line + "\n" for line in lines),))

    def keep(self, tally: object) -> None:
        pass

    def finish(self) -> Sequence[str]:
        return ("",)


def _report(report: Report) -> list[str]:
    lines: list[str] = []
    if report.scope_note:
        level = "warning" if report.scope == "primary_only" else "notice"
        title = "cvecheck: out of scope" if report.scope == "primary_only" else "cvecheck: scope"
        lines.append(command(level, Location(report.file), title, report.scope_note))
    for result in report.with_status(Status.GAP):
        rule = report.rules[result.rule_id]
        location = result.location or Location(report.file)
        missing = "\n".join(f"- {gap.message}" for gap in result.gaps)
        message = (
            f"Missing:\n{missing}\nWhat to do: {rule.remediation}\n"
            f"Report reference: {reference(report, rule.id)}"
        )
        level = _COMMAND[rule.severity.sarif_level]
        lines.append(command(level, location, f"{rule.id} {rule.title}", message))
    for result in report.with_status(Status.ERROR):
        title = f"{result.rule_id}: rule could not be evaluated"
        lines.append(command("error", Location(report.file), title, result.reason))
    for notice in report.notices:
        lines.append(
            command("warning", notice.location, f"cvecheck: {notice.code}", notice.message)
        )
    return lines


def command(level: str, location: Location, title: str, message: str) -> str:
    """One workflow command line, e.g. ``::error file=a.yaml,line=3,col=5,title=T::message``."""
    properties = [f"file={github_property(location.file)}"]
    if location.line:
        properties.append(f"line={location.line}")
        if location.column:
            properties.append(f"col={location.column}")
    properties.append(f"title={github_property(title)}")
    return f"::{level} {','.join(properties)}::{github_data(message)}"
