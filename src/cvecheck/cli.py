"""The command line: parse arguments, run the pipeline, write output, set the exit code.

Business logic lives elsewhere; this module only wires it up. Exit codes: 0 nothing at or
above the threshold, 1 gaps at or above it, 2 invalid input, invalid rules or a usage error.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from cvecheck import __version__
from cvecheck.report import EXIT_GAPS, EXIT_INVALID, EXIT_OK
from cvecheck.results import InputError, Issue, Severity

ABOUT = "Check CVE intervention programme descriptions against the CREST review's recommendations."

app = typer.Typer(
    name="cvecheck",
    help=ABOUT,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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


def _fail(issues: list[Issue]) -> NoReturn:
    for issue in issues:
        typer.echo(f"error: {issue}", err=True)
    raise typer.Exit(EXIT_INVALID)


# Kept here as literals so that --help does not import the renderers.
FORMAT_NAMES = ("table", "json")

RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="A rule pack folder to use instead of the built-in one (repeatable)."
    ),
]


@app.command()
def check(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Programme files (YAML), folders to search, or glob patterns.",
            show_default=False,
            metavar="FILES...",
        ),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (repeatable): " + ", ".join(FORMAT_NAMES) + ". Default: table.",
        ),
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="File for the output of the --format in the same position ('-' for stdout).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Lowest severity of gap that makes the exit code 1.")
    ] = FailOn.RECOMMENDED,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes; 0 means one per core.", min=0)
    ] = 0,
    rules: RulesOption = None,
) -> None:
    """Check programme files and print a gap report."""
    from datetime import date

    from cvecheck.batch import check_paths, expand_inputs
    from cvecheck.reporters import Format, render
    from cvecheck.rules import default_cache_dir, load_rules

    chosen = _formats(formats)
    targets = _outputs(chosen, outputs)
    try:
        ruleset = load_rules(rules or None, cache_dir=default_cache_dir())
    except InputError as error:
        _fail(error.issues)
    paths, input_issues = expand_inputs(inputs)
    workers = jobs or (os.cpu_count() or 1)
    outcomes = list(
        check_paths(paths, ruleset, today=date.today(), jobs=workers, rule_dirs=rules or None)
    )
    for issue in input_issues + [i for o in outcomes for i in o.issues]:
        typer.echo(f"error: {issue}", err=True)
    for fmt, target in zip(chosen, targets, strict=True):
        text = render(Format(fmt), outcomes)
        if target is None:
            sys.stdout.write(text)
        else:
            target.write_text(text, encoding="utf-8")
    if input_issues or any(o.report is None for o in outcomes):
        raise typer.Exit(EXIT_INVALID)
    threshold = fail_on.severity()
    codes = (o.report.exit_code(threshold) for o in outcomes if o.report is not None)
    raise typer.Exit(max(codes, default=EXIT_OK))


def _formats(formats: list[str] | None) -> list[str]:
    chosen = formats or ["table"]
    unknown = [f for f in chosen if f not in FORMAT_NAMES]
    if unknown:
        raise typer.BadParameter(
            f"unknown format {unknown[0]!r}; choose from {', '.join(FORMAT_NAMES)}",
            param_hint="--format",
        )
    return chosen


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


@app.command()
def schema() -> None:
    """Print the JSON Schema of programme files (point an editor at it for completion)."""
    from cvecheck.programme import programme_json_schema

    typer.echo(json.dumps(programme_json_schema(), indent=2))


@app.command("rules")
def list_rules(rules: RulesOption = None) -> None:
    """List the rules."""
    from tabulate import tabulate

    from cvecheck.rules import default_cache_dir, load_rules

    try:
        ruleset = load_rules(rules or None, check_examples=False, cache_dir=default_cache_dir())
    except InputError as error:
        _fail(error.issues)
    rows = [
        [c.id, c.rule.severity.value, c.rule.focus.value if c.rule.focus else "", c.rule.title]
        for c in ruleset.rules
    ]
    typer.echo(
        tabulate(rows, headers=["rule", "severity", "focus area", "title"], tablefmt="simple")
    )


def main() -> None:
    """Entry point: run the app and turn any unexpected failure into a one-line error."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # never show a traceback to a user
        typer.echo(f"cvecheck: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_INVALID)


__all__ = ["EXIT_GAPS", "app", "main"]
