"""The Python API: check a programme file or data against a rule set and get a Report.

This is the whole pipeline in one place (load, validate, resolve waivers, evaluate); the CLI
and any embedding tool call these functions and nothing lower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from cvecheck import __version__
from cvecheck.engine import evaluate
from cvecheck.loader import Loaded, SourceMap, load_text, read_text
from cvecheck.programme import Programme, evaluation_view, parse_programme
from cvecheck.report import Report
from cvecheck.results import InputError, Issue, Waiver
from cvecheck.rules import RuleSet, load_rules

__all__ = [
    "InputError",
    "Report",
    "RuleSet",
    "check_data",
    "check_file",
    "check_text",
    "load_rules",
]


def check_file(
    path: str | Path,
    ruleset: RuleSet | None = None,
    *,
    today: date | None = None,
    display: str | None = None,
) -> Report:
    """Check one programme file. Raises InputError (with located issues) for invalid input."""
    file = Path(path)
    name = display or str(path)
    return check_text(read_text(file, name), name, ruleset, today=today)


def check_text(
    text: str, name: str = "<text>", ruleset: RuleSet | None = None, *, today: date | None = None
) -> Report:
    """Check a programme description given as YAML text."""
    loaded = load_text(text, name)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _check_loaded(loaded, ruleset, today, digest)


def check_data(
    data: Mapping[str, Any],
    ruleset: RuleSet | None = None,
    *,
    today: date | None = None,
    name: str = "<data>",
) -> Report:
    """Check a programme description given as plain data (locations are then unknown)."""
    loaded = Loaded(dict(data), SourceMap(name, {}))
    return _check_loaded(loaded, ruleset, today, "")


def _check_loaded(
    loaded: Loaded, ruleset: RuleSet | None, today: date | None, digest: str
) -> Report:
    rules = ruleset if ruleset is not None else load_rules()
    programme = parse_programme(loaded)
    waivers = resolve_waivers(programme, loaded.source_map, rules)
    name = programme.programme.name if programme.programme and programme.programme.name else ""
    return evaluate(
        rules,
        evaluation_view(programme),
        loaded.source_map,
        waivers=waivers,
        today=today or date.today(),
        programme_name=name,
        programme_hash=digest,
        tool_version=__version__,
    )


def resolve_waivers(programme: Programme, source_map: SourceMap, ruleset: RuleSet) -> list[Waiver]:
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
            issues.append(
                Issue(
                    "waiver-unknown-rule",
                    f"waiver names rule '{entry.rule}', which does not exist",
                    location,
                )
            )
            continue
        if entry.rule in seen:
            issues.append(
                Issue("waiver-duplicate", f"rule '{entry.rule}' is waived more than once", location)
            )
            continue
        seen.add(entry.rule)
        waivers.append(
            Waiver(entry.rule, entry.reason, entry.approved_by, entry.expires.isoformat(), location)
        )
    if issues:
        raise InputError(issues)
    return waivers
