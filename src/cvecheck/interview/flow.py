"""The question flow of an interview: what to ask next, and how an answer changes the file.

No terminal code lives here, so another front end (a web form, say) can drive the same flow:
ask ``next_question()``, show it, turn what the person typed into a value with ``parse()``
(or build the value itself), and hand it to ``answer()``. Every answer is checked at once: the
file is checked again with the answer in it, so questions an answer unlocks appear and ones it
makes moot disappear, and a gap the answer reveals is reported straight away.

Everything the flow knows comes from a check's Report (which rules cannot be assessed, and the
question each asks with the location of the unstated field) and from the programme's JSON
Schema (what a field is, its choices and the purpose of its section). A question about a
derived fact names, in brackets, the fields that answer it; those are asked instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from cvecheck.interview.document import Document
from cvecheck.interview.fields import Choice, FieldInfo, Kind, Schema, programme_schema
from cvecheck.results import Finding, InputError, Path, RuleResult, Status

GATE = "applies-when"
"""The requirement name of a question that comes from a rule's applies_when conditions."""


class _Signal:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


SKIP = _Signal("SKIP")
"""The answer "don't know": the field stays unstated."""
STOP = _Signal("STOP")
"""The person wants to stop; answers given so far are kept."""


@dataclass(frozen=True)
class Reason:
    """A rule waiting on an answer, with why it matters in the review's terms."""

    rule_id: str
    title: str
    why: str


@dataclass(frozen=True)
class Question:
    """One field to ask about."""

    path: Path
    field: FieldInfo
    text: str
    """What to ask: the rule's own question when it is about exactly this field."""
    gate: bool
    """True when rules' applicability waits on it (an applies_when condition)."""
    reasons: tuple[Reason, ...]
    section: str
    section_purpose: str

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)


@dataclass(frozen=True)
class GapNews:
    """A gap the file now shows, said plainly with what to do about it."""

    rule_id: str
    title: str
    gap: str
    remedy: str
    recommendation: str
    """The review section the rule comes from, e.g. "Encouraging community engagement..."."""


@dataclass(frozen=True)
class Outcome:
    """What an answer did."""

    written: bool = False
    refused: str = ""
    """Why the answer could not be written (then nothing changed), e.g. not a valid date."""
    gaps: tuple[GapNews, ...] = ()
    """Gaps this answer revealed."""


@dataclass(frozen=True)
class Change:
    """What changed in the report between two moments of the interview."""

    answers: int
    settled: int
    """Rules that could not be assessed before and can now."""
    met: int
    not_applicable: int
    gaps: tuple[GapNews, ...]


@dataclass
class Parsed:
    """A typed answer turned into a value, a signal, or a reason to ask again."""

    value: Any = None
    error: str = ""


_FIELD_NAMES = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
_TRAILING_FIELDS = re.compile(r"\s*\([^()]*\b[a-z_]+\.[a-z_]+[^()]*\)(?=[?.!]?$)")


def plain_question(message: str) -> str:
    """A rule's question without the dotted field names it ends with in brackets."""
    return _TRAILING_FIELDS.sub("", message.strip())


