"""Choose which rules run: by rule id, id prefix, report section id or focus area.

Selection filters the rule set before anything is evaluated, so coverage, counts and every
output describe only the rules that ran. A pattern that names nothing is an error rather than
a silent no-op: a typo in --select must not quietly check nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import replace

from cvecheck.results import FocusArea
from cvecheck.rules import CompiledRule, RuleSet


def matches(compiled: CompiledRule, pattern: str) -> bool:
    """Whether ``pattern`` names this rule: its id or an id prefix, its section or focus area."""
    rule = compiled.rule
    return (
        rule.id.startswith(pattern)
        or rule.source.section == pattern
        or (rule.focus is not None and rule.focus.value == pattern)
    )


def select_rules(ruleset: RuleSet, select: Sequence[str], ignore: Sequence[str]) -> RuleSet:
    """The rules named by ``select`` (all when empty) and by none of ``ignore``."""
    kept = [
        compiled.id
        for compiled in ruleset.rules
        if (not select or any(matches(compiled, p) for p in select))
        and not any(matches(compiled, p) for p in ignore)
    ]
    return keep_only(ruleset, kept)


def keep_only(ruleset: RuleSet, ids: Collection[str]) -> RuleSet:
    """The rule set restricted to ``ids``; the others are recorded as deselected."""
    wanted = set(ids)
    return replace(
        ruleset,
        rules=tuple(c for c in ruleset.rules if c.id in wanted),
        deselected=ruleset.deselected | {c.id for c in ruleset.rules if c.id not in wanted},
    )


def vocabulary(ruleset: RuleSet) -> set[str]:
    """Every word a pattern may be besides an id prefix: section ids and focus areas."""
    sections = {section.id for pack in ruleset.packs for section in pack.sections}
    return sections | {area.value for area in FocusArea}


def unknown_pattern(ruleset: RuleSet, pattern: str) -> str | None:
    """Why ``pattern`` names nothing (with a suggestion), or None when it is fine."""
    if pattern in vocabulary(ruleset) or any(matches(c, pattern) for c in ruleset.rules):
        return None
    prefixes = {section.prefix for pack in ruleset.packs for section in pack.sections}
    words = sorted(vocabulary(ruleset) | prefixes | {c.id for c in ruleset.rules})
    close = difflib.get_close_matches(pattern, words, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{pattern}' matches no rule id, id prefix, report section or focus area{hint}"
