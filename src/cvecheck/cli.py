"""The command line: parse arguments, run the pipeline, write output, set the exit code.

Business logic lives elsewhere; this module only wires it up. Exit codes: 0 nothing at or
above the threshold, 1 gaps at or above it, 2 invalid input, invalid rules or a usage error.
"""

from __future__ import annotations

import json
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


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="A rule pack folder to use instead of the built-in one (repeatable)."
    ),
]


@app.command()
def check(
    files: Annotated[
        list[Path], typer.Argument(help="Programme description files (YAML).", show_default=False)
    ],
    fail_on: Annotated[
        FailOn, typer.Option(help="Lowest severity of gap that makes the exit code 1.")
    ] = FailOn.RECOMMENDED,
    rules: RulesOption = None,
) -> None:
    """Check programme files and print a gap report."""
    from cvecheck.api import check_file
    from cvecheck.reporters import Format, render
    from cvecheck.rules import load_rules

    try:
        ruleset = load_rules(rules or None)
    except InputError as error:
        _fail(error.issues)
    reports = []
    invalid: list[Issue] = []
    for file in files:
        try:
            reports.append(check_file(file, ruleset))
        except InputError as error:
            invalid.extend(error.issues)
    if reports:
        sys.stdout.write(render(Format.TABLE, reports))
    if invalid:
        _fail(invalid)
    threshold = fail_on.severity()
    code = max((report.exit_code(threshold) for report in reports), default=EXIT_OK)
    raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of programme files (point an editor at it for completion)."""
    from cvecheck.programme import programme_json_schema

    typer.echo(json.dumps(programme_json_schema(), indent=2))


@app.command("rules")
def list_rules(rules: RulesOption = None) -> None:
    """List the rules."""
    from tabulate import tabulate

    from cvecheck.rules import load_rules

    try:
        ruleset = load_rules(rules or None, check_examples=False)
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
