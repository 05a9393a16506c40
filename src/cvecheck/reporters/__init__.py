"""Renderers: each output format is a pure function from a run's outcomes to text.

``RENDERERS`` is a literal mapping; adding a format means adding one module and one line here.
A renderer takes every file's outcome (a report, or the issues that stopped it) so formats
that hold several files in one document (SARIF, JUnit) need no second code path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from cvecheck.reporters import github, html, json_, junit, markdown, matrix, sarif, table
from cvecheck.results import FileOutcome


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MATRIX = "matrix"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    SARIF_GITHUB = "sarif-github"
    JUNIT = "junit"
    GITHUB = "github"


Renderer = Callable[[Sequence[FileOutcome]], str]

RENDERERS: dict[Format, Renderer] = {
    Format.TABLE: table.render,
    Format.JSON: json_.render,
    Format.MATRIX: matrix.render_table,
    Format.MARKDOWN: markdown.render,
    Format.HTML: html.render,
    Format.SARIF: sarif.render,
    Format.SARIF_GITHUB: sarif.render_code_scanning,
    Format.JUNIT: junit.render,
    Format.GITHUB: github.render,
}


def render(fmt: Format, outcomes: Sequence[FileOutcome]) -> str:
    return RENDERERS[fmt](outcomes)
