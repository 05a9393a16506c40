"""Every format of every command escapes hostile strings from programme files and rule packs.

A programme file is written by someone else: its name, file name, waiver reason and approver
reach every output, and a rule pack given with --rules is outside text too. Each format in the
renderer registry has a checker saying what "escaped" means for it (the table must not drive
the terminal; JSON must round-trip exactly). A new format joins by adding its checker; the test
fails for any registered format that has none, so no renderer ships without one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from cvecheck.catalogue import coverage_document
from cvecheck.changes import changes_between
from cvecheck.escaping import no_runner_commands
from cvecheck.pipeline import check_text
from cvecheck.reporters import (
    FORMATS,
    Command,
    Format,
    find,
    names,
    render,
    render_reports,
)
from cvecheck.results import FileOutcome, InputError
from cvecheck.rules import RuleSet, compile_rule, load_rules

from ..paths import EXAMPLES_DIR, SHIPPED_RULES

RULESET = load_rules([SHIPPED_RULES])

HOSTILE = {
    "ansi-escape": "\x1b[2J\x1b[31mred\x1b[0m",
    "c1-csi": "\x9b31mred",
    "newline": "first\nsecond\r\nthird",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "markdown": "# heading\n| a | b |\n```\n[link](javascript:alert(1))",
    "xml": "]]><!-- --><x a='1'/>&amp;&lt;",
    "bidi-override": "abc\u202edcba\u2066x\u2069",
    "line-separator": "one\u2028two\u2029three",
    "github-command": "::error file=x::owned\n::set-output name=x::y",
    "format-string": "%s%n{0}{{x}}${HOME}",
    "quotes": "'\"`\\",
    "zero-width": "a\u200bb\ufeffc",
    "long": "x" * 5000,
}


def _visible(text: str) -> list[str]:
    """The runs of ordinary characters in a hostile string, which a reader should still see."""
    runs, current = [], ""
    for ch in text:
        if ch.isprintable() and ch not in "\\":
            current += ch
        else:
            if len(current) >= 3:
                runs.append(current)
            current = ""
    if len(current) >= 3:
        runs.append(current)
    return runs


def check_table(output: str, hostile: str) -> None:
    for line in output.split("\n"):
        bad = [ch for ch in line if not ch.isprintable()]
        assert not bad, f"raw control or format characters {bad!r} in {line!r}"
    for category in ("Cc", "Cf", "Zl", "Zp"):
        assert not any(unicodedata.category(ch) == category for ch in output.replace("\n", "")), (
            category
        )
    runs = [no_runner_commands(run) for run in _visible(hostile)]
    assert not runs or any(run[:20] in output for run in runs), "hostile text vanished"
    check_no_runner_commands(output)


def check_no_runner_commands(output: str) -> None:
    """A GitHub Actions runner obeys a log line starting (after whitespace) with :: or ##[."""
    for line in output.split("\n"):
        assert not line.lstrip().startswith("::"), f"runner command in {line!r}"
    assert "##[" not in output


def check_json(output: str, hostile: str) -> None:
    document = json.loads(output)
    assert not any(ord(ch) < 0x20 and ch not in "\n" for ch in output)
    strings: list[str] = []
    stack: list[object] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            strings.append(item)
    assert hostile in strings, "the hostile string must round-trip exactly"


def check_terminal_text(output: str, hostile: str) -> None:
    """Any text meant for a terminal or a log: no raw control or format characters."""
    for line in output.split("\n"):
        bad = [ch for ch in line if not ch.isprintable()]
        assert not bad, f"raw control or format characters {bad!r} in {line!r}"


def check_markdown(output: str, hostile: str) -> None:
    check_terminal_text(output, hostile)
    check_no_runner_commands(output)
    for line in output.split("\n"):
        # A hostile newline must not start a heading, a table row or a fence of its own.
        assert not line.startswith(("# heading", "| a | b |", "```\n")), line
    # Inside a code span (which the hostile text cannot close) markup is shown, not parsed.
    outside_code = re.sub(r"`[^`\n]*`", "", output)
    assert "<script>" not in outside_code and "<img " not in outside_code


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_html(output: str, hostile: str) -> None:
    parser = _Tags()
    parser.feed(output)
    assert not [t for t, _ in parser.tags if t in ("script", "img", "x")], "markup was injected"
    assert not [a for _, attrs in parser.tags for a, _ in attrs if a.startswith("on")]
    assert not any(ord(ch) < 0x20 and ch not in "\n\t\r" for ch in output)


