"""Not stated is not "no", for lists too: the misfires of reading a list as complete, each a
regression example on the open-world fixture pack (never the shipped catalogue's verdicts).

Covers: open lists (and the facts derived from them) giving questions, complete and empty
lists giving gaps or not applicable; gates on online work, ideological work, case work,
concerns received and formers who deliver; a primary-prevention-only file reported out of
scope in every format; questions asked once, gates first; coverage that tells "not known"
from "not met"; requirements made moot by a stated fact.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.engine import SCOPE_REASON
from cvecheck.pipeline import check_text
from cvecheck.programme import Programme
from cvecheck.questions import grouped, open_questions
from cvecheck.reporters import Command, names
from cvecheck.results import Report, Status
from cvecheck.rules import RuleSet, load_rules
from cvecheck.template import programme_template

PACK = Path(__file__).parents[1] / "fixtures" / "open-world-pack"
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def pack() -> RuleSet:
    return load_rules([PACK])


def check(text: str, rules: RuleSet) -> Report:
    return check_text(text, "programme.yaml", rules, today=TODAY)


def outcome(report: Report, rule: str) -> tuple[Status, str, list[str]]:
    result = next(r for r in report.results if r.rule_id == rule)
    return result.status, result.reason, [q.message for q in result.questions]


# --- lists: partners, domains, data sources --------------------------------------------------

TWO_PARTNERS = """\
multi_agency:
  partners:
    - {agency: County Police, sector: police}
    - {agency: Youth Trust, sector: ngo}
"""


def test_two_named_partners_ask_whether_they_are_all_not_a_gap(pack: RuleSet) -> None:
    status, _, asked = outcome(check(TWO_PARTNERS, pack), "OWL001")
    assert status is Status.CANNOT_ASSESS
    assert asked == [
        "Are these all the partners (multi_agency.partners)? As listed, the programme's partner "
        "agencies come from fewer than three sectors. If the list is complete, write "
        "partners_complete: true beside it."
    ]


def test_a_complete_partner_list_from_two_sectors_is_a_gap(pack: RuleSet) -> None:
    report = check(TWO_PARTNERS + "  partners_complete: true\n", pack)
    status, _, _ = outcome(report, "OWL001")
    assert status is Status.GAP
    gap = next(r for r in report.results if r.rule_id == "OWL001").gaps[0]
    assert gap.value == 2 and gap.location.line == 2  # the count, at the partners it counts


def test_the_question_about_an_open_list_points_at_the_list(pack: RuleSet) -> None:
    report = check("programme: {name: X}\n" + TWO_PARTNERS, pack)
    (question,) = next(r for r in report.results if r.rule_id == "OWL001").questions
    assert (question.location.line, question.field) == (3, "multi_agency.partners")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("risk_assessment: {holistic_domains: [ideology, social_context]}\n", "OWL002"),
        ("risk_assessment: {data_sources: [family]}\n", "OWL003"),
    ],
)
def test_a_list_silent_on_something_asks_and_a_complete_one_fails(
    pack: RuleSet, text: str, rule: str
) -> None:
    assert outcome(check(text, pack), rule)[0] is Status.CANNOT_ASSESS
    complete = text.replace("]}", "], " + text.split("{")[1].split(":")[0] + "_complete: true}")
    assert outcome(check(complete, pack), rule)[0] is Status.GAP


def test_an_empty_list_or_none_states_absence(pack: RuleSet) -> None:
    assert outcome(check("multi_agency: {partners: []}\n", pack), "OWL001")[0] is Status.GAP
    report = check("risk_assessment: {tools: [none], holistic_domains: []}\n", pack)
    assert outcome(report, "OWL004")[0] is Status.GAP
    assert outcome(report, "OWL002")[0] is Status.GAP


# --- gates: online work, ideological work, case work -----------------------------------------


def test_settings_without_online_ask_about_online_work_once(pack: RuleSet) -> None:
    report = check("programme: {settings: [community, school]}\n", pack)
    for rule in ("OWG001", "OWG004"):
        status, reason, _ = outcome(report, rule)
        assert status is Status.CANNOT_ASSESS and not reason
    online = [q for q in open_questions(report) if q.field == "has_online_component"]
    assert len(online) == 1
    assert online[0].gate and online[0].rules == ("OWG001", "OWG004")
    assert "programme.online_work" in online[0].text


@pytest.mark.parametrize(
    "text",
    [
        "programme: {online_work: false}\n",
        "programme: {settings: [community], settings_complete: true}\n",
    ],
)
def test_stated_absence_of_online_work_makes_the_online_rules_not_apply(
    pack: RuleSet, text: str
) -> None:
    report = check(text, pack)
    assert outcome(report, "OWG001")[:2] == (
        Status.NOT_APPLICABLE,
        "the programme does no online work",
    )


def test_an_exit_programme_silent_on_ideological_work_is_asked_not_excused(pack: RuleSet) -> None:
    text = "target_population: {ideologies: [far_right]}\ndelivery: {components: [mentoring, employment]}\n"
    status, _, asked = outcome(check(text, pack), "OWG002")
    assert status is Status.CANNOT_ASSESS
    assert asked[0].startswith("Are these all the components (delivery.components)? As listed, ")
    complete = text.replace("employment]}", "employment], components_complete: true}")
    assert outcome(check(complete, pack), "OWG002")[0] is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("programme: {name: Silent}\n", Status.CANNOT_ASSESS),  # case work no longer assumed
        ("programme: {kinds_of_work: [campaigns_and_content]}\n", Status.CANNOT_ASSESS),
        (
            "programme: {kinds_of_work: [campaigns_and_content], kinds_of_work_complete: true}\n",
            Status.NOT_APPLICABLE,
        ),
        ("programme: {works_with_individuals: false}\n", Status.NOT_APPLICABLE),
        ("programme: {kinds_of_work: [case_work]}\n", Status.CANNOT_ASSESS),  # applies; asks
    ],
)
def test_kinds_of_work_decide_whether_case_work_rules_apply(
    pack: RuleSet, text: str, expected: Status
) -> None:
    status, _, asked = outcome(check(text, pack), "OWG006")
    assert status is expected
    if "case_work]" in text:
        assert asked == ["Are assessors trained (risk_assessment.assessors_trained)?"]


def test_a_campaign_is_asked_once_whether_it_receives_concerns(pack: RuleSet) -> None:
    report = check("programme: {works_with_individuals: false}\n", pack)
    concerns = [q for q in open_questions(report) if "receives_concerns" in q.field]
    assert [(q.rules, q.gate) for q in concerns] == [(("OWG003", "OWG008"), True)]


def test_online_outreach_by_formers_in_conversation_gets_the_messenger_rule(pack: RuleSet) -> None:
    text = """\
