"""Evaluate a rule set against one programme: pure, deterministic, no I/O and no clock.

For each rule: applicability first (a condition that fails gives not_applicable with its
reason; one the file is silent on gives cannot_assess with its question), then each
requirement on its own. A rule is a gap if any requirement is a gap, else cannot_assess if
any is unstated, else pass. Waivers are honoured here, in the one place, so every output
agrees on them: an unexpired waiver turns the outcome into waived, an expired one is ignored
and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import jsonschema_rs

from cvecheck.loader import SourceMap
from cvecheck.programme import DERIVED_FROM
from cvecheck.results import (
    Coverage,
    Finding,
    FocusArea,
    Location,
    Notice,
    Path,
    Report,
    RuleResult,
    Status,
    Waiver,
)
from cvecheck.rules import Checks, CompiledRule, RuleSet
from cvecheck.waivers import apply_waiver

_MISSING = object()


def evaluate(
    ruleset: RuleSet,
    data: Mapping[str, Any],
    source_map: SourceMap,
    *,
    waivers: Iterable[Waiver] = (),
    today: date,
    programme_name: str = "",
    programme_hash: str = "",
    tool_version: str = "",
) -> Report:
    """Run every rule of ``ruleset`` on ``data`` (the programme's evaluation view)."""
    by_rule = {waiver.rule: waiver for waiver in waivers}
    notices: list[Notice] = []
    results: list[RuleResult] = []
    for compiled in ruleset.rules:
        result = evaluate_rule(compiled, data, source_map)
        waiver = by_rule.get(compiled.id)
        if waiver is not None:
            result, notice = apply_waiver(result, waiver, today)
            if notice is not None:
                notices.append(notice)
        results.append(result)
    rules = {compiled.id: compiled.rule for compiled in ruleset.rules}
    return Report(
        file=source_map.file,
        programme_name=programme_name,
        programme_hash=programme_hash,
        tool_version=tool_version,
        ruleset_version=ruleset.version,
        rules=rules,
        results=tuple(results),
        focus_coverage=_focus_coverage(results, rules),
        section_coverage=_section_coverage(results, ruleset),
        notices=tuple(notices),
        rule_packs=ruleset.identities,
    )


def evaluate_rule(
    compiled: CompiledRule, data: Mapping[str, Any], source_map: SourceMap
) -> RuleResult:
    """The outcome of one rule on one programme's data; a defect in the rule gives error."""
    try:
        return _evaluate_rule(compiled, data, source_map)
    except Exception as error:  # a rule-pack defect must surface as a result, never a crash
        problem = f"{type(error).__name__}: {error}"
        reason = f"the rule could not be evaluated ({problem}); fix {compiled.file}"
        return RuleResult(compiled.id, Status.ERROR, reason=reason)


def _evaluate_rule(
    compiled: CompiledRule, data: Mapping[str, Any], source_map: SourceMap
) -> RuleResult:
    unknown_condition: tuple[str, Location] | None = None
    for condition, checks in compiled.conditions:
        verdict, path, _ = _check(checks, data)
        if verdict is False:
            return RuleResult(
                compiled.id,
                Status.NOT_APPLICABLE,
                reason=condition.reason,
                location=_locate(source_map, path),
            )
        if verdict is None and unknown_condition is None:
            unknown_condition = (condition.ask, _locate(source_map, path))
    if unknown_condition is not None:
        ask, location = unknown_condition
        question = Finding("applies-when", ask, location)
        return RuleResult(
            compiled.id, Status.CANNOT_ASSESS, questions=(question,), location=location
        )

    gaps: list[Finding] = []
    questions: list[Finding] = []
    for requirement in compiled.requirements:
        verdict, path, value = _check(requirement.checks, data)
        if verdict is False:
            location = _locate(source_map, path)
            gaps.append(Finding(requirement.spec.name, requirement.spec.gap, location, value))
        elif verdict is None:
            questions.append(
                Finding(requirement.spec.name, requirement.spec.ask, _locate(source_map, path))
            )
    if gaps:
        status = Status.GAP
    elif questions:
        status = Status.CANNOT_ASSESS
    else:
        status = Status.PASS
    findings = gaps or questions
    return RuleResult(
        compiled.id,
        status,
        gaps=tuple(gaps),
        questions=tuple(questions),
        location=findings[0].location if findings else None,
    )


def _check(checks: Checks, data: Mapping[str, Any]) -> tuple[bool | None, Path, Any]:
    """True if every path holds, False if a stated value fails, None if a value is unstated.

    Also returns where the verdict was decided and, for a failure, the failing value.
    """
    missing: Path | None = None
    for path, validator in checks:
        for where, value in _resolve(data, path):
            if value is _MISSING:
                if missing is None:
                    missing = where
            elif not validator.is_valid(value):
                _refuse_undecided(validator, value)
                return False, where, value
    if missing is not None:
        return None, missing, None
    return True, checks[0][0], None


class UndecidedError(Exception):
    """A predicate that could not be decided (a regex over its backtracking limit, say): that
    is a defect of the rule, so the rule's outcome is error, never a gap."""


def _refuse_undecided(validator: Any, value: Any) -> None:
    # is_valid() answers False when a pattern hits the regex engine's backtracking limit; only
    # the errors tell that apart from a real mismatch, so they are read on this (rare) path.
    for error in validator.iter_errors(value):
        kind = getattr(error, "kind", None)  # only jsonschema-rs errors say which kind they are
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.BacktrackLimitExceeded):
            raise UndecidedError(
                f"a pattern reached the regular expression backtracking limit ({error.message}); "
                "simplify the pattern"
            )


