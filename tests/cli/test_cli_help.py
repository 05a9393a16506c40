"""Help names arguments by metavar only, every command offers --version, and the completion
scripts for bash, zsh and fish are printed and work."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck import __version__
from cvecheck.cli import app

runner = CliRunner(env={"COLUMNS": "80"})
COMMANDS = [
    "check",
    "compare",
    "diff",
    "schema",
    "init",
    "rules",
    "explain",
    "coverage",
    "completion",
]
RAW_TYPES = re.compile(r"<[a-z]+(\[[a-z]+\])?>|\{[A-Z]+\}|\[\[|\bstr\b|\bint\b|list\[|PATH\]\]")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_metavars_not_types(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert not RAW_TYPES.search(result.stdout), RAW_TYPES.search(result.stdout)
    assert "--version" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


@pytest.mark.parametrize("command", COMMANDS)
def test_version_works_on_every_command(command: str) -> None:
    result = runner.invoke(app, [command, "--version"])
    assert result.exit_code == 0 and result.stdout == f"cvecheck {__version__}\n"


def test_the_usage_line_names_files_plainly() -> None:
    usage = runner.invoke(app, ["check", "--help"]).stdout.splitlines()[0]
    assert usage == "Usage: cvecheck check [OPTIONS] FILE..."
    assert runner.invoke(app, ["init", "--help"]).stdout.splitlines()[0].endswith("[PATH]")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(shell: str) -> None:
    result = runner.invoke(app, ["completion", shell])
    assert result.exit_code == 0
    assert "_CVECHECK_COMPLETE" in result.stdout and "cvecheck" in result.stdout


def test_completion_refuses_an_unknown_shell() -> None:
    assert runner.invoke(app, ["completion", "tcsh"]).exit_code == 2


def _cvecheck_dir() -> str:
    return str(Path(sys.executable).parent)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_and_options_with_the_script() -> None:
    script = runner.invoke(app, ["completion", "bash"]).stdout
    probe = (
        f"{script}\n"
        "COMP_WORDS=(cvecheck ch); COMP_CWORD=1; _cvecheck_completion cvecheck;"
        ' echo "commands: ${COMPREPLY[*]}";'
        "COMP_WORDS=(cvecheck check --fo); COMP_CWORD=2; _cvecheck_completion cvecheck;"
        ' echo "options: ${COMPREPLY[*]}"'
    )
    env = {**os.environ, "PATH": _cvecheck_dir() + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert "commands: check" in result.stdout, result.stdout + result.stderr
    assert "--format" in result.stdout.split("options:")[1]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_with_the_script(tmp_path: Path) -> None:
    script = tmp_path / "cvecheck.fish"
    script.write_text(runner.invoke(app, ["completion", "fish"]).stdout, "utf-8")
    env = {**os.environ, "PATH": _cvecheck_dir() + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        ["fish", "--no-config", "-c", f"source {script}; complete -C 'cvecheck ch'"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert "check" in result.stdout, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_the_script_and_its_completer_answers(tmp_path: Path) -> None:
    script = tmp_path / "_cvecheck"
    script.write_text(runner.invoke(app, ["completion", "zsh"]).stdout, "utf-8")
    env = {**os.environ, "PATH": _cvecheck_dir() + os.pathsep + os.environ.get("PATH", "")}
    loaded = subprocess.run(
        [
            "zsh",
            "-f",
            "-c",
            f"autoload -U compinit && compinit -u; source {script}; whence -w _cvecheck_completion",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert "_cvecheck_completion: function" in loaded.stdout, loaded.stdout + loaded.stderr
    # What the function evaluates: the completer's answer for the words typed so far.
    answer = subprocess.run(
        ["cvecheck"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**env, "_CVECHECK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "cvecheck ch"},
    )
    assert '"check"' in answer.stdout, answer.stdout + answer.stderr