programme: {kinds_of_work: [online_outreach]}
online:
  components: [one_to_one_outreach]
  messengers: [{type: former, credibility_rationale: Left the same movement}]
"""
    assert outcome(check(text, pack), "OWG004")[0] is Status.PASS


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ("[research_informant, shown_in_content], roles_complete: true", Status.NOT_APPLICABLE),
        ("[adviser]", Status.CANNOT_ASSESS),
        ("[mentor]", Status.CANNOT_ASSESS),
    ],
)
def test_formers_who_only_inform_or_appear_in_content_are_not_vetted_as_deliverers(
    pack: RuleSet, roles: str, expected: Status
) -> None:
    status, reason, asked = outcome(
        check(f"formers: {{used: true, roles: {roles}}}\n", pack), "OWG005"
    )
    assert status is expected
    if expected is Status.NOT_APPLICABLE:
        assert "none delivers" in reason
    elif roles == "[adviser]":
        assert asked == ["Do formers deliver to participants (formers.roles)?"]
    else:
        assert asked == [
            "Are formers' motivations assessed (formers.selection.motivations_assessed)?"
        ]


def test_staff_who_are_not_formers_say_nothing_of_formers_elsewhere(pack: RuleSet) -> None:
    staff = "staff: [{role: mentor, is_former: false}]\n"
    assert outcome(check(staff, pack), "OWG005")[0] is Status.CANNOT_ASSESS
    complete = staff + "staff_complete: true\n"
    assert outcome(check(complete, pack), "OWG005")[0] is Status.NOT_APPLICABLE


def test_a_stated_fact_makes_the_questions_that_depend_on_it_moot(pack: RuleSet) -> None:
    report = check("needs_assessment: {former_insights_used_in_design: {used: false}}\n", pack)
    result = next(r for r in report.results if r.rule_id == "OWG007")
    assert result.status is Status.GAP and result.questions == ()
    assert not [q for q in open_questions(report) if "bias_limits" in q.field]


# --- scope -----------------------------------------------------------------------------------

PRIMARY = "programme: {name: Schools awareness, stages: [primary], settings: [school]}\n"


def test_a_primary_only_programme_is_out_of_scope_for_every_rule(pack: RuleSet) -> None:
    report = check(PRIMARY, pack)
    assert report.scope == "primary_only" and "Out of scope" in report.scope_note
    assert {(r.status, r.reason) for r in report.results} == {(Status.NOT_APPLICABLE, SCOPE_REASON)}
    assert open_questions(report) == ()


def test_a_mixed_programme_is_checked_for_its_secondary_and_tertiary_work(pack: RuleSet) -> None:
    report = check("programme: {stages: [primary, secondary]}\n", pack)
    assert report.scope == "mixed" and "secondary and tertiary work" in report.scope_note
    assert any(r.status is not Status.NOT_APPLICABLE for r in report.results)


def test_every_format_says_first_that_a_primary_only_file_is_out_of_scope(tmp_path: Path) -> None:
    path = tmp_path / "primary.yaml"
    path.write_text(PRIMARY, encoding="utf-8")
    options: list[str] = []
    for name in names(Command.CHECK):
        options += ["-f", name, "-o", str(tmp_path / f"out.{name}")]
    result = CliRunner().invoke(app, ["check", str(path), "--rules", str(PACK), *options])
    assert result.exit_code == 0, result.output
    text_formats = [n for n in names(Command.CHECK) if n != "docx"]  # docx: bytes, not text
    out = {n: (tmp_path / f"out.{n}").read_text(encoding="utf-8") for n in text_formats}
    said = "Out of scope: the CREST review covers secondary and tertiary interventions"
    for name in ("table", "markdown", "html"):
        before_coverage = out[name].split("overage")[0]
        assert said in before_coverage, name
    assert json.loads(out["json"])["files"][0]["scope"]["review_scope"] == "primary_only"
    for name in ("sarif", "sarif-github"):
        run = json.loads(out[name])["runs"][0]
        first = run["invocations"][0]["toolExecutionNotifications"][0]
        assert (
            first["descriptor"]["id"] == "scope-primary_only" and said in first["message"]["text"]
        )
    suite = ET.fromstring(out["junit"]).find("testsuite")
    assert suite is not None and said in (suite.findtext("system-out") or "")
    assert out["github"].splitlines()[0].startswith("::warning file=")
    assert "out of scope" in out["github"].splitlines()[0]
    assert "(out of scope: primary prevention only)" in " ".join(out["matrix"].split())


# --- questions once, in order; coverage ------------------------------------------------------


def test_the_untouched_template_asks_every_question_once_gates_first(pack: RuleSet) -> None:
    for rules in (pack, load_rules()):  # also the shipped packs: only the ordering is asserted
        report = check(programme_template(), rules)
        questions = open_questions(report)
        assert questions
        fields = [q.field for q in questions]
        assert len(fields) == len(set(fields))
        texts = [q.text for q in questions]
        assert len(texts) == len(set(texts))
        gates = [q.gate for q in questions]
        assert gates == sorted(gates, reverse=True)  # every gate before every other question
        for group in grouped(questions)[1:]:
            lines = [q.location.line for q in group.questions]
            assert lines == sorted(lines)
        total = sum(len(r.questions) for r in report.results)
        assert total >= len(questions)


def test_questions_are_grouped_by_section_in_file_order(pack: RuleSet) -> None:
    text = """\
