"""The command line: parse arguments, run the pipeline, write output, set the exit code.

Business logic lives elsewhere; this module only wires it up. Exit codes: 0 nothing at or
above the threshold, 1 gaps at or above it, 2 invalid input, invalid rules or a usage error.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from cvecheck import __version__
from cvecheck.reporters import Command, names
from cvecheck.results import (
    EXIT_GAPS,
    EXIT_INVALID,
    EXIT_OK,
    FileOutcome,
    FocusArea,
    InputError,
    Issue,
    Severity,
)

if TYPE_CHECKING:  # loaded when a command needs them: --help and --version must stay fast
    from cvecheck.config import Settings
    from cvecheck.output import Outputs
    from cvecheck.reporters import Rendered, Rendering
    from cvecheck.reporters.layout import Terminal
    from cvecheck.reporters.table import Detail
    from cvecheck.rules import RuleSet
    from cvecheck.waivers import WaiverPolicy

ABOUT = "Check CVE intervention programme descriptions against the CREST review's recommendations."


class _Command(typer.core.TyperCommand):
    """A command whose help names its arguments by metavar only: ``FILE...``, ``[PATH]``,
    never a Python type such as ``<list[str]>``."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        for param in params:
            if isinstance(param, typer.core.TyperArgument):
                name = param.metavar or param.name or "ARG"
                shown = name + ("..." if param.nargs != 1 else "")
                shown = shown if param.required else f"[{shown}]"
                setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
                setattr(param, "_usage_display_name", lambda shown=shown: shown)  # noqa: B010
                setattr(param, "_rich_display_name", lambda name=name: name)  # noqa: B010
                # typer before 0.29 builds the usage line from make_metavar instead.
                setattr(  # noqa: B010
                    param,
                    "make_metavar",
                    lambda ctx, usage=False, shown=shown, name=name: shown if usage else name,
                )
            if isinstance(param, typer.core.TyperOption):
                # "[x>=0]" after the help: the help already says which numbers are allowed.
                setattr(param, "_get_number_range_help_str", lambda: "")  # noqa: B010
        return params


app = typer.Typer(
    name="cvecheck",
    help=ABOUT,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class ColourChoice(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


ColourOption = Annotated[
    ColourChoice,
    typer.Option(
        "--color",
        "--colour",
        metavar="WHEN",
        help="Colour on a terminal: auto (the default: only on a terminal, honouring NO_COLOR "
        "and FORCE_COLOR), always or never.",
        case_sensitive=False,
        show_default=False,
    ),
]


def _terminal(choice: ColourChoice, to_stdout: bool = True) -> Terminal:
    """Width and colour for terminal output: the width of the terminal (or COLUMNS, else 80);
    colour when asked, or in auto mode on a terminal unless NO_COLOR says not to
    (https://no-color.org) or FORCE_COLOR says to."""
    from cvecheck.reporters.layout import Terminal

    width = _width() if to_stdout else 80
    if choice is ColourChoice.ALWAYS:
        return Terminal(width, colour=to_stdout)
    if choice is ColourChoice.NEVER or not to_stdout or os.environ.get("NO_COLOR"):
        return Terminal(width)
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return Terminal(width, colour=True)
    tty = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    return Terminal(width, colour=tty)


def _width() -> int:
    """COLUMNS when set, else the width of the terminal standard output is, else 80."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        pass
    return 80


class FailOn(StrEnum):
    EXPECTED = "expected"
    RECOMMENDED = "recommended"
    ADVISORY = "advisory"
    NEVER = "never"

    def severity(self) -> Severity | None:
        return None if self is FailOn.NEVER else Severity(self.value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cvecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check CVE intervention programme descriptions against the CREST review's recommendations."""


VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
]


def _echo_issue(issue: Issue) -> None:
    """An input error on stderr: ``error: file:line:col: message [code]`` first, for CI
    parsers, then the source line with a caret and how to write it, when known."""
    typer.echo(f"error: {issue}", err=True)
    for line in issue.explanation():
        typer.echo(line, err=True)


def _fail(issues: list[Issue]) -> NoReturn:
    for issue in issues:
        _echo_issue(issue)
    raise typer.Exit(EXIT_INVALID)


def _format_help(command: Command, lead: str = "Output format") -> str:
    choices = names(command)
    return f"{lead}: {', '.join(choices)}. Default: {choices[0]}."


def _chosen_format(command: Command, value: str | None) -> str:
    """The format named on the command line, or the command's default; a usage error else."""
    choices = names(command)
    if value is None:
        return choices[0]
    if value not in choices:
        raise typer.BadParameter(
            f"unknown format {value!r}; choose from {', '.join(choices)}", param_hint="--format"
        )
    return value


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="DIR",
        help="A rule pack folder to use instead of the built-in one (repeatable); "
        "builtin:crest and builtin:practice name the shipped packs.",
    ),
]

InputsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Programme files (YAML), folders to search, or glob patterns.",
        show_default=False,
        metavar="FILE",
    ),
]

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of stdout."),
]

JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", metavar="N", help="Worker processes; 0 means one per core.", min=0
    ),
]

TodayOption = Annotated[
    datetime | None,
    typer.Option(
        "--today",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Judge waiver expiry as of this date (YYYY-MM-DD) instead of today.",
        show_default=False,
    ),
]


def _today(value: datetime | None) -> date:
    return value.date() if value is not None else date.today()


@app.command(cls=_Command, short_help="Check programme files and print a gap report.")
def check(
    inputs: InputsArgument,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=_format_help(Command.CHECK, "Output format (repeatable)"),
        ),
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File for the output of the --format in the same position ('-' for stdout).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            metavar="SEVERITY",
            help="Lowest severity of gap that makes the exit code 1: expected, recommended, "
            "advisory or never. Default: recommended.",
            show_default=False,
        ),
    ] = None,
    fail_on_questions: Annotated[
        bool | None,
        typer.Option(
            "--fail-on-questions/--no-fail-on-questions",
            help="Also exit 1 for questions the file leaves unanswered (at or above --fail-on).",
            show_default=False,
        ),
    ] = None,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", help="Exit 0 even when gaps are found; invalid input still exits 2."
        ),
    ] = False,
    jobs: JobsOption = 0,
    rules: RulesOption = None,
    today: TodayOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PATTERN",
            help="Only these rules: a rule id, id prefix, report section id or focus area "
            "(repeatable or comma-separated).",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PATTERN",
            help="Leave out these rules; same patterns as --select, and wins over it.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Configuration file to use instead of searching for .cvecheck.yaml or "
            "pyproject.toml [tool.cvecheck] upwards from the working folder.",
        ),
    ] = None,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            metavar="FILE",
            help="The commissioner's waiver file (YAML with a waivers: list), kept apart from "
            "the programme files it exempts.",
        ),
    ] = None,
    programme_waivers: Annotated[
        bool | None,
        typer.Option(
            "--programme-waivers/--no-programme-waivers",
            help="Honour waivers written in the programme files (the default), or only report "
            "them.",
            show_default=False,
        ),
    ] = None,
    show_config: Annotated[
        bool,
        typer.Option(
            "--show-config",
            help="Print the settings in force and where each comes from, then exit.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print each file's summary line only (table), or the totals only (concise).",
        ),
    ] = False,
    statistics: Annotated[
        bool,
        typer.Option(
            "--statistics",
            help="Print counts of gaps and questions per rule and per focus area over every "
            "file: instead of each file's report (table), or before the totals (concise).",
        ),
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="NAME",
            help="The file name to report for the text read from standard input ('check -').",
        ),
    ] = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """Check programme files and print a gap report.

    Give '-' as the only FILE to read one programme from standard input.
    """
    from cvecheck import config as configuration
    from cvecheck.rule_cache import cached_rules, default_cache_dir
    from cvecheck.selection import select_rules

    chosen = (
        [_chosen_format(Command.CHECK, f) for f in formats]
        if formats
        else [names(Command.CHECK)[0]]
    )
    targets = _outputs(chosen, outputs)
    _check_detail(chosen, quiet=quiet, statistics=statistics)
    from_stdin = inputs == ["-"]
    if "-" in inputs and not from_stdin:
        raise typer.BadParameter("'-' (standard input) must be the only FILE", param_hint="FILE")
    if stdin_filename is not None and not from_stdin:
        raise typer.BadParameter(
            "--stdin-filename needs '-' as the FILE", param_hint="--stdin-filename"
        )
    stdin_name = stdin_filename or "stdin"
    command_line = configuration.CommandLine(
        fail_on=fail_on.value if fail_on is not None else None,
        fail_on_questions=fail_on_questions,
        exit_zero=exit_zero,
        select=select or (),
        ignore=ignore or (),
        rules=rules or (),
        waivers=waivers,
        programme_waivers=programme_waivers,
    )
    from cvecheck.batch import expand_inputs
    from cvecheck.escaping import one_line

    try:
        settings = configuration.resolve(command_line, config)
        ruleset = cached_rules(settings.rule_dirs, cache_dir=default_cache_dir())
    except InputError as error:
        _fail(error.issues)
    selection_problems = configuration.selection_issues(settings, ruleset)
    if selection_problems:
        _fail(selection_problems)
    paths, _ = ([], []) if from_stdin else expand_inputs(inputs)
    if show_config:
        typer.echo(configuration.describe(settings, paths), nl=False)
        raise typer.Exit(EXIT_OK)
    ruleset = select_rules(ruleset, settings.select, settings.ignore)
    if not ruleset.rules:
        _fail([configuration.no_rules_issue(settings)])
    try:
        policy = configuration.waiver_policy(settings, ruleset)
    except InputError as error:
        _fail(error.issues)
    paths, input_issues = ([], []) if from_stdin else _expand(inputs)
    _refuse_overwrites(targets, paths)
    for programme, near in configuration.nearest_configs(settings, paths).items():
        typer.echo(
            one_line(
                f"note: {near} is not used for {programme}: a run's configuration is found "
                "from the working folder (see cvecheck check --show-config)"
            ),
            err=True,
        )
    from cvecheck.reporters.table import Detail

    view = _View(
        [_terminal(color, target is None) for target in targets], Detail(quiet, statistics)
    )
    job = _rendering(chosen, view, settings)
    if from_stdin:
        rendered = _from_stdin(stdin_name, ruleset, _today(today), policy, job)
    else:
        rendered = _checked(paths, jobs, ruleset, settings.rule_dirs, _today(today), policy, job)
    code = _check_and_render(rendered, job, targets, ruleset)
    if input_issues:
        raise typer.Exit(EXIT_INVALID)
    raise typer.Exit(EXIT_OK if settings.exit_zero and code == EXIT_GAPS else code)


