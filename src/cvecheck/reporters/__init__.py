"""Renderers: the one registry of every output format of every command that renders.

A format is a command, a name, a short description and where its renderer lives. The registry
is a literal tuple that imports no renderer, so ``--help`` lists the formats without paying
for them; a renderer's module is imported when its format is used. Adding a format is one
module and one line in ``FORMATS``: the command line, the documentation and the tests all read
the formats from here.

Renderers of ``check`` work one file at a time (``ReportRenderer``): ``start`` gives what comes
before the first file, ``file`` one file's part, ``finish`` what comes after the last, so one
file's report can be rendered and written as soon as it is checked. A format that needs every
file before it can write anything is a plain function of all the outcomes, which ``Collected``
turns into a ``ReportRenderer``. Renderers of the other commands are plain functions of what
that command computed. Every renderer is pure: text in, text out, nothing written. A binary
format (docx, a zip of XML parts) gives bytes from ``finish`` and nothing before.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cvecheck.reporters.layout import Terminal
    from cvecheck.results import FileOutcome


class Command(StrEnum):
    """The commands whose output goes through a renderer."""

    CHECK = "check"
    COMPARE = "compare"
    DIFF = "diff"
    RULES = "rules"
    COVERAGE = "coverage"
    EXPLAIN = "explain"


@dataclass(frozen=True)
class Format:
    """One output format of one command."""

    command: Command
    name: str
    renderer: str
    """``module:attribute`` under cvecheck.reporters: a ReportRenderer class for check, or a
    function of the command's result."""
    kind: str
    """The family of text it writes (terminal, json, markdown, html, xml, csv, github, docx): what
    "escaped" means for it, which the hostile-input tests check."""
    summary: str
    terminal: bool = False
    """Laid out for a terminal: the renderer takes ``terminal=`` (width and colour)."""
    detail: bool = False
    """Takes ``detail=`` (``--quiet``, ``--statistics``): how much of each report to show."""

    def load(self) -> Any:
        module, attribute = self.renderer.split(":")
        return getattr(importlib.import_module(f"cvecheck.reporters.{module}"), attribute)


_C, _M, _D = Command.CHECK, Command.COMPARE, Command.DIFF
_R, _V, _E = Command.RULES, Command.COVERAGE, Command.EXPLAIN

FORMATS: tuple[Format, ...] = (
    Format(
        _C,
        "table",
        "table:TableReport",
        "terminal",
        "the report for a terminal (the default)",
        True,
        detail=True,
    ),
    Format(
        _C,
        "concise",
        "concise:ConciseReport",
        "terminal",
        "one line per finding (file:line:col)",
        detail=True,
    ),
    Format(
        _C, "json", "json_:render", "json", "the whole report as JSON (docs/report.schema.json)"
    ),
    Format(_C, "markdown", "markdown:render", "markdown", "a Markdown document"),
    Format(_C, "html", "html:render", "html", "a self-contained HTML page"),
    Format(_C, "docx", "word:render", "docx", "a Word document to edit, the markdown content"),
    Format(_C, "sarif", "sarif:render", "json", "SARIF 2.1.0 for code-scanning tools"),
    Format(_C, "sarif-github", "sarif:render_code_scanning", "json", "SARIF with open gaps only"),
    Format(_C, "junit", "junit:render", "xml", "JUnit XML, one test case per rule"),
    Format(_C, "github", "github:GithubAnnotations", "github", "GitHub Actions annotations"),
    Format(
        _C, "matrix", "matrix:render_table", "terminal", "the comparison matrix as a table", True
    ),
    Format(
        _M, "table", "matrix:render_table", "terminal", "the comparison matrix for a terminal", True
    ),
    Format(_M, "csv", "matrix:render_csv", "csv", "one line per proposal, for spreadsheets"),
    Format(_M, "markdown", "matrix:render_markdown", "markdown", "a Markdown table"),
    Format(_M, "html", "matrix:render_html", "html", "a self-contained HTML page"),
    Format(_D, "table", "changes:render_text", "terminal", "the changes for a terminal", True),
    Format(
        _D, "json", "changes:render_json", "json", "the changes as JSON (docs/diff.schema.json)"
    ),
    Format(_D, "markdown", "changes:render_markdown", "markdown", "a Markdown document"),
    Format(_D, "html", "changes:render_html", "html", "a self-contained HTML page"),
    Format(_R, "table", "catalogue:rules_table", "terminal", "one line per rule", True),
    Format(
        _R,
        "markdown",
        "catalogue:rules_reference",
        "markdown",
        "the rules reference (docs/rules.md)",
    ),
    Format(_R, "json", "catalogue:rules_json", "json", "every rule's metadata as JSON"),
    Format(
        _V,
        "table",
        "catalogue:coverage_table",
        "terminal",
        "each recommendation and its rules",
        True,
    ),
    Format(_V, "json", "catalogue:coverage_json", "json", "the same as JSON"),
    Format(
        _E,
        "markdown",
        "catalogue:explain_rule",
        "markdown",
        "one rule explained, as Markdown",
        True,
    ),
)


