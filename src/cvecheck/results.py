"""Value types shared by every stage: locations, input issues, outcome states, the Report of
one file and its exit code.

This module imports nothing from cvecheck at run time. It also holds the one table that maps a rule's
severity to its rank, its SARIF level and the wording used in reports, so no renderer keeps a
copy of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from cvecheck.escaping import one_line

if TYPE_CHECKING:  # the rule models import pydantic; --help and --version must not pay for it
    from cvecheck.rules import Rule

_T = TypeVar("_T")


def _quick_pickle(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass as a constructor call.

    Reports travel back from worker processes by pickle. The default route for slotted
    dataclasses (__setstate__, looking up the fields for every object) made unpickling a
    report cost more than checking the programme; a constructor call is about 3x cheaper.
    """
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:  # noqa: N807
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


Path = tuple[str | int, ...]
"""A location inside a document: mapping keys and sequence indexes, from the root."""


def json_pointer(path: Path) -> str:
    """Render a path as an RFC 6901 JSON Pointer ("" is the root)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Location:
    """A place in an input file. Line and column start at 1; 0 means "not known"."""

    file: str
    line: int = 0
    column: int = 0
    path: Path = ()

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with an input (programme file, rule file, configuration) that stops its check."""

    code: str
    message: str
    location: Location
    source: str = ""
    """The line of the file the issue is on, as written, when known."""
    example: str = ""
    """How to write it instead ("write it like this"), one or more lines of YAML."""

    def __str__(self) -> str:
        return one_line(f"{self.location}: {self.message} [{self.code}]")

    def explanation(self) -> list[str]:
        """The lines that follow the one-line error: the source line with a caret under the
        column, then the example; each line safe to print."""
        lines: list[str] = []
        if self.source and self.location.line:
            number = str(self.location.line)
            pad = " " * len(number)
            shown = one_line(self.source.rstrip("\r\n"))
            # The caret counts shown characters: an escaped control character is wider.
            before = one_line(self.source[: max(self.location.column - 1, 0)])
            lines += [
                f"  {number} | {shown}",
                f"  {pad} | {' ' * len(before)}^",
            ]
        if self.example:
            lines.append("  Write it like this:")
            lines += [f"    {one_line(line)}" for line in self.example.splitlines()]
        return lines


