"""Evaluate a rule set against one programme: pure, deterministic, no I/O and no clock.

A programme that is primary prevention only is out of the review's scope: every rule is
not_applicable with that reason, and the report says so first. Otherwise, for each rule:
applicability first (a condition that fails gives not_applicable with its reason; one the file
is silent on gives cannot_assess with its question), then each requirement on its own, skipping
one whose ``after`` requirement is not met. A rule is a gap if any requirement is a gap, else
cannot_assess if any is unstated, else pass.

Lists are open-world, here and not in each rule: a check that fails on a list, or on a fact
derived from lists, but would hold if the open lists held more, is a question ("Are these all
the partners?"), never a gap or not_applicable (see cvecheck.programme.openness). Waivers are honoured here, in the one place, so every output
agrees on them: an unexpired waiver turns the outcome into waived, an expired one is ignored
and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from cvecheck.loader import SourceMap
from cvecheck.programme.facts import COMPLETE_SUFFIX, DERIVED_FROM
from cvecheck.programme.openness import LIST_SOURCES, completed_view, open_lists
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

if TYPE_CHECKING:  # rule sets are only read here
    from cvecheck.rules import Checks, CompiledRule, RuleSet
from cvecheck.waivers import apply_waiver

_MISSING = object()


SCOPE_REASON = (
    "out of scope: the review covers secondary and tertiary interventions, and this programme "
    "is primary prevention only (programme.stages)"
)
SCOPE_NOTES = {
    "primary_only": (
        "Out of scope: the CREST review covers secondary and tertiary interventions, and "
        "programme.stages names primary prevention only, so no rule applies. If the programme "
        "also works with people at risk (secondary) or already involved (tertiary), add those "
        "stages."
    ),
    "mixed": (
        "Scope: the CREST review covers secondary and tertiary interventions. This programme "
        "also does primary prevention, which is outside it; the rules check its secondary and "
        "tertiary work."
    ),
}
"""What every report says first about the review's scope, keyed by the derived review_scope."""


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
    completion = _Completion(data)
    scope = data.get("review_scope")
    for compiled in ruleset.rules:
        if scope == "primary_only":
            where = source_map.locate(("programme", "stages"))
            result = RuleResult(
                compiled.id, Status.NOT_APPLICABLE, reason=SCOPE_REASON, location=where
            )
        else:
            result = evaluate_rule(compiled, data, source_map, completion)
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
        scope=str(scope) if scope else None,
        scope_note=SCOPE_NOTES.get(str(scope), ""),
    )


class _Completion:
    """The programme with every open list completed, computed on first need only: most files
    never fail a check that an open list could explain."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self._view: Mapping[str, Any] | None = None
        self._open: frozenset[str] | None = None

    @property
    def view(self) -> Mapping[str, Any]:
        if self._view is None:
            self._view = completed_view(self._data)
        return self._view

    @property
    def open(self) -> frozenset[str]:
        if self._open is None:
            self._open = open_lists(self._data)
        return self._open


def evaluate_rule(
    compiled: CompiledRule,
    data: Mapping[str, Any],
    source_map: SourceMap,
    completion: _Completion | None = None,
) -> RuleResult:
    """The outcome of one rule on one programme's data; a defect in the rule gives error."""
    try:
        return _evaluate_rule(compiled, data, source_map, completion or _Completion(data))
    except Exception as error:  # a rule-pack defect must surface as a result, never a crash
        problem = f"{type(error).__name__}: {error}"
        reason = f"the rule could not be evaluated ({problem}); fix {compiled.file}"
        return RuleResult(compiled.id, Status.ERROR, reason=reason)