def _locate(source_map: SourceMap, path: Path) -> Location:
    """Where a finding belongs: a derived fact points at the fields it is derived from."""
    if path and path[0] in DERIVED_FROM:
        return source_map.locate((*DERIVED_FROM[str(path[0])], *path[1:]))
    return source_map.locate(path)


def _resolve(data: Mapping[str, Any], path: tuple[str, ...]) -> list[tuple[Path, Any]]:
    """The value at ``path`` with its concrete location; ``*`` fans out over a list's items.

    An unstated value comes back as _MISSING at the deepest stated point, so an item that is
    silent on a field gives a question, not a gap. An empty list has no items to check.
    """
    found: list[tuple[Path, Any]] = []
    pending: list[tuple[Path, Any, int]] = [((), data, 0)]
    while pending:
        where, value, depth = pending.pop()
        if depth == len(path):
            found.append((where, value))
            continue
        key = path[depth]
        if key == "*":
            if not isinstance(value, list):
                found.append((where, _MISSING))
                continue
            for index in reversed(range(len(value))):
                pending.append(((*where, index), value[index], depth + 1))
        elif isinstance(value, dict) and key in value:
            pending.append(((*where, key), value[key], depth + 1))
        else:
            found.append(((*where, *path[depth:]), _MISSING))
    return found


def _focus_coverage(results: list[RuleResult], rules: Mapping[str, Any]) -> tuple[Coverage, ...]:
    # One pass over the results, not one per area: this runs for every file of a batch.
    counts: dict[Any, dict[Status, int]] = {area: dict.fromkeys(Status, 0) for area in FocusArea}
    for result in results:
        area = rules[result.rule_id].focus
        if area is not None:
            counts[area][result.status] += 1
    return tuple(Coverage(area.value, area.label, counts[area]) for area in FocusArea)


def _section_coverage(results: list[RuleResult], ruleset: RuleSet) -> tuple[Coverage, ...]:
    sections = [section for pack in ruleset.packs for section in pack.sections]
    counts: dict[str, dict[Status, int]] = {s.id: dict.fromkeys(Status, 0) for s in sections}
    for compiled, result in zip(ruleset.rules, results, strict=True):
        section = counts.get(compiled.rule.source.section)
        if section is not None:
            section[result.status] += 1
    return tuple(Coverage(s.id, s.title, dict(counts[s.id])) for s in sections)
