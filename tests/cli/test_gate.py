"""The gate belongs to the commissioner: what an author writes cannot turn a red check green.

Each test is one way an author could try it, run through the command line with the fixture
pack in tests/fixtures/pack (DEM001 is expected, DEM002 advisory).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cvecheck.cli import app

from ..paths import DEMO_PACK

PACK = DEMO_PACK
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
    flat = " ".join(result.stdout.split())  # the table wraps long notices
    assert "the waiver for DEM001 (in the programme file) is not honoured" in flat


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
    assert f"{path}:5:47: waivers, item 1, expires:" in result.output
    assert "is not a date written YYYY-MM-DD" in result.output


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


# --- one configuration, chosen predictably ---------------------------------------------------


def test_a_configuration_beside_a_programme_does_not_weaken_the_root_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / ".cvecheck.yaml", "fail-on: advisory\n")
    write(tmp_path / "progs" / ".cvecheck.yaml", "{}\n")
    write(tmp_path / "progs" / "pyproject.toml", '[tool.cvecheck]\nfail-on = "never"\n')
    inner = write(tmp_path / "progs" / "p.yaml", GAPS)
    outer = write(tmp_path / "p2.yaml", GAPS)
    monkeypatch.chdir(tmp_path)
    first = run("progs/p.yaml", "p2.yaml")
    second = run("p2.yaml", "progs/p.yaml")
    assert first.exit_code == second.exit_code == 1
    assert "progs/.cvecheck.yaml is not used for progs/p.yaml" in first.stderr
    shown = run(inner, outer, "--show-config").stdout
    assert f"# Configuration file: {tmp_path / '.cvecheck.yaml'}" in shown
    assert "# Not used: " in shown and "(nearer to " in shown


def test_config_turns_discovery_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".cvecheck.yaml", "fail-on: never\n")
    chosen = write(tmp_path / "ci" / "strict.yaml", "fail-on: advisory\n")
    path = write(tmp_path / "p.yaml", GAPS)
    monkeypatch.chdir(tmp_path)
    assert run(path).exit_code == 0
    assert run(path, "--config", chosen).exit_code == 1


def test_a_run_with_no_rule_selected_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", GAPS)
    config = write(tmp_path / "gate.yaml", "ignore: [demo]\n")
    result = run(path, "--config", config)
    assert result.exit_code == 2
    assert f"{config}:1:1: ignore: no rule is left to check" in result.output
    assert run(path, "--ignore", "DEM").exit_code == 2


def test_folder_expansion_passes_over_configuration_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / ".cvecheck.yaml", "fail-on: never\n")
    write(tmp_path / ".github" / "workflows" / "ci.yml", "on: push\n")
    write(tmp_path / "p.yaml", GAPS)
    monkeypatch.chdir(tmp_path)
    result = run(".", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["p.yaml"]


def test_a_file_named_with_glob_characters_is_checked_as_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "br[1].yaml", GAPS)
    result = run(path, "-f", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["files"][0]["path"] == str(path)


# --- no text can drive a CI runner -----------------------------------------------------------

MASK = "x" * 45 + " ::add-mask::gap"


def _runner_command_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_wrapped_reason_cannot_start_a_runner_command(tmp_path: Path, fmt: str) -> None:
    path = write(
        tmp_path / "p##[error]x.yaml",
        "programme: {name: '##[error]owned ::warning::x'}\n"
        "formers: {used: true, training: {provided: false}}\n"
        f"waivers:\n  - {{rule: DEM001, reason: '{MASK}', approved_by: a, expires: 2099-01-01}}\n",
    )
    result = run(path, "-f", fmt)
    output = result.stdout + result.stderr
    assert "add-mask" in output
    assert _runner_command_lines(output) == []
    assert "##[" not in output


def test_errors_on_stderr_cannot_start_a_runner_command(tmp_path: Path) -> None:
    path = write(tmp_path / "::error::x.yaml", "programme: [\n")
    result = run(path)
    assert result.exit_code == 2
    assert "::error::" not in result.stderr and "error" in result.stderr


def test_compare_output_cannot_start_a_runner_command(tmp_path: Path) -> None:
    path = write(tmp_path / "::add-mask::secret ##[group].yaml", "programme: {name: x}\n")
    result = RUNNER.invoke(app, ["compare", str(path), "--rules", str(PACK)])
    assert "add-mask" in result.stdout
    assert _runner_command_lines(result.stdout) == [] and "##[" not in result.stdout


# --- rule packs say who they are -------------------------------------------------------------


def test_a_copied_pack_is_marked_custom_with_its_digest(tmp_path: Path) -> None:
    from cvecheck.rules import PACK_FILE, default_rules_dir

    pack = tmp_path / "impostor"
    pack.mkdir()
    (pack / PACK_FILE).write_bytes((default_rules_dir() / PACK_FILE).read_bytes())
    shipped_name = json.loads(
        RUNNER.invoke(app, ["check", str(write(tmp_path / "p.yaml", GAPS)), "-f", "json"]).stdout
    )["ruleset"]["packs"][0]["name"]
    result = RUNNER.invoke(
        app, ["check", str(tmp_path / "p.yaml"), "--rules", str(PACK), "-f", "json"]
    )
    [identity] = json.loads(result.stdout)["ruleset"]["packs"]
    assert identity["shipped"] is False and len(identity["sha256"]) == 64
    version = json.loads(result.stdout)["ruleset"]["version"]
    assert version.startswith("custom:test-pack@") and identity["sha256"][:12] in version
    assert shipped_name  # the shipped pack is named plainly; see test_rule_cache for its digest


def test_rule_ids_are_ascii(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for source in PACK.iterdir():
        (pack / source.name).write_bytes(source.read_bytes())
    rule = pack / "DEM002-gender-analysis.yaml"
    rule.write_text(rule.read_text("utf-8").replace("id: DEM002", "id: DEM00\u0662"), "utf-8")
    rule.rename(pack / "DEM00\u0662-gender-analysis.yaml")
    result = RUNNER.invoke(app, ["rules", "--rules", str(pack)])
    assert result.exit_code == 2
    assert "id:" in result.output


def test_a_tampered_rule_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = write(tmp_path / "p.yaml", GAPS)
    assert run(path, "--fail-on", "advisory").exit_code == 1  # fills the cache
    [cached] = (tmp_path / "cache" / "cvecheck").glob("rules-*.json")
    text = cached.read_text("utf-8")
    assert "Formers are not trained." in text
    # Make DEM001 pass whatever the file says, and DEM002 not apply to anything.
    cached.write_text(text.replace('\\"const\\": true', '\\"const\\": false'), "utf-8")
    assert cached.read_text("utf-8") != text
    result = run(path, "--fail-on", "advisory", "-f", "json")
    assert result.exit_code == 1
    assert {r["status"] for r in json_results(result).values()} == {"gap"}


# --- files and processes ---------------------------------------------------------------------


def test_init_into_a_path_whose_schema_file_is_a_folder_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "programme.schema.json").mkdir()
    result = RUNNER.invoke(app, ["init", str(tmp_path / "p.yaml")])
    assert result.exit_code == 2
    assert "programme.schema.json: is a folder" in result.output
    assert not (tmp_path / "p.yaml").exists()


def test_encoding_error_columns_count_characters(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes("programme: {name: 'Café ".encode() + b"\xff'}\n")
    result = run(path)
    assert result.exit_code == 2
    assert f"{path}:1:25:" in result.output  # 24 characters before it, 25 bytes


CVECHECK = Path(sys.executable).parent / "cvecheck"


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_workers_and_exits_quietly(
    tmp_path: Path, signum: signal.Signals, code: int
) -> None:
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the worker processes")
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(3000):  # above PARALLEL_THRESHOLD, and slow enough to interrupt
        (folder / f"p{index:04}.yaml").write_text(GAPS, encoding="utf-8")
    process = subprocess.Popen(
        [str(CVECHECK), "check", str(folder), "-j", "2", "--rules", str(PACK), "-o", "out.txt"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2, "the workers did not start"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert "Traceback" not in stderr
    time.sleep(0.5)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    assert alive == [], f"workers still running: {alive}"
    assert not (tmp_path / "out.txt").exists()  # nothing written for a run that did not finish


def test_a_closed_output_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    for index in range(150):  # enough output to fill the pipe after head has gone
        (tmp_path / f"p{index:03}.yaml").write_text(GAPS, encoding="utf-8")
    command = f"'{CVECHECK}' check '{tmp_path}' -j 1 --rules '{PACK}'"
    shell = f'{command} | head -1; echo "status=${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "status=141"
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_a_regex_over_its_backtracking_limit_is_an_error_not_a_gap(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for source in PACK.iterdir():
        (pack / source.name).write_bytes(source.read_bytes())
    rule = pack / "DEM002-gender-analysis.yaml"
    text = rule.read_text(encoding="utf-8")
    for old, new in (
        (
            "{gender.gender_analysis: {const: true}}",
            '{programme.name: {pattern: "^(a|aa)+(?=b)b$"}}',
        ),
        ("[{gender: {gender_analysis: true}}]", "[{programme: {name: ab}}]"),
        ("[{gender: {gender_analysis: false}}]", "[{programme: {name: x}}]"),
    ):
        assert old in text
        text = text.replace(old, new)
    rule.write_text(text, encoding="utf-8")
    path = write(tmp_path / "p.yaml", f"programme: {{name: {'a' * 30}!}}\n")
    result = RUNNER.invoke(app, ["check", str(path), "--rules", str(pack), "-f", "json"])
    assert result.exit_code == 2, result.output
    outcome = json_results(result)["DEM002"]
    assert outcome["status"] == "error"
    assert "backtracking limit" in str(outcome["reason"])


def test_diff_fails_on_a_gap_opened_and_waived_in_one_change(tmp_path: Path) -> None:
    old = write(tmp_path / "old.yaml", GAPS.replace("provided: false", "provided: true"))
    new = write(
        tmp_path / "new.yaml",
        GAPS + "waivers:\n  - {rule: DEM001, reason: r, approved_by: me, expires: 2099-01-01}\n",
    )
    base = ["diff", str(old), str(new), "--rules", str(PACK)]
    assert RUNNER.invoke(app, [*base, "--fail-on-new-gaps"]).exit_code == 0  # waived, so not new
    result = RUNNER.invoke(app, [*base, "--fail-on-new-waivers"])
    assert result.exit_code == 1, result.output
    assert "DEM001" in result.stdout
