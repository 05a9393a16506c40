"""The two sides of ``cvecheck diff``, from the paths given: a saved JSON report read back, or
a programme file checked now.

Reading a saved report is ``reporters/json_.py``'s job (the one place that knows its shape);
checking is the pipeline's. The rules are loaded once, and only when a side needs checking, so
two saved reports are compared without loading any rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from cvecheck.pipeline import check_file
from cvecheck.reporters import json_
from cvecheck.results import FileOutcome, InputError, Issue, Location, RuleFacts
from cvecheck.rules import RuleSet, load_rules

Side = Sequence[FileOutcome[RuleFacts]]


def read_sides(
    old: Path, new: Path, rule_dirs: Sequence[Path] | None, today: date
) -> tuple[Side, Side]:
    """Both sides, old first. Raises InputError for the first side that cannot be read."""
    loaded: list[RuleSet] = []

    def rules() -> RuleSet:
        if not loaded:
            loaded.append(load_rules(list(rule_dirs) if rule_dirs else None))
        return loaded[0]

    return read_side(old, rules, today), read_side(new, rules, today)


def read_side(path: Path, rules: Callable[[], RuleSet], today: date) -> Side:
    """A saved JSON report (a ``.json`` file) as it was saved, or a programme file checked with
    the rules that ``rules`` gives."""
    if path.suffix.lower() == ".json":
        return json_.read(_read_text(path), str(path))
    return [FileOutcome(str(path), check_file(path, rules(), today=today))]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Issue("input-missing", "no such file", Location(str(path)))]) from None
    except (OSError, UnicodeDecodeError) as error:
        where = Location(str(path))
        raise InputError([Issue("input-unreadable", f"cannot be read: {error}", where)]) from None
