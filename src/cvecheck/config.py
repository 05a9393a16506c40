"""Settings: find the configuration file, read and validate it, and merge in the command line.

Settings come from three places, each overriding the one before: built-in defaults, a
configuration file, the command line. A run has one configuration, whatever files it checks
and in whatever order: ``--config FILE`` if given (no search then); otherwise the first of
``.cvecheck.yaml``, ``.cvecheck.yml`` or a ``pyproject.toml`` with a ``[tool.cvecheck]`` table,
searching upwards from the working folder. A configuration file beside a programme is never
used because of where the programme is: whoever may add a file there is usually the author
whose proposal is being checked. Keys are the long option names (see ``KEYS``); in ``rules``,
``builtin:practice`` names the shipped practice pack.

Every value remembers where it came from, for ``--show-config`` and for error messages. A bad
file is an input error with file, line and column, like any other bad input.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvecheck.loader import SourceMap, load_file, read_text, refuse_hidden_line_breaks
from cvecheck.results import InputError, Issue, Location, Severity
from cvecheck.rules import BUILTIN_PREFIX, RuleSet, default_rules_dir, resolve_rules_dir
from cvecheck.selection import unknown_pattern
from cvecheck.waivers import WaiverPolicy, read_waiver_file

YAML_NAMES = (".cvecheck.yaml", ".cvecheck.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = ("tool", "cvecheck")
FAIL_ON_CHOICES = ("expected", "recommended", "advisory", "never")
DEFAULT_FAIL_ON = "recommended"
SEVERITY_CHOICES = ("advisory", "recommended", "expected")
KEYS = (
    "fail-on",
    "fail-on-questions",
    "select",
    "ignore",
    "rules",
    "waivers",
    "programme-waivers",
    "waiver-max-days",
    "waiver-approvers",
    "waiver-max-severity",
)

DEFAULT = "default"
COMMAND_LINE = "command line"
Origin = Location | str
"""Where a value came from: a place in the configuration file, DEFAULT or COMMAND_LINE."""


@dataclass(frozen=True)
class CommandLine:
    """What the command line said; None (or empty) means "not given"."""

    fail_on: str | None = None
    fail_on_questions: bool | None = None
    exit_zero: bool = False
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    rules: Sequence[Path] = ()
    waivers: Path | None = None
    programme_waivers: bool | None = None


@dataclass(frozen=True)
class Settings:
    """The settings in force, and where each came from."""

    fail_on: str = DEFAULT_FAIL_ON
    fail_on_questions: bool = False
    exit_zero: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extra_rules: tuple[Path, ...] = ()
    replace_builtin_rules: bool = False
    waivers_file: Path | None = None
    programme_waivers: bool = True
    waiver_max_days: int | None = None
    waiver_approvers: tuple[str, ...] = ()
    waiver_max_severity: str | None = None
    config_file: Path | None = None
    searched_from: Path | None = None
    origins: Mapping[str, Origin] = field(default_factory=dict)
    pattern_origins: Mapping[tuple[str, str], Origin] = field(default_factory=dict)
    """(setting, pattern) -> where that pattern was written, for precise errors."""

    @property
    def threshold(self) -> Severity | None:
        """The lowest severity that fails the run, or None for "never"."""
        return None if self.fail_on == "never" else Severity(self.fail_on)

    @property
    def rule_dirs(self) -> tuple[Path, ...]:
        """Every rule pack folder to load, in order."""
        if self.replace_builtin_rules:
            return self.extra_rules
        return (default_rules_dir(), *self.extra_rules)

    def origin(self, key: str) -> Origin:
        return self.origins.get(key, DEFAULT)


def resolve(command_line: CommandLine, config: Path | None, cwd: Path | None = None) -> Settings:
    """The settings for a run: defaults, then the configuration file, then the command line.

    The file is ``config`` if given, else the nearest one at or above ``cwd`` (the working
    folder): never one found from a programme's folder, so the order of the files on the
    command line, and files placed beside them, change nothing.
    """
    start = (cwd or Path.cwd()).resolve()
    path = config.resolve() if config is not None else find_config(start)
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    pattern_origins: dict[tuple[str, str], Origin] = {}
    if path is not None:
        for key, (value, origin, item_origins) in read_config(path).items():
            values[key] = value
            origins[key] = origin
            pattern_origins.update({(key, item): where for item, where in item_origins.items()})
    given: dict[str, Any] = {
        "fail-on": command_line.fail_on,
        "fail-on-questions": command_line.fail_on_questions,
        "select": _split(command_line.select) or None,
        "ignore": _split(command_line.ignore) or None,
        "rules": tuple(command_line.rules) or None,
        "waivers": command_line.waivers,
        "programme-waivers": command_line.programme_waivers,
    }
    for key, value in given.items():
        if value is not None:
            values[key] = value
            origins[key] = COMMAND_LINE
            if key in ("select", "ignore"):
                pattern_origins.update({(key, p): COMMAND_LINE for p in value})
    if command_line.exit_zero:
        origins["exit-zero"] = COMMAND_LINE
    return Settings(
        fail_on=values.get("fail-on", DEFAULT_FAIL_ON),
        fail_on_questions=values.get("fail-on-questions", False),
        exit_zero=command_line.exit_zero,
        select=tuple(values.get("select", ())),
        ignore=tuple(values.get("ignore", ())),
        extra_rules=tuple(values.get("rules", ())),
        replace_builtin_rules=origins.get("rules") == COMMAND_LINE,
        waivers_file=values.get("waivers"),
        programme_waivers=values.get("programme-waivers", True),
        waiver_max_days=values.get("waiver-max-days"),
        waiver_approvers=tuple(values.get("waiver-approvers", ())),
        waiver_max_severity=values.get("waiver-max-severity"),
        config_file=path,
        searched_from=None if config is not None else start,
        origins=origins,
        pattern_origins=pattern_origins,
    )


def _split(patterns: Sequence[str]) -> tuple[str, ...]:
    """Patterns from repeated and comma-separated options: ``--select FRM,COM --select KEY``."""
    return tuple(p.strip() for text in patterns for p in text.split(",") if p.strip())


def nearest_configs(settings: Settings, programmes: Sequence[Path]) -> dict[Path, Path]:
    """Programme -> a configuration file nearer to it than the one in force, which is not used.

    Reported so that nobody believes a file beside their programme changes its check.
    """
    unused: dict[Path, Path] = {}
    for programme in programmes:
        near = find_config(programme.resolve().parent)
        if near is not None and near != settings.config_file:
            unused[programme] = near
    return unused


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``, or None."""
    for folder in (start, *start.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    # A broken pyproject.toml is reported only if it is the one we would use, so look for the
    # table header in the text first and parse only then.
    try:
        text = read_text(path)
    except InputError:
        return False
    return any(_table_name(line) == "tool.cvecheck" for line in text.split("\n"))


ConfigValues = dict[str, tuple[Any, Location, dict[str, Location]]]
"""key -> (value, where the key is, where each list item is)."""


def read_config(path: Path) -> ConfigValues:
    """Read and validate one configuration file; raises InputError with located issues."""
    if path.suffix == ".toml":
        data, source_map = _read_toml(path)
    else:
        loaded = load_file(path)
        data, source_map = loaded.data, loaded.source_map
    return _validate(data, source_map, path)


def _read_toml(path: Path) -> tuple[dict[str, Any], SourceMap]:
    import tomllib  # only where a pyproject.toml is found

    name = str(path)
    text = read_text(path)
    refuse_hidden_line_breaks(text, name)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        line, column = (int(found[1]), int(found[2])) if found else (0, 0)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", message)
        issue = Issue("config-syntax", f"invalid TOML: {message}", Location(name, line, column))
        raise InputError([issue]) from None
    in_pyproject = path.name == PYPROJECT
    table: Any = document
    if in_pyproject:
        tool = document.get("tool")
        table = tool.get("cvecheck") if isinstance(tool, dict) else None
        if table is None:
            issue = Issue(
                "config-missing", "this pyproject.toml has no [tool.cvecheck] table", Location(name)
            )
            raise InputError([issue])
    if not isinstance(table, dict):
        raise InputError([Issue("config-type", "tool.cvecheck must be a table", Location(name))])
    return table, SourceMap(name, _toml_positions(text, "tool.cvecheck" if in_pyproject else ""))


_TABLE_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"^(\s*)(\"?)([A-Za-z0-9_-]+)\2\s*=")


