"""A cold start loads only what the command needs: no pydantic for --version, --help, or for
rules, explain and coverage answered from the rule cache; --version not even the command line.

Each run is a fresh interpreter of the installed package with its own cache folder, warmed
first, so nothing imported by the test process can hide an import. What is counted is which
modules got imported, never how long it took (bench/ times whole commands).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck import __version__
from cvecheck.cli import _app_for, app

from ..paths import REPORTING_PACK

HEAVY = ("pydantic", "cvecheck.rule_files", "cvecheck.programme", "jsonschema_rs")
"""Modules a cache hit of the catalogue commands has no use for."""

# Runs the command as the `cvecheck` script does, then reports which modules it imported.
PROBE = """
import json, sys
sys.argv = ["cvecheck", *json.loads(sys.argv[1])]
from cvecheck.__main__ import main
code = 0
try:
    main()
except SystemExit as stop:
    code = stop.code or 0
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _probe(args: list[str], cache: Path) -> tuple[int, str, list[str]]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], done.stdout, report["modules"]


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    for args in (["rules"], ["rules", "--rules", str(REPORTING_PACK)]):
        code, _, modules = _probe(args, cache)
        assert code == 0
        assert "pydantic" in modules  # the first run reads the rule files: a miss
    return cache


def test_version_imports_neither_the_command_line_nor_typer(warm_cache: Path) -> None:
    code, out, modules = _probe(["--version"], warm_cache)
    assert (code, out) == (0, f"cvecheck {__version__}\n")
    assert not {"typer", "cvecheck.cli", "typing"} & set(modules)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["rules"],
        ["rules", "--format", "json"],
        ["coverage"],
        ["explain", "REP001", "--rules", str(REPORTING_PACK)],
        ["rules", "--rules", str(REPORTING_PACK)],
    ],
    ids=" ".join,
)
def test_a_catalogue_command_from_the_cache_imports_no_pydantic(
    args: list[str], warm_cache: Path
) -> None:
    code, out, modules = _probe(args, warm_cache)
    assert code == 0 and out
    assert not [m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY]


def test_a_cold_cache_gives_the_same_output_as_a_warm_one(tmp_path: Path, warm_cache: Path) -> None:
    for args in (
        ["rules", "--format", "json"],
        ["explain", "REP001", "--rules", str(REPORTING_PACK)],
    ):
        cold = _probe(args, tmp_path / "empty")
        warm = _probe(args, warm_cache)
        assert cold[:2] == warm[:2]
        assert "pydantic" in cold[2] and "pydantic" not in warm[2]


def test_checking_a_clean_file_imports_no_pydantic_and_a_broken_one_does(
    tmp_path: Path, warm_cache: Path
) -> None:
    """The whole `check` command on a clean file, from a warm cache, stays on the plain path;
    a file the schema refuses builds the models to explain itself (so the probe can tell)."""
    clean = tmp_path / "clean.yaml"
    clean.write_text('schema_version: "1"\nprogramme:\n  name: Riverside\n', encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text('schema_version: "1"\nprogramme:\n  nmae: Riverside\n', encoding="utf-8")
    pack = ["--rules", str(REPORTING_PACK)]
    code, out, modules = _probe(["check", *pack, str(clean)], warm_cache)
    assert code in (0, 1) and "clean.yaml" in out
    assert "pydantic" not in modules
    code, _, modules = _probe(["check", *pack, str(broken)], warm_cache)
    assert code == 2 and "pydantic" in modules


runner = CliRunner(env={"COLUMNS": "80"})
COMMANDS = [info.name or info.callback.__name__ for info in app.registered_commands]  # type: ignore[union-attr]


@pytest.mark.parametrize("command", COMMANDS)
def test_building_only_the_command_run_changes_nothing_it_says(command: str) -> None:
    only = _app_for([command])
    assert only is not app and len(only.registered_commands) == 1
    for args in ([command, "--help"], [command, "--no-such-option"]):
        whole = runner.invoke(app, args, prog_name="cvecheck")
        alone = runner.invoke(only, args, prog_name="cvecheck")
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["chek"], ["--colour", "x"]])
def test_anything_but_a_command_gets_the_whole_app(args: list[str]) -> None:
    assert _app_for(args) is app
