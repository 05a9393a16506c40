"""The pipeline of one file: load, validate, read waivers, evaluate; a Report comes out.

These functions are the Python API (re-exported by the package, see docs/api.md): the command
line, batches and embedding tools call them and nothing lower.
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
from cvecheck.programme import evaluation_view, parse_programme
from cvecheck.results import InputError, Report
from cvecheck.rules import RuleSet, load_rules
from cvecheck.waivers import programme_waivers

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
    waivers = programme_waivers(programme, loaded.source_map, rules)
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