class Interview:
    """The state of one interview over one programme file."""

    def __init__(
        self,
        text: str,
        name: str,
        ruleset: Any,
        *,
        section: str | None = None,
        today: date | None = None,
        save: Callable[[str], None] | None = None,
        schema: Schema | None = None,
        waivers_allowed: bool = False,
    ) -> None:
        from cvecheck import check_text

        self._check_text = check_text
        self.name = name
        self.ruleset = ruleset
        self.today = today
        self.schema = schema or programme_schema()
        self.sections = self.schema.sections()
        if section is not None and section not in self.sections:
            raise ValueError(f"no section {section!r}; choose from {', '.join(self.sections)}")
        self.section = section
        self.waivers_allowed = waivers_allowed
        """Whether the front end may offer to record a waiver for a gap an answer reveals
        (only where the configuration accepts waivers in the programme file)."""
        self._save = save
        self.report = self._check(text)  # raises InputError for a file that cannot be checked
        self.first_report = self.report
        self.document = self._document(text)
        self.asked: set[Path] = set()
        self.questions_asked = 0
        self.answers_written = 0
        self.unanswerable: list[tuple[str, str]] = []

    # --- checking ---------------------------------------------------------------------------

    def _check(self, text: str) -> Any:
        return self._check_text(text, self.name, self.ruleset, today=self.today)

    def _document(self, text: str) -> Document:
        previous = getattr(self, "document", None)
        document = Document(text, previous.indent if previous is not None else None)
        document.sibling_rank = self._rank
        return document

    def _rank(self, path: Path) -> int:
        dotted = ".".join(str(p) for p in path if isinstance(p, str))
        return self.schema.order.get(dotted, len(self.schema.order))

    def text(self) -> str:
        return self.document.text()

    # --- what to ask ------------------------------------------------------------------------

    def _fields_of(self, finding: Finding) -> tuple[list[Path], bool]:
        """The unstated fields that answer a question, and whether it names exactly one."""
        path = finding.location.path
        info = self.schema.field(path)
        if info is not None and info.kind is not Kind.SECTION:
            if not self.document.is_stated(path):
                return [path], True
            return [], True
        paths: list[Path] = []
        for dotted in _FIELD_NAMES.findall(finding.message):
            paths += self._leaves(tuple(dotted.split(".")))
        return paths, len(paths) == 1

    def _leaves(self, path: Path) -> list[Path]:
        info = self.schema.field(path)
        if info is None:
            return []
        if info.kind is not Kind.SECTION:
            return [] if self.document.is_stated(path) else [path]
        found: list[Path] = []
        for child in info.children:
            found += self._leaves((*path, child))
        return found

    def open_questions(self, *, again: bool = False) -> list[Question]:
        """Every field still to ask about, gates first, then by section and place in the file;
        with ``again``, fields already asked and left unanswered too (what is still open)."""
        entries: dict[Path, dict[str, Any]] = {}
        self.unanswerable = []
        for result in self.report.results:
            if result.status is not Status.CANNOT_ASSESS:
                continue
            for finding in result.questions:
                paths, single = self._fields_of(finding)
                if not paths:
                    self.unanswerable.append((result.rule_id, finding.message))
                for path in paths:
                    if (path in self.asked and not again) or not self._in_scope(path):
                        continue
                    entry = entries.setdefault(
                        path, {"gate": False, "rules": [], "texts": {}, "asks": {}}
                    )
                    entry["gate"] |= finding.requirement == GATE
                    if result.rule_id not in entry["rules"]:
                        entry["rules"].append(result.rule_id)
                    if single:
                        text = plain_question(finding.message)
                        entry["texts"][text] = entry["texts"].get(text, 0) + 1
                        entry["asks"].setdefault(result.rule_id, text)
        questions = [self._question(path, entry) for path, entry in entries.items()]
        return sorted(questions, key=self._sort_key)

    def _in_scope(self, path: Path) -> bool:
        return self.section is None or path[0] == self.section

    def _question(self, path: Path, entry: dict[str, Any]) -> Question:
        info = self.schema.field(path)
        assert info is not None
        texts: dict[str, int] = entry["texts"]
        # the question most of the waiting rules ask, in their words; their reasons first
        text = max(texts, key=lambda t: texts[t]) if texts else info.description
        order = sorted(entry["rules"], key=lambda rule_id: entry["asks"].get(rule_id) != text)
        rules = self.report.rules
        reasons = tuple(
            Reason(rule_id, rules[rule_id].title, rules[rule_id].why) for rule_id in order
        )
        section = str(path[0])
        return Question(
            path=path,
            field=info,
            text=text,
            gate=entry["gate"],
            reasons=reasons,
            section=section,
            section_purpose=self.sections.get(section, ""),
        )

    def section_rank(self, section: str) -> tuple[int, int]:
        """Where a section comes: written sections in file order, and one not yet written
        where the writer will put it (after the written section before it in schema order)."""
        schema_order = list(self.sections)
        written = [key for key in self.document.data if key in self.sections]
        place = schema_order.index(section) if section in schema_order else len(schema_order)
        if section in written:
            return written.index(section), -1
        before = [s for s in schema_order[:place] if s in written]
        return (written.index(before[-1]) if before else -1), place

    def _sort_key(self, question: Question) -> tuple[Any, ...]:
        return (
            0 if question.gate else 1,
            *self.section_rank(question.section),
            self.document.line_of(question.path),
            self._rank(question.path),
        )

    def next_question(self) -> Question | None:
        questions = self.open_questions()
        return questions[0] if questions else None

    def open_gates(self) -> list[Question]:
        return [q for q in self.open_questions() if q.gate]

    # --- answers ----------------------------------------------------------------------------

    def skip(self, question: Question) -> None:
        """ "Don't know": the field stays unstated and is not asked again."""
        self.asked.add(question.path)
        self.questions_asked += 1

    def answer(self, question: Question, value: Any) -> Outcome:
        """Write ``value`` into the field, check the file again, and say what it revealed."""
        if value is SKIP:
            self.skip(question)
            return Outcome()
        outcome = self._write(question.path, value)
        if outcome.written:
            self.asked.add(question.path)
            self.questions_asked += 1
            self.answers_written += 1
        return outcome

    def record_waiver(self, rule_id: str, reason: str, approved_by: str, expires: date) -> Outcome:
        """Add a waiver for ``rule_id`` to the file's ``waivers`` list (created if empty)."""
        if not self.waivers_allowed:
            return Outcome(refused="waivers in the programme file are not allowed here")
        entry = {"rule": rule_id, "reason": reason, "approved_by": approved_by, "expires": expires}
        current = self.document.get(("waivers",))
        if isinstance(current, list):
            return self._write(("waivers", len(current)), entry)
        return self._write(("waivers",), [entry])

    def _write(self, path: Path, value: Any) -> Outcome:
        before_text, before = self.text(), self.report
        try:
            self.document.set(path, value)
            after_text = self.document.text()
            report = self._check(after_text)
        except (InputError, ValueError) as error:
            self.document = self._document(before_text)
            issues = getattr(error, "issues", None)
            return Outcome(refused=issues[0].message if issues else str(error))
        if self._save is not None:
            self._save(after_text)
        self.report = report
        self.document = self._document(after_text)
        return Outcome(written=True, gaps=self.new_gaps(before, report))

    def new_gaps(self, before: Any, after: Any) -> tuple[GapNews, ...]:
        """Gaps in ``after`` that ``before`` did not have."""
        old = {(r.rule_id, f.message) for r in before.results for f in _gaps(r)}
        news: list[GapNews] = []
        for result in after.results:
            for finding in _gaps(result):
                if (result.rule_id, finding.message) not in old:
                    news.append(self._news(result.rule_id, finding))
        return tuple(news)

    def _news(self, rule_id: str, finding: Finding) -> GapNews:
        rule = self.report.rules[rule_id]
        section = self.ruleset.section(rule.source.section)
        where = section.title if section is not None else rule.source.section
        return GapNews(rule_id, rule.title, finding.message, rule.remediation, where)

    def change(self, before: Any, answers: int) -> Change:
        """What changed since the report ``before``."""
        old = {r.rule_id: r.status for r in before.results}
        settled = [
            r
            for r in self.report.results
            if old.get(r.rule_id) is Status.CANNOT_ASSESS and r.status is not Status.CANNOT_ASSESS
        ]
        return Change(
            answers=answers,
            settled=len(settled),
            met=sum(1 for r in settled if r.status is Status.PASS),
            not_applicable=sum(1 for r in settled if r.status is Status.NOT_APPLICABLE),
            gaps=self.new_gaps(before, self.report),
        )

    def counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = self.report.counts()
        return counts

    def question_lines(self) -> int:
        """Questions the plain report lists now (one line per rule and unstated requirement)."""
        return sum(
            len(r.questions) for r in self.report.results if r.status is Status.CANNOT_ASSESS
        )


