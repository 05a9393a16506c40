"""Packaging: the wheel carries the rule pack, so `pip install` alone gives a working checker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..paths import REPO

pytestmark = pytest.mark.slow  # builds a wheel


def test_wheel_ships_every_rule_file(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("cvecheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.removeprefix("cvecheck/rules/") for n in names if n.startswith("cvecheck/rules/")}
    in_repo = {str(p.relative_to(REPO / "rules")) for p in (REPO / "rules").rglob("*.yaml")}
    assert shipped == in_repo
    assert "cvecheck/py.typed" in names
    assert "cvecheck/cli.py" in names
    # check validates every file against it: without it no check could run.
    assert "cvecheck/programme/validation-schema.json" in names
    assert "cvecheck/programme/waiver-file-schema.json" in names
