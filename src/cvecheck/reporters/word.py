"""The Word report (``-f docx``): the markdown report's content as a document to edit.

Commissioners turn reports into board papers. This renders the shared report document (see
``document.py``) with python-docx: real headings (so Word's navigation pane and table of
contents work), bold labels, bulleted lists and tables whose header row repeats on every page.
The coverage chart is left out, as in the markdown report: the table beside it has the same
numbers. Text from the programme file is made visible (control and bidirectional characters
written as escapes) and XML-safe; python-docx escapes markup. The output is bytes: a .docx
file is a zip of XML parts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from cvecheck.escaping import word as escape
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

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph as WordParagraph

# A fixed date in the document's properties: the same report gives the same file.
_EPOCH = datetime(2000, 1, 1)


def render(outcomes: Sequence[FileOutcome]) -> bytes:
    import docx

    document = docx.Document()
    blocks = report_document(outcomes)
    title = next((b.text for b in blocks if isinstance(b, Heading)), "cvecheck report")
    properties = document.core_properties
    properties.title = escape(title)
    properties.author = "cvecheck"
    properties.created = properties.modified = properties.last_printed = _EPOCH
    properties.revision = 1
    for block in blocks:
        _add(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _without_clock(buffer.getvalue())


def _without_clock(package: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01: python-docx stamps members with the
    time of writing, so two renders a second apart would differ."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = member.external_attr
            target.writestr(fixed, source.read(member))
    return out.getvalue()


def _add(document: Document, block: Block) -> None:
    match block:
        case Heading(level, text):
            document.add_heading(escape(text), level)
        case Paragraph(content):
            _runs(document.add_paragraph(), content)
        case Bullets(items):
            for item in items:
                _runs(document.add_paragraph(style="List Bullet"), item)
        case Table():
            _table(document, block)
        case CoverageChart():
            pass  # the coverage table beside it carries the same numbers
        case Divider():
            document.add_page_break()  # type: ignore[no-untyped-call]
        case _:  # pragma: no cover
            raise AssertionError(f"unknown block {block!r}")


def _runs(paragraph: WordParagraph, content: Line) -> None:
    for part in content:
        if isinstance(part, Strong):
            paragraph.add_run(escape(part.text)).bold = True
        else:
            paragraph.add_run(escape(part))


def _table(document: Document, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    header = grid.rows[0]
    # The header row repeats at the top of every page the table spans.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, (cells, row) in enumerate(zip((table.headers, *table.rows), grid.rows, strict=True)):
        for column, (text, cell) in enumerate(zip(cells, row.cells, strict=True)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(escape(text))
            run.bold = index == 0
            if table.numeric[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