def check_sarif(output: str, hostile: str) -> None:
    json.loads(output)
    assert not any(ord(ch) < 0x20 and ch not in "\n" for ch in output)


def check_junit(output: str, hostile: str) -> None:
    # XML 1.0 cannot carry most control characters at all, not even as references.
    ElementTree.fromstring(output.encode("utf-8"))


def check_github(output: str, hostile: str) -> None:
    check_terminal_text(output, hostile)
    for line in output.split("\n"):
        # Workflow commands are read at the start of a line: a hostile one must not get there.
        assert not line.startswith(("::set-output", "::error file=x::owned")), line


def check_csv(output: str, hostile: str) -> None:
    check_terminal_text(output, hostile)
    for row in csv.reader(io.StringIO(output)):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


_CONCISE_LINE = re.compile(
    r"^\S.*:\d+:\d+: \S+ (\S+ )?(gap|question|error|notice): |^Found \d+ gaps? "
)


def check_concise(output: str, hostile: str) -> None:
    """One finding per line, each led by file:line:col (what CI log parsers read). It shows
    no programme name or waiver, so hostile programme text may not appear at all."""
    for line in output.split("\n"):
        assert line.isprintable(), f"raw control or format characters in {line!r}"
    for line in output.rstrip("\n").split("\n"):
        assert _CONCISE_LINE.match(line), f"not a concise finding line: {line!r}"


def check_json_text(output: str, hostile: str) -> None:
    json.loads(output)
    assert not any(ord(ch) < 0x20 and ch not in "\n" for ch in output)


def check_terminal(output: str, hostile: str) -> None:
    """Text for people at a terminal or in a CI log: also no runner commands."""
    check_terminal_text(output, hostile)
    check_no_runner_commands(output)


def word_text(output: bytes) -> list[str]:
    """Every paragraph and table cell of a Word document, as python-docx reads it back."""
    import docx

    document = docx.Document(io.BytesIO(output))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def check_docx(output: bytes, hostile: str) -> None:
    # It opens (every part is well-formed XML) and shows no raw control or format character.
    texts = word_text(output)
    for text in texts:
        bad = [ch for ch in text if not ch.isprintable() and ch not in "\n\t"]
        assert not bad, f"raw control or format characters {bad!r} in {text!r}"
    runs = _visible(hostile)
    assert not runs or any(run[:20] in "\n".join(texts) for run in runs), "hostile text vanished"


CHECKERS: dict[str, Callable[[str, str], None]] = {
    "terminal": check_terminal,
    "json": check_json_text,
    "markdown": check_markdown,
    "html": check_html,
    "xml": check_junit,
    "csv": check_csv,
    "github": check_github,
    "docx": check_docx,
}
"""What "escaped" means for each kind of text a format writes (``Format.kind``)."""

EXACT: dict[tuple[Command, str], Callable[[str, str], None]] = {
    (Command.CHECK, "json"): check_json,
    (Command.CHECK, "table"): check_table,
    (Command.CHECK, "concise"): check_concise,
}
"""Formats that promise more: the JSON report carries the hostile string exactly, and the
table still shows its ordinary characters."""


def checker(command: Command, name: str) -> Callable[[str, str], None]:
    return EXACT.get((command, name)) or CHECKERS[find(command, name).kind]


def formats() -> list[str]:
    return list(names(Command.CHECK))


def hostile_programme(text: str) -> str:
    rule = RULESET.rules[0].id
    data = {
        "programme": {"name": text, "description": text},
        "waivers": [{"rule": rule, "reason": text, "approved_by": text, "expires": "2099-12-31"}],
    }
    # Line separators (U+2028...) are refused in a file as it is written, but a double-quoted
    # escape such as "\u2028" puts one in a value: that is how a hostile value arrives.
    return yaml.safe_dump(data, allow_unicode=False)


def outcomes(text: str, file_name: str) -> list[FileOutcome]:
    report = check_text(hostile_programme(text), file_name, RULESET, today=date(2026, 1, 1))
    try:
        check_text("programme: [unclosed\n", file_name, RULESET)
    except InputError as error:
        broken = FileOutcome(file_name + "-broken", None, tuple(error.issues))
    return [FileOutcome(file_name, report), broken]


