"""The questions a report leaves open, each asked once, in the order a person answers them.

Every renderer, and anything that turns questions into a conversation, takes its questions
from here: no renderer orders or merges them itself. The rules' findings hold one question per
rule and requirement; here they become one question per field of the file:

- a field is asked about once, however many rules wait on it (the rules are counted);
- gate questions (a rule's applicability: is there online work, do formers deliver...) come
  first, because their answers decide which other questions are asked at all;
- the rest are grouped by the section of the file they are answered in, in the file's order,
  and within a section by line, then by the field's place in the template.

Pure: no I/O, no rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from cvecheck.programme.facts import DERIVED_QUESTIONS, QUESTION_FIELD
from cvecheck.programme.layout import field_order, sections
from cvecheck.results import Finding, Location, Report, Status

GATE = "applies-when"
"""The requirement name the engine gives a question about a rule's applicability."""


@dataclass(frozen=True, slots=True)
class Question:
    """One thing the file does not say, and the rules waiting on the answer."""

    field: str
    """The dotted field that answers it (for an open list, the list)."""
    text: str
    location: Location
    section: str
    """The top-level section of the file it is answered in ("programme", "formers"...)."""
    gate: bool
    """True when rules wait on it to know whether they apply at all."""
    rules: tuple[str, ...]
    """Ids of the rules waiting on the answer, in id order."""


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Questions answered in one place: the gates, or one section of the file."""

    key: str
    title: str
    questions: tuple[Question, ...]


_LAST: list[Any] = [None, ()]
"""The last report asked about and its questions: a renderer asks several times per report
(its summary line, its table, its count), and a report does not change."""


def open_questions(report: Report[Any]) -> tuple[Question, ...]:
    """Every open question of ``report``, once each: gates first, then by section and line."""
    if _LAST[0] is not report:
        _LAST[:] = [report, _open_questions(report)]
    found: tuple[Question, ...] = _LAST[1]
    return found


def _open_questions(report: Report[Any]) -> tuple[Question, ...]:
    merged: dict[str, list[tuple[str, Finding]]] = {}
    for result in report.results:
        if result.status not in (Status.GAP, Status.CANNOT_ASSESS):
            continue
        for finding in result.questions:
            merged.setdefault(_key(finding), []).append((result.rule_id, finding))
    questions = [_question(key, asked) for key, asked in merged.items()]
    return tuple(sorted(questions, key=_order))


def grouped(questions: Sequence[Question]) -> tuple[QuestionGroup, ...]:
    """The questions in groups to answer in turn: the gates, then one group per section."""
    groups: list[QuestionGroup] = []
    gates = tuple(q for q in questions if q.gate)
    if gates:
        groups.append(QuestionGroup("gates", "First: what the programme does", gates))
    for question in questions:
        if question.gate:
            continue
        if not groups or groups[-1].key != question.section:
            groups.append(QuestionGroup(question.section, _section_title(question.section), ()))
        last = groups[-1]
        groups[-1] = QuestionGroup(last.key, last.title, (*last.questions, question))
    return tuple(groups)


def gate_count(questions: Sequence[Question]) -> int:
    return sum(1 for q in questions if q.gate)


def _key(finding: Finding) -> str:
    if finding.field:
        return QUESTION_FIELD.get(finding.field, finding.field)
    path = ".".join(str(p) for p in finding.location.path if isinstance(p, str))
    return path or finding.message


def _question(key: str, asked: list[tuple[str, Finding]]) -> Question:
    rules = tuple(sorted(dict.fromkeys(rule for rule, _ in asked)))
    first = asked[0][1]
    gate = any(finding.requirement == GATE for _, finding in asked)
    text = DERIVED_QUESTIONS.get(key) or first.message
    if len(rules) > 1 and text.startswith("Are these all the ") and key not in DERIVED_QUESTIONS:
        # Each rule says what its list lacks; asked once, the question is only whether the
        # list is complete.
        name = key.rsplit(".", 1)[-1]
        text = (
            f"Are these all the {name.replace('_', ' ')} ({key})? If the list is complete, "
            f"write {name}_complete: true beside it."
        )
    section = _section_of(first.location, key)
    return Question(key, text, first.location, section, gate, rules)


def _section_of(location: Location, key: str) -> str:
    for part in location.path:
        if isinstance(part, str):
            return part
    return key.split(".", 1)[0]


def _order(question: Question) -> tuple[int, int, int, int, str]:
    sections = _sections()
    return (
        0 if question.gate else 1,
        sections.get(question.section, len(sections)),
        question.location.line,
        field_order().get(question.field, 1 << 20),
        question.field,
    )


@cache
def _sections() -> dict[str, int]:
    return {name: index for index, name in enumerate(sections())}


def _section_title(section: str) -> str:
    description = sections().get(section, "").rstrip(".")
    return f"{section}: {description}" if description else section