def _check_detail(chosen: Sequence[str], *, quiet: bool, statistics: bool) -> None:
    """A usage error when --quiet or --statistics is given but no chosen format shows it."""
    from cvecheck.reporters import FORMATS, find

    takers = [f.name for f in FORMATS if f.command is Command.CHECK and f.detail]
    if any(find(Command.CHECK, name).detail for name in chosen):
        return
    for given, option in ((quiet, "--quiet"), (statistics, "--statistics")):
        if given:
            raise typer.BadParameter(
                f"only the {' and '.join(takers)} formats show it, and none was chosen; "
                f"add --format {takers[0]} (or {' or '.join(takers[1:])}), or drop {option}",
                param_hint=option,
            )


@dataclass(frozen=True)
class _View:
    """How each output of check is laid out: its terminal, and how much of the report."""

    terminals: list[Terminal]
    detail: Detail


def _from_stdin(
    name: str, ruleset: RuleSet, today: date, policy: WaiverPolicy | None, job: Rendering
) -> Iterator[Rendered]:
    """The one programme read from standard input, reported under ``name``."""
    from cvecheck.loader import MAX_FILE_BYTES, decode
    from cvecheck.pipeline import check_text
    from cvecheck.results import Location

    raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise InputError(
                [
                    Issue(
                        "input-too-large",
                        f"text is larger than {MAX_FILE_BYTES:,} bytes",
                        Location(name),
                    )
                ]
            )
        outcome = FileOutcome(
            name, check_text(decode(raw, name), name, ruleset, today=today, policy=policy)
        )
    except InputError as error:
        outcome = FileOutcome(name, None, tuple(error.issues))
    for issue in outcome.issues:
        _echo_issue(issue)
    yield job(outcome, 0)


