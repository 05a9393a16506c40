"""The pipeline of one file: load, validate, read waivers, evaluate; a Report comes out.

These functions are the Python API (re-exported by the package, see docs/api.md): the command
line, batches and embedding tools call them and nothing lower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from cvecheck import __version__
from cvecheck.engine import evaluate
from cvecheck.loader import Loaded, SourceMap, load_text, read_text
from cvecheck.programme.validation import validated
from cvecheck.programme.view import evaluation_view
from cvecheck.results import InputError, Report
from cvecheck.rules import RuleSet, load_rules
from cvecheck.waivers import WaiverPolicy, programme_waivers, waivers_in_force

__all__ = [
    "InputError",
    "Report",
    "RuleSet",
    "WaiverPolicy",
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
    policy: WaiverPolicy | None = None,
) -> Report:
    """Check one programme file. Raises InputError (with located issues) for invalid input."""
    file = Path(path)
    name = display or str(path)
    return check_text(read_text(file, name), name, ruleset, today=today, policy=policy)


def check_text(
    text: str,
    name: str = "<text>",
    ruleset: RuleSet | None = None,
    *,
    today: date | None = None,
    policy: WaiverPolicy | None = None,
) -> Report:
    """Check a programme description given as YAML text."""
    loaded = load_text(text, name)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _check_loaded(loaded, ruleset, today, digest, policy)


def check_data(
    data: Mapping[str, Any],
    ruleset: RuleSet | None = None,
    *,
    today: date | None = None,
    name: str = "<data>",
    policy: WaiverPolicy | None = None,
) -> Report:
    """Check a programme description given as plain data (locations are then unknown)."""
    loaded = Loaded(dict(data), SourceMap(name, {}))
    return _check_loaded(loaded, ruleset, today, "", policy, from_yaml=False)


def _check_loaded(
    loaded: Loaded,
    ruleset: RuleSet | None,
    today: date | None,
    digest: str,
    policy: WaiverPolicy | None,
    *,
    from_yaml: bool = True,
) -> Report:
    rules = ruleset if ruleset is not None else load_rules()
    day = today or date.today()
    # A clean file goes through plain code only; the models explain one the schema refuses.
    stated = validated(loaded, from_yaml=from_yaml)
    info = stated.get("programme") or {}
    own = programme_waivers(stated, loaded.source_map, rules)
    waivers, refused = waivers_in_force(own, info.get("id"), rules, policy or WaiverPolicy(), day)
    report = evaluate(
        rules,
        evaluation_view(stated),
        loaded.source_map,
        waivers=waivers,
        today=day,
        programme_name=info.get("name") or "",
        programme_hash=digest,
        tool_version=__version__,
    )
    return replace(report, notices=(*refused, *report.notices)) if refused else report
