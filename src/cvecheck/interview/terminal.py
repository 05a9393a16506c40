"""The interview at a terminal, or scripted: one line of standard input per answer.

At a terminal, questions are asked with ``input()``. When standard input is not a terminal,
each line answers the next question and is echoed after its prompt, so the output reads as a
transcript. Either way ``.`` stops, an empty line means "don't know", and every answer is in
the file as soon as it is given. Text from the file or a rule pack is shown escaped, never
obeyed.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path as FsPath
from typing import IO, Any

from cvecheck.escaping import visible
from cvecheck.interview.document import read, write_atomic
from cvecheck.interview.fields import FieldInfo, Kind
from cvecheck.interview.flow import (
    EXAMPLE_DATE,
    SKIP,
    STOP,
    Change,
    GapNews,
    Interview,
    Question,
    element,
    parse,
)
from cvecheck.results import Status

WIDTH = 88


class StopInterview(Exception):  # noqa: N818 - a request, not an error
    """The person asked to stop (``.``, end of input, Ctrl-D)."""


class ScriptError(Exception):
    """A scripted answer that does not fit its question: stop rather than let the answers
    that follow land on the wrong questions."""


class Console:
    """Reads answers and writes text; scripted input is echoed so the output is a transcript."""

    def __init__(self, stdin: IO[str], stdout: IO[str], interactive: bool) -> None:
        self.stdin, self.stdout, self.interactive = stdin, stdout, interactive
        self.line = 0

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def para(self, text: str, indent: str = "  ") -> None:
        self.say(
            textwrap.fill(
                visible(text),
                WIDTH,
                initial_indent=indent,
                subsequent_indent=" " * len(indent) + "  ",
            )
        )

    def retry(self, problem: str) -> None:
        """Say what was wrong with an answer; a script cannot answer again, so it stops."""
        if not self.interactive:
            raise ScriptError(f"line {self.line} of the input: {problem}")
        self.para(problem)

    def ask(self, prompt: str) -> str:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.say()
                raise StopInterview from None
        self.stdout.write(prompt)
        line = self.stdin.readline()
        self.line += 1
        if not line:
            self.say()
            raise StopInterview
        answer = line.rstrip("\r\n")
        self.say(visible(answer))
        return answer


def run(
    path: FsPath,
    ruleset: Any,
    *,
    section: str | None = None,
    today: date | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    interactive: bool | None = None,
    new_file: Callable[[FsPath], None] | None = None,
    waivers: bool = False,
) -> int:
    """Interview on ``path``; returns the exit code (0 done or stopped, 130 interrupted)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if interactive is None:
        interactive = stdin.isatty()
    console = Console(stdin, stdout, interactive)
    if not path.exists() and new_file is not None:
        new_file(path)
        console.say(f"Wrote {visible(str(path))} from the template; your answers go into it.")
    text = read(path)
    interview = Interview(
        text,
        str(path),
        ruleset,
        section=section,
        today=today,
        save=lambda new_text: write_atomic(path, new_text),
        waivers_allowed=waivers,
    )
    try:
        _converse(interview, console, path)
    except ScriptError as error:
        console.say(
            f"Stopped at {error} {plural(interview.answers_written, 'answer')} before it "
            f"{'is' if interview.answers_written == 1 else 'are'} saved."
        )
        return 2
    except KeyboardInterrupt:
        console.say("")
        console.say(
            f"Interrupted. {plural(interview.answers_written, 'answer')} given so far "
            f"{'is' if interview.answers_written == 1 else 'are'} saved in {visible(str(path))}."
        )
        return 130
    return 0


def _converse(interview: Interview, console: Console, path: FsPath) -> None:
    questions = interview.open_questions()
    gates = sum(1 for q in questions if q.gate)
    scope = f" in section {interview.section}" if interview.section else ""
    console.say(
        f"Interview on {visible(str(path))}{scope}: {plural(len(questions), 'field')} to ask"
        f" about ({gates} deciding which rules apply)"
        + (
            "."
            if scope
            else f"; the report lists {plural(interview.question_lines(), 'question')}."
        )
    )
    console.say(
        "Answer each question; an empty line means don't know (the field stays unstated), "
        "'.' stops. Answers are saved as you give them."
    )
    part: str | None = None
    part_start = interview.report
    part_answers = 0
    stopped = False
    while True:
        question = interview.next_question()
        if question is None:
            break
        label = "gates" if question.gate else question.section
        if label != part:
            if part is not None:
                _show_change(console, part, interview.change(part_start, part_answers))
            part, part_start, part_answers = label, interview.report, 0
            _heading(console, question)
        try:
            written = _ask(interview, console, question)
        except StopInterview:
            stopped = True
            break
        part_answers += written
    if part is not None:
        _show_change(console, part, interview.change(part_start, part_answers))
    _closing(interview, console, path, stopped)


