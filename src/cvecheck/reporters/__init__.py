"""Renderers: each output format is a pure function from Reports to text.

``RENDERERS`` is a literal mapping; adding a format means adding one module and one line here.
A renderer takes every report of a run (one per programme file) so that formats which hold
several files in one document (SARIF, JUnit) need no second code path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from cvecheck.report import Report
from cvecheck.reporters import table


class Format(StrEnum):
    TABLE = "table"


Renderer = Callable[[Sequence[Report]], str]

RENDERERS: dict[Format, Renderer] = {
    Format.TABLE: table.render,
}


def render(fmt: Format, reports: Sequence[Report]) -> str:
    return RENDERERS[fmt](reports)
