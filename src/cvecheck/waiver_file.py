"""A commissioner's waiver file (``--waivers``): its model, and reading it into waivers.

Kept apart from ``cvecheck.waivers`` so that a run without a waiver file never builds the
file's pydantic model: the configuration imports this module only when a waiver file is named.
"""

from __future__ import annotations

from pathlib import Path as FsPath

from pydantic import Field, ValidationError

from cvecheck.loader import load_file
from cvecheck.programme.fields import Section
from cvecheck.programme.sections import WaiverEntry
from cvecheck.results import InputError, Issue, Waiver
from cvecheck.rules import RuleSet
from cvecheck.waivers import WAIVER_FILE, _duplicate, _unknown_rule


class CommissionedWaiver(WaiverEntry):
    programme: str | None = Field(
        default=None,
        description="The programme.id this waiver is for; without it, every programme checked.",
    )


class WaiverFile(Section):
    """A commissioner's waiver file: ``waivers:`` and a list of waivers."""

    waivers: list[CommissionedWaiver] = Field(default_factory=list)


def read_waiver_file(
    path: FsPath, ruleset: RuleSet
) -> tuple[tuple[Waiver, ...], tuple[str | None, ...]]:
    """The waivers of a commissioner's waiver file, each with the programme it is for.

    A bad file, or a waiver naming no loaded rule, is an input error with file, line and column.
    """
    loaded = load_file(path)
    try:
        parsed = WaiverFile.model_validate(loaded.data)
    except ValidationError as error:
        from cvecheck.programme import validation_issues

        raise InputError(validation_issues(error, loaded.source_map, WaiverFile)) from None
    issues: list[Issue] = []
    waivers: list[Waiver] = []
    scopes: list[str | None] = []
    seen: set[tuple[str, str | None]] = set()
    known = ruleset.by_id()
    for index, entry in enumerate(parsed.waivers):
        location = loaded.source_map.locate(("waivers", index, "rule"))
        if entry.rule not in known and entry.rule not in ruleset.deselected:
            issues.append(_unknown_rule(entry.rule, location, ruleset, loaded.source_map))
            continue
        if (entry.rule, entry.programme) in seen:
            issues.append(_duplicate(entry.rule, location, loaded.source_map))
            continue
        seen.add((entry.rule, entry.programme))
        waivers.append(
            Waiver(
                entry.rule, entry.reason, entry.approved_by, entry.expires, location, WAIVER_FILE
            )
        )
        scopes.append(entry.programme)
    if issues:
        raise InputError(issues)
    return tuple(waivers), tuple(scopes)
