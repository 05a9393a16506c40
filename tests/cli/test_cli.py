"""The command line end to end: every exit code, error lines with locations, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck import __version__
from cvecheck.cli import app
from cvecheck.programme import programme_json_schema

from ..paths import EXAMPLES_DIR, FIXTURES

PACK = str(FIXTURES / "pack")
EXAMPLE = EXAMPLES_DIR / "community-mentoring.yaml"
runner = CliRunner()

PASSING = "formers: {used: true, training: {provided: true}}\ngender: {gender_analysis: true}\n"
EXPECTED_GAP = (
    "formers: {used: true, training: {provided: false}}\ngender: {gender_analysis: true}\n"
)
ADVISORY_GAP = (
    "formers: {used: true, training: {provided: true}}\ngender: {gender_analysis: false}\n"
)
QUESTION = "formers: {used: true}\ngender: {gender_analysis: true}\n"


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_exit_0_when_nothing_reaches_the_threshold(tmp_path: Path) -> None:
    code, out, _ = run("check", "--rules", PACK, write(tmp_path, PASSING))
    assert code == 0
    assert "Summary: 2 rules: 2 met, 0 not met, 0 not known, 0 not applicable; 0 questions" in out


def test_exit_1_for_a_gap_at_the_threshold(tmp_path: Path) -> None:
    code, out, _ = run("check", "--rules", PACK, write(tmp_path, EXPECTED_GAP))
    assert code == 1
    assert "DEM001" in out and "Formers are not trained." in out and "Train them." in out


@pytest.mark.parametrize(
    ("text", "fail_on", "expected"),
    [
        (ADVISORY_GAP, "recommended", 0),
        (ADVISORY_GAP, "advisory", 1),
        (EXPECTED_GAP, "never", 0),
        (EXPECTED_GAP, "expected", 1),
        (QUESTION, "advisory", 0),
    ],
)
def test_fail_on_sets_the_threshold(tmp_path: Path, text: str, fail_on: str, expected: int) -> None:
    code, _, _ = run("check", "--rules", PACK, "--fail-on", fail_on, write(tmp_path, text))
    assert code == expected


def test_question_is_shown_with_its_location(tmp_path: Path) -> None:
    code, out, _ = run("check", "--rules", PACK, write(tmp_path, QUESTION))
    assert code == 0
    assert "Questions to answer (1)" in out
    assert "p.yaml:1" in out and "Are formers trained (formers.training.provided)?" in out


def test_exit_2_for_invalid_programme_with_location(tmp_path: Path) -> None:
    path = write(tmp_path, "formers:\n  used: true\n  trainng: {}\n")
    code, _, err = run("check", "--rules", PACK, path)
    assert code == 2
    assert f"error: {path}:3:3: formers.trainng: 'trainng' is not a known field" in err
    assert "did you mean 'training'?" in err


def test_exit_2_for_an_unknown_waiver_rule(tmp_path: Path) -> None:
    text = (
        PASSING + "waivers:\n  - {rule: NOPE01, reason: r, approved_by: a, expires: 2030-01-01}\n"
    )
    code, _, err = run("check", "--rules", PACK, write(tmp_path, text))
    assert code == 2
    assert "waiver names rule 'NOPE01', which does not exist" in err


def test_exit_2_for_invalid_rules(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text((FIXTURES / "pack" / "pack.yaml").read_text())
    rule = (FIXTURES / "pack" / "DEM002-gender-analysis.yaml").read_text()
    (pack / "DEM002-gender-analysis.yaml").write_text(
        rule.replace("severity: advisory", "severity: urgent")
    )
    code, _, err = run("check", "--rules", str(pack), write(tmp_path, PASSING))
    assert code == 2
    assert "DEM002-gender-analysis.yaml:7:1" in err and "'urgent' is not one of the choices" in err


def test_exit_2_for_a_rule_whose_schema_cannot_be_used(tmp_path: Path) -> None:
    code, _, err = run(
        "check", "--rules", str(FIXTURES / "broken-ref-pack"), write(tmp_path, PASSING)
    )
    assert code == 2
    assert "DEM001-formers-trained.yaml:19:5" in err
    assert "Pointer '/$defs/missing' does not exist" in err


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--no-such-option", "x.yaml"],
        ["check", "--fail-on", "sometimes", "x.yaml"],
        ["check", "--format", "pdf", "x.yaml"],
        ["nonsense"],
    ],
)
def test_exit_2_for_usage_errors(args: list[str]) -> None:
    code, _, _ = run(*args)
    assert code == 2


def test_batch_reports_the_broken_file_and_checks_the_others(tmp_path: Path) -> None:
    good = write(tmp_path, PASSING, "good.yaml")
    bad = write(tmp_path, "a: [\n", "bad.yaml")
    code, out, err = run("check", "--rules", PACK, good, bad)
    assert code == 2
    assert "Summary: 2 rules: 2 met" in out
    assert "Checked 1 of 2 files; 1 could not be checked" in out
    assert f"error: {bad}:2:1: invalid YAML" in err


def test_folder_input_finds_programme_files(tmp_path: Path) -> None:
    write(tmp_path, PASSING, "a.yaml")
    write(tmp_path, PASSING, "b.yml")
    write(tmp_path, "not yaml", "notes.txt")
    code, out, _ = run("check", "--rules", PACK, str(tmp_path))
    assert code == 0
    assert "Checked 2 of 2 files" in out


def test_json_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(
        "check",
        "--rules",
        PACK,
        "-f",
        "table",
        "-f",
        "json",
        "-o",
        "-",
        "-o",
        str(target),
        write(tmp_path, EXPECTED_GAP),
    )
    assert code == 1
    assert "Summary:" in out
    document = json.loads(target.read_text())
    assert document["files"][0]["results"][0]["status"] == "gap"


def test_two_formats_cannot_both_go_to_stdout(tmp_path: Path) -> None:
    code, _, err = run(
        "check", "--rules", PACK, "-f", "table", "-f", "json", write(tmp_path, PASSING)
    )
    assert code == 2
    assert "only one format can go to standard output" in err


def test_shipped_example_report_leads_with_focus_areas() -> None:
    code, out, _ = run("check", str(EXAMPLE))
    assert code in (0, 1)
    lines = out.splitlines()
    focus = next(i for i, line in enumerate(lines) if line.startswith("Focus area"))
    sections = next(i for i, line in enumerate(lines) if line.startswith("Report section"))
    assert focus < sections
    for area in (
        "Training of formers",
        "Reporter aftercare",
        "Evaluation of online work",
        "Multi-agency coordination",
    ):
        assert area in " ".join(out.split())  # a narrow terminal may wrap a long name


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"cvecheck {__version__}"


def test_schema_is_the_model_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == programme_json_schema()


def test_rules_lists_every_rule() -> None:
    code, out, _ = run("rules", "--rules", PACK)
    assert code == 0
    assert "DEM001" in out and "DEM002" in out


def test_module_entry_point_and_no_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "\x00binary")
    done = subprocess.run(
        [sys.executable, "-m", "cvecheck", "check", "--rules", PACK, bad],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith(f"error: {bad}:1:1: contains a NUL byte")


def test_today_judges_waiver_expiry_as_of_a_date(tmp_path: Path) -> None:
    text = (
        EXPECTED_GAP
        + "waivers:\n  - {rule: DEM001, reason: r, approved_by: a, expires: 2027-01-31}\n"
    )
    path = write(tmp_path, text)
    before, out_before, _ = run("check", "--rules", PACK, "--today", "2027-01-31", path)
    after, out_after, _ = run("check", "--rules", PACK, "--today", "2027-02-01", path)
    assert (before, after) == (0, 1)
    assert "Waived (1)" in out_before
    assert "the waiver for DEM001 expired on 2027-01-31" in " ".join(out_after.split())
    bad, _, _ = run("check", "--rules", PACK, "--today", "31/01/2027", path)
    assert bad == 2