def _table_name(line: str) -> str | None:
    found = _TABLE_HEADER.match(line)
    return re.sub(r"[\s\"']", "", found[1]) if found else None


def _toml_positions(text: str, table: str) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Line and column of each key in ``table`` ("" is the top level).

    tomllib keeps no positions, so the lines are scanned: enough for the flat table of plain
    keys a configuration is. A key written some other way points at the table instead.
    """
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    current = ""
    for number, line in enumerate(text.split("\n"), start=1):
        name = _table_name(line)
        if name is not None:
            current = name
            if current == table:
                positions[()] = (number, 1)
            continue
        found = _KEY_LINE.match(line)
        if found and current == table:
            positions[(found[3],)] = (number, len(found[1]) + 1)
    return positions


def _validate(data: Any, source_map: SourceMap, path: Path) -> ConfigValues:
    issues: list[Issue] = []
    values: ConfigValues = {}
    if not isinstance(data, dict):
        raise InputError(
            [
                Issue(
                    "config-type",
                    "the configuration must be a mapping of settings",
                    Location(str(path)),
                )
            ]
        )
    for key, value in data.items():
        where = source_map.locate((key,))
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(KEYS)}"
            issues.append(Issue("config-unknown", f"'{key}' is not a setting{hint}", where))
            continue
        problem, items = _check(key, value, source_map)
        if problem:
            issues.append(Issue("config-value", f"{key}: {problem}", where))
            continue
        if key == "rules":  # folders are relative to the file that names them
            # A shipped pack is named builtin:NAME; any other entry is a folder.
            folders = [
                resolve_rules_dir(Path(item))
                if str(item).startswith(BUILTIN_PREFIX)
                else path.parent / item
                for item in value
            ]
            issues += [
                Issue(
                    "config-rules",
                    f"rules: folder '{item}' not found (looked for {folder})",
                    items.get(item, where),
                )
                for item, folder in zip(value, folders, strict=True)
                if not folder.is_dir()
            ]
            value = folders
        if key == "waivers":  # relative to the file that names it, like rule folders
            value = path.parent / value
            if not value.is_file():
                issues.append(
                    Issue("config-waivers", f"waivers: file not found (looked for {value})", where)
                )
                continue
        values[key] = (value, where, items)
    if issues:
        raise InputError(issues)
    return values


def _check(key: str, value: Any, source_map: SourceMap) -> tuple[str | None, dict[str, Location]]:
    """A problem with one setting's value, and where each of its list items is."""
    if key == "fail-on":
        if value not in FAIL_ON_CHOICES:
            return (
                f"{json.dumps(value)} is not allowed; use one of {', '.join(FAIL_ON_CHOICES)}",
                {},
            )
        return None, {}
    if key in ("fail-on-questions", "programme-waivers"):
        return (
            None if isinstance(value, bool) else f"expected true or false, not {json.dumps(value)}"
        ), {}
    if key == "waiver-max-severity":
        if value not in SEVERITY_CHOICES:
            return (
                f"{json.dumps(value)} is not allowed; use one of {', '.join(SEVERITY_CHOICES)}",
                {},
            )
        return None, {}
    if key == "waiver-max-days":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"expected a whole number of days (0 or more), not {json.dumps(value)}", {}
        return None, {}
    if key == "waivers":
        if not isinstance(value, str) or not value.strip():
            return "expected the path of a waiver file", {}
        return None, {}
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        kind = {"rules": "folder", "waiver-approvers": "name or role"}.get(
            key, "rule id, id prefix, section id or focus area"
        )
        return f"expected a list of texts, each a {kind}", {}
    items = {item: source_map.locate((key, index)) for index, item in enumerate(value)}
    return None, items