def _heading(console: Console, question: Question) -> None:
    console.say()
    if question.gate:
        console.say("== First, what the programme does: these answers decide which rules apply")
        return
    purpose = question.section_purpose.rstrip(".")
    console.say(f"== {question.section}: {purpose}")


def _ask(interview: Interview, console: Console, question: Question) -> int:
    """Ask one question until it is answered or skipped; 1 if an answer was written."""
    _show_question(console, question)
    while True:
        value = _read_value(console, question.field)
        if value is SKIP:
            interview.skip(question)
            return 0
        outcome = interview.answer(question, value)
        if outcome.refused:
            console.retry(f"Not written: {outcome.refused}.")
            continue
        for news in outcome.gaps:
            _show_gap(console, news)
            if interview.waivers_allowed:
                _offer_waiver(interview, console, news)
        return 1


def _offer_waiver(interview: Interview, console: Console, news: GapNews) -> None:
    """Record an accepted gap in the file's waivers, if the person says who approved it."""
    console.para(
        f"To accept this gap for now, record a waiver for {news.rule_id}: give the reason "
        "(empty line: no waiver)."
    )
    text = FieldInfo("waivers.reason", Kind.TEXT)
    reason = _read_one(console, text, "  reason > ")
    if reason is SKIP:
        return
    approved_by = _read_one(console, text, "  approved by (name or role) > ", required=True)
    until = FieldInfo("waivers.expires", Kind.DATE)
    expires = _read_one(console, until, f"  until (YYYY-MM-DD, e.g. {EXAMPLE_DATE}) > ", True)
    outcome = interview.record_waiver(news.rule_id, reason, approved_by, expires)
    if outcome.refused:
        console.para(f"Not written: {outcome.refused}.")
    else:
        console.para(f"Waiver for {news.rule_id} written; the report shows the gap as waived.")


def _show_question(console: Console, question: Question) -> None:
    console.say()
    waiting = len(question.reasons)
    if question.gate:
        rules = "rule waits" if waiting == 1 else "rules wait"
        console.para(f"{question.text} ({waiting} {rules} on this answer)", "")
    else:
        console.para(question.text, "")
    info = question.field
    if info.description and info.description != question.text:
        console.para(f"{question.name}: {info.description}")
    else:
        console.para(f"Field: {question.name}")
    if question.reasons:
        first = question.reasons[0]
        console.para(f"Why it matters ({first.rule_id}, {first.title}): {_sentence(first.why)}")
        if waiting > 1:
            console.para("Also waiting: " + ", ".join(question.rules[1:]))


def _sentence(text: str) -> str:
    """The first sentence of a rule's reason: enough to say why, short enough to read."""
    text = " ".join(text.split())
    end = _SENTENCE_END.search(text)
    return text if end is None else text[: end.start() + 1]


_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\. (?=[A-Z])")


_HINTS = {
    Kind.BOOLEAN: "y / n, empty: don't know",
    Kind.CHOICE: "a number, empty: don't know",
    Kind.CHOICES: "numbers separated by spaces, 'none' if none applies, empty: don't know",
    Kind.DATE: f"YYYY-MM-DD, e.g. {EXAMPLE_DATE}; empty: don't know",
    Kind.NUMBER: "a whole number, empty: don't know",
    Kind.TEXT: "text, empty: don't know",
}


def _read_value(console: Console, info: FieldInfo) -> Any:
    """One answer for the field as a value, SKIP, or Stop raised."""
    if info.kind in (Kind.TEXTS, Kind.NUMBERS):
        return _read_list(console, info)
    if info.kind is Kind.ITEMS:
        return _read_items(console, info)
    if info.choices and info.kind is not Kind.BOOLEAN:
        _show_choices(console, info)
    return _read_one(console, info, f"[{_HINTS.get(info.kind, 'empty: dont know')}] > ")


def _read_one(console: Console, info: FieldInfo, prompt: str, required: bool = False) -> Any:
    while True:
        parsed = parse(info, console.ask(prompt))
        if parsed.value is STOP:
            raise StopInterview
        if parsed.error:
            console.retry(parsed.error)
            continue
        if parsed.value is SKIP and required:
            console.retry("This is needed; type it, or '.' to stop.")
            continue
        return parsed.value


