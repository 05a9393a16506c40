"""Laying text out for a terminal: tables that fit its width, wrapping that never splits a
word, and colour that is only ever added by cvecheck.

Every terminal renderer takes a ``Terminal`` (how wide, whether to colour) from the command
line and stays pure. A table is measured once: when its natural width fits, it is printed as
it is; when not, the columns of prose share what is left, each at least as wide as its longest
word; when even that does not fit, each row is stacked as a block, a line of its short fields
then one indented line per prose field, a blank line between rows ("stack columns rather than
squeeze them"). Words and dotted field names are never split: a word longer than its column
goes on a line of its own.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import tabulate as _tabulate_module
from tabulate import tabulate

from cvecheck.escaping import one_line

GAP = 2
"""Spaces between two columns of a table (tabulate's "simple" format)."""

INDENT = 4
"""Indent of the prose lines of a stacked row."""

MIN_PROSE = 12
"""A prose column narrower than this reads as a list of words: stack the rows instead."""

_SGR = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}

ROLES: dict[str, str] = {
    # severity of a rule
    "expected": "red",
    "recommended": "yellow",
    "advisory": "cyan",
    # outcome of a rule or verdict of a file
    "gap": "red",
    "gaps": "red",
    "question": "yellow",
    "questions": "yellow",
    "cannot assess": "yellow",
    "pass": "green",
    "no gaps": "green",
    "waived": "magenta",
    "not applicable": "dim",
    "error": "red",
    "invalid": "red",
    "heading": "bold",
}
"""What each word of a report is coloured with; anything else stays plain."""

_OURS = re.compile("\x1b\\[(?:" + "|".join(sorted(set(_SGR.values()))) + "|0)m")


@dataclass(frozen=True)
class Terminal:
    """Where terminal output goes: its width in characters and whether to colour it."""

    width: int = 80
    colour: bool = False

    def paint(self, text: str, role: str | None = None) -> str:
        """``text`` in the colour of ``role`` (its own text when None), or as it is."""
        code = _SGR.get(ROLES.get(role if role is not None else text, ""), "")
        if not self.colour or not code or not text:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"

    def safe(self, text: str) -> str:
        """The last line of defence, line by line: control characters shown, not obeyed; only
        the colour codes this module writes (when colour is on) pass."""
        if not self.colour and _harmless(text):
            return text  # what one_line would give for every line: the text as it is
        lines = text.split("\n")
        if not self.colour:
            return "\n".join(one_line(line) for line in lines)
        return "\n".join(_safe_coloured(line) for line in lines)


def _harmless(text: str) -> bool:
    """Whether ``one_line`` leaves every line of ``text`` as it is (checked once, not per line)."""
    return "::" not in text and "##[" not in text and text.replace("\n", "").isprintable()


