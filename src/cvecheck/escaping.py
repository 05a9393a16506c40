"""Every way text from an input is made safe to show: terminal, Markdown, HTML, XML, CSV and
GitHub workflow commands, Word.

Programme files, rule packs and file names come from people we do not control. Their text may
hold terminal escape sequences, bidirectional overrides, markup, spreadsheet formulas or CI
runner commands; printed raw, it would rewrite a screen, a page or a build log. Every renderer
of every command escapes through this module and nowhere else, so one fix reaches them all.
This module imports nothing from cvecheck.
"""

from __future__ import annotations

import functools
import html as _html
import re

__all__ = [
    "csv_cell",
    "github_data",
    "github_property",
    "html",
    "markdown",
    "markdown_code",
    "no_runner_commands",
    "one_line",
    "visible",
    "word",
    "xml",
]


def visible(text: str, keep: str = "") -> str:
    """Control and format characters written as escapes (``\\x1b``, ``\\u202e``) so a reader
    sees them instead of a terminal or browser acting on them; characters in ``keep`` stay."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep else ascii(ch)[1:-1] for ch in text)


def one_line(text: str) -> str:
    """Text safe to print on one terminal line: control and format characters are escaped.

    File names, keys and values from an input can hold newlines, terminal escape sequences or
    bidirectional overrides; printed raw they would split an error line or rewrite the screen.
    Workflow-command openers are broken too (see ``no_runner_commands``).
    """
    return no_runner_commands(visible(text))


def no_runner_commands(text: str) -> str:
    """Text with no ``::`` and no ``##[``, so it cannot become a CI runner command.

    A GitHub Actions runner obeys any log line that starts, after whitespace, with ``::`` (say
    ``::add-mask::``) or ``##[``. A table wraps long cells at spaces, so any ``::`` in a cell
    could start a line; with none anywhere, no wrapping can make one. ``:\\:`` and ``#\\#[``
    still read as what was written.
    """
    if ":" not in text and "#" not in text:
        return text
    while "::" in text:
        text = text.replace("::", ":\\:")
    return text.replace("##[", "#\\#[")


# --- Markdown ----------------------------------------------------------------------------------

# Characters that can start markup anywhere in a line. CommonMark lets a backslash escape any
# ASCII punctuation, so the escaped text reads back as the original. Parentheses and "!" only
# matter next to a bracket, which is always escaped; an underscore inside a word (snake_case)
# cannot start emphasis, so it is left alone to keep paths readable.
_INLINE_MARKUP = re.compile(r"([\\`*{}\[\]|&~#$]|(?<![^\W_])_|_(?![^\W_]))")
# Characters that only mean something at the start of a line: list items, setext underlines.
_LINE_START_MARKUP = re.compile(r"^([-+=])|^(\d+)([.)])")
_WHITESPACE = re.compile(r"\s+")


def markdown(text: str, *, line_start: bool = False) -> str:
    """Text as literal Markdown: one line, no markup, HTML or links; safe in a table cell."""
    flat = visible(_WHITESPACE.sub(" ", text).strip())
    escaped = _INLINE_MARKUP.sub(r"\\\1", flat)
    # Entities, not backslashes, for angle brackets: the text then holds no tag at all, even
    # for a reader that does not follow CommonMark's escapes.
    escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    # CommonMark reads "\\:" as ":", so a viewer shows "::" while the file's lines, which a CI
    # log may print, hold none ("#" and "[" are escaped above, so "##[" cannot appear either).
    while "::" in escaped:
        escaped = escaped.replace("::", ":\\:")
    if line_start:
        escaped = _LINE_START_MARKUP.sub(
            lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
            escaped,
        )
    return escaped


def markdown_code(text: str) -> str:
    """Text for inside a Markdown code span (`...`) in a table cell: backticks and pipes cannot
    end the span or the cell, and control characters are shown."""
    flat = no_runner_commands(visible(_WHITESPACE.sub(" ", text).strip()))
    return flat.replace("`", "'").replace("|", "\\|")


# --- HTML and XML ------------------------------------------------------------------------------


def html(text: str) -> str:
    """Text as HTML content or a quoted attribute: markup characters escaped, control
    characters shown, not passed on."""
    return _html.escape(visible(text, keep="\n\t"))


@functools.cache
def _not_xml() -> re.Pattern[str]:
    """Characters XML 1.0 cannot hold at all, even escaped; a YAML string may contain them.
    Compiled on first use: it costs more than the rest of this module (about 3 ms)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml(text: str) -> str:
    """Text XML 1.0 can carry (the serialiser escapes markup): characters XML forbids become
    U+FFFD."""
    return _not_xml().sub("\ufffd", text)


def word(text: str) -> str:
    """Text for a Word document (python-docx escapes markup): control and format characters
    shown, not passed on; line breaks and tabs kept."""
    return xml(visible(text, keep="\n\t"))


# --- CSV ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading quote
    (OWASP's advice on CSV injection); control characters are shown."""
    shown = visible(text)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown


# --- GitHub workflow commands ------------------------------------------------------------------


def github_data(text: str) -> str:
    """The message part of a workflow command, escaped as GitHub's toolkit does (``%``, CR, LF),
    with escape sequences and bidi overrides shown, not obeyed."""
    shown = visible(text, keep="\r\n")
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (file, title): also ``:`` and ``,`` escaped."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