class InputError(Exception):
    """Raised when an input cannot be used; carries one or more issues with locations."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


class Status(StrEnum):
    """The outcome of one rule for one programme."""

    PASS = "pass"
    GAP = "gap"
    CANNOT_ASSESS = "cannot_assess"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"
    ERROR = "error"


class Severity(StrEnum):
    """How strongly the report words a recommendation. Lives in the rule file, never elsewhere."""

    EXPECTED = "expected"
    RECOMMENDED = "recommended"
    ADVISORY = "advisory"

    @property
    def rank(self) -> int:
        """Higher is more serious; used for thresholds and sorting."""
        return SEVERITY_TABLE[self][0]

    @property
    def sarif_level(self) -> str:
        return SEVERITY_TABLE[self][1]

    @property
    def meaning(self) -> str:
        return SEVERITY_TABLE[self][2]


# The single severity table: rank, SARIF level, plain meaning. The meanings follow the
# wording mapping of docs/severity.md: a rule's severity comes from the words it quotes.
SEVERITY_TABLE: dict[Severity, tuple[int, str, str]] = {
    Severity.EXPECTED: (
        3,
        "error",
        "the review's words are firm: it says this must be done, is needed, necessary or important",
    ),
    Severity.RECOMMENDED: (
        2,
        "warning",
        "the review says this should be done, is required, or that programmes will benefit",
    ),
    Severity.ADVISORY: (
        1,
        "note",
        "the review hedges: this could, might or may help, or potentially has value; "
        "also every practice-pack standard",
    ),
}


class Evidence(StrEnum):
    """What the source says about the evidence behind a rule. None of these labels means
    "shown to work": the review finds the effectiveness of CVE interventions poorly understood."""

    RESEARCH_INFORMED = "research-informed"
    CASE_STUDY_INFORMED = "case-study-informed"
    LIMITED_EVIDENCE = "limited-evidence"
    EMERGING_RESEARCH = "emerging-research"
    PRACTICE_STANDARD = "practice-standard"

    @property
    def meaning(self) -> str:
        return EVIDENCE_MEANING[self]


EVIDENCE_MEANING: dict[Evidence, str] = {
    Evidence.RESEARCH_INFORMED: (
        "the review draws this from the research it reviews, such as interviews with formers "
        "and studies of interventions; that is not proof that it works"
    ),
    Evidence.CASE_STUDY_INFORMED: (
        "the review draws this from UK and international case studies of practice"
    ),
    Evidence.LIMITED_EVIDENCE: (
        "the review says the evidence here is limited or that effectiveness is poorly understood"
    ),
    Evidence.EMERGING_RESEARCH: (
        "the review calls this an emerging research agenda, with little evidence yet"
    ),
    Evidence.PRACTICE_STANDARD: (
        "a standard from a practice framework, not from the review; its source is cited"
    ),
}


class FocusArea(StrEnum):
    """The four headline areas whose coverage leads every report."""

    FORMER_TRAINING = "former-training"
    REPORTER_AFTERCARE = "reporter-aftercare"
    ONLINE_EVALUATION = "online-evaluation"
    MULTI_AGENCY_COORDINATION = "multi-agency-coordination"

    @property
    def label(self) -> str:
        return FOCUS_TITLES[self]


FOCUS_TITLES: dict[FocusArea, str] = {
    FocusArea.FORMER_TRAINING: "Training of formers",
    FocusArea.REPORTER_AFTERCARE: "Reporter aftercare",
    FocusArea.ONLINE_EVALUATION: "Evaluation of online work",
    FocusArea.MULTI_AGENCY_COORDINATION: "Multi-agency coordination",
}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Finding:
    """One requirement of a rule that is not met (a gap) or cannot be judged (a question)."""

    requirement: str
    message: str
    location: Location
    value: Any = None
    """For a gap, the stated (or derived) value that fails the requirement; None for a question."""
    field: str = ""
    """For a question, the dotted field that answers it (a list's path when the question is
    whether an open list is complete), so one field is asked about once however many rules
    wait on it."""

    def stated(self, limit: int = 80) -> str:
        """The failing value as short text for people, or "" when it adds nothing (a boolean)."""
        if self.value is None or isinstance(self.value, bool):
            return ""
        text = json.dumps(self.value, ensure_ascii=False)
        return text if len(text) <= limit else text[: limit - 3] + "..."


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Waiver:
    """A documented decision to accept a rule's gap for a time."""

    rule: str
    reason: str
    approved_by: str
    expires: date
    location: Location
    source: str = "programme"
    """Where it was written: "programme" (the file under check) or "waiver file" (the
    commissioner's, given with --waivers)."""


@_quick_pickle
@dataclass(frozen=True, slots=True)
class PackIdentity:
    """Who a pack is: its name and version, a digest of its files, and whether it is the pack
    shipped with cvecheck. Only the shipped pack is shown by name alone: any other (a copy of
    the shipped pack's pack.yaml included) is marked custom, with its digest."""

    name: str
    version: str
    digest: str
    """sha256 of the pack's files (relative path and bytes of each, in name order)."""
    shipped: bool

    @property
    def label(self) -> str:
        base = f"{self.name}@{self.version}"
        return base if self.shipped else f"custom:{base} (sha256:{self.digest[:12]})"