def _rendering(chosen: Sequence[str], view: _View, settings: Settings) -> Rendering:
    """The job that renders each file in every chosen format, where the file is checked."""
    from cvecheck.reporters import Rendering, View

    views = [View(terminal, view.detail) for terminal in view.terminals]
    return Rendering(
        tuple(zip(chosen, views, strict=True)), settings.threshold, settings.fail_on_questions
    )


def _check_and_render(
    rendered: Iterator[Rendered],
    job: Rendering,
    targets: Sequence[Path | None],
    ruleset: RuleSet,
) -> int:
    """Write each file's parts, in every format, as soon as the files before it are done; the
    exit code of the run (2 when a file could not be checked)."""
    from cvecheck.reporters import report_renderer

    rules = {compiled.id: compiled.rule for compiled in ruleset.rules}
    code = EXIT_OK
    with _opened(targets) as sinks:
        streams = [
            sinks.stream(
                index, report_renderer(name, view.terminal, detail=view.detail, rules=rules)
            )
            for index, (name, view) in enumerate(job.formats)
        ]
        for stream in streams:
            stream.begin()
        for done in rendered:
            for stream, part in zip(streams, done.parts, strict=True):
                stream.add(part)
            code = max(code, done.code)
        for stream in streams:
            stream.end()
    return code


def _outputs(formats: list[str], outputs: list[Path] | None) -> list[Path | None]:
    given = list(outputs or [])
    if len(given) > len(formats):
        raise typer.BadParameter("more --output files than --format options", param_hint="--output")
    targets: list[Path | None] = [None if str(p) == "-" else p for p in given]
    targets += [None] * (len(formats) - len(targets))
    if sum(1 for t in targets if t is None) > 1:
        raise typer.BadParameter(
            "only one format can go to standard output; give the others an --output file",
            param_hint="--output",
        )
    return targets


@app.command(cls=_Command, short_help="Compare proposals side by side.")
def compare(
    inputs: InputsArgument,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help=_format_help(Command.COMPARE)),
    ] = None,
    output: OutputOption = None,
    jobs: JobsOption = 0,
    rules: RulesOption = None,
    today: TodayOption = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """Compare proposals side by side: coverage, gaps and questions per area.

    One row per proposal; one column per focus area and report section. Exit code 0 when
    every file could be checked (gaps do not change it), 2 when any could not.
    """
    from cvecheck.reporters import render

    name = _chosen_format(Command.COMPARE, fmt)
    target = _target(output)
    ruleset = _ruleset(rules)
    paths, input_issues = _expand(inputs)
    _refuse_overwrites([target], paths)
    from cvecheck.reporters import Rendering, View
    from cvecheck.reporters.matrix import Entry, assemble

    # Each proposal is kept as its row of counts, made where it was checked.
    job = Rendering((("matrix", View()),))
    entries: list[Entry] = [
        done.parts[0].tally
        for done in _checked(paths, jobs, ruleset, rules or None, _today(today), None, job)
    ]
    matrix = assemble(entries)
    text = render(Command.COMPARE, name, matrix, terminal=_terminal(color, target is None))
    _write(text, target)
    if input_issues or any(not row.checked for row in matrix.rows):
        raise typer.Exit(EXIT_INVALID)


