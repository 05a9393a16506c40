"""The HTML report: one self-contained page with the markdown report's content and charts.

It renders the shared report document (see ``document.py``), so it says exactly what the
markdown report says, and adds a bar per focus area showing the share of assessed rules that
pass, have gaps or leave questions. Everything is in the one file: inline CSS, no scripts, no
fonts, images or links to fetch, and a Content-Security-Policy that forbids loading anything,
so the page can be mailed or archived as it is. Every value is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from cvecheck.escaping import html as escape
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
from cvecheck.results import Coverage, FileOutcome, Status

STYLE = """
:root { --pass: #1a7f37; --gap: #c62828; --question: #b26a00; --track: #e6e6e6; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top;
         hyphens: manual; }
th { background: #f6f8fa; }
/* Counts, rule ids and dates never break inside; paths (no spaces) may break anywhere. */
td.num, th.num { text-align: right; white-space: nowrap; }
td.id { white-space: nowrap; }
td.path { overflow-wrap: anywhere; }
main > p { overflow-wrap: break-word; }
hr { border: 0; border-top: 3px double #d0d7de; margin: 2.5rem 0; }
figure.chart { margin: 1rem 0; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
.bar-row { display: grid; grid-template-columns: 16rem 1fr 4rem; gap: .75rem;
           align-items: center; margin: .3rem 0; }
.bar { display: flex; height: 1.1rem; background: var(--track); border-radius: 3px;
       overflow: hidden; }
.seg { display: block; height: 100%; }
.seg.pass { background: var(--pass); }
.seg.gap { background: var(--gap); }
.seg.question { background: var(--question); }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
.legend { font-size: .85rem; color: #57606a; }
.key { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px;
       vertical-align: -.1rem; margin: 0 .25rem 0 .75rem; }
.key.pass { background: var(--pass); }
.key.gap { background: var(--gap); }
.key.question { background: var(--question); }
a { color: inherit; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { font-size: 10pt; line-height: 1.35; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 15pt; } h2 { font-size: 12.5pt; margin-top: 1.2rem; }
  h3 { font-size: 11pt; margin-top: 1rem; }
  h1, h2, h3 { break-after: avoid; }
  h1[id] { break-before: page; }
  hr { display: none; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr, .bar-row { break-inside: avoid; }
  .bar-row { grid-template-columns: 13rem 1fr 3rem; }
}
"""

# Nothing may be loaded or run: styles come only from this file.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_SEGMENTS = ((Status.PASS, "pass"), (Status.GAP, "gap"), (Status.CANNOT_ASSESS, "question"))


def render(outcomes: Sequence[FileOutcome]) -> str:
    return page(report_document(outcomes))


def page(blocks: Sequence[Block]) -> str:
    """A self-contained page of document blocks, titled by its first heading."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "cvecheck report")
    body = "\n".join(render_block(block) for block in blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="generator" content="cvecheck">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def render_block(block: Block) -> str:
    match block:
        case Heading(level, text, anchor):
            named = f' id="{escape(anchor)}"' if anchor else ""
            return f"<h{level}{named}>{escape(text)}</h{level}>"
        case Paragraph(content):
            return f"<p>{_line(content)}</p>"
        case Bullets(items):
            return "<ul>\n" + "\n".join(f"<li>{_line(item)}</li>" for item in items) + "\n</ul>"
        case Table():
            return _table(block)
        case CoverageChart(title, groups):
            return _chart(title, groups)
        case Divider():
            return "<hr>"
    raise AssertionError(f"unknown block {block!r}")  # pragma: no cover


def _line(content: Line) -> str:
    return "".join(
        f"<strong>{escape(part.text)}</strong>" if isinstance(part, Strong) else escape(part)
        for part in content
    )


def _table(table: Table) -> str:
    def cell(tag: str, text: str, column: int, link: str = "") -> str:
        scope = ' scope="col"' if tag == "th" else ""
        kinds = ["num"] if table.numeric[column] else []
        if tag == "td" and table.kind(column):
            kinds.append(table.kind(column))
        css = f' class="{" ".join(kinds)}"' if kinds else ""
        content = escape(text)
        if link and column == 0:
            content = f'<a href="#{escape(link)}">{content}</a>'
        return f"<{tag}{scope}{css}>{content}</{tag}>"

    head = "".join(cell("th", h, i) for i, h in enumerate(table.headers))
    links = table.links or ("",) * len(table.rows)
    rows = "\n".join(
        "<tr>" + "".join(cell("td", c, i, link) for i, c in enumerate(row)) + "</tr>"
        for row, link in zip(table.rows, links, strict=True)
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _chart(title: str, groups: Sequence[Coverage]) -> str:
    rows = "\n".join(_bar(group) for group in groups)
    legend = "".join(
        f'<span class="key {css}"></span>{label}'
        for css, label in (("pass", "met"), ("gap", "not met"), ("question", "not known"))
    )
    return (
        f'<figure class="chart">\n<figcaption>{escape(title)}</figcaption>\n{rows}\n'
        f'<p class="legend">Share of the rules that apply:{legend}</p>\n</figure>'
    )


def _bar(group: Coverage) -> str:
    assessed = group.assessed
    counts = {status: group.counts.get(status, 0) for status, _ in _SEGMENTS}
    segments = "".join(
        f'<span class="seg {css}" style="width: {100 * counts[status] / assessed:.2f}%"></span>'
        for status, css in _SEGMENTS
        if assessed and counts[status]
    )
    described = (
        f"{group.percent()} of known verdicts met: {counts[Status.PASS]} met, "
        f"{counts[Status.GAP]} not met, {counts[Status.CANNOT_ASSESS]} not known"
        if assessed
        else "no rule applies"
    )
    return (
        f'<div class="bar-row"><span class="bar-label">{escape(group.title)}</span>'
        f'<span class="bar" role="img" aria-label="{escape(group.title)}: {described}">'
        f'{segments}</span><span class="bar-value">{group.percent()}</span></div>'
    )