def selection_issues(settings: Settings, ruleset: RuleSet) -> list[Issue]:
    """A located issue for every --select / --ignore pattern that names no rule."""
    issues: list[Issue] = []
    for key, patterns in (("select", settings.select), ("ignore", settings.ignore)):
        for pattern in patterns:
            problem = unknown_pattern(ruleset, pattern)
            if problem is None:
                continue
            origin = settings.pattern_origins.get((key, pattern), settings.origin(key))
            if isinstance(origin, Location):
                issues.append(Issue(f"{key}-unknown", f"{key}: {problem}", origin))
            else:
                issues.append(Issue(f"{key}-unknown", problem, Location(f"--{key}")))
    return issues


def waiver_policy(settings: Settings, ruleset: RuleSet) -> WaiverPolicy:
    """The waiver policy of the run, with the commissioner's waiver file read (InputError if bad)."""
    waivers, scopes = (
        read_waiver_file(settings.waivers_file, ruleset)
        if settings.waivers_file is not None
        else ((), ())
    )
    severity = settings.waiver_max_severity
    return WaiverPolicy(
        programme_waivers=settings.programme_waivers,
        max_days=settings.waiver_max_days,
        approvers=settings.waiver_approvers,
        max_severity=Severity(severity) if severity is not None else None,
        file_waivers=waivers,
        file_scopes=scopes,
    )


