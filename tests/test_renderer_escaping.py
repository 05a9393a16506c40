"""Every renderer escapes hostile strings that come from the programme file.

A programme file is written by someone else: its name, file name, waiver reason and approver
reach every output. Each format has a checker in ``CHECKERS`` saying what "escaped" means for
it (the table must not drive the terminal; JSON must round-trip exactly). A new renderer
joins by adding its checker; the test then fails for any format that has no checker, so no
renderer ships without one. Checkers for the formats being built elsewhere (markdown, html,
sarif, junit, github, matrix) are already here, marked PENDING until their owners adopt them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from cvecheck.pipeline import check_text
from cvecheck.reporters import RENDERERS, Format
from cvecheck.results import FileOutcome, InputError
from cvecheck.rules import RuleSet, compile_rule, load_rules

from .conftest import EXAMPLES_DIR, RULES_DIR

RULESET = load_rules([RULES_DIR])

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
    runs = _visible(hostile)
    assert not runs or any(run[:20] in output for run in runs), "hostile text vanished"


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
    for line in output.split("\n"):
        # A hostile newline must not start a heading, a table row or a fence of its own.
        assert not line.startswith(("# heading", "| a | b |", "```\n")), line
    assert "<script>" not in output and "<img " not in output


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


CHECKERS: dict[str, Callable[[str, str], None]] = {
    "table": check_table,
    "json": check_json,
    # Formats being built elsewhere; each joins the tests as soon as it is in Format.
    "matrix": check_terminal_text,
    "markdown": check_markdown,
    "html": check_html,
    "sarif": check_sarif,
    "sarif-github": check_sarif,
    "junit": check_junit,
    "github": check_github,
}

PENDING: set[str] = set()
"""Formats whose checker was written before the renderer existed here. Their cases are
expected failures (not strict) until the renderer's owner has seen them pass and removes the
format from this set; the failures they show are escaping defects to fix."""


def formats() -> list[object]:
    return [
        pytest.param(
            fmt,
            id=fmt.value,
            marks=[pytest.mark.xfail(reason="checker ahead of the renderer", strict=False)]
            if fmt.value in PENDING
            else [],
        )
        for fmt in Format
        if fmt.value in CHECKERS
    ]


def hostile_programme(text: str) -> str:
    rule = RULESET.rules[0].id
    data = {
        "programme": {"name": text, "description": text},
        "waivers": [{"rule": rule, "reason": text, "approved_by": text, "expires": "2099-12-31"}],
    }
    return yaml.safe_dump(data, allow_unicode=True)


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
        requirements = [
            r.model_copy(update={"gap": text, "ask": text}) for r in rule.rule.requirements
        ]
        conditions = [
            c.model_copy(update={"reason": text, "ask": text}) for c in rule.rule.applies_when
        ]
        model = rule.rule.model_copy(
            update={
                "title": text,
                "remediation": text,
                "why": text,
                "recommendation": text,
                "requirements": requirements,
                "applies_when": conditions,
            }
        )
        compiled.append(compile_rule(model, rule.file))
    packs = tuple(
        pack.model_copy(
            update={
                "title": text,
                "sections": [s.model_copy(update={"title": text}) for s in pack.sections],
            }
        )
        for pack in RULESET.packs
    )
    return RuleSet(tuple(compiled), packs)


def test_every_format_has_a_checker() -> None:
    assert {fmt.value for fmt in Format} <= set(CHECKERS), "add a checker for the new format"


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_strings_are_escaped(fmt: Format, name: str) -> None:
    hostile = HOSTILE[name]
    output = RENDERERS[fmt](outcomes(hostile, "programme.yaml"))
    CHECKERS[fmt.value](output, hostile)


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", ["newline", "ansi-escape", "bidi-override", "html"])
def test_hostile_file_names_are_escaped(fmt: Format, name: str, tmp_path: Path) -> None:
    file_name = str(tmp_path / f"{HOSTILE[name]}.yaml")
    output = RENDERERS[fmt](outcomes("Plain name", file_name))
    CHECKERS[fmt.value](output, file_name)


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("name", ["ansi-escape", "newline", "bidi-override", "html", "c1-csi"])
def test_hostile_rule_pack_text_is_escaped(fmt: Format, name: str) -> None:
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
    output = RENDERERS[fmt](reports)
    if fmt.value == "json":
        json.loads(output)
        assert not any(ord(ch) < 0x20 and ch != "\n" for ch in output)
    else:
        CHECKERS[fmt.value](output, hostile)