def _expand(inputs: list[str]) -> tuple[list[Path], list[Issue]]:
    """The files to check; an argument that names none is reported on stderr."""
    from cvecheck.batch import expand_inputs

    paths, input_issues = expand_inputs(inputs)
    for issue in input_issues:
        _echo_issue(issue)
    return paths, input_issues


def _checked(
    paths: Sequence[Path],
    jobs: int,
    ruleset: RuleSet,
    rule_dirs: Sequence[Path] | None,
    today: date,
    policy: WaiverPolicy | None,
    job: Rendering,
) -> Iterator[Rendered]:
    """Each file checked and rendered, in order, with a progress bar at a terminal; a file's
    input errors go to stderr as it is checked."""
    from cvecheck.batch import run_paths
    from cvecheck.progress import track

    workers = jobs or (os.cpu_count() or 1)
    rendered = run_paths(
        paths, ruleset, job, today=today, jobs=workers, rule_dirs=rule_dirs, policy=policy
    )
    for done in track(rendered, len(paths), lambda r: r.path, sys.stderr, os.environ):
        for issue in done.issues:
            _echo_issue(issue)
        yield done


def _target(output: Path | None) -> Path | None:
    from cvecheck.output import STDOUT

    return None if output is None or str(output) == STDOUT else output


def _refuse_overwrites(targets: Sequence[Path | None], inputs: Sequence[Path]) -> None:
    from cvecheck.output import output_issues

    problems = output_issues(targets, inputs)
    if problems:
        _fail(problems)


@contextlib.contextmanager
def _opened(targets: Sequence[Path | None]) -> Iterator[Outputs]:
    """The command's outputs, each put in place only when the command has finished."""
    from cvecheck.output import opened

    try:
        with opened(targets) as outputs:
            yield outputs
    except InputError as error:
        _fail(error.issues)


def _write(text: str, target: Path | None) -> None:
    """One whole output of a command, to a file or standard output."""
    with _opened([target]) as outputs:
        outputs.write(0, text)


@app.command(cls=_Command, short_help="Show what changed between two versions.")
def diff(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD", help="The earlier version: a programme file, or a saved JSON report."
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            metavar="NEW", help="The later version: a programme file, or a saved JSON report."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help=_format_help(Command.DIFF)),
    ] = None,
    output: OutputOption = None,
    fail_on_new_gaps: Annotated[
        bool,
        typer.Option(
            "--fail-on-new-gaps",
            help="Exit with 1 if a gap is open now that was not open (or was waived) before.",
        ),
    ] = False,
    fail_on_new_waivers: Annotated[
        bool,
        typer.Option(
            "--fail-on-new-waivers",
            help="Exit with 1 if a waiver was added or renewed (a gap opened and waived at once).",
        ),
    ] = False,
    rules: RulesOption = None,
    today: TodayOption = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """Show what changed between two versions of a proposal.

    Lists gaps closed and opened, questions answered and new, waivers added, expired, removed
    or renewed, and other changes of status. A saved report (from check --format json) keeps
    the rule set version and the file's sha256, so the output says whether a difference comes
    from the programme file or from the rules. Exit code 0; 1 with --fail-on-new-gaps when a
    gap is newly open, or with --fail-on-new-waivers when a waiver was added or renewed; 2 for
    invalid input.
    """
    from cvecheck.changes import changes_between
    from cvecheck.reporters import render
    from cvecheck.sides import read_sides

    name = _chosen_format(Command.DIFF, fmt)
    target = _target(output)
    _refuse_overwrites([target], [old, new])
    try:
        before, after = read_sides(old, new, rules, _today(today))
    except InputError as error:
        _fail(error.issues)
    result = changes_between(before, after, (str(old), str(new)))
    _write(render(Command.DIFF, name, result, terminal=_terminal(color, target is None)), target)
    if fail_on_new_gaps and result.new_unwaived_gap_count():
        raise typer.Exit(EXIT_GAPS)
    if fail_on_new_waivers and result.new_waiver_count():
        raise typer.Exit(EXIT_GAPS)


