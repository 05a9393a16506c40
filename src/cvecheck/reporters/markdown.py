"""The markdown report: a gap report to paste into a document, an issue or a pull request.

It renders the shared report document (see ``document.py``) as CommonMark with GitHub-style
tables. Every piece of text is escaped, because names, reasons and paths come from the
programme file: a pipe cannot break a table, brackets cannot make a link, angle brackets
cannot make HTML, and dollar signs cannot start maths on GitHub.
"""

from __future__ import annotations

from collections.abc import Sequence

from cvecheck.escaping import markdown as escape
from cvecheck.reporters.document import (
    Block,
    Bullets,
    CoverageChart,
    Divider,
    Heading,
    Line,
    Paragraph,
    Strong,
    Table,
    report_document,
)
from cvecheck.results import FileOutcome


def render(outcomes: Sequence[FileOutcome]) -> str:
    parts = [text for block in report_document(outcomes) if (text := render_block(block))]
    return "\n\n".join(parts) + "\n"


def render_block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return "#" * level + " " + escape(text)
        case Paragraph(content):
            return _line(content)
        case Bullets(items):
            return "\n".join("- " + _line(item) for item in items)
        case Table():
            return _table(block)
        case CoverageChart():
            return ""  # the coverage table beside it carries the same numbers
        case Divider():
            return "---"
    raise AssertionError(f"unknown block {block!r}")  # pragma: no cover


def _line(content: Line) -> str:
    text = ""
    for index, part in enumerate(content):
        if isinstance(part, Strong):
            text += f"**{escape(part.text)}**"
        else:
            # Keep the spaces around a run of text: they separate it from the labels.
            lead = " " if part[:1].isspace() else ""
            tail = " " if part[-1:].isspace() and part.strip() else ""
            text += lead + escape(part, line_start=index == 0) + tail
    return text


def _table(table: Table) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(escape(cell) for cell in cells) + " |"

    rule = "|" + "|".join("---:" if numeric else "---" for numeric in table.numeric) + "|"
    return "\n".join([row(table.headers), rule, *(row(cells) for cells in table.rows)])
