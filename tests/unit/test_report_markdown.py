"""The markdown report, read back with a real CommonMark parser (GitHub-style tables on)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvecheck.questions import open_questions
from cvecheck.reporters import markdown
from cvecheck.reporters.document import Paragraph, Table
from cvecheck.reporters.text import waiting
from cvecheck.results import Status

from ..reporting import APPROVER, NAME, REASON, outcomes, report_of

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(text: str) -> list[Token]:
    return PARSER.parse(text)


def inline_text(token: Token) -> str:
    """What a reader sees of an inline token: its text, with no markup left."""
    assert token.children is not None
    kinds = {child.type for child in token.children}
    assert kinds <= {"text", "softbreak"}, f"markup found: {kinds} in {token.content!r}"
    return "".join(child.content for child in token.children)


def headings(tokens: list[Token], level: int) -> list[str]:
    return [
        inline_text(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append(inline_text(tokens[i + 1]))
        elif token.type == "table_close":
            found.append(rows)
    return found


def paragraphs(tokens: list[Token]) -> list[str]:
    return [
        "".join(c.content for c in tokens[i + 1].children or [] if c.type == "text")
        for i, t in enumerate(tokens)
        if t.type == "paragraph_open"
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_programme_text_is_literal_no_html_no_links() -> None:
    tokens = parse(markdown.render(outcomes()))
    every = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    assert not [t for t in every if t.type.startswith("html")]
    assert not [t for t in every if t.type in ("link_open", "image", "code_inline")]
    assert headings(tokens, 1)[:2] == ["Overview of 3 files", f"Gap report: {flat(NAME)}"]


def test_sections_come_in_the_agreed_order() -> None:
    tokens = parse(markdown.render(outcomes()[:1]))
    report = report_of(outcomes(), 0)
    counts = report.counts()
    questions = len(open_questions(report))
    assert headings(tokens, 2) == [
        "Focus areas",
        "Report sections",
        f"Gaps ({counts[Status.GAP]})",
        f"Questions to answer ({questions})",
        f"Waivers ({counts[Status.WAIVED]})",
        f"Not applicable ({counts[Status.NOT_APPLICABLE]})",
    ]


def test_coverage_tables_match_the_report() -> None:
    report = report_of(outcomes(), 0)
    focus, sections, *_ = tables(parse(markdown.render(outcomes()[:1])))
    assert focus[0][:5] == ["Focus area", "Coverage", "Met", "Not met", "Not known"]
    assert [row[0] for row in focus[1:]] == [c.title for c in report.focus_coverage]
    for row, coverage in zip(focus[1:], report.focus_coverage, strict=True):
        assert row[1] == coverage.percent()
        assert row[2] == str(coverage.counts[Status.PASS])
        assert row[3] == str(coverage.counts[Status.GAP])
        assert row[4] == str(coverage.counts[Status.CANNOT_ASSESS])
    assert [row[0] for row in sections[1:]] == [c.title for c in report.section_coverage]


def test_each_gap_says_what_is_missing_what_to_do_and_where_the_report_says_so() -> None:
    report = report_of(outcomes(), 0)
    text = markdown.render(outcomes()[:1])
    tokens = parse(text)
    [gap] = report.with_status(Status.GAP)
    rule = report.rules[gap.rule_id]
    assert f"{rule.id} {rule.title}" in headings(tokens, 3)
    said = paragraphs(tokens)
    assert (
        f"Report reference: Delivering the work, recommendation {rule.source.recommendation}"
        in said
    )
    assert f"What to do: {rule.remediation}" in said
    # The file is named once, at the top; findings in it say only the line.
    assert f"Where: line {gap.location.line}" in said  # type: ignore[union-attr]
    items = [inline_text(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert f"{gap.gaps[0].message} (line {gap.gaps[0].location.line})" in items  # type: ignore[union-attr]
    assert not [item for item in items if "programmes/tricky.yaml" in item]


def test_questions_waivers_and_not_applicable_tables() -> None:
    found = outcomes()
    tricky, clean = report_of(found, 0), report_of(found, 1)
    tokens = parse(markdown.render(found))
    all_tables = tables(tokens)
    # The questions of the first file, each once, in the order of open_questions.
    first_file = all_tables[: next(i for i, t in enumerate(all_tables) if "Approved by" in t[0])]
    asked = [
        row for t in first_file if t[0] == ["Question", "Rules waiting", "Where"] for row in t[1:]
    ]
    expected = [
        [flat(q.text), waiting(q.rules), f"line {q.location.line}"]  # type: ignore[union-attr]
        for q in open_questions(tricky)
    ]
    assert asked == expected
    waivers = next(t for t in all_tables if t[0][0] == "Rule" and "Approved by" in t[0])
    assert waivers[1:] == [
        ["REP001", "gap", flat(REASON), APPROVER, "2099-01-01", "programmes/tricky.yaml:13"]
    ]
    not_applicable = next(t for t in all_tables if "Why it does not apply" in t[0])
    assert [row[2] for row in not_applicable[1:]] == [
        r.reason for r in clean.with_status(Status.NOT_APPLICABLE)
    ]


def test_errors_notices_invalid_files_and_an_overview_first() -> None:
    found = outcomes()
    tokens = parse(markdown.render(found))
    assert "Rule errors (1)" in headings(tokens, 2)
    assert "Notices" in headings(tokens, 2)
    assert "Could not check programmes/broken.yaml" in headings(tokens, 1)
    overview = tables(tokens)[0]
    assert overview[0] == ["File", "Programme", "Result", "Gaps", "Questions", "Waived", "Error"]
    tricky = report_of(found, 0)
    assert [row[:6] for row in overview[1:]] == [
        [
            "programmes/tricky.yaml",
            flat(NAME),
            "gaps to close",
            str(tricky.counts()[Status.GAP]),
            str(len(open_questions(tricky))),
            "1",
        ],
        [
            "programmes/clean.yaml",
            "Clean programme",
            "rule errors",
            "0",
            str(len(open_questions(report_of(found, 1)))),
            "0",
        ],
        ["programmes/broken.yaml", "", "could not be checked", "", "", ""],
    ]


TEXT = st.text(
    alphabet=st.sampled_from(string.printable + "é£€\u2013\u2014«»\u00a0ß_*`"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


TRAPS = (
    "+ item",
    "- item",
    "* item",
    "1. item",
    "2) item",
    "# heading",
    "> quote",
    "=",
    "---",
    "    indented code",
    "<div>html</div>",
    "[text](http://example.org)",
    "![image](x.png)",
    "<http://example.org>",
    "&amp; &#35;",
    "a | b",
    "$x$",
    "~~struck~~",
    "_em_ and *em*",
    "`code`",
    "trailing backslash \\",
)


def assert_reads_back(text: str) -> None:
    tokens = parse(markdown.render_block(Paragraph((text,))))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == flat(text)


@pytest.mark.parametrize("text", TRAPS)
def test_markup_at_the_start_of_a_line_stays_text(text: str) -> None:
    assert_reads_back(text)


@given(TEXT)
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    assert_reads_back(text)


@given(TEXT, TEXT)
def test_escaped_text_keeps_a_table_cell_whole(first: str, second: str) -> None:
    table = Table(("a", "b"), ((first, second),), (False, False))
    assert tables(parse(markdown.render_block(table))) == [
        [["a", "b"], [flat(first), flat(second)]]
    ]