@app.command(cls=_Command, short_help="Print the JSON Schema of programme files.")
def schema(version: VersionOption = False) -> None:
    """Print the JSON Schema of programme files (point an editor at it for completion)."""
    import json

    from cvecheck.programme import programme_json_schema

    typer.echo(json.dumps(programme_json_schema(), indent=2))


@app.command(cls=_Command, short_help="Write a programme template to fill in.")
def init(
    path: Annotated[
        Path,
        typer.Argument(
            help="File to write (default: programme.yaml), or a folder to write it in; '-' "
            "prints the template.",
            metavar="PATH",
            show_default=False,
        ),
    ] = Path("programme.yaml"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
    schema_ref: Annotated[
        str | None,
        typer.Option(
            "--schema-ref",
            metavar="REF",
            help="Path or URL of the schema named in the editor modeline. Without it, "
            "programme.schema.json is written beside the template.",
        ),
    ] = None,
    version: VersionOption = False,
) -> None:
    """Write a commented template of a programme description to fill in.

    Every field is commented out ("not stated"), so checking the template gives the questions
    to answer; remove the '# ' in front of a field to fill it in. Existing files are never
    overwritten unless --force is given.
    """
    from cvecheck.results import Location
    from cvecheck.template import DEFAULT_SCHEMA_REF, programme_template, schema_text

    text = programme_template(schema_ref or DEFAULT_SCHEMA_REF, tool_version=__version__)
    if str(path) == "-":
        sys.stdout.write(text)
        return
    if path.is_dir():
        path = path / "programme.yaml"
    if not path.parent.is_dir():
        _fail(
            [Issue("init-no-folder", "no such folder; create it first", Location(str(path.parent)))]
        )
    # Everything that can be known before writing is checked first: a run that fails must
    # leave nothing half written.
    targets = [path] if schema_ref is not None else [path, path.parent / DEFAULT_SCHEMA_REF]
    for target in targets:
        if target.is_dir() or (target.exists() and not target.is_file()):
            _fail(
                [
                    Issue(
                        "init-not-file",
                        "is a folder (or not a regular file), so it cannot be written; "
                        "move it away or choose another path",
                        Location(str(target)),
                    )
                ]
            )
    if path.exists() and not force:
        _fail(
            [
                Issue(
                    "init-exists",
                    "already exists; choose another name, or use --force to overwrite it",
                    Location(str(path)),
                )
            ]
        )
    if not _write_new(path, text, force):
        _fail(
            [
                Issue(
                    "init-exists",
                    "already exists; choose another name, or use --force to overwrite it",
                    Location(str(path)),
                )
            ]
        )
    typer.echo(f"Wrote {path}: fill it in, then run: cvecheck check {path}", err=True)
    if schema_ref is None:
        schema_path = path.parent / DEFAULT_SCHEMA_REF
        if _write_new(schema_path, schema_text(), force):
            typer.echo(
                f"Wrote {schema_path}: editors use it to complete and check fields.", err=True
            )
        elif schema_path.read_text(encoding="utf-8") != schema_text():
            typer.echo(
                f"Left {schema_path} as it was (it differs from this version's schema; "
                "use --force to replace it).",
                err=True,
            )


def _write_new(path: Path, text: str, force: bool) -> bool:
    """Write ``text`` to ``path``; without ``force``, only if no such file exists yet."""
    try:
        with path.open("w" if force else "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    except OSError as error:
        from cvecheck.results import Location

        _fail(
            [Issue("init-unwritable", f"cannot be written: {error.strerror}", Location(str(path)))]
        )
    return True


@app.command(short_help="Answer the file's open questions, one at a time.")
def interview(
    path: Annotated[
        Path,
        typer.Argument(metavar="[FILE]", help="Programme file; written from the template if new."),
    ] = Path("programme.yaml"),
    section: Annotated[
        str | None, typer.Option(metavar="NAME", help="Only this top-level section of the file.")
    ] = None,
    rules: RulesOption = None,
    offer_waivers: Annotated[
        bool,
        typer.Option(
            "--offer-waivers",
            help="After a gap, offer to record a waiver in the file (if the configuration "
            "allows waivers in programme files).",
        ),
    ] = False,
) -> None:
    """Ask the questions the file leaves open, gates first, and write each answer into it.

    Comments, key order and untouched lines are kept. An empty answer means don't know; '.'
    stops. When standard input is not a terminal, each line answers the next question.
    """
    import signal

    from cvecheck.interview.document import CannotEditError
    from cvecheck.interview.terminal import run

    # The interview saves the answers given so far on Ctrl-C, so it wants the KeyboardInterrupt
    # that main() otherwise replaces (it runs no worker processes).
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def new_file(target: Path) -> None:
        from cvecheck.template import DEFAULT_SCHEMA_REF, programme_template, schema_text

        _write_new(target, programme_template(tool_version=__version__), False)
        _write_new(target.parent / DEFAULT_SCHEMA_REF, schema_text(), False)

    try:
        waivers = offer_waivers and _programme_waivers_allowed(path)
        code = run(path, _ruleset(rules), section=section, new_file=new_file, waivers=waivers)
    except InputError as error:
        _fail(error.issues)
    except CannotEditError as error:
        from cvecheck.results import Location

        _fail([Issue("interview-cannot-edit", str(error), Location(str(path)))])
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--section") from None
    raise typer.Exit(code)


def _programme_waivers_allowed(path: Path) -> bool:
    """Whether the configuration in force for ``path`` accepts waivers in programme files."""
    from cvecheck import config as configuration

    del path  # one configuration per run, found from the working folder, whatever the file
    return configuration.resolve(configuration.CommandLine(), None).programme_waivers


def _ruleset(rules: list[Path] | None) -> RuleSet:
    from cvecheck.rule_cache import cached_rules, default_cache_dir

    try:
        return cached_rules(rules or None, cache_dir=default_cache_dir())
    except InputError as error:
        _fail(error.issues)


@app.command("rules", cls=_Command, short_help="List the rules.")
def list_rules(
    section: Annotated[
        str | None,
        typer.Option(
            metavar="SECTION", help="Only rules of this report section id (e.g. formers)."
        ),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(metavar="AREA", help="Only rules of this focus area (e.g. former-training)."),
    ] = None,
    severity: Annotated[
        Severity | None,
        typer.Option(
            metavar="SEVERITY",
            help="Only rules of this severity: expected, recommended or advisory.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help=_format_help(Command.RULES)),
    ] = None,
    rules: RulesOption = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """List the rules, optionally filtered by section, focus area or severity."""
    from cvecheck.reporters import render

    name = _chosen_format(Command.RULES, output_format)
    ruleset = _ruleset(rules)
    sections = {s.id for p in ruleset.packs for s in p.sections}
    if section is not None and section not in sections:
        raise typer.BadParameter(
            f"no section {section!r}; choose from {', '.join(sorted(sections))}",
            param_hint="--section",
        )
    focus_names = [area.value for area in FocusArea]
    if focus is not None and focus not in focus_names:
        raise typer.BadParameter(
            f"no focus area {focus!r}; choose from {', '.join(focus_names)}", param_hint="--focus"
        )
    chosen = [
        c.rule
        for c in ruleset.rules
        if (section is None or c.rule.source.section == section)
        and (focus is None or (c.rule.focus is not None and c.rule.focus.value == focus))
        and (severity is None or c.rule.severity is severity)
    ]
    _write(render(Command.RULES, name, chosen, ruleset, terminal=_terminal(color)), None)


@app.command(cls=_Command, short_help="Explain one rule.")
def explain(
    rule_id: Annotated[
        str, typer.Argument(metavar="RULE", help="A rule id, e.g. FRM002.", show_default=False)
    ],
    rules: RulesOption = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """Explain one rule: what it checks, why it matters, examples and how to close the gap."""
    import difflib

    from cvecheck.reporters import render

    ruleset = _ruleset(rules)
    by_id = ruleset.by_id()
    compiled = by_id.get(rule_id.upper())
    if compiled is None:
        close = difflib.get_close_matches(rule_id.upper(), list(by_id), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; run 'cvecheck rules' to list them"
        raise typer.BadParameter(f"no rule {rule_id!r}{hint}", param_hint="RULE")
    _write(render(Command.EXPLAIN, "markdown", compiled, ruleset, terminal=_terminal(color)), None)


@app.command(cls=_Command, short_help="Show which rules encode each recommendation.")
def coverage(
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help=_format_help(Command.COVERAGE)),
    ] = None,
    rules: RulesOption = None,
    color: ColourOption = ColourChoice.AUTO,
    version: VersionOption = False,
) -> None:
    """Show every recommendation of the report and the rules that encode it."""
    from cvecheck.catalogue import coverage_document
    from cvecheck.reporters import render

    name = _chosen_format(Command.COVERAGE, output_format)
    document = coverage_document(_ruleset(rules))
    _write(render(Command.COVERAGE, name, document, terminal=_terminal(color)), None)


class Shell(StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


@app.command(cls=_Command, short_help="Print a shell completion script.")
def completion(
    shell: Annotated[
        Shell,
        typer.Argument(metavar="SHELL", help="bash, zsh or fish.", show_default=False),
    ],
    version: VersionOption = False,
) -> None:
    """Print the completion script for SHELL (bash, zsh or fish), to load from its start-up file.

    bash: eval "$(cvecheck completion bash)" in ~/.bashrc; zsh: the same in ~/.zshrc;
    fish: cvecheck completion fish > ~/.config/fish/completions/cvecheck.fish
    """
    from typer._completion_shared import get_completion_script

    script = get_completion_script(
        prog_name="cvecheck", complete_var="_CVECHECK_COMPLETE", shell=shell.value
    )
    typer.echo(script)


EXIT_BROKEN_PIPE = 128 + 13
"""The reader of standard output went away (``cvecheck rules | head -1``): the shell sees 141,
as for any program stopped by SIGPIPE, never 1 ("gaps")."""
EXIT_INTERRUPTED = 128 + 2
EXIT_TERMINATED = 128 + 15


class _Stopped(BaseException):
    """SIGINT or SIGTERM: not an Exception, so nothing on the way up mistakes it for an error
    (click would turn a KeyboardInterrupt into "Aborted!" and exit 1)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _stop(signum: int, _frame: object) -> None:
    import signal

    # Stopping ends the workers, whose pipes then have no reader: a write to one must not end
    # this process by SIGPIPE (exit 141) before it exits with the signal's own code.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    raise _Stopped(128 + signum)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command being run, when the first argument names one.

    typer builds every command's options before it runs any (about 12 ms for all of them);
    ``cvecheck rules`` needs only its own. Its help, usage and errors are the same, as they
    name no other command. Anything else (no command, ``--help``, an unknown command, shell
    completion) gets the whole app.
    """
    if not args or "_CVECHECK_COMPLETE" in os.environ:
        return app
    chosen = [
        info
        for info in app.registered_commands
        if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == args[0]
    ]
    if len(chosen) != 1:
        return app
    only = copy.copy(app)
    only.registered_commands = chosen
    return only


def main() -> None:
    """Entry point: run the app and turn any unexpected failure into a one-line error.

    SIGINT and SIGTERM stop the run (worker processes included) with exit 130 or 143 and no
    traceback; outputs are then not written. A closed output pipe ends the process quietly as
    SIGPIPE does (exit 141).
    """
    import signal

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        _app_for(sys.argv[1:])()
    except SystemExit:
        raise
    except _Stopped as stopped:
        sys.exit(stopped.code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # never show a traceback to a user
        typer.echo(f"cvecheck: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_INVALID)


__all__ = ["EXIT_GAPS", "app", "main"]
