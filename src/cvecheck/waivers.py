"""Waivers: a documented decision to accept a rule's gap for a time, and the policy that
decides which of them a run honours.

Waivers come from two places: the programme file (written by its author) and a waiver file
named by the commissioner (``--waivers``), kept apart from what it exempts. ``WaiverPolicy``
holds what the commissioner's configuration allows: whether the programme's own waivers count
at all, a longest waiver in days, the approvers whose waivers count and the most serious
severity a waiver may cover. ``waivers_in_force`` applies that policy; ``apply_waiver`` is the
one place a waiver changes a rule's outcome, so every output agrees on them.

A waiver covers a gap and nothing else: on a rule with unanswered questions, a rule that
passes or does not apply, or a rule that could not be evaluated, it is reported and changes
nothing. An expired waiver is not honoured and is reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from cvecheck.loader import Loaded, SourceMap, load_file
from cvecheck.programme.layout import WAIVER_FILE_SCHEMA
from cvecheck.programme.validation import is_valid
from cvecheck.results import (
    InputError,
    Issue,
    Location,
    Notice,
    RuleResult,
    Severity,
    Status,
    Waiver,
)

if TYPE_CHECKING:  # rule sets are only passed through here
    from cvecheck.rules import RuleSet

PROGRAMME = "programme"
WAIVER_FILE = "waiver file"


@dataclass(frozen=True)
class WaiverPolicy:
    """What the commissioner allows; the defaults honour every waiver in date."""

    programme_waivers: bool = True
    """Whether waivers written in the programme file are honoured (they are always reported)."""
    max_days: int | None = None
    """The latest expiry a waiver may have, in days after the day of the check."""
    approvers: tuple[str, ...] = ()
    """The only approvers whose waivers count; empty means anyone."""
    max_severity: Severity | None = None
    """The most serious rule severity a waiver may cover; None means any."""
    file_waivers: tuple[Waiver, ...] = field(default=())
    """Waivers from the commissioner's waiver file."""
    file_scopes: tuple[str | None, ...] = field(default=())
    """For each file waiver, the programme id it is for (None: every programme)."""


def read_waiver_file(
    path: FsPath, ruleset: RuleSet
) -> tuple[tuple[Waiver, ...], tuple[str | None, ...]]:
    """The waivers of a commissioner's waiver file, each with the programme it is for.

    A bad file, or a waiver naming no loaded rule, is an input error with file, line and column.
    """
    loaded = load_file(path)
    if isinstance(loaded.data, dict) and is_valid(loaded.data, WAIVER_FILE_SCHEMA):
        entries = loaded.data.get("waivers", [])
    else:
        entries = _explained_waiver_file(loaded)
    issues: list[Issue] = []
    waivers: list[Waiver] = []
    scopes: list[str | None] = []
    seen: set[tuple[str, str | None]] = set()
    known = ruleset.by_id()
    for index, entry in enumerate(entries):
        rule, scope = entry["rule"], entry.get("programme")
        location = loaded.source_map.locate(("waivers", index, "rule"))
        if rule not in known and rule not in ruleset.deselected:
            issues.append(_unknown_rule(rule, location, ruleset, loaded.source_map))
            continue
        if (rule, scope) in seen:
            issues.append(_duplicate(rule, location, loaded.source_map))
            continue
        seen.add((rule, scope))
        waivers.append(_waiver(entry, location, WAIVER_FILE))
        scopes.append(scope)
    if issues:
        raise InputError(issues)
    return tuple(waivers), tuple(scopes)


def programme_waivers(
    stated: Mapping[str, Any], source_map: SourceMap, ruleset: RuleSet
) -> list[Waiver]:
    """The programme's waivers with locations; a waiver naming no loaded rule is an input error.

    ``stated`` is a valid programme's stated data (``programme.validation.validated``), so each
    entry has its rule, reason, approver and a calendar date, as text or a date.
    """
    known = ruleset.by_id()
    waivers: list[Waiver] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, entry in enumerate(stated.get("waivers") or []):
        rule = entry["rule"]
        location = source_map.locate(("waivers", index, "rule"))
        if rule in ruleset.deselected:
            continue  # the rule exists but this run leaves it out
        if rule not in known:
            issues.append(_unknown_rule(rule, location, ruleset, source_map))
            continue
        if rule in seen:
            issues.append(_duplicate(rule, location, source_map))
            continue
        seen.add(rule)
        waivers.append(_waiver(entry, location, PROGRAMME))
    if issues:
        raise InputError(issues)
    return waivers


def _explained_waiver_file(loaded: Loaded) -> list[dict[str, Any]]:
    """A waiver file the schema refuses, parsed by the models to say where it is wrong (the
    models are loaded only here: a clean waiver file never needs them)."""
    from pydantic import ValidationError

    from cvecheck.programme import validation_issues
    from cvecheck.programme.sections import WaiverFile

    try:
        parsed = WaiverFile.model_validate(loaded.data)
    except ValidationError as error:
        raise InputError(validation_issues(error, loaded.source_map, WaiverFile)) from None
    entries: list[dict[str, Any]] = parsed.model_dump(mode="json")["waivers"]
    return entries


