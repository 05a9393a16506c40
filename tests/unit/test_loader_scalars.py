"""Plain scalars follow the YAML 1.2 core schema, whatever shortcut the loader takes."""

from __future__ import annotations

import math
from typing import Any

import pytest

from cvecheck.loader import load_text

CORE = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "FALSE": False,
    "yes": "yes",
    "no": "no",
    "NO": "NO",
    "on": "on",
    "off": "off",
    "n": "n",
    "nullify": "nullify",
    "truth": "truth",
    "010": 10,
    "-0": 0,
    "+12": 12,
    "0o17": 15,
    "0x1F": 31,
    "0b101": "0b101",
    "1.5": 1.5,
    ".5": 0.5,
    "-2.": -2.0,
    "1e3": 1000.0,
    "-.inf": -math.inf,
    ".Inf": math.inf,
    "2024-01-02": "2024-01-02",
    "1_000": "1_000",
    "12:30": "12:30",
    "+": "+",
    "-x": "-x",
    ".hidden": ".hidden",
    "word": "word",
}


@pytest.mark.parametrize(("text", "expected"), CORE.items(), ids=lambda v: repr(v))
def test_plain_scalar(text: str, expected: Any) -> None:
    value = load_text(f"key: {text}\n", "t.yaml").data["key"]
    assert value == expected and type(value) is type(expected)


def test_nan() -> None:
    assert math.isnan(load_text("key: .nan\n", "t.yaml").data["key"])


@pytest.mark.parametrize("text", ["'010'", '"true"', "!!str 12", "'~'"])
def test_quoted_or_tagged_text_stays_text(text: str) -> None:
    assert isinstance(load_text(f"key: {text}\n", "t.yaml").data["key"], str)


def test_aliases_share_the_anchored_value_and_positions_point_home() -> None:
    loaded = load_text("base: &b {x: 1}\nother: *b\n", "t.yaml")
    assert loaded.data["other"] == {"x": 1}
    assert loaded.source_map.locate(("other", "x")).line == 2
    assert loaded.source_map.locate(("base", "x")).line == 1


def test_the_pure_python_parser_gives_the_same_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where libyaml is missing the loader falls back to PyYAML's own parser.
    from cvecheck import loader

    from ..paths import EXAMPLES_DIR

    text = (EXAMPLES_DIR / "community-mentoring.yaml").read_text(encoding="utf-8")
    fast = load_text(text, "x.yaml")
    monkeypatch.setattr(loader, "_Parser", loader._PureParser)
    slow = load_text(text, "x.yaml")
    assert slow.data == fast.data
    assert slow.source_map.positions == fast.source_map.positions


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a:\n\tb: 1\n", "yaml-tab"),
        ("a: \x07\n", "yaml-syntax"),
        ('a: "\\ud800"\n', "yaml-escape"),
        ("a: 1\na: 2\n", "duplicate-key"),
        ("a: !!python/name:os.system\n", "yaml-tag"),
        ("- 1\n", "root-not-mapping"),
    ],
)
def test_the_pure_python_parser_refuses_the_same_input(
    text: str, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cvecheck import loader
    from cvecheck.results import InputError

    monkeypatch.setattr(loader, "_Parser", loader._PureParser)
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml")
    (issue,) = caught.value.issues
    assert issue.code == code and issue.location.line >= 1 and "\n" not in str(issue)
