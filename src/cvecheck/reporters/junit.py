"""JUnit XML: one test suite per programme file, one test case per rule, for CI test reports.

CI systems (GitLab, Jenkins, Azure DevOps...) read this shape:

- a pass is a test case with no child element;
- a gap is a ``<failure>``, with what is missing, what to do and the report reference;
- not applicable, waived and cannot assess are ``<skipped>`` with the reason in the message;
- a rule that could not be evaluated is an ``<error>``;
- a file that could not be checked is a suite holding one test case with an ``<error>``.

Test case names are ``<rule id> <rule name>``, unique within a suite (GitLab merges test
cases with the same name), and the class name is the report section, so tools group by it.
Counts on every suite and on the whole run are computed from the cases they hold. There are
no timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from cvecheck import __version__
from cvecheck.escaping import xml as clean
from cvecheck.reporters import Part
from cvecheck.reporters.document import reference
from cvecheck.reporters.text import where
from cvecheck.results import FileOutcome, Report, RuleResult, Status

_COUNTED = ("tests", "failures", "errors", "skipped")


def render(outcomes: Sequence[FileOutcome]) -> str:
    root = ET.Element("testsuites", name="cvecheck", time="0")
    for outcome in outcomes:
        suite = (
            _report_suite(outcome.report) if outcome.report is not None else _invalid_suite(outcome)
        )
        root.append(suite)
    _count(root, list(root))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class JunitReport:
    """The JUnit XML as a stream: each file's suite as it is checked, spooled, and the root
    with the run's counts before them when the run ends; the same bytes as ``render``."""

    streams: tuple[str, ...] = ("\n  ",)
    head_last: bool = True

    def __init__(self, view: object = None, rules: object = None) -> None:
        self._totals = dict.fromkeys(_COUNTED, 0)
        self._suites = 0

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        suite = (
            _report_suite(outcome.report) if outcome.report is not None else _invalid_suite(outcome)
        )
        ET.indent(suite, space="  ", level=1)
        counts = tuple(int(suite.get(name, "0")) for name in _COUNTED)
        return Part((ET.tostring(suite, encoding="unicode"),), counts)

    def keep(self, tally: tuple[int, ...]) -> None:
        self._suites += 1
        for name, count in zip(_COUNTED, tally, strict=True):
            self._totals[name] += count

    def start(self) -> str:
        return self._frame()[0]

    def finish(self) -> Sequence[str]:
        return (self._frame()[1],)

    def _frame(self) -> tuple[str, str]:
        root = ET.Element("testsuites", name="cvecheck", time="0")
        for name in _COUNTED:
            root.set(name, str(self._totals[name]))
        if self._suites:
            ET.SubElement(root, _PLACE)
        ET.indent(root, space="  ")
        text = _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
        head, _, tail = text.partition(f"<{_PLACE} />")
        return head, tail


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_PLACE = "cvecheck-suites"
"""Where the suites go in the root written last (no suite is named so: names are attributes)."""


def _suite(name: str) -> ET.Element:
    return ET.Element("testsuite", name=clean(name), time="0")


def _properties(suite: ET.Element, values: dict[str, str]) -> None:
    holder = ET.SubElement(suite, "properties")
    for name, value in values.items():
        ET.SubElement(holder, "property", name=name, value=clean(value))


def _report_suite(report: Report) -> ET.Element:
    suite = _suite(report.file)
    _properties(
        suite,
        {
            "programme.name": report.programme_name,
            "programme.sha256": report.programme_hash,
            "ruleset.version": report.ruleset_version,
            "cvecheck.version": report.tool_version or __version__,
            **({"review.scope": report.scope_note} if report.scope_note else {}),
        },
    )
    if report.scope_note:
        # Said before the cases too: CI test views show a suite's output beside its name.
        ET.SubElement(suite, "system-out").text = clean(report.scope_note)
    for result in report.results:
        suite.append(_case(report, result))
    _count(suite, [suite])
    return suite


def _case(report: Report, result: RuleResult) -> ET.Element:
    rule = report.rules[result.rule_id]
    case = ET.Element(
        "testcase",
        classname=clean(rule.source.section),
        name=clean(f"{rule.id} {rule.name}"),
        file=clean(report.file),
        time="0",
    )
    if result.location is not None and result.location.line:
        case.set("line", str(result.location.line))
    status = result.status
    if status is Status.GAP:
        first = result.gaps[0].message if result.gaps else rule.title
        failure = ET.SubElement(case, "failure", message=clean(first), type="gap")
        lines = [f"{rule.id} {rule.title}", "", "Missing:"]
        lines += [f"- {gap.message} ({where(gap.location)})" for gap in result.gaps]
        if result.questions:
            lines += ["", "The file does not say:"] + [f"- {q.message}" for q in result.questions]
        lines += [
            "",
            f"What to do: {rule.remediation}",
            f"Report reference: {reference(report, rule.id)}",
            f"Severity: {rule.severity.value}. Evidence: {rule.evidence.value}.",
        ]
        failure.text = clean("\n".join(lines))
    elif status is Status.ERROR:
        error = ET.SubElement(case, "error", message=clean(result.reason), type="rule-error")
        error.text = clean(result.reason)
    elif status is not Status.PASS:
        ET.SubElement(case, "skipped", message=clean(_skip_reason(result)))
    return case


def _skip_reason(result: RuleResult) -> str:
    if result.status is Status.NOT_APPLICABLE:
        return f"not applicable: {result.reason}"
    if result.status is Status.WAIVED and result.waiver is not None:
        waiver = result.waiver
        return (
            f"waived: {waiver.reason} (approved by {waiver.approved_by}, expires {waiver.expires})"
        )
    questions = " ".join(q.message for q in result.questions)
    return f"cannot assess, the file does not say: {questions}"


def _invalid_suite(outcome: FileOutcome) -> ET.Element:
    suite = _suite(outcome.path)
    case = ET.SubElement(
        suite, "testcase", classname="input", name="valid programme file", file=clean(outcome.path)
    )
    case.set("time", "0")
    first = outcome.issues[0] if outcome.issues else None
    if first is not None and first.location.line:
        case.set("line", str(first.location.line))
    error = ET.SubElement(
        case,
        "error",
        message=clean(first.message if first else "the file could not be checked"),
        type=first.code if first else "invalid",
    )
    error.text = clean("\n".join(str(issue) for issue in outcome.issues))
    _count(suite, [suite])
    return suite


def _count(target: ET.Element, suites: Sequence[ET.Element]) -> None:
    """Set the counts on ``target`` from the test cases held by ``suites``."""
    totals = dict.fromkeys(_COUNTED, 0)
    for suite in suites:
        for case in suite.iter("testcase"):
            totals["tests"] += 1
            totals["failures"] += case.find("failure") is not None
            totals["errors"] += case.find("error") is not None
            totals["skipped"] += case.find("skipped") is not None
    for name in _COUNTED:
        target.set(name, str(totals[name]))