def _waiver(entry: Mapping[str, Any], location: Location, source: str) -> Waiver:
    """A valid waiver entry (plain data: the expiry as YYYY-MM-DD text, or a date) as a Waiver."""
    expires = entry["expires"]
    if not isinstance(expires, date):
        expires = date.fromisoformat(expires)
    return Waiver(entry["rule"], entry["reason"], entry["approved_by"], expires, location, source)


def _unknown_rule(rule: str, location: Location, ruleset: RuleSet, source_map: SourceMap) -> Issue:
    known = list(ruleset.by_id())
    close = difflib.get_close_matches(rule.upper(), known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; run 'cvecheck rules' to list the rule ids"
    return Issue(
        "waiver-unknown-rule",
        f"waiver names rule '{rule}', which does not exist{hint}",
        location,
        source=source_map.line(location.line),
        example=f"- rule: {close[0] if close else 'COM001'}",
    )


def _duplicate(rule: str, location: Location, source_map: SourceMap) -> Issue:
    return Issue(
        "waiver-duplicate",
        f"rule '{rule}' is waived more than once; keep one waiver per rule",
        location,
        source=source_map.line(location.line),
    )


def waivers_in_force(
    own: Sequence[Waiver],
    programme_id: str | None,
    ruleset: RuleSet,
    policy: WaiverPolicy,
    today: date,
) -> tuple[list[Waiver], list[Notice]]:
    """The waivers the policy lets through for one programme, and a notice for each refused.

    A waiver in the commissioner's file wins over the programme's own waiver for the same rule.
    """
    from_file = {
        waiver.rule: waiver
        for waiver, scope in zip(policy.file_waivers, policy.file_scopes, strict=True)
        if waiver.rule not in ruleset.deselected and (scope is None or scope == programme_id)
    }
    candidates = list(from_file.values())
    notices: list[Notice] = []
    for waiver in own:
        if not policy.programme_waivers:
            notices.append(
                _refused(
                    "waiver-not-honoured",
                    waiver,
                    "waivers written in the programme file are not honoured in this run; "
                    "ask the commissioner to add it to their waiver file",
                )
            )
        elif waiver.rule in from_file:
            notices.append(
                _refused(
                    "waiver-superseded",
                    waiver,
                    "the commissioner's waiver file waives this rule, and that waiver applies",
                )
            )
        else:
            candidates.append(waiver)
    rules = ruleset.by_id()
    honoured: list[Waiver] = []
    for waiver in candidates:
        problem = _policy_problem(waiver, rules[waiver.rule].rule.severity, policy, today)
        if problem is None:
            honoured.append(waiver)
        else:
            notices.append(_refused(problem[0], waiver, problem[1]))
    return honoured, notices


def _policy_problem(
    waiver: Waiver, severity: Severity, policy: WaiverPolicy, today: date
) -> tuple[str, str] | None:
    if policy.approvers and waiver.approved_by not in policy.approvers:
        return (
            "waiver-approver",
            f"'{waiver.approved_by}' is not one of the approvers the configuration allows "
            f"({', '.join(policy.approvers)})",
        )
    if policy.max_severity is not None and severity.rank > policy.max_severity.rank:
        return (
            "waiver-severity",
            f"the rule's severity is {severity.value}, and the configuration allows waivers "
            f"only up to {policy.max_severity.value}",
        )
    if policy.max_days is not None and (waiver.expires - today).days > policy.max_days:
        return (
            "waiver-too-long",
            f"it runs until {waiver.expires}, more than the {policy.max_days} days the "
            "configuration allows; shorten it",
        )
    return None


def _refused(code: str, waiver: Waiver, why: str) -> Notice:
    where = "programme file" if waiver.source == PROGRAMME else "waiver file"
    message = f"the waiver for {waiver.rule} (in the {where}) is not honoured: {why}"
    return Notice(code, message, waiver.location, waiver.rule)


def apply_waiver(
    result: RuleResult, waiver: Waiver, today: date
) -> tuple[RuleResult, Notice | None]:
    """The outcome with the waiver honoured, or unchanged with a notice saying why not."""
    if waiver.expires < today:
        notice = Notice(
            "waiver-expired",
            f"the waiver for {waiver.rule} expired on {waiver.expires} and is not honoured; "
            "renew it or close the gap",
            waiver.location,
            waiver.rule,
        )
        return result, notice
    if result.status is Status.CANNOT_ASSESS:
        notice = Notice(
            "waiver-on-question",
            f"the waiver for {waiver.rule} is not honoured: waivers cover gaps only, and the "
            "file leaves this rule's questions unanswered; answer them",
            waiver.location,
            waiver.rule,
        )
        return result, notice
    if result.status is Status.ERROR:
        notice = Notice(
            "waiver-on-error",
            f"the waiver for {waiver.rule} is not honoured: the rule could not be evaluated",
            waiver.location,
            waiver.rule,
        )
        return result, notice
    if result.status is not Status.GAP:
        notice = Notice(
            "waiver-unused",
            f"the waiver for {waiver.rule} is not needed (the rule's outcome is "
            f"{result.status.value}); remove it",
            waiver.location,
            waiver.rule,
        )
        return result, notice
    waived = RuleResult(
        result.rule_id,
        Status.WAIVED,
        gaps=result.gaps,
        questions=result.questions,
        reason=waiver.reason,
        location=result.location,
        waiver=waiver,
        waived_status=result.status,
    )
    return waived, None
