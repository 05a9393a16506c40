"""The Report: everything renderers need about one programme's check, and its exit code.

Renderers never re-read files or reload rules: the rule metadata travels with the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cvecheck.results import Coverage, Issue, Notice, RuleResult, Severity, Status

if TYPE_CHECKING:  # the rule models import pydantic; --help and --version must not pay for it
    from cvecheck.rules import Rule

EXIT_OK = 0
EXIT_GAPS = 1
EXIT_INVALID = 2


@dataclass(frozen=True)
class Report:
    """The outcome of every rule for one programme file."""

    file: str
    programme_name: str
    programme_hash: str
    tool_version: str
    ruleset_version: str
    rules: Mapping[str, Rule]
    results: tuple[RuleResult, ...]
    focus_coverage: tuple[Coverage, ...]
    section_coverage: tuple[Coverage, ...]
    notices: tuple[Notice, ...] = ()

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
            if r.status in states and self.rules[r.rule_id].severity.rank >= fail_on.rank
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
class FileOutcome:
    """The result of checking one file: a report, or the input issues that stopped it."""

    path: str
    report: Report | None
    issues: tuple[Issue, ...] = ()