@_quick_pickle
@dataclass(frozen=True, slots=True)
class RuleResult:
    """The outcome of one rule for one programme, with everything a renderer needs to say why."""

    rule_id: str
    status: Status
    gaps: tuple[Finding, ...] = ()
    questions: tuple[Finding, ...] = ()
    reason: str = ""
    location: Location | None = None
    waiver: Waiver | None = None
    waived_status: Status | None = None


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Coverage:
    """Counts of outcomes over a group of rules (a focus area or a report section)."""

    key: str
    title: str
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def assessed(self) -> int:
        """Rules that apply, are not waived and were evaluated: met, not met or not known."""
        return self.met + self.not_met + self.not_known

    @property
    def met(self) -> int:
        return self.counts.get(Status.PASS, 0)

    @property
    def not_met(self) -> int:
        return self.counts.get(Status.GAP, 0)

    @property
    def not_known(self) -> int:
        """Rules the file leaves open: a question, not a failure."""
        return self.counts.get(Status.CANNOT_ASSESS, 0)

    @property
    def known(self) -> int:
        """Rules whose verdict is known: met or not met."""
        return self.met + self.not_met

    @property
    def ratio(self) -> float | None:
        """Share of the known verdicts that are met, or None when no verdict is known.

        A rule the file leaves open counts neither way: "not known" is not "not met".
        """
        return self.met / self.known if self.known else None

    def percent(self) -> str:
        """The share met, over what is known: "60%", "not known" or "n/a" (nothing applies)."""
        ratio = self.ratio
        if ratio is not None:
            return f"{round(ratio * 100)}%"
        return "not known" if self.not_known else "n/a"


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader should know that is not a rule outcome (an expired waiver, say)."""

    code: str
    message: str
    location: Location
    rule: str | None = None
    """The rule the notice is about, if any (e.g. the rule an expired waiver named)."""


# --- the report of one file ------------------------------------------------------------------

EXIT_OK = 0
EXIT_GAPS = 1
EXIT_INVALID = 2


class RuleFacts(Protocol):
    """What every reader of a report needs from a rule. A `Rule` has it all; a report read back
    from saved JSON holds only what the JSON records (see ``reporters/json_.py``)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def severity(self) -> Severity: ...


if TYPE_CHECKING:
    # A report usually carries full rules (the default, so a bare `Report` means one), but a
    # report read back from saved JSON carries less; the parameter says which, so mypy stops a
    # renderer that needs a rule's full text from being given a read-back report. The default
    # needs typing_extensions before Python 3.13; at run time a plain TypeVar does.
    from typing_extensions import TypeVar as _DefaultTypeVar

    RuleT = _DefaultTypeVar("RuleT", bound=RuleFacts, default=Rule, covariant=True)
else:
    RuleT = TypeVar("RuleT", covariant=True)


@dataclass(frozen=True)
class Report(Generic[RuleT]):
    """The outcome of every rule for one programme file."""

    file: str
    programme_name: str
    programme_hash: str
    tool_version: str
    ruleset_version: str
    rules: Mapping[str, RuleT]
    results: tuple[RuleResult, ...]
    focus_coverage: tuple[Coverage, ...]
    section_coverage: tuple[Coverage, ...]
    notices: tuple[Notice, ...] = ()
    rule_packs: tuple[PackIdentity, ...] = ()
    """The packs the rules came from: name, version, digest of their files, shipped or not."""
    scope: str | None = None
    """The programme's place in the review's scope (secondary_tertiary, mixed, primary_only),
    or None when the file does not say which stages it serves."""
    scope_note: str = ""
    """What the report says first about the review's scope ("" for a secondary or tertiary
    programme, or one that does not say): out of scope, or only partly in scope."""

    def with_status(self, *statuses: Status) -> list[RuleResult]:
        """Results in any of the given states, most severe rule first, then by id."""
        chosen = [r for r in self.results if r.status in statuses]
        return sorted(chosen, key=lambda r: (-self.rules[r.rule_id].severity.rank, r.rule_id))

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    def failing(self, fail_on: Severity | None, *, questions: bool = False) -> list[RuleResult]:
        """Results at or above the threshold: gaps, and unanswered questions when asked."""
        if fail_on is None:
            return []
        states = (Status.GAP, Status.CANNOT_ASSESS) if questions else (Status.GAP,)
        return [
            r
            for r in self.results
            # A waiver covers gaps only: the rule's unanswered questions still count.
            if (r.status in states or (questions and r.status is Status.WAIVED and r.questions))
            and self.rules[r.rule_id].severity.rank >= fail_on.rank
        ]

    def exit_code(self, fail_on: Severity | None, *, questions: bool = False) -> int:
        """0 when nothing reaches the threshold, 1 when something does, 2 when a rule is broken.

        A rule that could not be evaluated is a defect in a rule pack, which is an invalid rules
        error whatever the threshold: a broken rule must never pass silently.
        """
        if any(r.status is Status.ERROR for r in self.results):
            return EXIT_INVALID
        return EXIT_GAPS if self.failing(fail_on, questions=questions) else EXIT_OK


@dataclass(frozen=True)
class FileOutcome(Generic[RuleT]):
    """The result of checking one file: a report, or the input issues that stopped it."""

    path: str
    report: Report[RuleT] | None
    issues: tuple[Issue, ...] = ()
