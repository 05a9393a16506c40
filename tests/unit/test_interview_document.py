"""The interview's round-trip writer: an answer changes its own lines and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cvecheck import check_text
from cvecheck.interview import document as document_module
from cvecheck.interview.document import Document, write_atomic
from cvecheck.interview.fields import Kind, programme_schema
from cvecheck.template import programme_template
from tests.conftest import EXAMPLES_DIR

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))


def editable(text: str) -> Document:
    schema = programme_schema()
    document = Document(text)
    document.sibling_rank = lambda path: schema.order.get(
        ".".join(str(p) for p in path if isinstance(p, str)), len(schema.order)
    )
    return document


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from ``before`` and the lines added in ``after``."""
    removed: list[str] = []
    added: list[str] = []
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_written_back_unchanged_without_answers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert editable(text).text() == text


def _unstated_leaf(document: Document) -> tuple[str, ...]:
    """The first yes/no field, in file order, that the file leaves unstated (not in a list)."""
    schema = programme_schema()
    for dotted in schema.order:
        path = tuple(dotted.split("."))
        info = schema.field(path)
        in_list = any(schema.field(path[:n]).kind is Kind.ITEMS for n in range(1, len(path)))
        if info and info.kind is Kind.BOOLEAN and not in_list and not document.is_stated(path):
            return path
    raise AssertionError("every yes/no field is stated")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_one_answer_in_an_example_changes_only_its_own_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    document = editable(text)
    field = _unstated_leaf(document)
    document.set(field, True)
    after = document.text()
    removed, added = changed_lines(text, after)
    key = field[-1]
    # Either the empty key got its value, or the key (and perhaps its section) was added.
    parents = {f"{part}:" for part in field[:-1]}
    assert all(line.strip() in {f"{key}:"} for line in removed), removed
    assert added and added[-1].strip() == f"{key}: true", added
    assert all(line.strip() in parents | {f"{key}: true"} for line in added), added
    assert document.get(field) is True
    check_text(after, path.name)  # still a valid programme


def test_present_but_empty_key_gets_its_value_in_place() -> None:
    text = "programme:\n  # the name\n  name:\n  # the id\n  id: x\n"
    document = editable(text)
    document.set(("programme", "name"), "Riverside")
    assert document.text() == "programme:\n  # the name\n  name: Riverside\n  # the id\n  id: x\n"


def test_absent_nested_key_creates_the_mappings_on_the_way() -> None:
    text = "# head\nprogramme:\n  name: X\n# about gender\ngender:\n  gender_analysis: true\n"
    document = editable(text)
    document.set(("online", "evaluation", "evaluator"), "independent")
    assert document.text() == (
        "# head\nprogramme:\n  name: X\n"
        "online:\n  evaluation:\n    evaluator: independent\n"
        "# about gender\ngender:\n  gender_analysis: true\n"
    )


def test_empty_section_becomes_a_mapping() -> None:
    text = "programme:\n  name: X\n# online work\nonline:\n# gender\ngender:\n"
    document = editable(text)
    document.set(("online", "components"), ["redirect_ads"])
    assert document.text() == (
        "programme:\n  name: X\n# online work\nonline:\n  components: [redirect_ads]\n"
        "# gender\ngender:\n"
    )


def test_new_key_goes_in_schema_order_and_comments_stay_with_what_they_describe() -> None:
    text = "programme:\n  name: X  # same line\n  # where it works\n  settings: [community]\n"
    document = editable(text)
    document.set(("programme", "stages"), ["secondary"])
    document.set(("programme", "id"), "p1")
    assert document.text() == (
        "programme:\n"
        "  id: p1\n"
        "  name: X  # same line\n"
        "  stages: [secondary]\n"
        "  # where it works\n"
        "  settings: [community]\n"
    )


