"""Errors that teach: each common mistake keeps its one located line (file:line:col first, for
CI parsers) and adds the source line, a caret under the column and how to write it; codes are
stable and documented in docs/errors.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app

from ..paths import REPO
from ..reporting import PACK_DIR

runner = CliRunner()
PACK = str(PACK_DIR)

# name: (file text, code, line, column, words the message must use, text of the example)
CASES: dict[str, tuple[str, str, int, int, tuple[str, ...], str]] = {
    "under-indented key": (
        "programme:\n  name: X\nformers:\n  used: true\n training:\n    provided: true\n",
        "yaml-indentation",
        5,
        2,
        ("line up",),
        "  training:",
    ),
    "over-indented key": (
        "programme:\n  name: X\nformers:\n  training:\n    provided: true\n      before_delivery: true\n",
        "yaml-indentation",
        6,
        7,
        ("indented further",),
        "    provided: true",
    ),
    "colon in unquoted text": (
        "programme:\n  name: X\n  description: Outcome: better lives\n",
        "yaml-colon-in-text",
        3,
        23,
        ("colon", "quotes"),
        'description: "Outcome: better lives"',
    ),
    "list where a mapping is expected": (
        "programme:\n  name: X\nformers:\n  - used: true\n",
        "not-a-mapping",
        3,
        1,
        ("not a list", "'- '"),
        "formers:\n  used: ...",
    ),
    "single value where a list is expected": (
        "programme:\n  name: X\n  stages: secondary\n",
        "not-a-list",
        3,
        3,
        ("expected a list",),
        "stages: [secondary]",
    ),
    "mapping where a list is expected": (
        "programme:\n  name: X\n  stages: {a: b}\n",
        "not-a-list",
        3,
        3,
        ("not a mapping", "'- '"),
        "stages:\n  - ...",
    ),
    "ambiguous date": (
        "programme:\n  name: X\nwaivers:\n  - rule: REP001\n    reason: r\n    approved_by: a\n"
        "    expires: 1/4/2027\n",
        "not-a-date",
        7,
        5,
        ("YYYY-MM-DD", "1 April", "4 January"),
        "expires: 2027-04-01",
    ),
    "unknown enum value": (
        "programme:\n  name: X\n  stages: [secondry]\n",
        "not-a-choice",
        3,
        12,
        ("did you mean 'secondary'?",),
        "- secondary",
    ),
    "yes is not a boolean": (
        "programme:\n  name: X\nformers:\n  used: yes\n",
        "not-true-or-false",
        4,
        3,
        ("true or false",),
        "used: true",
    ),
    "waiver for an unknown rule": (
        "programme:\n  name: X\nwaivers:\n  - rule: REP01\n    reason: r\n    approved_by: a\n"
        "    expires: 2099-01-01\n",
        "waiver-unknown-rule",
        4,
        5,
        ("did you mean REP001?",),
        "- rule: REP001",
    ),
    "unclosed list": (
        "programme:\n  name: X\n  stages: [secondary\n",
        "yaml-unclosed",
        3,
        11,
        ("not closed",),
        "stages: [secondary, tertiary]",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_common_mistake_shows_the_line_a_caret_and_an_example(
    name: str, tmp_path: Path
) -> None:
    text, code, line, column, words, example = CASES[name]
    path = tmp_path / "draft.yaml"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["check", "--rules", PACK, str(path)])
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert first.startswith(f"error: {path}:{line}:{column}: ") and first.endswith(f"[{code}]")
    for word in words:
        assert word in first, (word, first)
    source = text.split("\n")[line - 1] if line <= text.count("\n") else ""
    assert rest[0] == f"  {line} | {source}"
    caret = rest[1]
    assert caret.startswith(f"  {' ' * len(str(line))} | ") and caret.endswith("^")
    assert caret.index("^") - caret.index("|") - 2 == column - 1  # under the column
    assert rest[2] == "  Write it like this:"
    shown = "\n".join(line[4:] for line in rest[3:])
    assert example in shown, shown


def test_item_numbers_count_from_one(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "programme:\n  name: X\nmulti_agency:\n  partners:\n    - {agency: A, sector: police}\n"
        "    - {agency: B, sector: helth}\n",
        "utf-8",
    )
    err = runner.invoke(app, ["check", "--rules", PACK, str(path)]).stderr
    assert "multi_agency.partners, item 2, sector: 'helth'" in err
    assert "did you mean 'health'?" in err


def test_no_validation_library_name_reaches_the_user(tmp_path: Path) -> None:
    for name, (text, *_rest) in CASES.items():
        path = tmp_path / "p.yaml"
        path.write_text(text, "utf-8")
        err = runner.invoke(app, ["check", "--rules", PACK, str(path)]).stderr
        assert not re.search(r"\[invalid-[a-z]+-[a-z-]+\]|input is too short|parsing", err), name


def test_every_code_a_programme_file_can_get_is_documented() -> None:
    from cvecheck.programme.errors import CODES

    documented = set(
        re.findall(r"`([a-z]+(?:-[a-z]+)+|empty|required)`", (REPO / "docs/errors.md").read_text())
    )
    sources = ["loader.py", "waivers.py", "programme/errors.py"]
    found: set[str] = set(CODES.values()) | {"invalid-value", "too-many-problems"}
    for source in sources:
        text = (REPO / "src" / "cvecheck" / source).read_text("utf-8")
        found |= set(re.findall(r'Issue\(\s*"([a-z-]+)"', text))
        found |= set(re.findall(r'_(?:fail|error)\(\s*[a-z_.]+,\s*"([a-z-]+)"', text))
    assert found and not found - documented, sorted(found - documented)


def test_an_example_never_echoes_a_hostile_key(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("programme:\n  name: X\n::error file=x::owned: a: b\n", "utf-8")
    err = runner.invoke(app, ["check", "--rules", PACK, str(path)]).stderr
    assert "[yaml-colon-in-text]" in err
    assert not any(line.lstrip().startswith("::") for line in err.splitlines())
