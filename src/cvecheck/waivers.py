"""Waivers: a documented decision to accept a rule's gap for a time, and the policy that
decides which of them a run honours.

Waivers come from two places: the programme file (written by its author) and a waiver file
named by the commissioner (``--waivers``, read by ``cvecheck.waiver_file``), kept apart from
what it exempts. ``WaiverPolicy`` holds what the commissioner's configuration allows: whether
the programme's own waivers count at all, a longest waiver in days, the approvers whose
waivers count and the most serious severity a waiver may cover. ``waivers_in_force`` applies that policy; ``apply_waiver`` is the
one place a waiver changes a rule's outcome, so every output agrees on them.

A waiver covers a gap and nothing else: on a rule with unanswered questions, a rule that
passes or does not apply, or a rule that could not be evaluated, it is reported and changes
nothing. An expired waiver is not honoured and is reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from cvecheck.loader import SourceMap
from cvecheck.programme import Programme
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


def programme_waivers(
    programme: Programme, source_map: SourceMap, ruleset: RuleSet
) -> list[Waiver]:
    """The programme's waivers with locations; a waiver naming no loaded rule is an input error."""
    known = ruleset.by_id()
    waivers: list[Waiver] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, entry in enumerate(programme.waivers or []):
        location = source_map.locate(("waivers", index, "rule"))
        if entry.rule in ruleset.deselected:
            continue  # the rule exists but this run leaves it out
        if entry.rule not in known:
            issues.append(_unknown_rule(entry.rule, location, ruleset, source_map))
            continue
        if entry.rule in seen:
            issues.append(_duplicate(entry.rule, location, source_map))
            continue
        seen.add(entry.rule)
        waivers.append(
            Waiver(entry.rule, entry.reason, entry.approved_by, entry.expires, location, PROGRAMME)
        )
    if issues:
        raise InputError(issues)
    return waivers


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
