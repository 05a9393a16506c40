"""A compiled rule evaluated with validators the test chooses instead of its own.

The engine tests swap a rule's validators for a broken one; the equivalence test swaps them
for the jsonschema library's. A compiled rule builds its own validators on first use, so the
swap is a subclass that hands the engine the chosen ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from cvecheck.predicates import Checks
from cvecheck.rules import CompiledRequirement, CompiledRule, Condition


@dataclass(frozen=True)
class WithChecks(CompiledRule):
    """``rule`` and ``file`` as given, evaluated with ``given_conditions`` and
    ``given_requirements``."""

    given_conditions: tuple[tuple[Condition, Checks], ...] = ()
    given_requirements: tuple[CompiledRequirement, ...] = ()

    @property
    def conditions(self) -> tuple[tuple[Condition, Checks], ...]:
        return self.given_conditions

    @property
    def requirements(self) -> tuple[CompiledRequirement, ...]:
        return self.given_requirements


def with_checks(
    compiled: CompiledRule,
    *,
    conditions: tuple[tuple[Condition, Checks], ...] | None = None,
    requirements: tuple[CompiledRequirement, ...] | None = None,
) -> CompiledRule:
    """``compiled`` with the conditions or requirements given (the rule's own otherwise)."""
    return WithChecks(
        compiled.rule,
        compiled.file,
        compiled.conditions if conditions is None else conditions,
        compiled.requirements if requirements is None else requirements,
    )