def _gaps(result: RuleResult) -> Iterable[Finding]:
    return result.gaps if result.status is Status.GAP else ()


# --- typed answers ----------------------------------------------------------------------------

DONT_KNOW = frozenset({"", "?", "skip", "don't know", "dont know", "dk", "not known"})
YES = frozenset({"y", "yes", "true"})
NO = frozenset({"n", "no", "false"})
EXAMPLE_DATE = "2025-09-01"


def element(info: FieldInfo) -> FieldInfo:
    """The field that one element of a list answer is (a text, a number)."""
    kind = Kind.NUMBER if info.kind is Kind.NUMBERS else Kind.TEXT
    return FieldInfo(info.name, kind, info.description, minimum=info.minimum, maximum=info.maximum)


def parse(info: FieldInfo, typed: str) -> Parsed:
    """Turn what someone typed into a value for a field of one line (``.`` stops, an empty
    line or "don't know" skips); ``error`` says how to answer when it is not understood."""
    text = typed.strip()
    lowered = text.lower()
    if text == ".":
        return Parsed(STOP)
    if lowered in DONT_KNOW:
        return Parsed(SKIP)
    kind = info.kind
    if kind is Kind.BOOLEAN:
        if lowered in YES:
            return Parsed(True)
        if lowered in NO:
            return Parsed(False)
        return Parsed(error="Answer y (yes) or n (no), or leave it empty if you don't know.")
    if kind is Kind.CHOICE:
        choice = _choice(info.choices, text)
        if choice is None:
            return Parsed(error=f"Type a number from 1 to {len(info.choices)}.")
        return Parsed(choice.value)
    if kind is Kind.CHOICES:
        if lowered == "none":
            return Parsed([])
        chosen: list[Any] = []
        for part in re.split(r"[\s,]+", text):
            choice = _choice(info.choices, part)
            if choice is None:
                return Parsed(
                    error=f"Type numbers from 1 to {len(info.choices)}, separated by spaces, "
                    "or none."
                )
            if choice.value not in chosen:
                chosen.append(choice.value)
        order = [c.value for c in info.choices]
        return Parsed(sorted(chosen, key=order.index))
    if kind is Kind.DATE:
        try:
            return Parsed(date.fromisoformat(text))
        except ValueError:
            return Parsed(error=f"Write the date as YYYY-MM-DD, for example {EXAMPLE_DATE}.")
    if kind is Kind.NUMBER:
        try:
            number = int(text)
        except ValueError:
            return Parsed(error="Type a whole number, for example 12.")
        if info.minimum is not None and number < info.minimum:
            return Parsed(error=f"Type a number of at least {info.minimum}.")
        if info.maximum is not None and number > info.maximum:
            return Parsed(error=f"Type a number of at most {info.maximum}.")
        return Parsed(number)
    return Parsed(text)


def _choice(choices: tuple[Choice, ...], typed: str) -> Choice | None:
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1]
    lowered = typed.lower()
    for choice in choices:
        if lowered in (str(choice.value).lower(), choice.label.lower()):
            return choice
    return None
