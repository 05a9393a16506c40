"""Renderers: the one registry of every output format of every command that renders.

A format is a command, a name, a short description and where its renderer lives. The registry
is a literal tuple that imports no renderer, so ``--help`` lists the formats without paying
for them; a renderer's module is imported when its format is used. Adding a format is one
module and one line in ``FORMATS``: the command line, the documentation and the tests all read
the formats from here.

Renderers of ``check`` work one file at a time (``ReportRenderer``) and in two halves, so
no run holds more than a few reports whatever the number of files. ``part`` is pure: one
file's rendered text and a small tally (counts, a summary row), built from the renderer's
picklable settings only, so the worker process that checked the file renders it too
(``Rendering``). The rest runs where the output is written: ``keep`` takes each file's tally in
file order, ``start`` gives what comes before the first file and ``finish`` what follows each
stream of parts. A format whose head depends on every file (the JSON summary, SARIF's rule
descriptors, JUnit's totals) says ``head_last``: its parts are spooled and its head is asked
for at the end (``Stream`` joins the pieces; output.py gives it files to spool to). A format
that truly needs every report (Markdown, HTML, Word) is a plain function of all the outcomes,
which ``Collected`` turns into a ``ReportRenderer`` that keeps them. Renderers of the other
commands are plain functions of what that command computed. Every renderer is pure: text in,
text out, nothing written. A binary format (docx, a zip of XML parts) gives bytes from
``finish`` and nothing before.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, Protocol

from cvecheck.results import EXIT_INVALID, FileOutcome, Issue

if TYPE_CHECKING:
    from cvecheck.reporters.layout import Terminal
    from cvecheck.reporters.table import Detail
    from cvecheck.results import Severity


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
    """``module:attribute`` under cvecheck.reporters: a ReportRenderer class for check (or a
    function of every outcome, which ``Collected`` wraps), or a function of the command's
    result."""
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
        _C, "json", "json_:JsonReport", "json", "the whole report as JSON (docs/report.schema.json)"
    ),
    Format(_C, "markdown", "markdown:render", "markdown", "a Markdown document"),
    Format(_C, "html", "html:render", "html", "a self-contained HTML page"),
    Format(_C, "docx", "word:render", "docx", "a Word document to edit, the markdown content"),
    Format(_C, "sarif", "sarif:SarifReport", "json", "SARIF 2.1.0 for code-scanning tools"),
    Format(_C, "sarif-github", "sarif:CodeScanningReport", "json", "SARIF with open gaps only"),
    Format(_C, "junit", "junit:JunitReport", "xml", "JUnit XML, one test case per rule"),
    Format(_C, "github", "github:GithubAnnotations", "github", "GitHub Actions annotations"),
    Format(
        _C, "matrix", "matrix:MatrixReport", "terminal", "the comparison matrix as a table", True
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


@dataclass(frozen=True)
class View:
    """How a check format lays a report out: picklable, so a worker builds the same renderer."""

    terminal: Terminal | None = None
    """Width and colour, for the formats laid out for a terminal."""
    detail: Detail | None = None
    """How much of each report the table shows (--quiet, --statistics)."""


@dataclass(frozen=True)
class Part:
    """One file's output in one format: its text for each of the format's streams, and the
    tally the writing side keeps of it (counts, a summary row; small, and picklable)."""

    texts: tuple[str, ...]
    tally: Any = None


class ReportRenderer(Protocol):
    """A check format, fed one file at a time, in order.

    ``part`` may run in another process and must use nothing but the renderer's settings and
    the outcome; ``keep``, ``start`` and ``finish`` run where the output is written.
    """

    streams: tuple[str, ...]
    """One separator per stream of parts, in the order the streams appear in the output; the
    separator goes between two non-empty parts of that stream."""
    head_last: bool
    """``start`` depends on every file: it is asked for after the last ``keep``, and written,
    with the spooled streams after it, when the run ends."""

    def start(self) -> str: ...

    def part(self, outcome: FileOutcome, position: int) -> Part:
        """``position``: the file's place in the run, from 0."""
        ...

    def keep(self, tally: Any) -> None: ...

    def finish(self) -> Sequence[str | bytes]:
        """What follows each stream, one piece per stream."""
        ...


class Collected:
    """A ReportRenderer for a format that needs every file first: it keeps the outcomes and
    renders the whole document at the end. Its tally is the whole outcome, sent back from a
    worker without its rules, which ``rules`` (the run's rules by id) puts back."""

    streams: tuple[str, ...] = ("",)
    head_last: bool = False

    def __init__(
        self,
        render: Callable[[Sequence[FileOutcome]], str | bytes],
        rules: Mapping[str, Any] | None = None,
    ) -> None:
        self._render = render
        self._rules = rules
        self._outcomes: list[FileOutcome] = []

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        return Part(("",), outcome)

    def keep(self, tally: Any) -> None:
        outcome: FileOutcome = tally
        if outcome.report is not None and not outcome.report.rules and self._rules:
            outcome = replace(outcome, report=replace(outcome.report, rules=self._rules))
        self._outcomes.append(outcome)

    def finish(self) -> Sequence[str | bytes]:
        return (self._render(self._outcomes),)


