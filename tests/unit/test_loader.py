"""The loader: YAML 1.2 scalars, source positions, and one located issue per kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvecheck.loader import MAX_DEPTH, MAX_NODES, decode, load_file, load_text
from cvecheck.results import InputError, Issue


def issue_of(text: str) -> Issue:
    with pytest.raises(InputError) as caught:
        load_text(text, "p.yaml")
    assert len(caught.value.issues) == 1
    return caught.value.issues[0]


# --- the YAML 1.1 surprises, decided and pinned -------------------------------------------


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("yes", "yes"),  # YAML 1.1 would give True
        ("no", "no"),
        ("NO", "NO"),  # Norway's country code stays a country code
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("010", 10),  # decimal, not octal 8
        ("0o10", 8),  # YAML 1.2 octal
        ("0x1F", 31),
        ("2024-01-02", "2024-01-02"),  # dates stay text; the model parses date fields
        ("2023-02-30", "2023-02-30"),  # impossible dates are the model's to refuse
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("~", None),
        ("null", None),
        ("", None),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-7", -7),
        ("'010'", "010"),
        ('"true"', "true"),
        ("!!str 10", "10"),
        ("!!int 10", 10),
    ],
)
def test_scalars_follow_yaml_1_2_core_schema(scalar: str, expected: object) -> None:
    data = load_text(f"value: {scalar}\n", "p.yaml").data
    assert data["value"] == expected
    assert type(data["value"]) is type(expected)


def test_source_map_gives_key_positions_and_item_positions() -> None:
    text = "programme:\n  name: Bridges\n  settings:\n    - community\n    - online\n"
    loaded = load_text(text, "p.yaml")
    positions = loaded.source_map.positions
    assert positions[("programme",)] == (1, 1)
    assert positions[("programme", "name")] == (2, 3)
    assert positions[("programme", "settings", 1)] == (5, 7)


def test_missing_path_is_located_at_its_nearest_ancestor() -> None:
    loaded = load_text("formers:\n  used: true\n", "p.yaml")
    location = loaded.source_map.locate(("formers", "training", "provided"))
    assert (location.line, location.column) == (1, 1)
    assert location.path == ("formers", "training", "provided")
    assert str(location) == "p.yaml:1:1"


# --- every kind of bad input: one issue, with a location ----------------------------------


def test_syntax_error_has_line_and_column() -> None:
    issue = issue_of("programme:\n  name: [unclosed\n  other: 1\n")
    assert issue.code == "yaml-unclosed"
    assert (issue.location.line, issue.location.column) == (2, 9)  # where the list opens
    assert issue.source == "  name: [unclosed"
    issue = issue_of("programme:\n  name: x\n  bad line here\n")
    assert issue.code in ("yaml-syntax", "yaml-missing-colon", "yaml-indentation")
    assert issue.location.line >= 3


def test_tab_indentation_is_explained() -> None:
    issue = issue_of("programme:\n\tname: x\n")
    assert issue.code == "yaml-tab"
    assert "tab" in issue.message
    assert (issue.location.line, issue.location.column) == (2, 1)


def test_duplicate_key_names_both_locations() -> None:
    issue = issue_of("programme:\n  name: a\n  status: pilot\n  name: b\n")
    assert issue.code == "duplicate-key"
    assert (issue.location.line, issue.location.column) == (4, 3)
    assert "first defined at line 2, column 3" in issue.message


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n# and another\n"])
def test_empty_file(text: str) -> None:
    issue = issue_of(text)
    assert issue.code == "empty"
    assert issue.location.line == 1


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "a single value")]
)
def test_root_must_be_a_mapping(text: str, kind: str) -> None:
    issue = issue_of(text)
    assert issue.code == "root-not-mapping"
    assert kind in issue.message
    assert issue.location.line == 1


def test_several_documents_are_refused() -> None:
    issue = issue_of("a: 1\n---\nb: 2\n")
    assert issue.code == "multiple-documents"
    assert issue.location.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system\n",
        "a: !custom thing\n",
        "a: !!set {x: null}\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!timestamp 2024-01-01\n",
    ],
)
def test_tags_other_than_core_scalars_are_refused(text: str) -> None:
    issue = issue_of(text)
    assert issue.code == "yaml-tag"
    assert (issue.location.line, issue.location.column) == (1, 4)


def test_mistyped_core_tag_is_refused() -> None:
    assert issue_of("a: !!int ten\n").code == "yaml-tag"


def test_merge_keys_are_refused() -> None:
    issue = issue_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert issue.code == "merge-key"
    assert issue.location.line == 3


@pytest.mark.parametrize("key", ["1", "true", "null", "[a, b]", "{a: 1}"])
def test_keys_must_be_words(key: str) -> None:
    issue = issue_of(f"? {key}\n: value\n")
    assert issue.code == "key-not-string"


def test_alias_expansion_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    issue = issue_of("\n".join(lines) + "\n")
    assert issue.code == "yaml-too-large"
    assert f"{MAX_NODES:,}" in issue.message


def test_aliases_within_budget_are_expanded() -> None:
    data = load_text("a: &x [1, 2]\nb: *x\n", "p.yaml").data
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_deep_nesting_is_refused_without_recursion() -> None:
    depth = 5000
    issue = issue_of("a: " + "[" * depth + "]" * depth + "\n")
    assert issue.code == "yaml-too-deep"
    assert str(MAX_DEPTH) in issue.message


def test_huge_integer_is_refused() -> None:
    issue = issue_of("count: " + "9" * 6000 + "\n")
    assert issue.code == "number-too-long"
    assert (issue.location.line, issue.location.column) == (1, 8)


# --- bytes on disk ---------------------------------------------------------------------------


def test_nul_byte_is_binary() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"a: 1\nb: \x00\n", "p.yaml")
    issue = caught.value.issues[0]
    assert issue.code == "input-binary"
    assert (issue.location.line, issue.location.column) == (2, 4)


def test_latin1_is_refused_with_position() -> None:
    with pytest.raises(InputError) as caught:
        decode("a: 1\nname: Café\n".encode("latin-1"), "p.yaml")
    issue = caught.value.issues[0]
    assert issue.code == "input-encoding"
    assert "UTF-8" in issue.message
    assert (issue.location.line, issue.location.column) == (2, 10)


def test_utf8_bom_and_utf16_with_bom_are_accepted() -> None:
    assert decode("\ufeffa: é\n".encode(), "p.yaml") == "a: é\n"
    assert decode("a: é\n".encode("utf-16"), "p.yaml") == "a: é\n"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_file(tmp_path / "nope.yaml")
    assert caught.value.issues[0].code == "input-missing"
    with pytest.raises(InputError) as caught:
        load_file(tmp_path)
    assert caught.value.issues[0].code == "input-not-file"


def test_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (2 * 1024 * 1024) + "\n")
    with pytest.raises(InputError) as caught:
        load_file(big)
    issue = caught.value.issues[0]
    assert issue.code == "input-too-large"
    assert "limit" in issue.message