def _show_choices(console: Console, info: FieldInfo) -> None:
    cells = [f"{n}) {visible(c.label)}" for n, c in enumerate(info.choices, 1)]
    width = max(len(c) for c in cells) + 2
    per_line = max(1, (WIDTH - 2) // width)
    for start in range(0, len(cells), per_line):
        console.say(
            "  " + "".join(c.ljust(width) for c in cells[start : start + per_line]).rstrip()
        )


def _read_list(console: Console, info: FieldInfo) -> Any:
    console.para("One per line; an empty line ends the list (at once: don't know).")
    one = element(info)
    values: list[Any] = []
    while True:
        value = _read_one(console, one, f"  {len(values) + 1} > ")
        if value is SKIP:
            return values or SKIP
        values.append(value)


def _read_items(console: Console, info: FieldInfo) -> Any:
    names = ", ".join(f.key for f in info.item_fields)
    console.para(
        f"Add them one at a time ({names}); an empty line ends the list (at once: don't know)."
    )
    items: list[dict[str, Any]] = []
    while True:
        item: dict[str, Any] = {}
        for position, sub in enumerate(info.item_fields):
            if sub.choices and sub.kind is not Kind.BOOLEAN:
                _show_choices(console, sub)
            hint = _HINTS.get(sub.kind, "").split(",")[0].split(";")[0]
            if position == 0:
                prompt = f"  {len(items) + 1}. {sub.key} [{hint}; empty: no more] > "
                value = _read_one(console, sub, prompt)
                if value is SKIP:
                    return items or SKIP
            else:
                value = _read_one(console, sub, f"     {sub.key} [{hint}] > ", required=True)
            item[sub.key] = value
        items.append(item)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _instruction(title: str) -> str:
    """A rule title ("Tell people ...") as the end of a sentence ("to tell people ...")."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _show_gap(console: Console, news: GapNews) -> None:
    console.para(
        f"{news.gap.rstrip('.')}: that is a gap against the review's recommendation to "
        f"{_instruction(news.title).rstrip('.')} ({news.rule_id}). What to do: {news.remedy}",
        "  ! ",
    )


def _show_change(console: Console, part: str, change: Change) -> None:
    what = "these questions" if part == "gates" else part
    parts = [plural(change.answers, "answer") + " written"]
    if change.settled:
        gaps = len({g.rule_id for g in change.gaps})
        kinds = [
            f"{change.met} met" if change.met else "",
            plural(gaps, "gap") if gaps else "",
            f"{change.not_applicable} do not apply" if change.not_applicable else "",
        ]
        settled = ", ".join(k for k in kinds if k)
        parts.append(f"{plural(change.settled, 'rule')} settled ({settled})")
    console.say()
    if not change.gaps:
        parts.append("no new gap")
    console.para(f"After {what}: " + "; ".join(parts) + ".", "-- ")
    for news in change.gaps:
        console.para(f"{news.rule_id} gap; what to do: {news.remedy}", "   ")


def _closing(interview: Interview, console: Console, path: FsPath, stopped: bool) -> None:
    counts = interview.counts()
    console.say()
    how = "Stopped" if stopped else "Done"
    console.say(
        f"{how}: {plural(interview.questions_asked, 'question')} asked, "
        f"{plural(interview.answers_written, 'answer')} written to {visible(str(path))}."
    )
    console.say(
        f"Rules now: {counts[Status.PASS]} met, {counts[Status.GAP]} with a gap, "
        f"{counts[Status.CANNOT_ASSESS]} with questions, "
        f"{counts[Status.NOT_APPLICABLE]} not applicable, {counts[Status.WAIVED]} waived."
    )
    still = interview.open_questions(again=True)
    gates = [q for q in still if q.gate]
    if not still:
        console.say("No question is left that an answer in the file could settle.")
    else:
        console.say(
            f"Still open: {plural(len(still), 'field')} ({len(gates)} deciding which rules apply). "
            f"Run 'cvecheck interview {visible(str(path))}' again to answer them."
        )
        by_section: dict[str, list[str]] = {}
        for question in sorted(still, key=lambda q: interview.section_rank(q.section)):
            by_section.setdefault(question.section, []).append(question.name)
        for name, fields in by_section.items():
            short = [f.removeprefix(name + ".") for f in fields]
            console.para(f"{name}: {', '.join(short)}")
    unanswerable = sorted(set(interview.unanswerable))
    if unanswerable:
        console.say("Not asked here, since no single field answers them (see the full report):")
        for rule_id, message in unanswerable:
            console.para(f"{rule_id}: {message}")
    console.say(f"Full report: cvecheck check {visible(str(path))}")