def test_first_key_keeps_the_comment_before_it_when_a_key_goes_in_front() -> None:
    text = "programme:\n  # the name\n  name: X\n"
    document = editable(text)
    document.set(("programme", "id"), "p1")
    assert document.text() == "programme:\n  id: p1\n  # the name\n  name: X\n"


def test_list_of_items_is_written_in_block_style_before_the_commented_example() -> None:
    text = programme_template()
    document = editable(text)
    document.set(
        ("multi_agency", "partners"),
        [{"agency": "County Police", "sector": "police"}, {"agency": "CAMHS", "sector": "health"}],
    )
    after = document.text()
    removed, added = changed_lines(text, after)
    # The list and its section were commented out: they are uncommented where they were.
    assert [line.rstrip("\n") for line in removed] == ["# multi_agency:", "  # partners:"]
    assert [line.rstrip("\n") for line in added] == [
        "multi_agency:",
        "  partners:",
        "    - agency: County Police",
        "      sector: police",
        "    - agency: CAMHS",
        "      sector: health",
    ]
    lines = after.splitlines()
    assert lines[lines.index("  partners:") + 1] == "    - agency: County Police"
    check_text(after, "t.yaml")


def test_text_that_reads_as_another_type_is_quoted() -> None:
    document = editable("programme:\n  version:\n  name:\n")
    document.set(("programme", "version"), "2.0")
    document.set(("programme", "name"), "true")
    text = document.text()
    assert text == 'programme:\n  version: "2.0"\n  name: "true"\n'
    check_text(text, "t.yaml")


def test_lines_ruamel_would_reformat_keep_their_bytes() -> None:
    text = "---\nprogramme:\n  name:    Spaced   # odd spacing\n  settings: [ community ]\n  id:\n"
    document = editable(text)
    document.set(("programme", "id"), "p1")
    assert document.text() == text.replace("  id:\n", "  id: p1\n")


def test_a_file_without_a_final_newline_keeps_it_that_way_where_untouched() -> None:
    text = "programme:\n  id:\n  name: X"
    document = editable(text)
    document.set(("programme", "id"), "p1")
    assert document.text() == "programme:\n  id: p1\n  name: X"


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]


def test_a_write_that_fails_half_way_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("old\n", encoding="utf-8")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(document_module.os, "fsync", broken)
    with pytest.raises(OSError):
        write_atomic(target, "new text that never lands\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]


def test_a_file_with_dashes_at_the_key_column_gets_new_items_in_its_own_style() -> None:
    text = "programme:\n  name: X\nsources:\n- title: Annual report\nmulti_agency:\n  partners:\n"
    document = editable(text)
    document.set(("multi_agency", "partners"), [{"agency": "Police", "sector": "police"}])
    assert document.text() == text + "  - agency: Police\n    sector: police\n"


def test_an_item_appended_to_a_list_goes_before_the_comments_that_follow_it() -> None:
    text = "waivers:\n  - rule: INT001\n    reason: old\n# --- where it comes from\nsources:\n"
    document = editable(text)
    document.set(("waivers", 1), {"rule": "INT003", "reason": "new"})
    assert document.text() == (
        "waivers:\n"
        "  - rule: INT001\n"
        "    reason: old\n"
        "  - rule: INT003\n"
        "    reason: new\n"
        "# --- where it comes from\n"
        "sources:\n"
    )


def test_a_field_the_template_comments_out_is_uncommented_in_place() -> None:
    text = "schema_version: '1'\n# formers:\n  # Used?\n  # used:\n  # roles:\n"
    document = editable(text)
    document.set(("formers", "used"), True)
    assert document.text() == "schema_version: '1'\nformers:\n  # Used?\n  used: true\n  # roles:\n"


def test_a_commented_out_value_is_never_brought_back() -> None:
    text = "programme:\n  # name: Old name\n  id: p1\n"
    document = editable(text)
    document.set(("programme", "name"), "New")
    after = document.text()
    assert "  # name: Old name\n" in after and "name: New" in after
    assert "Old name" not in str(document.get(("programme", "name")))
