"""``cvecheck check``: thresholds, exit codes, configuration, selection and every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cvecheck import batch
from cvecheck.cli import app
from cvecheck.reporters import Command, names

from ..reporting import PACK_DIR, TRICKY_YAML

RUNNER = CliRunner()

# Only the advisory rule (REP001) has a gap; the other rules pass or do not apply.
ADVISORY_GAP = """\
programme: {name: Advisory gap, settings: [community]}
formers: {used: false}
multi_agency: {lead_agency: Council}
community_and_reporting:
  receives_concerns: true
  post_reporting_support: {named_contact: false}
"""
# The file says nothing the rules ask about: every rule has questions, none has a gap.
SILENT = "programme: {name: Silent}\n"


def run(*arguments: str | Path) -> Result:
    return RUNNER.invoke(app, ["check", *map(str, arguments)])


def programme(folder: Path, text: str, name: str = "programme.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ((), 0),  # default threshold: recommended
        (("--fail-on", "advisory"), 1),
        (("--fail-on", "expected"), 0),
        (("--fail-on", "never"), 0),
        (("--fail-on", "advisory", "--exit-zero"), 0),
    ],
)
def test_gaps_fail_the_run_at_or_above_the_threshold(
    tmp_path: Path, options: tuple[str, ...], code: int
) -> None:
    result = run(programme(tmp_path, ADVISORY_GAP), "--rules", PACK_DIR, *options)
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ((), 0),
        (("--fail-on-questions",), 1),
        (("--fail-on-questions", "--fail-on", "never"), 0),
        (("--fail-on-questions", "--exit-zero"), 0),
    ],
)
def test_unanswered_questions_fail_only_when_asked(
    tmp_path: Path, options: tuple[str, ...], code: int
) -> None:
    result = run(programme(tmp_path, SILENT), "--rules", PACK_DIR, *options)
    assert result.exit_code == code, result.output


def test_exit_zero_never_hides_invalid_input(tmp_path: Path) -> None:
    result = run(programme(tmp_path, "programme: [\n"), "--rules", PACK_DIR, "--exit-zero")
    assert result.exit_code == 2


def test_the_configuration_file_sets_the_threshold_and_the_command_line_wins(
    tmp_path: Path,
) -> None:
    (tmp_path / ".cvecheck.yaml").write_text(
        f"fail-on-questions: true\nrules: [{PACK_DIR}]\n", encoding="utf-8"
    )
    path = programme(tmp_path, SILENT)
    assert run(path).exit_code == 1
    assert run(path, "--no-fail-on-questions").exit_code == 0
    assert run(path, "--fail-on", "never").exit_code == 0


def test_an_invalid_configuration_exits_2_with_its_location(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cvecheck]\nfail-on = 'high'\n", "utf-8")
    result = run(programme(tmp_path, SILENT))
    assert result.exit_code == 2
    assert f"{tmp_path / 'pyproject.toml'}:2:1: fail-on:" in result.output


def test_selection_limits_the_report_and_its_coverage(tmp_path: Path) -> None:
    path = programme(tmp_path, TRICKY_YAML)
    result = run(path, "--rules", PACK_DIR, "--select", "DLV001", "-f", "json")
    document = json.loads(result.stdout)
    [file] = document["files"]
    assert [r["rule"] for r in file["results"]] == ["DLV001"]
    counted = sum(sum(a["counts"].values()) for a in file["coverage"]["focus_areas"])
    assert counted == 1
    # The file waives REP001, which this run leaves out: that is not an error.
    assert result.exit_code == 1


def test_an_unknown_pattern_is_a_usage_error(tmp_path: Path) -> None:
    result = run(programme(tmp_path, SILENT), "--rules", PACK_DIR, "--ignore", "DLX")
    assert result.exit_code == 2
    assert "'DLX' matches no rule id" in result.output and "did you mean 'DLV'?" in result.output


def test_show_config_prints_the_settings_and_checks_nothing(tmp_path: Path) -> None:
    (tmp_path / ".cvecheck.yaml").write_text("fail-on: advisory\n", encoding="utf-8")
    result = run(programme(tmp_path, "not: [valid"), "--show-config", "--select", "KEY")
    assert result.exit_code == 0, result.output
    assert f"# Configuration file: {tmp_path / '.cvecheck.yaml'}" in result.stdout
    assert 'select = ["KEY"]' in result.stdout


def test_worker_processes_run_the_same_selection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 1)
    first = programme(tmp_path, TRICKY_YAML, "a.yaml")
    second = programme(tmp_path, ADVISORY_GAP, "b.yaml")
    result = run(first, second, "--rules", PACK_DIR, "--ignore", "REP", "-j", "2", "-f", "json")
    document = json.loads(result.stdout)
    assert [[r["rule"] for r in f["results"]] for f in document["files"]] == [
        ["DLV001", "DLV002"],
        ["DLV001", "DLV002"],
    ]


def test_every_format_is_offered_and_can_be_written_at_once(tmp_path: Path) -> None:
    path = programme(tmp_path, TRICKY_YAML)
    options: list[str | Path] = []
    for name in names(Command.CHECK):
        options += ["-f", name, "-o", tmp_path / f"out.{name}"]
    result = run(path, "--rules", PACK_DIR, *options)
    assert result.exit_code == 1, result.output
    written = {
        name: (tmp_path / f"out.{name}").read_text(encoding="utf-8")
        for name in names(Command.CHECK)
    }
    assert json.loads(written["sarif"])["version"] == "2.1.0"
    assert json.loads(written["json"])["schema_version"] == 2
    assert ET.fromstring(written["junit"]).tag == "testsuites"
    assert written["markdown"].startswith("# Gap report: ")
    assert written["html"].startswith("<!DOCTYPE html>")
    assert written["github"].startswith("::error file=")
