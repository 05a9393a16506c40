"""The comparison matrix: proposals as rows, focus areas and report sections as columns.

Each cell gives the coverage of that area for that proposal and its counts of gaps, questions
and waivers, so a commissioner can see at a glance where a portfolio is weak. One model
(``build``) and four pure renderers: a terminal table, CSV, Markdown and a self-contained HTML
page (everything escaped, no script, nothing fetched).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cvecheck.escaping import csv_cell, markdown, markdown_code, one_line
from cvecheck.escaping import html as escape
from cvecheck.questions import open_questions
from cvecheck.reporters import Part, View, layout
from cvecheck.reporters.layout import Terminal
from cvecheck.results import Coverage, FileOutcome, Issue, Status

LEGEND = (
    "Cells: coverage (rules met / rules whose verdict is known), then m = met, g = not met "
    "(gaps), q = not known (the file does not say), w = waived. not known: no verdict is known "
    "yet; n/a: no rule in the area applies; -: the area has no rules. Questions: each field "
    "once."
)


@dataclass(frozen=True)
class Column:
    """One area of the matrix: a focus area or a report section."""

    kind: str  # "focus" or "section"
    key: str
    title: str


@dataclass(frozen=True)
class Row:
    """One proposal: its cells in column order, or the error that stopped its check."""

    path: str
    name: str
    cells: tuple[Coverage, ...]
    gaps: int = 0
    questions: int = 0
    error: str = ""
    note: str = ""
    """Said beside the proposal in every view: that it is out of the review's scope."""

    @property
    def checked(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def totals(self) -> tuple[Coverage, ...]:
        """Each column's counts added up over the proposals that could be checked."""
        summed: list[Coverage] = []
        for index, column in enumerate(self.columns):
            counts = dict.fromkeys(Status, 0)
            for row in self.rows:
                if row.checked:
                    for status, count in row.cells[index].counts.items():
                        counts[status] += count
            summed.append(Coverage(column.key, column.title, counts))
        return tuple(summed)


@dataclass(frozen=True)
class Entry:
    """What the matrix keeps of one proposal: its areas' counts, never its report."""

    path: str
    name: str = ""
    areas: tuple[tuple[str, Coverage], ...] = ()
    """(focus or section, the area's coverage), in the report's order."""
    gaps: int = 0
    questions: int = 0
    error: str = ""
    note: str = ""


def entry(outcome: FileOutcome) -> Entry:
    """One proposal's line of the matrix, from its outcome."""
    report = outcome.report
    if report is None:
        first = outcome.issues[0] if outcome.issues else None
        error = _issue_text(first) if first else "could not be checked"
        return Entry(one_line(outcome.path), error=one_line(error))
    areas = tuple(("focus", c) for c in report.focus_coverage) + tuple(
        ("section", c) for c in report.section_coverage
    )
    note = "out of scope: primary prevention only" if report.scope == "primary_only" else ""
    return Entry(
        one_line(outcome.path),
        one_line(report.programme_name),
        areas,
        report.counts()[Status.GAP],
        len(open_questions(report)),
        note=note,
    )


def build(outcomes: Sequence[FileOutcome]) -> Matrix:
    """The matrix of a run. Columns follow the rule packs' order (focus areas first)."""
    return assemble([entry(outcome) for outcome in outcomes])


def assemble(entries: Sequence[Entry]) -> Matrix:
    """The matrix of a run from each proposal's entry."""
    columns: dict[tuple[str, str], Column] = {}
    for line in entries:
        for kind, coverage in line.areas:
            columns.setdefault(
                (kind, coverage.key),
                Column(kind, one_line(coverage.key), one_line(coverage.title)),
            )
    rows: list[Row] = []
    for line in entries:
        if line.error:
            empty = tuple(
                Coverage(c.key, c.title, dict.fromkeys(Status, 0)) for c in columns.values()
            )
            rows.append(Row(line.path, "", empty, error=line.error))
            continue
        found = {(kind, c.key): c for kind, c in line.areas}
        cells = tuple(
            found.get(key, Coverage(column.key, column.title, dict.fromkeys(Status, 0)))
            for key, column in columns.items()
        )
        rows.append(Row(line.path, line.name, cells, line.gaps, line.questions, note=line.note))
    return Matrix(tuple(columns.values()), tuple(rows))


def _matrix(given: Matrix | Sequence[FileOutcome]) -> Matrix:
    return given if isinstance(given, Matrix) else build(given)


class MatrixReport:
    """``check --format matrix``: the comparison matrix, kept one entry per file."""

    streams: tuple[str, ...] = ("",)
    head_last: bool = False

    def __init__(self, view: View | None = None, rules: object = None) -> None:
        self._terminal = view.terminal if view else None
        self._entries: list[Entry] = []

    def start(self) -> str:
        return ""

    def part(self, outcome: FileOutcome, position: int = 0) -> Part:
        return Part(("",), entry(outcome))

    def keep(self, tally: Entry) -> None:
        self._entries.append(tally)

    def finish(self) -> Sequence[str]:
        return (render_table(assemble(self._entries), self._terminal),)


def _issue_text(issue: Issue) -> str:
    where = f"line {issue.location.line}: " if issue.location.line else ""
    return where + issue.message


def cell_text(cell: Coverage) -> str:
    """``67% 2m 1g 2q``: coverage over what is known, then the counts."""
    counts = cell.counts
    if not any(counts.values()):
        return "-"
    parts = [cell.percent()]
    marks = (
        (Status.PASS, "m"),
        (Status.GAP, "g"),
        (Status.CANNOT_ASSESS, "q"),
        (Status.WAIVED, "w"),
    )
    for status, mark in marks:
        if counts.get(status, 0):
            parts.append(f"{counts[status]}{mark}")
    if counts.get(Status.ERROR, 0):
        parts.append(f"{counts[Status.ERROR]} errors")
    return " ".join(parts)


def _summary_cells(row: Row) -> list[str]:
    return [str(row.gaps), str(row.questions)] if row.checked else ["", ""]


def _total_row(matrix: Matrix) -> list[str]:
    """Cells of the "all proposals" line: each area summed, then the gap and question totals."""
    checked = [row for row in matrix.rows if row.checked]
    return [
        *(cell_text(c) for c in matrix.totals()),
        str(sum(row.gaps for row in checked)),
        str(sum(row.questions for row in checked)),
    ]


def _several_checked(matrix: Matrix) -> bool:
    return sum(1 for row in matrix.rows if row.checked) > 1


def _heading(matrix: Matrix) -> str:
    broken = sum(1 for row in matrix.rows if not row.checked)
    text = f"Comparison of {len(matrix.rows)} proposal" + ("s" if len(matrix.rows) != 1 else "")
    if broken:
        text += f"; {broken} could not be checked"
    return text


# --- terminal table ----------------------------------------------------------------------------


def render_table(outcomes: Matrix | Sequence[FileOutcome], terminal: Terminal | None = None) -> str:
    """The matrix for a terminal: one row per proposal when that fits; else one row per area
    with the proposals numbered; else each proposal as a block of "area value" pairs."""
    terminal = terminal or Terminal()
    matrix = _matrix(outcomes)
    headers = (
        ["proposal"] + [c.key.replace("-", "\n") for c in matrix.columns] + ["gaps", "questions"]
    )
    body: list[list[str]] = []
    for row in matrix.rows:
        if row.checked:
            label = row.path + (f"\n({row.note})" if row.note else "")
            body.append([label, *(cell_text(c) for c in row.cells), *_summary_cells(row)])
        else:
            body.append([row.path, "invalid", *[""] * (len(matrix.columns) - 1), "", ""])
    if _several_checked(matrix):
        body.append(["all proposals", *_total_row(matrix)])
    paint = {i: _paint_cell(terminal) for i in range(1, len(headers))}
    parts = [terminal.paint(_heading(matrix), "heading"), ""]
    if layout.fits(body, headers, terminal.width):
        parts.append(layout.table(body, headers, terminal, paint=paint))
    else:
        parts.append(_narrow(matrix, body, headers, terminal))
    broken = [row for row in matrix.rows if not row.checked]
    if broken:
        parts += ["", "Could not be checked (errors on stderr):"]
        parts += [
            layout.fill(f"- {row.path}: {row.error}", terminal.width, hanging="  ")
            for row in broken
        ]
    parts += ["", layout.fill(LEGEND, terminal.width), "", "Areas:"]
    parts += [
        layout.fill(f"- {c.key}: {c.title} ({_kind_label(c)})", terminal.width, hanging="  ")
        for c in matrix.columns
    ]
    return terminal.safe("\n".join(parts)) + "\n"


def _paint_cell(terminal: Terminal) -> Callable[[str], str]:
    def paint(text: str) -> str:
        marks = text.split()
        if text == "invalid" or any(m[:-1].isdigit() and m.endswith("g") for m in marks):
            return terminal.paint(text, "gap")
        if any(m[:-1].isdigit() and m.endswith("q") for m in marks):
            return terminal.paint(text, "question")
        return text

    return paint


def _narrow(matrix: Matrix, body: list[list[str]], headers: list[str], terminal: Terminal) -> str:
    """The matrix turned on its side (areas down, proposals across, numbered), or, when even
    that is too wide, one block per proposal."""
    numbers = [str(i) for i in range(1, len(body) + 1)]
    if _several_checked(matrix):
        numbers[-1] = "all"
    turned = [
        [headers[column].replace("\n", "-"), *(row[column] for row in body)]
        for column in range(1, len(headers))
    ]
    key = [
        layout.fill(f"{number}: {row[0]}", terminal.width, hanging="   ")
        for number, row in zip(numbers, body, strict=True)
        if number != "all"
    ]
    turned_headers = ["area", *numbers]
    if layout.fits(turned, turned_headers, terminal.width):
        paint = {i: _paint_cell(terminal) for i in range(1, len(turned_headers))}
        table = layout.table(turned, turned_headers, terminal, paint=paint)
        return "\n".join(["Proposals:", *key, "", table])
    blocks = []
    for row in body:
        pairs = [
            f"{headers[i].replace(chr(10), '-')} {row[i]}" for i in range(1, len(headers)) if row[i]
        ]
        lines = [row[0]] + [
            " " * layout.INDENT + line
            for line in layout.stacked(
                [pairs], [""] * len(pairs), Terminal(terminal.width - layout.INDENT)
            ).split("\n")
        ]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _kind_label(column: Column) -> str:
    return "focus area" if column.kind == "focus" else "report section"


# --- CSV -------------------------------------------------------------------------------------


def render_csv(outcomes: Matrix | Sequence[FileOutcome]) -> str:
    """One line per proposal; for each area its coverage (0 to 1, empty when n/a) and counts."""
    matrix = _matrix(outcomes)
    header = ["file", "programme", "status", "error"]
    for column in matrix.columns:
        prefix = f"{column.kind}:{column.key}"
        header += [
            f"{prefix} coverage",
            f"{prefix} gaps",
            f"{prefix} questions",
            f"{prefix} waived",
        ]
    header += ["gaps", "questions"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in matrix.rows:
        status = ("out of scope" if row.note else "checked") if row.checked else "invalid"
        line = [row.path, row.name, status, row.error]
        for cell in row.cells:
            if not row.checked:
                line += ["", "", "", ""]
                continue
            ratio = cell.ratio
            line += [
                "" if ratio is None else f"{ratio:.4f}".rstrip("0").rstrip("."),
                str(cell.counts.get(Status.GAP, 0)),
                str(cell.counts.get(Status.CANNOT_ASSESS, 0)),
                str(cell.counts.get(Status.WAIVED, 0)),
            ]
        line += _summary_cells(row)
        writer.writerow([csv_cell(value) for value in line])
    return buffer.getvalue()


# --- Markdown ----------------------------------------------------------------------------------


def render_markdown(outcomes: Matrix | Sequence[FileOutcome]) -> str:
    matrix = _matrix(outcomes)
    headers = ["Proposal", *(markdown(c.title) for c in matrix.columns), "Gaps", "Questions"]
    lines = [f"## {_heading(matrix)}", ""]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "---|" + "---:|" * (len(headers) - 1))
    for row in matrix.rows:
        label = f"`{markdown_code(row.path)}`" + (f"<br>{markdown(row.name)}" if row.name else "")
        label += f"<br>**{markdown(row.note)}**" if row.note else ""
        if row.checked:
            cells = [cell_text(c) for c in row.cells] + _summary_cells(row)
        else:
            cells = [f"**invalid**: {markdown(row.error)}"] + [""] * (len(matrix.columns) + 1)
        lines.append("| " + " | ".join([label, *cells]) + " |")
    if _several_checked(matrix):
        lines.append("| " + " | ".join(["**All proposals**", *_total_row(matrix)]) + " |")
    lines += ["", markdown(LEGEND)]
    focus = [c for c in matrix.columns if c.kind == "focus"]
    if focus:
        lines += ["", "Focus areas: " + ", ".join(markdown(c.title) for c in focus) + "."]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_STYLE = """
:root { --good: #d8efd8; --gap: #f6d0cc; --unknown: #d9e6f5; --none: #f4f4f4; }
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
/* The table may be wider than the window: it scrolls inside its own box, the page does not. */
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.35rem 0.5rem; vertical-align: top; hyphens: manual; }
th { background: #f0f0f0; text-align: left; font-weight: 600; }
thead th { min-width: 4.5rem; }
tbody th { min-width: 10rem; }
td.cell { text-align: right; white-space: nowrap; }
td.good { background: var(--good); } td.gap { background: var(--gap); }
td.unknown { background: var(--unknown); }
td.none { background: var(--none); color: #666; }
td.invalid { background: var(--gap); }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid #666; }
.name { color: #555; font-size: 0.85rem; font-weight: normal; }
code { font-size: 0.85rem; overflow-wrap: anywhere; }
.key { display: inline-block; width: 0.8rem; height: 0.8rem; border: 1px solid #bbb;
       vertical-align: -0.1rem; margin: 0 0.25rem 0 0.75rem; }
.key.good { background: var(--good); } .key.gap { background: var(--gap); }
.key.unknown { background: var(--unknown); } .key.none { background: var(--none); }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { margin: 0; font-size: 8pt; }
  h1 { font-size: 13pt; }
  .scroll { overflow: visible; }
  table { font-size: 7pt; width: 100%; }
  th, td { padding: 0.15rem 0.25rem; }
  thead th { min-width: 0; }
  tbody th { min-width: 7rem; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
""".strip()

_KEYS = (
    ("good", "no gaps, no questions"),
    ("gap", "gaps (not met)"),
    ("unknown", "questions only (not known)"),
    ("none", "no rule applies"),
)


def render_html(outcomes: Matrix | Sequence[FileOutcome]) -> str:
    matrix = _matrix(outcomes)
    focus = [c for c in matrix.columns if c.kind == "focus"]
    sections = [c for c in matrix.columns if c.kind == "section"]
    heading = escape(_heading(matrix))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>cvecheck: {heading}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
        '<div class="scroll">',
        "<table>",
        "<thead>",
        '<tr><th rowspan="2">Proposal</th>'
        + (f'<th colspan="{len(focus)}">Focus areas</th>' if focus else "")
        + (f'<th colspan="{len(sections)}">Report sections</th>' if sections else "")
        + '<th rowspan="2">Gaps</th><th rowspan="2">Questions</th></tr>',
        "<tr>" + "".join(f"<th>{escape(c.title)}</th>" for c in matrix.columns) + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in matrix.rows:
        label = f"<code>{escape(row.path)}</code>" + (
            f'<br><span class="name">{escape(row.name)}</span>' if row.name else ""
        )
        label += f"<br><strong>{escape(row.note)}</strong>" if row.note else ""
        if not row.checked:
            out.append(
                f"<tr><th>{label}</th>"
                f'<td class="invalid" colspan="{len(matrix.columns) + 2}">'
                f"Could not be checked: {escape(row.error)}</td></tr>"
            )
            continue
        cells = "".join(_html_cell(cell) for cell in row.cells)
        gaps, questions = _summary_cells(row)
        out.append(
            f'<tr><th>{label}</th>{cells}<td class="cell">{gaps}</td>'
            f'<td class="cell">{questions}</td></tr>'
        )
    if _several_checked(matrix):
        cells = "".join(_html_cell(cell) for cell in matrix.totals())
        *_, gaps, questions = _total_row(matrix)
        out.append(
            f'<tr class="total"><th>All proposals</th>{cells}<td class="cell">{gaps}</td>'
            f'<td class="cell">{questions}</td></tr>'
        )
    keys = "".join(f'<span class="key {css}"></span>{label}' for css, label in _KEYS)
    out += [
        "</tbody>",
        "</table>",
        "</div>",
        f"<p>{escape(LEGEND)}</p>",
        f'<p class="legend">Colours:{keys}</p>',
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _html_cell(cell: Coverage) -> str:
    band = band_of(cell)
    counts = ", ".join(f"{cell.counts.get(s, 0)} {s.value}" for s in Status)
    return f'<td class="cell {band}" title="{escape(counts)}">{escape(cell_text(cell))}</td>'


def band_of(cell: Coverage) -> str:
    """The colour of a cell: a gap (not met) is never shown like an open question (not
    known)."""
    if cell.ratio is None:
        return "none"
    if cell.counts.get(Status.GAP, 0):
        return "gap"
    if cell.counts.get(Status.CANNOT_ASSESS, 0):
        return "unknown"
    return "good"


"""The formats of ``cvecheck compare``, by name."""