programme: {kinds_of_work: [case_work], online_work: true}
needs_assessment:
  former_insights_used_in_design: {used: true}
risk_assessment: {tools: [VERA-2R]}
"""
    groups = grouped(open_questions(check(text, pack)))
    assert groups[0].key == "gates"
    sections = [g.key for g in groups[1:]]
    place = list(Programme.model_fields)
    assert sections == sorted(sections, key=place.index) and len(sections) == len(set(sections))
    assert {"needs_assessment", "risk_assessment"} <= set(sections)


def test_coverage_counts_not_known_apart_from_not_met(pack: RuleSet) -> None:
    report = check("programme: {name: Silent}\n", pack)
    formers = next(c for c in report.focus_coverage if c.key == "former-training")
    assert (formers.met, formers.not_met, formers.not_known) == (0, 0, 1)
    assert formers.ratio is None and formers.percent() == "not known"
    text = TWO_PARTNERS + "  partners_complete: true\n"
    multi = next(
        c for c in check(text, pack).focus_coverage if c.key == "multi-agency-coordination"
    )
    assert multi.percent() == "0%" and multi.not_met == 1


def test_the_summary_line_counts_rules_and_distinct_questions(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("programme: {works_with_individuals: false}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--rules", str(PACK)])
    # The summary is the last paragraph; the terminal layout may wrap it.
    summary = " ".join(result.output.strip().split("\n\n")[-1].split())
    report = check_text(path.read_text(), str(path), load_rules([PACK]), today=TODAY)
    counts = report.counts()
    questions = open_questions(report)
    assert summary == (
        f"Summary: {len(report.results)} rules: {counts[Status.PASS]} met, "
        f"{counts[Status.GAP]} not met, {counts[Status.CANNOT_ASSESS]} not known, "
        f"{counts[Status.NOT_APPLICABLE]} not applicable; {len(questions)} questions to answer "
        f"({sum(q.gate for q in questions)} gates first)."
    )