def _safe_coloured(line: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _OURS.finditer(line):
        parts += [one_line(line[last : match.start()]), match.group()]
        last = match.end()
    parts.append(one_line(line[last:]))
    return "".join(parts)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width``, each of its lines on its own, never splitting a word or a
    dotted or hyphenated name; ``indent`` starts every line."""
    width = max(width, 1)
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        for wrapped in _greedy(one_line(line), width, indent, indent) or [indent.rstrip()]:
            lines += _at_dots(wrapped, width, indent)
    return lines


_SPACES = re.compile("( +)")


def _greedy(text: str, width: int, first: str, rest: str) -> list[str]:
    """The lines ``textwrap`` gives for ``text`` (``break_long_words`` and ``break_on_hyphens``
    off, ``first`` and ``rest`` as its indents), without its machinery, which costs more than
    the rest of a table: most cells fit on one line, and only spaces separate words once the
    text is printable (``one_line``)."""
    if not text.isprintable():  # any other whitespace: textwrap's own rules
        return textwrap.TextWrapper(
            width=width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ).wrap(text)
    if not text.strip(" "):
        return []
    if len(first) + len(text) <= width:
        return [first + text.rstrip(" ")]
    if "  " not in text and text[:1] != " " and text[-1:] != " ":
        return _by_words(text, width, first, rest)
    chunks = [chunk for chunk in _SPACES.split(text) if chunk]
    chunks.reverse()
    lines: list[str] = []
    while chunks:
        indent = rest if lines else first
        room = width - len(indent)
        if lines and chunks[-1][0] == " ":  # a line after the first starts with a word
            chunks.pop()
        line: list[str] = []
        length = 0
        while chunks and length + len(chunks[-1]) <= room:
            length += len(chunks[-1])
            line.append(chunks.pop())
        if not line and chunks and len(chunks[-1]) > room:
            line.append(chunks.pop())  # a word longer than the line has a line of its own
        if line and line[-1][0] == " ":
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


def _at_dots(line: str, width: int, indent: str) -> list[str]:
    """A line that is too long only because one dotted name is longer than the whole width,
    broken after dots so that each part of the name stays whole; any other line as it is."""
    word = line[len(indent) :]
    if len(line) <= width or " " in word or "." not in word:
        return [line]
    room = max(width - len(indent), 1)
    parts: list[str] = []
    current = ""
    for piece in re.split(r"(?<=\.)", word):
        if current and len(current) + len(piece) > room:
            parts.append(current)
            current = piece
        else:
            current += piece
    parts.append(current)
    return [indent + part for part in parts]


def _by_words(text: str, width: int, first: str, rest: str) -> list[str]:
    """``_greedy`` for text whose words are separated by single spaces (nearly all text)."""
    lines: list[str] = []
    indent = first
    current: list[str] = []
    length = 0
    for word in text.split(" "):
        if not current:
            current, length = [word], len(word)
        elif length + 1 + len(word) <= width - len(indent):
            current.append(word)
            length += 1 + len(word)
        else:
            lines.append(indent + " ".join(current))
            indent = rest
            current, length = [word], len(word)
    lines.append(indent + " ".join(current))
    return lines


def fill(text: str, width: int, indent: str = "", hanging: str | None = None) -> str:
    """A paragraph wrapped to ``width``; ``hanging`` indents the lines after the first."""
    width = max(width, 1)
    rest = indent if hanging is None else hanging
    lines = _greedy(one_line(text), width, indent, rest) or [indent.rstrip()]
    return "\n".join(
        part
        for number, line in enumerate(lines)
        for part in _at_dots(line, width, indent if number == 0 else rest)
    )


def _cell(value: object) -> object:
    """A cell with each of its lines made safe to print (a cell may hold several lines, one
    finding each; text from an input is put on one line by its renderer)."""
    if value is None:
        return None  # tabulate keeps a column with missing values numeric
    return (
        "\n".join(one_line(line) for line in value.split("\n")) if isinstance(value, str) else value
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _longest_word(value: object) -> int:
    return max((len(word) for word in _text(value).split()), default=0)


def _natural(value: object) -> int:
    return max((len(line) for line in _text(value).split("\n")), default=0)


Painter = Callable[[str], str]


def table(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    terminal: Terminal,
    *,
    prose: Iterable[int] = (),
    paint: Mapping[int, Painter] | None = None,
    colalign: Sequence[str] | None = None,
) -> str:
    """``rows`` as a table no wider than the terminal.

    ``prose`` names the columns that may wrap (the others keep their width); ``paint`` maps a
    column to a function that colours one line of its cells (applied after measuring).
    """
    body = [[_cell(value) for value in row] for row in rows]
    prose_columns = [i for i in prose if i < len(headers)]
    count = len(headers)
    natural = _natural_widths(body, headers)
    spare = terminal.width - GAP * (count - 1)
    if sum(natural) <= spare:
        return _tabulate(body, headers, terminal, paint, colalign)
    fixed = sum(natural[i] for i in range(count) if i not in prose_columns)
    least = {
        i: max([_header_width(headers[i])] + [_longest_word(r[i]) for r in body], default=1)
        for i in prose_columns
    }
    room = spare - fixed
    if not prose_columns or room < max(sum(least.values()), MIN_PROSE * len(prose_columns)):
        return stacked(body, headers, terminal, prose=prose_columns, paint=paint)
    widths = _share(room, {i: natural[i] for i in prose_columns}, least)
    wrapped = [
        [
            "\n".join(wrap(_text(value), widths[i])) if i in widths and value is not None else value
            for i, value in enumerate(row)
        ]
        for row in body
    ]
    return _tabulate(wrapped, headers, terminal, paint, colalign)


def _share(room: int, natural: dict[int, int], least: dict[int, int]) -> dict[int, int]:
    """Widths for the prose columns: each its longest word, the rest shared by what each lacks."""
    widths = dict(least)
    left = room - sum(widths.values())
    wanting = {i: natural[i] - widths[i] for i in widths if natural[i] > widths[i]}
    while left > 0 and wanting:
        total = sum(wanting.values())
        given = 0
        for i, want in list(wanting.items()):
            share = min(want, max(1, left * want // total))
            if given + share > left:
                share = left - given
            widths[i] += share
            given += share
            wanting[i] -= share
            if wanting[i] <= 0:
                del wanting[i]
        left -= given
        if given == 0:
            break
    return widths


def _tabulate(
    body: list[list[object]],
    headers: Sequence[str],
    terminal: Terminal,
    paint: Mapping[int, Painter] | None,
    colalign: Sequence[str] | None,
) -> str:
    if terminal.colour and paint:
        body = [
            [
                "\n".join(paint[i](line) for line in _text(value).split("\n"))
                if i in paint and isinstance(value, str)
                else value
                for i, value in enumerate(row)
            ]
            for row in body
        ]
    heads = [terminal.paint(h, "heading") for h in headers]
    given = list(colalign or ())[: len(headers)]  # a longer list may serve several tables
    detected = _alignments(body, len(headers)) if len(given) < len(headers) else []
    numparse = detected is None
    if detected is not None:  # the columns the caller did not align, as tabulate would
        colalign = given + detected[len(given) :]
    padding = _tabulate_module.MIN_PADDING
    _tabulate_module.MIN_PADDING = HEADER_PADDING
    try:
        # With the alignment known, tabulate need not try every cell as a number (most of
        # its time).
        text: str = tabulate(
            body,
            headers=heads,
            tablefmt="simple",
            colalign=colalign,
            disable_numparse=not numparse,
        )
    finally:
        _tabulate_module.MIN_PADDING = padding
    return text


def _alignments(body: Sequence[Sequence[object]], count: int) -> list[str] | None:
    """Whole numbers to the right, text to the left, as tabulate aligns them; None where a
    column holds other numbers, which only tabulate's own detection aligns the same way."""
    aligns = []
    for i in range(count):
        values = [row[i] for row in body if i < len(row) and row[i] is not None]
        if values and all(_whole(v) for v in values):
            aligns.append("right")
        elif values and all(_number(v) for v in values):
            return None
        else:
            aligns.append("left")
    return aligns


def _whole(value: object) -> bool:
    if isinstance(value, str):  # a leading zero is left to tabulate's own detection
        return value.isascii() and value.isdigit() and (value == "0" or value[0] != "0")
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def stacked(
    body: Sequence[Sequence[object]],
    headers: Sequence[str],
    terminal: Terminal,
    *,
    prose: Sequence[int] = (),
    paint: Mapping[int, Painter] | None = None,
) -> str:
    """Each row as a block: its short fields on one line, then each prose field, labelled, on
    indented lines. Used when the columns side by side would not fit."""
    blocks: list[str] = []
    inner = terminal.width - INDENT
    for row in body:
        short = [
            _painted(_text(value), i, terminal, paint)
            for i, value in enumerate(row)
            if i not in prose and _text(value)
        ]
        head = _join_fitting(short, terminal.width)
        lines = [head] if head else []
        for i in prose:
            text = _text(row[i])
            if not text:
                continue
            label = headers[i].replace("\n", " ")
            if len(prose) == 1:
                lines += wrap(text, inner, " " * INDENT)  # the one field needs no label
            elif "\n" not in text:
                lines += wrap(f"{label}: {text}", inner, " " * INDENT)
            else:
                lines += [" " * INDENT + f"{label}:", *wrap(text, inner - 2, " " * (INDENT + 2))]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)  # a blank line between entries, so they do not run together