def hostile_ruleset(text: str) -> RuleSet:
    """The shipped rules with every text a rule pack supplies replaced by a hostile one."""
    compiled = []
    for rule in RULESET.rules:
        requirements = tuple(replace(r, gap=text, ask=text) for r in rule.rule.requirements)
        conditions = tuple(replace(c, reason=text, ask=text) for c in rule.rule.applies_when)
        model = replace(
            rule.rule,
            title=text,
            remediation=text,
            why=text,
            recommendation=text,
            requirements=requirements,
            applies_when=conditions,
        )
        compiled.append(compile_rule(model, rule.file))
    packs = tuple(
        replace(
            pack,
            title=text,
            sections=tuple(replace(s, title=text) for s in pack.sections),
        )
        for pack in RULESET.packs
    )
    return RuleSet(tuple(compiled), packs)


def test_every_format_has_a_checker() -> None:
    kinds = {f.kind for f in FORMATS}
    assert kinds <= set(CHECKERS), "add a checker for the new kind of text"


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_strings_are_escaped(fmt: str, name: str) -> None:
    hostile = HOSTILE[name]
    output = render_reports(fmt, outcomes(hostile, "programme.yaml"))
    checker(Command.CHECK, fmt)(output, hostile)


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", ["newline", "ansi-escape", "bidi-override", "html"])
def test_hostile_file_names_are_escaped(fmt: str, name: str, tmp_path: Path) -> None:
    file_name = str(tmp_path / f"{HOSTILE[name]}.yaml")
    output = render_reports(fmt, outcomes("Plain name", file_name))
    checker(Command.CHECK, fmt)(output, file_name)


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", ["ansi-escape", "newline", "bidi-override", "html", "c1-csi"])
def test_hostile_rule_pack_text_is_escaped(fmt: str, name: str) -> None:
    # A rule pack given with --rules is data from outside too: its titles, gaps, questions,
    # reasons and remediation reach every output.
    hostile = HOSTILE[name]
    ruleset = hostile_ruleset(hostile)
    programmes = [
        yaml.safe_dump({"programme": {"name": "Plain"}}),
        (EXAMPLES_DIR / "community-mentoring.yaml").read_text(encoding="utf-8"),
    ]
    reports = [
        FileOutcome(
            f"p{index}.yaml", check_text(text, f"p{index}.yaml", ruleset, today=date(2026, 1, 1))
        )
        for index, text in enumerate(programmes)
    ]
    output = render_reports(fmt, reports)
    if fmt == "json":
        json.loads(output)
        assert not any(ord(ch) < 0x20 and ch != "\n" for ch in output)
    else:
        checker(Command.CHECK, fmt)(output, hostile)


def other_outputs(command: Command, name: str, text: str) -> str:
    """The output of a command other than check with ``text`` in the programmes' names and
    waivers and in every text of the rule pack."""
    ruleset = hostile_ruleset(text)
    first = check_text(hostile_programme(text), f"{text[:40]}-a.yaml", ruleset, today=TODAY)
    second = check_text(
        yaml.safe_dump({"programme": {"name": text}}), f"{text[:40]}-b.yaml", ruleset, today=TODAY
    )
    match command:
        case Command.COMPARE:
            return render(
                command, name, [FileOutcome(first.file, first), FileOutcome(second.file, second)]
            )
        case Command.DIFF:
            changes = changes_between(
                [FileOutcome(first.file, first)],
                [FileOutcome(second.file, second)],
                (first.file, second.file),
            )
            return render(command, name, changes)
        case Command.RULES:
            return render(command, name, [c.rule for c in ruleset.rules], ruleset)
        case Command.COVERAGE:
            return render(command, name, coverage_document(ruleset))
        case Command.EXPLAIN:
            return render(command, name, ruleset.rules[0], ruleset)
    raise AssertionError(command)


TODAY = date(2026, 1, 1)
OTHER_FORMATS = [f for f in FORMATS if f.command is not Command.CHECK]


@pytest.mark.parametrize("fmt", OTHER_FORMATS, ids=lambda f: f"{f.command}-{f.name}")
@pytest.mark.parametrize(
    "name", ["ansi-escape", "newline", "bidi-override", "html", "c1-csi", "github-command"]
)
def test_every_other_command_escapes_hostile_text(fmt: Format, name: str) -> None:
    hostile = HOSTILE[name]
    output = other_outputs(fmt.command, fmt.name, hostile)
    checker(fmt.command, fmt.name)(output, hostile)
