"""The Word report (-f docx): opened with python-docx, it has every section and table of the
markdown report, with real headings and table headers that repeat on each page."""

from __future__ import annotations

import io
import time
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.reporters import markdown, word

from ..paths import FIXTURES, REPORTING_PACK
from ..reporting import NAME, outcomes
from .test_report_markdown import flat, headings, parse, tables

runner = CliRunner()


def opened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def word_headings(document: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def word_tables(document: docx.document.Document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


def test_every_section_and_table_of_the_markdown_report() -> None:
    found = outcomes()
    document = opened(word.render(found))
    tokens = parse(markdown.render(found))
    for level in (1, 2, 3):
        assert [flat(h) for h in word_headings(document, level)] == headings(tokens, level)
    assert [[[flat(c) for c in row] for row in t] for t in word_tables(document)] == tables(tokens)
    assert word_headings(document, 1)[1] == f"Gap report: {NAME}"
    assert document.core_properties.title == "Overview of 3 files"


def test_labels_are_bold_and_table_headers_repeat_on_each_page() -> None:
    document = opened(word.render(outcomes()[:1]))
    labels = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert {"File:", "Summary:", "What to do:"} <= set(labels)
    for table in document.tables:
        header = table.rows[0]._tr
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_the_same_report_gives_the_same_file(monkeypatch: pytest.MonkeyPatch) -> None:
    first = word.render(outcomes())
    # A later clock must not change a byte (zip members carry a date).
    later = time.localtime(time.time() + 3600)
    monkeypatch.setattr(time, "localtime", lambda *_: later)
    assert word.render(outcomes()) == first


def test_check_writes_a_word_file(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    programme = FIXTURES / "proposals" / "first.yaml"
    result = runner.invoke(
        app,
        ["check", str(programme), "--rules", str(REPORTING_PACK), "-f", "docx", "-o", str(target)],
    )
    assert result.exit_code in (0, 1), result.output
    document = opened(target.read_bytes())
    assert word_headings(document, 2)[:2] == ["Focus areas", "Report sections"]
    assert any(str(programme) in p.text for p in document.paragraphs)
