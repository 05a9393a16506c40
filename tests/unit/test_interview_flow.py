"""The interview's question flow, on a fixed rule pack so its verdicts do not move."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cvecheck import load_rules
from cvecheck.interview.fields import FieldInfo, Kind, programme_schema
from cvecheck.interview.flow import SKIP, STOP, Interview, parse, plain_question
from cvecheck.results import Status
from cvecheck.template import programme_template

PACK = Path(__file__).parents[1] / "fixtures" / "interview-pack"


@pytest.fixture(scope="module")
def pack() -> object:
    return load_rules([PACK])


def start(pack: object, text: str | None = None, **options: object) -> Interview:
    saved: list[str] = []
    interview = Interview(
        text if text is not None else programme_template(),
        "p.yaml",
        pack,
        today=date(2026, 12, 1),
        save=saved.append,
        **options,  # type: ignore[arg-type]
    )
    interview.saved = saved  # type: ignore[attr-defined]
    return interview


def names(interview: Interview) -> list[str]:
    return [q.name for q in interview.open_questions()]


def test_gates_come_first_in_file_order_each_once_with_the_rules_waiting(pack: object) -> None:
    interview = start(pack)
    questions = interview.open_questions()
    gates = [q for q in questions if q.gate]
    assert [q.name for q in gates] == [
        "programme.online_work",  # the explicit yes or no that the online rules wait on
        "formers.used",
        "community_and_reporting.receives_concerns",
    ]
    assert questions[: len(gates)] == gates
    assert [q.rules for q in gates] == [("INT005",), ("INT002",), ("INT001",)]
    # the question about a derived fact asks the field its question names
    assert [q.name for q in questions if not q.gate] == [
        "multi_agency.partners",
        "gender.gender_analysis",
    ]
    assert len(set(names(interview))) == len(names(interview))


def test_a_gate_question_uses_the_rule_words_without_the_field_names(pack: object) -> None:
    question = start(pack).open_questions()[0]
    assert question.text == "Does the programme include online work?"
    assert question.field.kind is Kind.BOOLEAN  # programme.online_work: a plain yes or no
    assert question.reasons[0].why == "Platform figures show reach, not change."
    assert question.section == "programme"
    assert question.section_purpose == "Identity and scope of the programme."


def test_answering_a_gate_unlocks_its_questions_and_writes_the_file(pack: object) -> None:
    interview = start(pack)
    gate = interview.open_questions()[1]
    assert gate.name == "formers.used"
    outcome = interview.answer(gate, True)
    assert outcome.written and not outcome.gaps
    assert "formers.training.before_delivery" in names(interview)
    assert "formers.used" not in names(interview)
    assert "  used: true\n" in interview.saved[-1]  # type: ignore[attr-defined]


def test_a_stated_no_makes_the_rules_questions_moot(pack: object) -> None:
    interview = start(pack)
    gate = next(q for q in interview.open_questions() if q.name == "formers.used")
    interview.answer(gate, False)
    assert not any(name.startswith("formers.") for name in names(interview))
    statuses = {r.rule_id: r.status for r in interview.report.results}
    assert statuses["INT002"] is Status.NOT_APPLICABLE


def test_an_answer_that_reveals_a_gap_says_so_with_the_remedy(pack: object) -> None:
    interview = start(pack)
    gate = next(q for q in interview.open_questions() if q.name.endswith("receives_concerns"))
    interview.answer(gate, True)
    policy = next(q for q in interview.open_questions() if q.name.endswith(".policy"))
    assert [c.label for c in policy.field.choices] == ["yes", "limited", "no"]
    outcome = interview.answer(policy, "no")
    assert [(g.rule_id, g.gap) for g in outcome.gaps] == [
        ("INT001", "Reporters are not told what happened next.")
    ]
    assert outcome.gaps[0].remedy == "Agree what can be shared with a reporter and record it."
    assert outcome.gaps[0].recommendation == "Supporting people who report"


def test_skipping_leaves_the_file_alone_and_never_asks_again(pack: object) -> None:
    text = programme_template()
    interview = start(pack, text)
    while (question := interview.next_question()) is not None:
        interview.answer(question, SKIP)
    assert interview.text() == text
    assert interview.saved == []  # type: ignore[attr-defined]
    assert interview.questions_asked == 5
    assert interview.answers_written == 0


def test_an_invalid_answer_is_refused_and_changes_nothing(pack: object) -> None:
    text = programme_template()
    interview = start(pack, text)
    question = interview.open_questions()[0]
    outcome = interview.answer(question, ["not-a-setting"])
    assert outcome.refused and not outcome.written
    assert interview.text() == text
    assert question.name in names(interview)  # still to be answered


def test_section_limits_the_questions_to_one_part_of_the_file(pack: object) -> None:
    interview = start(pack, section="gender")
    assert names(interview) == ["gender.gender_analysis"]
    with pytest.raises(ValueError, match="no section 'nowhere'"):
        start(pack, section="nowhere")


def test_a_file_without_the_sections_gets_them_created(pack: object) -> None:
    interview = start(pack, "programme:\n  name: Riverside\n")
    gate = interview.open_questions()[0]
    assert gate.name == "programme.online_work"
    interview.answer(gate, True)
    evaluator = next(q for q in interview.open_questions() if q.name.startswith("online."))
    assert evaluator.field.kind is Kind.CHOICE
    outcome = interview.answer(evaluator, "internal")
    assert [g.rule_id for g in outcome.gaps] == ["INT005"]
    assert interview.text() == (
        "programme:\n  name: Riverside\n  online_work: true\n"
        "online:\n  evaluation:\n    evaluator: internal\n"
    )


def test_partners_are_asked_as_items_with_name_and_sector(pack: object) -> None:
    interview = start(pack)
    partners = next(q for q in interview.open_questions() if q.name == "multi_agency.partners")
    assert partners.field.kind is Kind.ITEMS
    assert [f.key for f in partners.field.item_fields] == ["agency", "sector"]
    assert "mental health" in [c.label for c in partners.field.item_fields[1].choices]
    outcome = interview.answer(partners, [{"agency": "County Police", "sector": "police"}])
    # One partner named is not "one sector only": the list may not be complete, so no gap.
    assert outcome.gaps == ()


def info(kind: Kind, **extra: object) -> FieldInfo:
    return FieldInfo("x.y", kind, **extra)  # type: ignore[arg-type]


def test_parse_understands_each_kind_of_answer() -> None:
    schema = programme_schema()
    stages = schema.field(("programme", "stages"))
    policy = schema.field(
        ("community_and_reporting", "post_reporting_support", "updates_to_reporter", "policy")
    )
    start_date = schema.field(("programme", "start_date"))
    age = schema.field(("target_population", "age_range", "min"))
    assert stages and policy and start_date and age
    assert parse(info(Kind.BOOLEAN), "Y").value is True
    assert parse(info(Kind.BOOLEAN), "no").value is False
    assert parse(info(Kind.BOOLEAN), "maybe").error
    assert parse(info(Kind.BOOLEAN), "").value is SKIP
    assert parse(info(Kind.BOOLEAN), "don't know").value is SKIP
    assert parse(info(Kind.TEXT), " . ").value is STOP
    assert parse(policy, "2").value == "limited"
    assert parse(policy, "4").error
    assert parse(stages, "3, 2 3").value == ["secondary", "tertiary"]
    assert parse(stages, "none").value == []
    assert parse(start_date, "2025-09-01").value == date(2025, 9, 1)
    assert "YYYY-MM-DD" in parse(start_date, "1 Sept").error
    assert parse(age, "14").value == 14
    assert parse(age, "200").error == "Type a number of at most 120."
    assert parse(info(Kind.TEXT), "  Riverside  ").value == "Riverside"


def test_plain_question_drops_only_a_trailing_list_of_field_names() -> None:
    assert plain_question("Is it so (a.b, c.d)?") == "Is it so?"
    assert plain_question("Is it so (for example, yes)?") == "Is it so (for example, yes)?"


def test_why_it_matters_is_the_first_sentence_of_the_reason() -> None:
    from cvecheck.interview.terminal import _sentence

    assert _sentence("It helps, e.g. with trust. It also costs.") == "It helps, e.g. with trust."
    assert _sentence("One   sentence\nonly") == "One sentence only"


UNNAMED = """\
id: INT006
name: unnamed-question
title: A question that names no field
source: {section: interview, recommendation: 4}
quote: "A fixture recommendation: programmes should do this."
wording: "should"
severity: advisory
evidence: limited-evidence
recommendation: Partners from one sector at least.
why: A fixture.
requirements:
  - name: one-sector
    basis: stated
    require: {multi_agency.partner_sector_count: {type: integer, minimum: 1}}
    gap: No partner sector.
    ask: How many sectors do the partners come from?
remediation: Name a partner.
examples:
  pass:
    - multi_agency: {partners: [{agency: Police, sector: police}]}
  gap:
    - multi_agency: {partners: []}
  cannot_assess:
    - programme: {name: Silent}
"""


def test_a_question_no_field_answers_is_kept_aside_not_lost(tmp_path: Path) -> None:
    import shutil

    pack_dir = tmp_path / "pack"
    shutil.copytree(PACK, pack_dir)
    (pack_dir / "INT006-unnamed-question.yaml").write_text(UNNAMED, encoding="utf-8")
    interview = start(load_rules([pack_dir]))
    asked = names(interview)
    assert "multi_agency.partners" in asked  # from INT004, which names the field
    # A question about a derived fact now points at the list it is derived from, so the
    # interview can ask it there instead of keeping it aside.
    assert ("INT006", "How many sectors do the partners come from?") not in interview.unanswerable
