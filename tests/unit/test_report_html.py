"""The HTML report: self-contained, escaped, the markdown report's content, plus charts.

The last test opens the page in headless Chromium and checks what a reader sees there.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from cvecheck.reporters import html, markdown
from cvecheck.results import Status

from ..reporting import NAME, REASON, outcomes, report_of
from ..tools import Browser, chromium
from .test_report_markdown import flat, headings, parse, tables


class Page(HTMLParser):
    """Tags, attributes, headings and table cells of a page, as a browser would parse them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: dict[int, list[str]] = {1: [], 2: [], 3: []}
        self.tables: list[list[list[str]]] = []
        self._text: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        if tag in ("h1", "h2", "h3", "td", "th"):
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is None:
            return
        text = "".join(self._text)
        if tag in ("h1", "h2", "h3"):
            self.headings[int(tag[1])].append(text)
            self._text = None
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(text)
            self._text = None


def test_the_page_is_self_contained_and_escaped() -> None:
    page = Page(html.render(outcomes()))
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "link", "iframe", "object", "embed", "a", "svg", "form"}
    for _, attrs in page.tags:
        assert not {"src", "href", "onerror", "onload", "action"} & set(attrs)
    policy = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert policy and "default-src 'none'" in str(policy[0])
    assert page.headings[1][0] == f"Gap report: {NAME}"


def test_it_says_what_the_markdown_report_says() -> None:
    found = outcomes()
    page = Page(html.render(found))
    tokens = parse(markdown.render(found))
    for level in (1, 2, 3):
        assert [flat(h) for h in page.headings[level]] == headings(tokens, level)
    assert [[[flat(c) for c in row] for row in t] for t in page.tables] == tables(tokens)


def test_a_bar_per_focus_area_sized_by_its_counts() -> None:
    report = report_of(outcomes(), 0)
    page = Page(html.render(outcomes()[:1]))
    bars = [a for t, a in page.tags if t == "span" and a.get("class") == "bar"]
    assert [str(a["aria-label"]).split(":")[0] for a in bars] == [
        c.title for c in report.focus_coverage
    ]
    widths = [
        (a["class"], a["style"])
        for t, a in page.tags
        if t == "span" and "seg" in str(a.get("class"))
    ]
    expected = [
        (f"seg {css}", f"width: {100 * c.counts[status] / c.assessed:.2f}%")
        for c in report.focus_coverage
        for status, css in (
            (Status.PASS, "pass"),
            (Status.GAP, "gap"),
            (Status.CANNOT_ASSESS, "question"),
        )
        if c.assessed and c.counts[status]
    ]
    assert widths == expected


@pytest.mark.slow
def test_a_reader_in_chromium_sees_the_report_and_nothing_runs(tmp_path: Path) -> None:
    binary = chromium()
    found = outcomes()
    report = report_of(found, 0)
    page = tmp_path / "report.html"
    page.write_text(html.render(found), encoding="utf-8")
    with Browser(binary, tmp_path / "profile") as browser:
        browser.open(page.as_uri())
        assert browser.evaluate("document.title") == f"Gap report: {flat(NAME)}"
        assert browser.evaluate("document.querySelector('h1').innerText") == (
            f"Gap report: {flat(NAME)}"
        )
        assert browser.evaluate("document.scripts.length") == 0
        assert browser.evaluate("document.images.length") == 0
        assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
        seen = browser.evaluate("document.body.innerText")
        assert flat(REASON) in flat(seen)
        for result in report.with_status(Status.GAP):
            assert report.rules[result.rule_id].remediation in seen
        for result in report.with_status(Status.CANNOT_ASSESS):
            assert result.questions[0].message in seen
        # The charts' bars, as laid out: the green part's share of the track is the coverage,
        # and the label beside it says the same.
        bars = browser.evaluate(
            """[...document.querySelectorAll('figure.chart .bar-row')].map(row => {
                const track = row.querySelector('.bar').getBoundingClientRect().width;
                const part = c => [...row.querySelectorAll('.seg.' + c)]
                    .reduce((sum, e) => sum + e.getBoundingClientRect().width, 0);
                return {label: row.querySelector('.bar-label').innerText,
                        value: row.querySelector('.bar-value').innerText,
                        pass: part('pass') / track, gap: part('gap') / track,
                        question: part('question') / track,
                        visible: getComputedStyle(row.querySelector('.bar')).display !== 'none'};
            })"""
        )
    groups = [c for o in found if o.report is not None for c in o.report.focus_coverage]
    assert any(c.counts[Status.PASS] for c in groups) and any(c.counts[Status.GAP] for c in groups)
    assert [bar["label"] for bar in bars] == [c.title for c in groups]
    for bar, coverage in zip(bars, groups, strict=True):
        assert bar["visible"]
        assert bar["value"] == coverage.percent()
        assessed = coverage.assessed or 1
        assert bar["pass"] == pytest.approx(coverage.counts[Status.PASS] / assessed, abs=0.01)
        assert bar["gap"] == pytest.approx(coverage.counts[Status.GAP] / assessed, abs=0.01)
        assert bar["question"] == pytest.approx(
            coverage.counts[Status.CANNOT_ASSESS] / assessed, abs=0.01
        )
