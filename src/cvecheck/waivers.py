"""Waivers: a documented decision to accept a rule's gap for a time.

``programme_waivers`` reads the waivers a programme file states and refuses those naming no
loaded rule; ``apply_waiver`` is the one place a waiver changes a rule's outcome, so every
output agrees on them. An expired waiver is not honoured and is reported; a waiver a rule does
not need is reported as unused.
"""

from __future__ import annotations

import difflib
from datetime import date

from cvecheck.loader import SourceMap
from cvecheck.programme import Programme
from cvecheck.results import InputError, Issue, Notice, RuleResult, Status, Waiver
from cvecheck.rules import RuleSet


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
            close = difflib.get_close_matches(entry.rule.upper(), list(known), n=1, cutoff=0.6)
            hint = (
                f"; did you mean {close[0]}?"
                if close
                else "; run 'cvecheck rules' to list the rule ids"
            )
            issues.append(
                Issue(
                    "waiver-unknown-rule",
                    f"waiver names rule '{entry.rule}', which does not exist{hint}",
                    location,
                    source=source_map.line(location.line),
                    example=f"- rule: {close[0] if close else 'COM001'}",
                )
            )
            continue
        if entry.rule in seen:
            issues.append(
                Issue(
                    "waiver-duplicate",
                    f"rule '{entry.rule}' is waived more than once; keep one waiver per rule",
                    location,
                    source=source_map.line(location.line),
                )
            )
            continue
        seen.add(entry.rule)
        waivers.append(Waiver(entry.rule, entry.reason, entry.approved_by, entry.expires, location))
    if issues:
        raise InputError(issues)
    return waivers


def apply_waiver(
    result: RuleResult, waiver: Waiver, today: date
) -> tuple[RuleResult, Notice | None]:
    if waiver.expires < today:
        notice = Notice(
            "waiver-expired",
            f"the waiver for {waiver.rule} expired on {waiver.expires} and is not honoured; "
            "renew it or close the gap",
            waiver.location,
            waiver.rule,
        )
        return result, notice
    if result.status in (Status.PASS, Status.NOT_APPLICABLE):
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
