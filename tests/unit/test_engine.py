"""The engine: every outcome state, waivers, coverage, and purity (same input, same report)."""

from __future__ import annotations

from datetime import date

import pytest

from cvecheck.pipeline import check_data, check_text
from cvecheck.results import InputError, Status
from cvecheck.rules import RuleSet, load_rules

from ..checks import with_checks
from ..paths import FIXTURES

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def pack() -> RuleSet:
    return load_rules([FIXTURES / "pack"])


def status_of(report_results: object, rule_id: str) -> Status:
    for result in report_results:  # type: ignore[attr-defined]
        if result.rule_id == rule_id:
            return result.status  # type: ignore[no-any-return]
    raise AssertionError(rule_id)


def test_each_outcome_state(pack: RuleSet) -> None:
    cases = {
        Status.PASS: "formers: {used: true, training: {provided: true}}\n",
        Status.GAP: "formers: {used: true, training: {provided: false}}\n",
        Status.CANNOT_ASSESS: "formers: {used: true}\n",
        Status.NOT_APPLICABLE: "formers: {used: false}\n",
    }
    for expected, text in cases.items():
        report = check_text(text, "p.yaml", pack, today=TODAY)
        assert status_of(report.results, "DEM001") is expected


def test_gap_is_located_at_the_stated_value(pack: RuleSet) -> None:
    text = "programme: {name: X}\nformers:\n  used: true\n  training:\n    provided: false\n"
    result = check_text(text, "p.yaml", pack, today=TODAY).results[0]
    assert result.status is Status.GAP
    assert result.gaps[0].message == "Formers are not trained."
    assert (result.gaps[0].location.line, result.gaps[0].location.column) == (5, 5)


def test_question_is_located_at_the_nearest_stated_parent(pack: RuleSet) -> None:
    result = check_text("formers:\n  used: true\n", "p.yaml", pack, today=TODAY).results[0]
    assert result.status is Status.CANNOT_ASSESS
    assert result.questions[0].message == "Are formers trained (formers.training.provided)?"
    assert result.questions[0].location.line == 1


def test_unknown_applicability_asks_the_condition_question(pack: RuleSet) -> None:
    result = check_text("programme: {name: X}\n", "p.yaml", pack, today=TODAY).results[0]
    assert result.status is Status.CANNOT_ASSESS
    assert result.questions[0].message == "Does the programme involve formers (formers.used)?"


def test_not_applicable_carries_its_reason(pack: RuleSet) -> None:
    result = check_text("formers: {used: false}\n", "p.yaml", pack, today=TODAY).results[0]
    assert result.reason == "the programme does not involve former extremists"


def test_rule_defect_is_an_error_result_not_a_crash(pack: RuleSet) -> None:
    import dataclasses

    class Broken:
        """A validator that fails as a defective predicate would."""

        def is_valid(self, value: object) -> bool:
            raise RuntimeError("cannot evaluate")

    compiled = pack.by_id()["DEM001"]
    requirement = compiled.requirements[0]
    broken_requirement = dataclasses.replace(
        requirement, checks=((requirement.checks[0][0], Broken()),)
    )
    broken = with_checks(compiled, requirements=(broken_requirement,))
    ruleset = dataclasses.replace(pack, rules=(broken, pack.by_id()["DEM002"]))
    text = "formers: {used: true, training: {provided: true}}\n"
    report = check_text(text, "p.yaml", ruleset, today=TODAY)
    result = report.results[0]
    assert result.status is Status.ERROR
    assert "could not be evaluated (RuntimeError: cannot evaluate)" in result.reason
    assert "DEM001-formers-trained.yaml" in result.reason
    assert (
        report.exit_code(None) == 2
    )  # a broken rule pack is invalid rules, whatever the threshold


WAIVER = """formers: {{used: true, training: {{provided: false}}}}
waivers:
  - rule: {rule}
    reason: Training starts in the autumn.
    approved_by: Commissioning lead
    expires: {expires}
"""


def test_valid_waiver_turns_a_gap_into_waived(pack: RuleSet) -> None:
    report = check_text(
        WAIVER.format(rule="DEM001", expires="2026-12-31"), "p.yaml", pack, today=TODAY
    )
    result = report.results[0]
    assert result.status is Status.WAIVED
    assert result.waived_status is Status.GAP
    assert result.waiver is not None and result.waiver.approved_by == "Commissioning lead"
    assert report.notices == ()
    assert report.exit_code(None) == 0


def test_waiver_is_honoured_on_its_expiry_day(pack: RuleSet) -> None:
    report = check_text(
        WAIVER.format(rule="DEM001", expires="2026-06-01"), "p.yaml", pack, today=TODAY
    )
    assert report.results[0].status is Status.WAIVED


def test_expired_waiver_is_not_honoured_and_is_reported(pack: RuleSet) -> None:
    report = check_text(
        WAIVER.format(rule="DEM001", expires="2026-05-31"), "p.yaml", pack, today=TODAY
    )
    assert report.results[0].status is Status.GAP
    [notice] = report.notices
    assert notice.code == "waiver-expired"
    assert "expired on 2026-05-31" in notice.message
    assert notice.location.line == 3


