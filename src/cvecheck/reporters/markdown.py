"""The markdown report: a gap report to paste into a document, an issue or a pull request.

It renders the shared report document (see ``document.py``) as CommonMark with GitHub-style
tables. Every piece of text is escaped, because names, reasons and paths come from the
programme file: a pipe cannot break a table, brackets cannot make a link, angle brackets
cannot make HTML, and dollar signs cannot start maths on GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
from cvecheck.results import FileOutcome, visible

# Characters that can start markup anywhere in a line. CommonMark lets a backslash escape any
# ASCII punctuation, so the escaped text reads back as the original. Parentheses and "!" only
# matter next to a bracket, which is always escaped; an underscore inside a word (snake_case)
# cannot start emphasis, so it is left alone to keep paths readable.
_INLINE_MARKUP = re.compile(r"([\\`*{}\[\]|&~#$]|(?<![^\W_])_|_(?![^\W_]))")
# Characters that only mean something at the start of a line: list items, setext underlines.
_LINE_START_MARKUP = re.compile(r"^([-+=])|^(\d+)([.)])")
_WHITESPACE = re.compile(r"\s+")


def render(outcomes: Sequence[FileOutcome]) -> str:
    parts = [text for block in report_document(outcomes) if (text := render_block(block))]
    return "\n\n".join(parts) + "\n"


def escape(text: str, *, line_start: bool = False) -> str:
    """Text as literal markdown: one line, no markup, HTML or links."""
    flat = visible(_WHITESPACE.sub(" ", text).strip())
    escaped = _INLINE_MARKUP.sub(r"\\\1", flat)
    # Entities, not backslashes, for angle brackets: the text then holds no tag at all, even
    # for a reader that does not follow CommonMark's escapes.
    escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    if line_start:
        escaped = _LINE_START_MARKUP.sub(
            lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
            escaped,
        )
    return escaped


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
