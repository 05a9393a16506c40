"""JUnit XML, read back with junitparser as a CI system would read it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from cvecheck.reporters import junit
from cvecheck.results import FileOutcome, Status

from ..reporting import APPROVER, REASON, check, outcomes, report_of


def read(found: list[FileOutcome] | None = None) -> JUnitXml:
    text = junit.render(found if found is not None else outcomes())
    return JUnitXml.fromstring(text.encode("utf-8"))


def suites(xml: JUnitXml) -> list[TestSuite]:
    return list(xml)


def cases(suite: TestSuite) -> dict[str, TestCase]:
    return {case.name: case for case in suite}


def test_one_suite_per_file_and_one_uniquely_named_case_per_rule() -> None:
    found = outcomes()
    xml = read(found)
    assert [s.name for s in suites(xml)] == [o.path for o in found]
    for suite, outcome in zip(suites(xml)[:2], found[:2], strict=True):
        report = outcome.report
        assert report is not None
        names = [case.name for case in suite]
        assert len(names) == len(set(names)) == len(report.results)
        assert names == [f"{r} {report.rules[r].name}" for r in (x.rule_id for x in report.results)]
        assert {case.classname for case in suite} <= {
            rule.source.section for rule in report.rules.values()
        }


def test_counts_agree_with_the_cases() -> None:
    xml = read()
    written = [(s.tests, s.failures, s.errors, s.skipped) for s in suites(xml)]
    totals = (xml.tests, xml.failures, xml.errors, xml.skipped)
    for suite in suites(xml):
        suite.update_statistics()  # junitparser recounts from the cases
    assert [(s.tests, s.failures, s.errors, s.skipped) for s in suites(xml)] == written
    xml.update_statistics()
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == totals
    assert totals == (9, 1, 2, 5)


def test_each_outcome_maps_to_the_agreed_element() -> None:
    found = outcomes()
    tricky, clean, broken = (cases(s) for s in suites(read(found)))
    report = report_of(found, 0)
    [gap] = report.with_status(Status.GAP)
    rule = report.rules[gap.rule_id]

    [failure] = tricky[f"{rule.id} {rule.name}"].result
    assert isinstance(failure, Failure)
    assert failure.message == gap.gaps[0].message
    assert failure.type == "gap"
    assert rule.remediation in (failure.text or "")
    assert "Report reference: Delivering the work, recommendation 1" in (failure.text or "")

    [waived] = tricky["REP001 named-contact"].result
    assert isinstance(waived, Skipped)
    assert waived.message == f"waived: {REASON} (approved by {APPROVER}, expires 2099-01-01)"
    [question] = tricky["DLV002 lead-agency"].result
    assert isinstance(question, Skipped)
    assert question.message.startswith("cannot assess, the file does not say: Which agency")

    [not_applicable] = clean["DLV001 formers-trained-first"].result
    assert isinstance(not_applicable, Skipped)
    assert (
        not_applicable.message == "not applicable: the programme does not involve former extremists"
    )
    assert clean["DLV002 lead-agency"].is_passed
    [error] = clean["REP001 named-contact"].result
    assert isinstance(error, Error)
    assert "could not be evaluated" in (error.message or "")

    [invalid] = broken["valid programme file"].result
    assert isinstance(invalid, Error)
    assert invalid.type == "yaml-unclosed"


def test_file_and_line_point_at_the_finding() -> None:
    found = outcomes()
    report = report_of(found, 0)
    [gap] = report.with_status(Status.GAP)
    first_suite = ET.fromstring(junit.render(found)).find("testsuite")
    assert first_suite is not None
    name = f"{gap.rule_id} {report.rules[gap.rule_id].name}"
    [case] = [c for c in first_suite.iter("testcase") if c.get("name") == name]
    assert case.get("file") == "programmes/tricky.yaml"
    assert case.get("line") == str(gap.location.line)  # type: ignore[union-attr]


def test_text_xml_cannot_hold_is_replaced_not_written() -> None:
    outcome = check('programme:\n  name: "Bell\\a and escape\\e"\n', "programmes/control.yaml")
    xml = read([outcome])
    [suite] = suites(xml)
    names = {p.name: p.value for p in suite.properties()}
    assert names["programme.name"] == "Bell\ufffd and escape\ufffd"