def _evaluate_rule(
    compiled: CompiledRule,
    data: Mapping[str, Any],
    source_map: SourceMap,
    completion: _Completion,
) -> RuleResult:
    unknown_condition: Finding | None = None
    for condition, checks in compiled.conditions:
        verdict = _check(checks, data, completion)
        if verdict.holds is False:
            return RuleResult(
                compiled.id,
                Status.NOT_APPLICABLE,
                reason=condition.reason,
                location=_locate(source_map, verdict.where),
            )
        if verdict.holds is None and unknown_condition is None:
            ask = _list_question(verdict, f"As listed, {condition.reason}.", condition.ask)
            unknown_condition = Finding(
                "applies-when", ask, _locate(source_map, verdict.where), field=verdict.field
            )
    if unknown_condition is not None:
        return RuleResult(
            compiled.id,
            Status.CANNOT_ASSESS,
            questions=(unknown_condition,),
            location=unknown_condition.location,
        )

    gaps: list[Finding] = []
    questions: list[Finding] = []
    met: set[str] = set()
    for requirement in compiled.requirements:
        spec = requirement.spec
        if spec.after is not None and spec.after not in met:
            continue  # moot until the requirement it depends on is met
        verdict = _check(requirement.checks, data, completion)
        location = _locate(source_map, verdict.where)
        if verdict.holds is False:
            gaps.append(Finding(spec.name, spec.gap, location, verdict.value))
        elif verdict.holds is None:
            ask = _list_question(verdict, "As listed, " + _lower_first(spec.gap), spec.ask)
            questions.append(Finding(spec.name, ask, location, field=verdict.field))
        else:
            met.add(spec.name)
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


@dataclass(frozen=True, slots=True)
class _Verdict:
    holds: bool | None
    """True if every path holds, False if a stated value fails, None if it cannot be told."""
    where: Path
    """Where the verdict was decided (for a question, the field to answer)."""
    value: Any = None
    """For a failure, the failing value."""
    field: str = ""
    """For a question, the dotted field that answers it."""
    open_list: str = ""
    """For a question that asks whether an open list is complete, that list's dotted path."""


def _check(checks: Checks, data: Mapping[str, Any], completion: _Completion) -> _Verdict:
    """Whether the checks hold, with the open world applied to lists.

    A stated value that fails is a failure, unless the programme with every open list
    completed passes (or no longer states it): then the failure rests on something not being
    listed, and the answer is a question about that list rather than a gap.
    """
    unknown: _Verdict | None = None
    for path, validator in checks:
        for where, value in _resolve(data, path):
            if value is _MISSING:
                if unknown is None:
                    unknown = _Verdict(None, where, field=_dotted(where))
            elif not validator.is_valid(value):
                _refuse_undecided(validator, value)
                if not _fits_when_completed(validator, where, completion):
                    return _Verdict(False, where, value)
                if unknown is None or not unknown.open_list:
                    listed = _open_list_behind(path, completion.open)
                    target = _list_path(listed) if listed else where
                    unknown = _Verdict(
                        None, target, field=listed or _dotted(where), open_list=listed
                    )
    if unknown is not None:
        return unknown
    return _Verdict(True, checks[0][0])


def _fits_when_completed(validator: Any, where: Path, completion: _Completion) -> bool:
    # Only a stated list, or a fact derived from one, can change when lists are completed.
    if not completion.open:
        return False
    value: Any = completion.view
    for part in where:
        value = _step(value, part)
        if value is _MISSING:
            return True  # no longer stated once lists are completed: it rests on them
    return bool(validator.is_valid(value))


def _step(value: Any, part: str | int) -> Any:
    """One step down a path: an item of a list or a key of a mapping, else _MISSING."""
    if isinstance(part, int):
        return value[part] if isinstance(value, list) and part < len(value) else _MISSING
    return value[part] if isinstance(value, dict) and part in value else _MISSING


def _open_list_behind(path: tuple[str, ...], open_now: frozenset[str]) -> str:
    """The open list a failing check at ``path`` rests on: the path itself, a list above it,
    or a list the derived fact at ``path`` is computed from; "" if none can be named."""
    dotted = ".".join(part for part in path if part != "*")
    candidates = [dotted, *LIST_SOURCES.get(dotted, ())]
    parts = dotted.split(".")
    candidates += [".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)]
    return next((c for c in candidates if c in open_now), "")


def _list_path(dotted: str) -> Path:
    return tuple(dotted.split("."))


def _list_question(verdict: _Verdict, consequence: str, ask: str) -> str:
    """The question for an unknown verdict: the rule's own, or whether an open list is all."""
    if not verdict.open_list:
        return ask
    *_, name = verdict.open_list.split(".")
    noun = name.replace("_", " ")
    return (
        f"Are these all the {noun} ({verdict.open_list})? {consequence.rstrip('.')}. If the "
        f"list is complete, write {name}{COMPLETE_SUFFIX}: true beside it."
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _dotted(where: Path) -> str:
    return ".".join(part for part in where if isinstance(part, str) and part != "*")


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
    sources = LIST_SOURCES.get(_dotted(path))
    if sources:  # a fact derived within a section points at the first list it is derived from
        return source_map.locate(tuple(sources[0].split(".")))
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