def no_rules_issue(settings: Settings) -> Issue:
    """The error for a run whose selection leaves no rule to check: that is never a pass."""
    for key in ("ignore", "select"):
        origin = settings.origin(key)
        if isinstance(origin, Location):
            return Issue(
                "no-rules", f"{key}: no rule is left to check; change the selection", origin
            )
    return Issue(
        "no-rules",
        "no rule is left to check after --select and --ignore; change the selection",
        Location("--select/--ignore"),
    )


def describe(settings: Settings, programmes: Sequence[Path] = ()) -> str:
    """The settings in force as TOML-style lines, each with where it came from."""
    if settings.config_file is not None:
        found = f"# Configuration file: {settings.config_file}"
    else:
        found = f"# No configuration file found (searched upwards from {settings.searched_from})"
    applies = (
        f"# It applies to every programme of this run ({len(programmes)} files)"
        if settings.config_file is not None
        else f"# Built-in defaults apply to every programme of this run ({len(programmes)} files)"
    )
    packs = [
        *([] if settings.replace_builtin_rules else [f"built-in ({default_rules_dir()})"]),
        *(str(p) for p in settings.extra_rules),
    ]
    rows = [
        ("fail-on", json.dumps(settings.fail_on)),
        ("fail-on-questions", json.dumps(settings.fail_on_questions)),
        ("select", json.dumps(list(settings.select))),
        ("ignore", json.dumps(list(settings.ignore))),
        ("rules", json.dumps([str(p) for p in settings.extra_rules])),
        ("waivers", json.dumps(str(settings.waivers_file) if settings.waivers_file else None)),
        ("programme-waivers", json.dumps(settings.programme_waivers)),
        ("waiver-max-days", json.dumps(settings.waiver_max_days)),
        ("waiver-approvers", json.dumps(list(settings.waiver_approvers))),
        ("waiver-max-severity", json.dumps(settings.waiver_max_severity)),
        ("exit-zero", json.dumps(settings.exit_zero)),
    ]
    width = max(len(f"{key} = {value}") for key, value in rows)
    lines = [found, applies]
    lines += [
        f"# Not used: {near} (nearer to {programme}; a run's configuration is found from the "
        "working folder, or named with --config)"
        for programme, near in nearest_configs(settings, programmes).items()
    ]
    lines.append(f"# Rule packs in use: {', '.join(packs)}")
    for key, value in rows:
        origin = settings.origin(key)
        note = str(origin)
        if key == "rules" and origin == COMMAND_LINE:
            note += " (replaces the built-in pack)"
        elif key == "exit-zero" and origin == DEFAULT:
            note += " (command line only)"
        lines.append(f"{key} = {value}".ljust(width) + f"  # {note}")
    return "\n".join(lines) + "\n"