def names(command: Command) -> tuple[str, ...]:
    """The format names of a command, in the registry's order (the first is the default)."""
    return tuple(f.name for f in FORMATS if f.command is command)


def find(command: Command, name: str) -> Format:
    """The format ``name`` of ``command``; KeyError when the command has no such format."""
    for candidate in FORMATS:
        if candidate.command is command and candidate.name == name:
            return candidate
    raise KeyError(name)


class ReportRenderer(Protocol):
    """A check format, fed one file at a time, in order."""

    def start(self) -> str: ...

    def file(self, outcome: FileOutcome) -> str: ...

    def finish(self) -> str | bytes: ...


class Collected:
    """A ReportRenderer for a format that needs every file first: it keeps the outcomes and
    renders the whole document at the end."""

    def __init__(self, render: Callable[[Sequence[FileOutcome]], str | bytes]) -> None:
        self._render = render
        self._outcomes: list[FileOutcome] = []

    def start(self) -> str:
        return ""

    def file(self, outcome: FileOutcome) -> str:
        self._outcomes.append(outcome)
        return ""

    def finish(self) -> str | bytes:
        return self._render(self._outcomes)


def report_renderer(name: str, terminal: Terminal | None = None, **options: Any) -> ReportRenderer:
    """A fresh renderer for the check format ``name``; a terminal format is laid out for
    ``terminal``, and a format that takes ``detail`` is given ``options`` (other formats
    ignore them, so a caller can give the same options to every format)."""
    chosen = find(Command.CHECK, name)
    target = chosen.load()
    extra: dict[str, Any] = {"terminal": terminal} if chosen.terminal else {}
    if chosen.detail:
        extra.update(options)
    if isinstance(target, type):
        renderer: ReportRenderer = target(**extra)
        return renderer
    return Collected(functools.partial(target, **extra))


def render_reports(
    name: str, outcomes: Sequence[FileOutcome], terminal: Terminal | None = None, **options: Any
) -> str | bytes:
    """The whole output of the check format ``name`` for these outcomes: one text, or the
    bytes of a binary format."""
    renderer = report_renderer(name, terminal, **options)
    text = renderer.start() + "".join(renderer.file(o) for o in outcomes)
    last = renderer.finish()
    return last if isinstance(last, bytes) else text + last


def render(command: Command, name: str, *arguments: Any, terminal: Terminal | None = None) -> str:
    """The output of a non-check command's format ``name`` for what the command computed; a
    terminal format is laid out for ``terminal`` (80 columns, no colour, when None)."""
    chosen = find(command, name)
    extra = {"terminal": terminal} if chosen.terminal else {}
    text: str = chosen.load()(*arguments, **extra)
    return text
