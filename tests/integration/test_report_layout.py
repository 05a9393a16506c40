"""The HTML reports as a board reads them: on a 1280 px screen and printed on A4, in Chromium.

Both the single-programme report and the comparison are laid out by headless Chromium: the page
must never be wider than the window (the comparison table scrolls inside its own box), no rule
id, date, header or word may be broken across lines, and printed to PDF every column header
and every rule id must still be there, read back with pdftotext.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from cvecheck.reporters import html, matrix
from cvecheck.results import FileOutcome

from ..reporting import outcomes
from ..tools import Browser, chromium, require

pytestmark = pytest.mark.slow

# Words, dates and rule ids broken across two lines, outside file paths (which may break
# anywhere: they have no spaces). A break at punctuation (after a hyphen, a bracket, a slash)
# is a normal line break; a break between two letters or digits is a broken word.
BROKEN_WORDS = """(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('code, .path')) continue;
    const tokens = /\\d{4}-\\d{2}-\\d{2}|[\\p{L}\\p{N}]+/gu;
    for (const match of node.data.matchAll(tokens)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()]
        .filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})()"""


def many(found: list[FileOutcome], copies: int) -> list[FileOutcome]:
    """The outcomes repeated under other names: a portfolio long enough to fill pages."""
    return [
        dataclasses.replace(outcome, path=f"portfolio/{n:02d}-{Path(outcome.path).name}")
        for n in range(copies)
        for outcome in found
    ]


def pdftotext() -> str:
    return require(
        "pdftotext", shutil.which("pdftotext"), "apt-get install -y poppler-utils (or run .ci/run)"
    )


def print_to_pdf(binary: str, page: Path, profile: Path) -> Path:
    pdf = page.with_suffix(".pdf")
    subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


def pdf_pages(tool: str, pdf: Path) -> list[str]:
    """The text of each page, with runs of white space made one space."""
    text = subprocess.run(
        [tool, str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def lay_out(browser: Browser, page: Path, width: int) -> dict[str, object]:
    browser.open(page.as_uri())
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    found: dict[str, object] = browser.evaluate(
        """({page: document.documentElement.scrollWidth,
             window: document.documentElement.clientWidth,
             box: (b => b ? [b.scrollWidth, b.clientWidth] : null)(
                 document.querySelector('.scroll'))})"""
    )
    found["broken"] = browser.evaluate(BROKEN_WORDS)
    return found


def test_the_single_report_fits_the_screen_and_the_page(tmp_path: Path) -> None:
    binary, tool = chromium(), pdftotext()
    found = outcomes()
    page = tmp_path / "report.html"
    page.write_text(html.render(found), encoding="utf-8")
    with Browser(binary, tmp_path / "profile") as browser:
        for width in (1280, 800):
            laid = lay_out(browser, page, width)
            assert laid["page"] <= laid["window"] <= width, laid
            assert laid["broken"] == [], width
    pdf = print_to_pdf(binary, page, tmp_path / "print")
    width, height = page_size(pdf)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    text = " ".join(pdf_pages(tool, pdf))
    rule_ids = {r.rule_id for o in found if o.report for r in o.report.results}
    assert rule_ids and all(rule_id in text.split() for rule_id in rule_ids)
    for header in ("Without the waiver", "Approved by", "Expires", "Not applicable", "Waived"):
        assert header in text
    assert "2099-01-01" in text.split()


def test_the_comparison_scrolls_in_its_box_and_prints_every_column(tmp_path: Path) -> None:
    binary, tool = chromium(), pdftotext()
    portfolio = many(outcomes(), 12)
    page = tmp_path / "compare.html"
    page.write_text(matrix.render_html(portfolio), encoding="utf-8")
    built = matrix.build(portfolio)
    with Browser(binary, tmp_path / "profile") as browser:
        laid = lay_out(browser, page, 1280)
        assert laid["page"] <= laid["window"] <= 1280, laid
        assert laid["broken"] == []
        # Narrower than the table: the table scrolls inside its box, the page does not.
        laid = lay_out(browser, page, 500)
        assert laid["page"] <= laid["window"] <= 500, laid
        scroll_width, client_width = laid["box"]  # type: ignore[misc]
        assert scroll_width > client_width
    pdf = print_to_pdf(binary, page, tmp_path / "print")
    width, height = page_size(pdf)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    pages = pdf_pages(tool, pdf)
    assert len(pages) > 1
    # Every column on every page: the table's header repeats, nothing is cut off the right.
    headers = ["Proposal", "Gaps", "Questions"] + [c.title for c in built.columns]
    for text in pages:
        words = text.split()
        for header in headers:
            assert all(word in words for word in header.split()), (header, text[:200])
    every = " ".join(pages)
    for row in built.rows:
        assert Path(row.path).name.removesuffix(".yaml") in every.replace(" ", "")


def test_not_known_and_not_met_have_different_colours(tmp_path: Path) -> None:
    binary = chromium()
    page = tmp_path / "compare.html"
    page.write_text(matrix.render_html(outcomes()), encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text(html.render(outcomes()), encoding="utf-8")
    colour = "(s => s ? getComputedStyle(s).backgroundColor : null)(document.querySelector({}))"
    with Browser(binary, tmp_path / "profile") as browser:
        browser.open(page.as_uri())
        gap = browser.evaluate(colour.format("'td.gap'"))
        unknown = browser.evaluate(colour.format("'td.unknown'"))
        assert gap and unknown and gap != unknown
        browser.open(report.as_uri())
        gap = browser.evaluate(colour.format("'.seg.gap'"))
        question = browser.evaluate(colour.format("'.seg.question'"))
        assert gap and question and gap != question
