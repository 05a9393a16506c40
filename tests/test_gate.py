"""The gate belongs to the commissioner: what an author writes cannot turn a red check green.

Each test is one way an author could try it, run through the command line with the fixture
pack in tests/fixtures/pack (DEM001 is expected, DEM002 advisory).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cvecheck.cli import app

PACK = Path(__file__).parent / "fixtures" / "pack"
RUNNER = CliRunner()

# Both rules have a gap; the author waives both, approved by themselves, for ever.
SELF_WAIVED = """\
programme: {name: Gate test, id: gate}
formers: {used: true, training: {provided: false}}
gender: {gender_analysis: false}
waivers:
  - {rule: DEM001, reason: trust me, approved_by: me, expires: 9999-12-31}
  - {rule: DEM002, reason: trust me, approved_by: me, expires: 9999-12-31}
"""
GAPS = """\
programme: {name: Gate test, id: gate}
formers: {used: true, training: {provided: false}}
gender: {gender_analysis: false}
"""


def run(*arguments: str | Path) -> Result:
    return RUNNER.invoke(app, ["check", *map(str, arguments), "--rules", str(PACK)])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def json_results(result: Result) -> dict[str, dict[str, object]]:
    [file] = json.loads(result.stdout)["files"]
    return {r["rule"]: r for r in file["results"]}


# --- waivers a commissioner owns -------------------------------------------------------------


def test_self_approved_waivers_are_reported_but_not_honoured_without_programme_waivers(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "p.yaml", SELF_WAIVED)
    options = ("--fail-on", "advisory", "--fail-on-questions")
    assert run(path, *options).exit_code == 0  # honoured by default
    result = run(path, *options, "--no-programme-waivers")
    assert result.exit_code == 1, result.output
    assert "Gaps (2)" in result.stdout
    assert "the waiver for DEM001 (in the programme file) is not honoured" in result.stdout


def test_the_configuration_can_refuse_programme_waivers(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", SELF_WAIVED)
    config = write(tmp_path / "ci" / "gate.yaml", "programme-waivers: false\n")
    result = run(path, "--config", config, "--fail-on", "advisory")
    assert result.exit_code == 1, result.output


def test_a_waiver_file_is_honoured_and_listed_with_approver_expiry_and_place(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "p.yaml", GAPS)
    waivers = write(
        tmp_path / "commissioner" / "waivers.yaml",
        "waivers:\n"
        "  - {rule: DEM001, programme: gate, reason: agreed at board,"
        " approved_by: Head of Commissioning, expires: 2030-06-30}\n"
        "  - {rule: DEM002, programme: other, reason: not this one,"
        " approved_by: Head of Commissioning, expires: 2030-06-30}\n",
    )
    result = run(path, "--waivers", waivers, "--today", "2030-01-01", "-f", "json")
    results = json_results(result)
    assert results["DEM001"]["status"] == "waived"
    waiver = results["DEM001"]["waiver"]
    assert isinstance(waiver, dict)
    assert waiver["approved_by"] == "Head of Commissioning"
    assert waiver["expires"] == "2030-06-30"
    assert waiver["source"] == "waiver file"
    assert waiver["granted_in"] == f"{waivers}:2:6"
    assert results["DEM002"]["status"] == "gap"  # that waiver is for another programme
    table = run(path, "--waivers", waivers, "--today", "2030-01-01")
    assert "Head of Commissioning" in table.stdout and "2030-06-30" in table.stdout


def test_a_bad_waiver_file_is_an_input_error_with_its_location(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", GAPS)
    waivers = write(
        tmp_path / "waivers.yaml",
        "waivers:\n  - {rule: DEM009, reason: r, approved_by: a, expires: 2030-01-01}\n",
    )
    result = run(path, "--waivers", waivers)
    assert result.exit_code == 2
    assert f"{waivers}:2:6: waiver names rule 'DEM009'" in result.output


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ("waiver-approvers: [Head of Commissioning]\n", "waiver-approver"),
        ("waiver-max-days: 365\n", "waiver-too-long"),
        ("waiver-max-severity: advisory\n", "waiver-severity"),
    ],
)
def test_the_configuration_limits_which_waivers_count(
    tmp_path: Path, config: str, code: str
) -> None:
    path = write(tmp_path / "p.yaml", SELF_WAIVED)
    config_file = write(tmp_path / "gate.yaml", config)
    result = run(path, "--config", config_file, "-f", "json")
    assert result.exit_code == 1, result.output
    [file] = json.loads(result.stdout)["files"]
    refused = {n["rule"] for n in file["notices"] if n["code"] == code}
    # The severity limit refuses the expected rule's waiver only.
    assert refused == ({"DEM001"} if code == "waiver-severity" else {"DEM001", "DEM002"})


def test_a_waiver_covers_gaps_only_never_questions(tmp_path: Path) -> None:
    # DEM001 applies (formers are used) but the file does not say whether they are trained.
    path = write(
        tmp_path / "p.yaml",
        "programme: {name: Q}\nformers: {used: true}\ngender: {gender_analysis: true}\n"
        "waivers:\n  - {rule: DEM001, reason: r, approved_by: a, expires: 2099-01-01}\n",
    )
    result = run(path, "--fail-on-questions", "-f", "json")
    assert result.exit_code == 1, result.output
    assert json_results(result)["DEM001"]["status"] == "cannot_assess"
    [file] = json.loads(result.stdout)["files"]
    assert [n["code"] for n in file["notices"]] == ["waiver-on-question"]


@pytest.mark.parametrize(
    "expires",
    ["4102444800", "2026-06-01T00:00:00+14:00", "2026-06-01 00:00:00"],
)
def test_waiver_dates_are_calendar_dates_only(tmp_path: Path, expires: str) -> None:
    path = write(
        tmp_path / "p.yaml",
        GAPS + f"waivers:\n  - {{rule: DEM001, reason: r, approved_by: a, expires: {expires}}}\n",
    )
    result = run(path)
    assert result.exit_code == 2
    assert f"{path}:5:47: waivers.0.expires:" in result.output
    assert "expected a calendar date written YYYY-MM-DD" in result.output


# --- line breaks only where everyone sees them -----------------------------------------------


@pytest.mark.parametrize("separator", ["\u2029", "\u2028", "\u0085", "\x0b", "\x0c", "\r"])
def test_a_waiver_hidden_after_an_invisible_line_break_is_refused(
    tmp_path: Path, separator: str
) -> None:
    # Editors, git diff and grep show the comment as one line; YAML would see a waivers block.
    hidden = (
        "waivers:\n  - {rule: DEM001, reason: r, approved_by: a, expires: 2099-01-01}"
    ).replace("\n", separator)
    path = tmp_path / "p.yaml"
    path.write_bytes((GAPS + f"# reviewed{separator}{hidden}\n").encode("utf-8"))
    result = run(path)
    assert result.exit_code == 2, result.output
    assert f"{path}:4:11:" in result.output
    assert f"U+{ord(separator):04X}" in result.output


def test_a_rule_file_with_an_invisible_line_break_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for source in PACK.iterdir():
        (pack / source.name).write_bytes(source.read_bytes())
    rule = pack / "DEM002-gender-analysis.yaml"
    rule.write_text(rule.read_text("utf-8").replace("# ", "#\u2028", 1) + "# x\u2028y\n", "utf-8")
    result = RUNNER.invoke(app, ["rules", "--rules", str(pack)])
    assert result.exit_code == 2
    assert f"{rule}:" in result.output and "U+2028" in result.output