def report_renderer(
    name: str,
    terminal: Terminal | None = None,
    *,
    detail: Detail | None = None,
    rules: Mapping[str, Any] | None = None,
) -> ReportRenderer:
    """A fresh renderer for the check format ``name``; a terminal format is laid out for
    ``terminal``, a format that takes ``detail`` shows as much as it says (other formats ignore
    it, so a caller can give the same detail to every format). ``rules``, the run's rules by
    id, serve the parts written at the end (SARIF's rule descriptors, collected reports)."""
    chosen = find(Command.CHECK, name)
    target = chosen.load()
    view = View(terminal if chosen.terminal else None, detail if chosen.detail else None)
    if isinstance(target, type):
        renderer: ReportRenderer = target(view, rules)
        return renderer
    extra: dict[str, Any] = {"terminal": terminal} if chosen.terminal else {}
    return Collected(functools.partial(target, **extra), rules)


class Stream:
    """One check format's output as its files arrive: the head, each file's parts in order, and
    what follows each stream. ``write`` takes what is ready to go out; ``spool`` makes a file
    for a stream that must wait for the head (every stream of a ``head_last`` format, and the
    streams after the first of the others), copied out after it when the run ends."""

    def __init__(
        self,
        renderer: ReportRenderer,
        write: Callable[[str | bytes], None],
        spool: Callable[[], IO[str]],
    ) -> None:
        self.renderer = renderer
        self._write = write
        count = len(renderer.streams)
        direct = 0 if renderer.head_last else 1
        self._sinks: list[IO[str] | None] = [
            None if index < direct else spool() for index in range(count)
        ]
        self._started = [False] * count

    def begin(self) -> None:
        if not self.renderer.head_last:
            self._write(self.renderer.start())

    def add(self, part: Part) -> None:
        self.renderer.keep(part.tally)
        for index, text in enumerate(part.texts):
            if not text:
                continue
            sink = self._sinks[index]
            put = self._write if sink is None else sink.write
            if self._started[index]:
                put(self.renderer.streams[index])
            put(text)
            self._started[index] = True

    def end(self) -> None:
        pieces = self.renderer.finish()
        if self.renderer.head_last:
            self._write(self.renderer.start())
        for sink, piece in zip(self._sinks, pieces, strict=True):
            if sink is not None:
                sink.seek(0)
                while chunk := sink.read(1 << 16):
                    self._write(chunk)
            self._write(piece)

    def close(self) -> None:
        for sink in self._sinks:
            if sink is not None:
                sink.close()


def render_reports(
    name: str,
    outcomes: Iterable[FileOutcome],
    terminal: Terminal | None = None,
    *,
    detail: Detail | None = None,
) -> str | bytes:
    """The whole output of the check format ``name`` for these outcomes, through the same
    streams as a run writes: one text, or the bytes of a binary format."""
    import io

    listed = list(outcomes)
    rules: dict[str, Any] = {}
    for outcome in listed:
        if outcome.report is not None:
            rules.update(outcome.report.rules)
    renderer = report_renderer(name, terminal, detail=detail, rules=rules)
    written: list[str | bytes] = []
    stream = Stream(renderer, written.append, io.StringIO)
    stream.begin()
    for position, outcome in enumerate(listed):
        stream.add(renderer.part(outcome, position))
    stream.end()
    stream.close()
    binary = [piece for piece in written if isinstance(piece, bytes)]
    if binary:
        return binary[-1]
    return "".join(piece for piece in written if isinstance(piece, str))


@dataclass(frozen=True)
class Rendered:
    """One file checked and rendered in every format of a run: what goes back to the writer."""

    path: str
    issues: tuple[Issue, ...]
    """Why the file could not be checked (empty when it was)."""
    code: int
    """The file's exit code under the run's threshold."""
    parts: tuple[Part, ...]
    """One per format, in the run's order."""


@dataclass(frozen=True)
class Rendering:
    """Check-to-text for one file in every format of a run, where the file was checked: a
    picklable job (formats, views and the run's threshold), so a worker process renders the
    files it checked and sends back text and tallies, never reports."""

    formats: tuple[tuple[str, View], ...]
    fail_on: Severity | None = None
    questions: bool = False
    _renderers: list[ReportRenderer] = field(
        default_factory=list, init=False, compare=False, repr=False
    )

    def __getstate__(self) -> dict[str, Any]:
        # The renderers are built again where the job runs.
        return {"formats": self.formats, "fail_on": self.fail_on, "questions": self.questions}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_renderers", [])

    def __call__(self, outcome: FileOutcome, position: int) -> Rendered:
        if not self._renderers:
            self._renderers.extend(
                report_renderer(name, view.terminal, detail=view.detail)
                for name, view in self.formats
            )
        parts = tuple(_portable(renderer.part(outcome, position)) for renderer in self._renderers)
        report = outcome.report
        code = (
            EXIT_INVALID
            if report is None
            else report.exit_code(self.fail_on, questions=self.questions)
        )
        return Rendered(outcome.path, outcome.issues, code, parts)


def _portable(part: Part) -> Part:
    """A collected outcome travels without its rules: every report holds the same ones, and
    sending them back for each file would cost more than checking it."""
    tally = part.tally
    if isinstance(tally, FileOutcome) and tally.report is not None and tally.report.rules:
        return Part(part.texts, replace(tally, report=replace(tally.report, rules={})))
    return part


def render(command: Command, name: str, *arguments: Any, terminal: Terminal | None = None) -> str:
    """The output of a non-check command's format ``name`` for what the command computed; a
    terminal format is laid out for ``terminal`` (80 columns, no colour, when None)."""
    chosen = find(command, name)
    extra = {"terminal": terminal} if chosen.terminal else {}
    text: str = chosen.load()(*arguments, **extra)
    return text