def test_waiver_for_a_passing_rule_is_reported_as_unused(pack: RuleSet) -> None:
    text = WAIVER.format(rule="DEM002", expires="2026-12-31") + "gender: {gender_analysis: true}\n"
    report = check_text(text, "p.yaml", pack, today=TODAY)
    assert status_of(report.results, "DEM002") is Status.PASS
    assert [n.code for n in report.notices] == ["waiver-unused"]


def test_waiver_for_an_unknown_rule_is_an_input_error(pack: RuleSet) -> None:
    with pytest.raises(InputError) as caught:
        check_text(WAIVER.format(rule="XYZ999", expires="2026-12-31"), "p.yaml", pack, today=TODAY)
    [issue] = caught.value.issues
    assert issue.code == "waiver-unknown-rule"
    assert (issue.location.line, issue.location.column) == (3, 5)


def test_coverage_counts_only_applicable_unwaived_rules(pack: RuleSet) -> None:
    text = "formers: {used: true, training: {provided: true}}\ngender: {gender_analysis: false}\n"
    report = check_text(text, "p.yaml", pack, today=TODAY)
    [section] = report.section_coverage
    assert section.counts[Status.PASS] == 1 and section.counts[Status.GAP] == 1
    assert section.ratio == 0.5
    formers = next(c for c in report.focus_coverage if c.key == "former-training")
    assert formers.ratio == 1.0
    online = next(c for c in report.focus_coverage if c.key == "online-evaluation")
    assert online.ratio is None and online.percent() == "n/a"


def test_thresholds(pack: RuleSet) -> None:
    from cvecheck.results import Severity

    advisory_gap = check_data({"gender": {"gender_analysis": False}}, pack, today=TODAY)
    assert advisory_gap.exit_code(Severity.RECOMMENDED) == 0
    assert advisory_gap.exit_code(Severity.ADVISORY) == 1
    question_only = check_data({"formers": {"used": True}}, pack, today=TODAY)
    assert question_only.exit_code(Severity.ADVISORY) == 0
    assert question_only.exit_code(Severity.ADVISORY, questions=True) == 1


def test_evaluation_is_deterministic(pack: RuleSet) -> None:
    text = "formers: {used: true}\ngender: {gender_analysis: false}\n"
    first = check_text(text, "p.yaml", pack, today=TODAY)
    second = check_text(text, "p.yaml", pack, today=TODAY)
    assert first == second
    assert [r.rule_id for r in first.results] == sorted(r.rule_id for r in first.results)


def test_item_paths_ask_about_a_silent_item_and_fault_a_failing_one() -> None:
    from cvecheck.engine import evaluate_rule
    from cvecheck.loader import load_text
    from cvecheck.programme import evaluation_view, parse_programme
    from cvecheck.rule_files import RuleFile
    from cvecheck.rules import Rule, compile_rule

    checked = RuleFile.model_validate(
        {
            "id": "DEM009",
            "name": "partners-have-roles",
            "title": "t",
            "source": {"section": "demo", "recommendation": 1},
            "wording": "must",
            "severity": "expected",
            "evidence": "research-informed",
            "recommendation": "r",
            "why": "w",
            "requirements": [
                {
                    "name": "roles",
                    "basis": "stated",
                    "require": {"multi_agency.partners[*].role": {"minLength": 3}},
                    "gap": "A partner's role is too short.",
                    "ask": "What does each partner do?",
                }
            ],
            "remediation": "x",
            "examples": {"pass": [{}], "gap": [{}], "cannot_assess": [{}]},
        }
    )
    rule = Rule.from_data(checked.model_dump(mode="json", by_alias=True))
    compiled = compile_rule(rule, "inline")

    def outcome(partners: str) -> tuple[Status, int]:
        loaded = load_text(f"multi_agency:\n  partners:\n{partners}", "p.yaml")
        result = evaluate_rule(
            compiled, evaluation_view(parse_programme(loaded)), loaded.source_map
        )
        findings = result.gaps or result.questions
        return result.status, findings[0].location.line if findings else 0

    ok = "    - {agency: A, sector: police, role: referrals}\n"
    silent = "    - {agency: B, sector: health}\n"
    short = "    - {agency: C, sector: ngo, role: x}\n"
    assert outcome(ok) == (Status.PASS, 0)
    assert outcome(ok + silent) == (Status.CANNOT_ASSESS, 4)
    assert outcome(ok + silent + short) == (Status.GAP, 5)
    assert outcome("    []\n")[0] is Status.PASS


def test_question_about_a_derived_fact_points_at_the_fields_behind_it(pack: RuleSet) -> None:
    text = "programme:\n  name: X\nformers:\n  training: {provided: true}\n"
    result = check_text(text, "p.yaml", pack, today=TODAY).results[0]
    assert result.status is Status.CANNOT_ASSESS
    [question] = result.questions
    assert question.message == "Does the programme involve formers (formers.used)?"
    assert question.location.line == 3  # the formers section, not the top of the file
