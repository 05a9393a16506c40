"""Configuration files: discovery, both file kinds, located errors, and precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvecheck.config import (
    COMMAND_LINE,
    DEFAULT,
    CommandLine,
    describe,
    find_config,
    resolve,
    search_start,
    selection_issues,
)
from cvecheck.results import InputError, Location, Severity
from cvecheck.rules import default_rules_dir
from cvecheck.selection import select_rules, unknown_pattern

from ..reporting import PACK_DIR, ruleset


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def issues_of(error: pytest.ExceptionInfo[InputError]) -> list[tuple[int, int, str]]:
    return [(i.location.line, i.location.column, i.message) for i in error.value.issues]


def test_the_nearest_file_wins_and_a_pyproject_without_the_table_is_passed_over(
    tmp_path: Path,
) -> None:
    programme = write(tmp_path / "a" / "b" / "c" / "p.yaml", "programme: {}\n")
    write(tmp_path / "a" / "b" / "pyproject.toml", "[project]\nname = 'x'\n")
    upper = write(tmp_path / "a" / "pyproject.toml", "[tool.cvecheck]\nfail-on = 'never'\n")
    assert find_config(search_start([str(programme)])) == upper
    nearer = write(tmp_path / "a" / "b" / ".cvecheck.yaml", "fail-on: advisory\n")
    assert find_config(search_start([str(programme)])) == nearer
    # In one folder the YAML file is preferred to pyproject.toml.
    write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.cvecheck]\nfail-on = 'never'\n")
    assert find_config(search_start([str(programme)])) == nearer


def test_the_search_starts_at_the_first_input(tmp_path: Path) -> None:
    folder = tmp_path / "programmes"
    folder.mkdir()
    assert search_start([str(folder / "x.yaml")]) == folder.resolve()
    assert search_start([str(folder)]) == folder.resolve()
    assert search_start([f"{folder}/**/*.yaml"]) == folder.resolve()


def test_pyproject_table_is_read_with_where_each_value_is(tmp_path: Path) -> None:
    write(tmp_path / "packs" / "extra" / "pack.yaml", "name: x\n")
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.cvecheck]\nfail-on = "expected"\n'
        '  select = ["DLV", "reporting"]\nrules = ["packs/extra"]\n\n[tool.other]\nignore = 1\n',
    )
    settings = resolve(CommandLine(), [str(tmp_path / "p.yaml")], None)
    assert settings.config_file == tmp_path / "pyproject.toml"
    assert (settings.fail_on, settings.select) == ("expected", ("DLV", "reporting"))
    assert settings.extra_rules == (tmp_path / "packs" / "extra",)
    assert settings.rule_dirs == (default_rules_dir(), tmp_path / "packs" / "extra")
    file = str(tmp_path / "pyproject.toml")
    assert settings.origin("fail-on") == Location(file, 5, 1, ("fail-on",))
    assert settings.origin("select") == Location(file, 6, 3, ("select",))
    assert settings.origin("ignore") == DEFAULT
    assert settings.ignore == ()


def test_yaml_file_values_and_list_items_are_located(tmp_path: Path) -> None:
    config = write(
        tmp_path / ".cvecheck.yaml", "fail-on-questions: true\nignore:\n  - REP002\n  - DLV0\n"
    )
    settings = resolve(CommandLine(), [str(tmp_path / "p.yaml")], None)
    assert settings.fail_on_questions is True and settings.ignore == ("REP002", "DLV0")
    assert settings.pattern_origins[("ignore", "DLV0")] == Location(
        str(config), 4, 5, ("ignore", 1)
    )


def test_the_command_line_wins_over_the_file(tmp_path: Path) -> None:
    write(
        tmp_path / ".cvecheck.yaml",
        "fail-on: never\nfail-on-questions: true\nselect: [DLV]\nrules: [.]\n",
    )
    given = CommandLine(
        fail_on="advisory",
        fail_on_questions=False,
        select=("REP001, REP002", "DLV002"),
        rules=(PACK_DIR,),
        exit_zero=True,
    )
    settings = resolve(given, [str(tmp_path / "p.yaml")], None)
    assert settings.fail_on == "advisory" and settings.threshold is Severity.ADVISORY
    assert settings.fail_on_questions is False
    assert settings.select == ("REP001", "REP002", "DLV002")
    assert settings.rule_dirs == (PACK_DIR,)  # --rules replaces the built-in pack too
    assert settings.exit_zero is True
    for key in ("fail-on", "fail-on-questions", "select", "rules", "exit-zero"):
        assert settings.origin(key) == COMMAND_LINE


def test_an_explicit_config_is_used_instead_of_searching(tmp_path: Path) -> None:
    write(tmp_path / ".cvecheck.yaml", "fail-on: never\n")
    chosen = write(tmp_path / "elsewhere" / "ci.toml", 'fail-on = "expected"\n')
    settings = resolve(CommandLine(), [str(tmp_path / "p.yaml")], chosen)
    assert (settings.config_file, settings.fail_on) == (chosen.resolve(), "expected")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            ".cvecheck.yaml",
            "fail_on: expected\n",
            [(1, 1, "'fail_on' is not a setting; did you mean 'fail-on'?")],
        ),
        (
            ".cvecheck.yaml",
            "select: DLV\nfail-on: high\n",
            [
                (
                    1,
                    1,
                    "select: expected a list of texts, each a rule id, id prefix, "
                    "section id or focus area",
                ),
                (
                    2,
                    1,
                    'fail-on: "high" is not allowed; use one of expected, recommended, '
                    "advisory, never",
                ),
            ],
        ),
        (".cvecheck.yaml", "select: [DLV\n", None),
        (
            "pyproject.toml",
            "[tool.cvecheck]\nfail-on-questions = 1\nrules = ['missing']\n",
            [
                (2, 1, "fail-on-questions: expected true or false, not 1"),
                (3, 1, "rules: folder 'missing' not found (looked for {dir}/missing)"),
            ],
        ),
        (
            "pyproject.toml",
            "[tool.cvecheck]\nfail-on = expected\n",
            [(2, 11, "invalid TOML: Invalid value")],
        ),
    ],
)
def test_invalid_configuration_is_an_input_error_with_a_location(
    tmp_path: Path, name: str, text: str, expected: list[tuple[int, int, str]] | None
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(InputError) as error:
        resolve(CommandLine(), [str(tmp_path / "p.yaml")], None)
    assert {i.location.file for i in error.value.issues} == {str(path)}
    if expected is None:  # a YAML syntax error: the loader's own message, located
        assert error.value.issues[0].code == "yaml-unclosed"
        assert error.value.issues[0].location.line == 1  # where the list opens
        return
    assert issues_of(error) == [
        (line, column, message.format(dir=tmp_path)) for line, column, message in expected
    ]


def test_an_explicit_pyproject_without_the_table_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(InputError) as error:
        resolve(CommandLine(), [], path)
    assert error.value.issues[0].message == "this pyproject.toml has no [tool.cvecheck] table"


def test_selection_filters_the_rule_set_by_id_prefix_section_and_focus_area() -> None:
    rules = ruleset()

    def ids(select: tuple[str, ...], ignore: tuple[str, ...] = ()) -> list[str]:
        return [c.id for c in select_rules(rules, select, ignore).rules]

    assert ids(()) == ["DLV001", "DLV002", "REP001", "REP002"]
    assert ids(("DLV",)) == ["DLV001", "DLV002"]
    assert ids(("REP002",)) == ["REP002"]
    assert ids(("delivery",)) == ["DLV001", "DLV002"]
    assert ids(("reporter-aftercare", "former-training")) == ["DLV001", "REP001"]
    assert ids(("DLV",), ("DLV002",)) == ["DLV001"]
    assert ids((), ("reporting",)) == ["DLV001", "DLV002"]
    assert select_rules(rules, ("DLV",), ()).deselected == {"REP001", "REP002"}


def test_a_pattern_that_names_nothing_is_reported_with_a_suggestion() -> None:
    rules = ruleset()
    assert unknown_pattern(rules, "delivery") is None
    assert unknown_pattern(rules, "online-evaluation") is None  # a focus area, even unused
    assert unknown_pattern(rules, "DLV00") is None
    assert unknown_pattern(rules, "DLX") == (
        "'DLX' matches no rule id, id prefix, report section or focus area; did you mean 'DLV'?"
    )
    assert unknown_pattern(rules, "zzz") == (
        "'zzz' matches no rule id, id prefix, report section or focus area"
    )


def test_unknown_patterns_are_located_where_they_were_written(tmp_path: Path) -> None:
    config = write(tmp_path / ".cvecheck.yaml", "select:\n  - DLV\n  - DLX\n")
    settings = resolve(CommandLine(ignore=("REX",)), [str(tmp_path / "p.yaml")], None)
    found = selection_issues(settings, ruleset())
    assert [(str(i.location), i.message.split(";")[0]) for i in found] == [
        (
            f"{config}:3:5",
            "select: 'DLX' matches no rule id, id prefix, report section or focus area",
        ),
        ("--ignore", "'REX' matches no rule id, id prefix, report section or focus area"),
    ]


def test_show_config_says_where_each_value_comes_from(tmp_path: Path) -> None:
    config = write(tmp_path / ".cvecheck.yaml", "fail-on: advisory\n")
    settings = resolve(CommandLine(select=("DLV",)), [str(tmp_path / "p.yaml")], None)
    lines = describe(settings).splitlines()
    assert lines[0] == f"# Configuration file: {config}"
    assert lines[1] == f"# Rule packs in use: built-in ({default_rules_dir()})"
    values = {
        line.split(" = ")[0]: [part.strip() for part in line.split("  # ")] for line in lines[2:]
    }
    assert values["fail-on"][0].endswith('"advisory"') and values["fail-on"][1] == f"{config}:1:1"
    assert values["select"][0].endswith('["DLV"]') and values["select"][1] == "command line"
    assert values["ignore"][1] == "default"
    assert values["exit-zero"][1] == "default (command line only)"
