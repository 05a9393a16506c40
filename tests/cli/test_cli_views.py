"""Short when asked: --format concise, --quiet, --statistics, and 'check -' from standard
input; colour on a terminal only, as --color, NO_COLOR and FORCE_COLOR say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.reporters import render_reports
from cvecheck.reporters.layout import Terminal
from cvecheck.results import Status

from ..reporting import CLEAN_YAML, PACK_DIR, TRICKY_YAML, check

PACK = str(PACK_DIR)
runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None})
FINDING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]+\d{3}) ")
SGR = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("tricky.yaml").write_text(TRICKY_YAML, "utf-8")
    Path("clean.yaml").write_text(CLEAN_YAML, "utf-8")
    return ["tricky.yaml", "clean.yaml"]


def invoke(*args: str, stdin: str | None = None, **env: str | None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env=env or None)
    return result.exit_code, result.stdout, result.stderr


def test_concise_is_one_located_line_per_finding(files: list[str]) -> None:
    code, out, _ = invoke(
        "check", "--rules", PACK, "-f", "concise", "--today", "2026-01-01", *files
    )
    assert code == 1
    *findings, total = out.rstrip("\n").split("\n")
    assert findings and all(FINDING.match(line) for line in findings), findings
    tricky = check(TRICKY_YAML, "tricky.yaml").report
    assert tricky is not None
    gaps = [(r.rule_id, g) for r in tricky.results for g in r.gaps if r.status.value == "gap"]
    for rule, gap in gaps:
        where = f"tricky.yaml:{gap.location.line}:{gap.location.column}: {rule} "
        assert any(line.startswith(where) and " gap: " in line for line in findings), where
    assert any(" notice: " in line and line.startswith("clean.yaml:") for line in findings)
    assert re.fullmatch(r"Found \d+ gaps? and \d+ questions? in 2 files\.", total)


def test_quiet_prints_the_summary_lines_only(files: list[str]) -> None:
    code, out, _ = invoke("check", "--rules", PACK, "--quiet", *files)
    assert code == 1
    assert "Focus area" not in out and "what to do" not in out
    assert out.startswith("tricky.yaml: 4 rules: ")
    assert "clean.yaml: 4 rules: " in out
    assert "Checked 2 of 2 files" in out


def test_statistics_count_per_rule_and_per_focus_area(files: list[str]) -> None:
    code, out, _ = invoke("check", "--rules", PACK, "--statistics", *files)
    assert code == 1
    assert "Rules with gaps or questions over 2 files" in out
    assert "Focus areas over 2 files" in out
    rows = {
        line.split()[0]: line.split() for line in out.splitlines() if line[:3] in ("DLV", "REP")
    }
    tricky = check(TRICKY_YAML, "t").report
    clean = check(CLEAN_YAML, "c").report
    assert tricky is not None and clean is not None
    for rule, row in rows.items():
        gaps = sum(
            1
            for rep in (tricky, clean)
            for r in rep.results
            if r.rule_id == rule and r.status.value == "gap"
        )
        assert int(row[2]) == gaps, row
    assert "Focus area" not in out.split("Focus areas")[0]  # no per-file coverage tables


def test_concise_quiet_prints_the_totals_only(files: list[str]) -> None:
    args = ("check", "--rules", PACK, "-f", "concise", "--today", "2026-01-01", *files)
    code, full, _ = invoke(*args)
    quiet_code, quiet, _ = invoke(*args, "--quiet")
    assert code == quiet_code == 1
    assert quiet == full.splitlines(keepends=True)[-1]  # the line of totals, the same
    assert re.fullmatch(r"Found \d+ gaps? and \d+ questions? in 2 files\.\n", quiet)


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def test_concise_statistics_come_after_the_lines(files: list[str]) -> None:
    args = ("check", "--rules", PACK, "-f", "concise", "--today", "2026-01-01", *files)
    _, full, _ = invoke(*args)
    code, out, _ = invoke(*args, "--statistics")
    assert code == 1
    *findings, total = full.splitlines()
    lines = out.splitlines()
    assert lines[: len(findings)] == findings and lines[-1] == total
    added = lines[len(findings) : -1]
    assert added[0].startswith("Rules with gaps or questions over 2 files: ")
    results = [
        result
        for text, name in ((TRICKY_YAML, "tricky.yaml"), (CLEAN_YAML, "clean.yaml"))
        for result in (check(text, name).report or pytest.fail(name)).results
    ]
    listed = 0
    for rule in sorted({r.rule_id for r in results}):
        gaps = sum(1 for r in results if r.rule_id == rule and r.status is Status.GAP)
        questions = sum(
            1 for r in results if r.rule_id == rule and r.status is Status.CANNOT_ASSESS
        )
        row = [line for line in added if line.startswith(f"{rule} ")]
        if gaps or questions:
            listed += 1
            assert len(row) == 1, (rule, added)
            assert f": gap in {_files(gaps)}, question in {_files(questions)} - " in row[0]
        else:
            assert not row, row
    assert listed and added[0].endswith(f": {listed}")
    assert any(line.startswith("Focus areas over 2 files:") for line in added)


@pytest.mark.parametrize("option", ["--quiet", "--statistics"])
@pytest.mark.parametrize(
    "formats", [["-f", "json"], ["-f", "sarif", "-f", "markdown", "-o", "-", "-o", "r.md"]]
)
def test_quiet_and_statistics_refuse_formats_they_do_not_change(
    files: list[str], option: str, formats: list[str]
) -> None:
    code, out, err = invoke("check", "--rules", PACK, *formats, option, *files)
    assert code == 2 and out == ""
    assert f"Invalid value for {option}: only the table and concise formats show it" in err
    assert "Traceback" not in err and not Path("r.md").exists()


def test_quiet_with_a_terminal_format_among_others_changes_that_one(files: list[str]) -> None:
    args = ["check", "--rules", PACK, "--today", "2026-01-01", "-f", "table", "-f", "json"]
    args += ["-o", "-", "-o", "r.json"]
    code, out, _ = invoke(*args, *files)
    plain = Path("r.json").read_text("utf-8")
    quiet_code, quiet, _ = invoke(*args, "-q", *files)
    assert code == quiet_code == 1
    assert quiet.startswith("tricky.yaml: 4 rules: ") and "Focus area" not in quiet
    assert "Focus area" in out
    assert Path("r.json").read_text("utf-8") == plain  # the JSON report is whole either way


def test_check_reads_standard_input_and_names_it(files: list[str]) -> None:
    code, out, _ = invoke(
        "check",
        "--rules",
        PACK,
        "-f",
        "concise",
        "--stdin-filename",
        "programmes/p.yaml",
        "-",
        stdin=TRICKY_YAML,
    )
    assert code == 1
    assert out.splitlines()[0].startswith("programmes/p.yaml:")
    code, _, err = invoke("check", "--rules", PACK, "-", stdin="programme: [unclosed\n")
    assert code == 2 and err.startswith("error: stdin:1:12: ")


def test_standard_input_goes_through_a_real_pipe() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cvecheck", "check", "--rules", PACK, "-q", "-"],
        input=TRICKY_YAML,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("stdin: 4 rules:")
    assert "\x1b[" not in result.stdout  # a pipe never gets colour


def test_dash_must_stand_alone(files: list[str]) -> None:
    code, _, err = invoke("check", "-", "tricky.yaml")
    assert code == 2 and "'-' (standard input) must be the only FILE" in err


# --- colour ------------------------------------------------------------------------------------


def test_colour_follows_the_flag_and_the_environment(files: list[str]) -> None:
    base = ("check", "--rules", PACK, "tricky.yaml")
    assert SGR.search(invoke(*base, "--color", "always")[1])
    assert not SGR.search(invoke(*base, "--color", "never", FORCE_COLOR="1")[1])
    assert not SGR.search(invoke(*base)[1])  # not a terminal
    assert SGR.search(invoke(*base, FORCE_COLOR="1")[1])
    assert not SGR.search(invoke(*base, FORCE_COLOR="0")[1])
    assert not SGR.search(invoke(*base, NO_COLOR="1", FORCE_COLOR="1")[1])
    code, _, _ = invoke(*base, "--color", "always", "-o", "report.txt")
    assert code == 1
    assert not SGR.search(Path("report.txt").read_text("utf-8"))  # a file never gets colour


@pytest.mark.parametrize("command", ["compare", "rules", "coverage"])
def test_every_terminal_command_takes_color(files: list[str], command: str) -> None:
    args = [command, "--rules", PACK] + (files if command == "compare" else [])
    assert SGR.search(invoke(*args, "--color", "always")[1])
    assert not SGR.search(invoke(*args, "--color", "never")[1])


def test_colour_marks_severity_and_verdict_and_nothing_from_the_input() -> None:
    outcomes = [check(TRICKY_YAML, "gaps.yaml"), check(CLEAN_YAML, "clean.yaml")]
    coloured = render_reports("table", outcomes, Terminal(200, colour=True))
    plain = render_reports("table", outcomes, Terminal(200))
    assert SGR.sub("", coloured) == plain
    assert "\x1b[31mexpected\x1b[0m" in coloured or "\x1b[33mrecommended\x1b[0m" in coloured
    assert "\x1b[31mgaps\x1b[0m" in coloured


def test_colour_never_lets_an_escape_from_the_input_through() -> None:
    hostile = TRICKY_YAML.replace("Clean programme", "x").replace(
        "programme:\n  name: ", 'programme:\n  name: "\\e[2J\\e[31mred" # ', 1
    )
    coloured = render_reports("table", [check(hostile, "h.yaml")], Terminal(120, colour=True))
    assert "\x1b[2J" not in coloured
    assert set(SGR.findall(coloured)) <= {
        f"\x1b[{c}m" for c in ("0", "1", "2", "31", "32", "33", "35", "36")
    }