def _painted(
    text: str, column: int, terminal: Terminal, paint: Mapping[int, Painter] | None
) -> str:
    if terminal.colour and paint and column in paint:
        return paint[column](text)
    return text


def fits(rows: Sequence[Sequence[object]], headers: Sequence[str], width: int) -> bool:
    """Whether ``rows`` side by side, unwrapped, fit in ``width`` characters."""
    natural = _natural_widths([[_cell(v) for v in row] for row in rows], headers)
    return sum(natural) + GAP * (len(headers) - 1) <= width


HEADER_PADDING = 0
"""Spaces added to a header's width; tabulate's default of 2 (its MIN_PADDING) would cost a
table of seven columns 14 characters, which an 80-column terminal cannot spare."""


def _header_width(header: str) -> int:
    return max(len(line) for line in header.split("\n")) + HEADER_PADDING


def _natural_widths(body: Sequence[Sequence[object]], headers: Sequence[str]) -> list[int]:
    """Each column's width as tabulate lays it out unwrapped."""
    return [
        max([_header_width(headers[i])] + [_natural(row[i]) for row in body])
        for i in range(len(headers))
    ]


def visible_length(text: str) -> int:
    """Length of ``text`` as shown, not counting this module's colour codes."""
    return len(_OURS.sub("", text))


def _join_fitting(parts: Sequence[str], width: int) -> str:
    """Parts joined by two spaces, starting a new line where the next would not fit."""
    lines: list[str] = []
    current = ""
    for part in parts:
        if current and visible_length(current) + GAP + visible_length(part) > width:
            lines.append(current)
            current = part
        else:
            current = f"{current}{' ' * GAP}{part}" if current else part
    if current:
        lines.append(current)
    return "\n".join(lines)
