"""A batch with a broken file: the others still run, and the summary names the broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cvecheck.cli import app

from ..paths import EXAMPLES_DIR, FIXTURES


def make_batch(tmp_path: Path) -> Path:
    """The shipped examples plus one broken file, in one folder."""
    folder = tmp_path / "proposals"
    shutil.copytree(EXAMPLES_DIR, folder)
    shutil.copy(FIXTURES / "broken.yaml", folder / "broken.yaml")
    return folder


def test_broken_file_is_named_in_the_summary_and_the_others_are_checked(tmp_path: Path) -> None:
    folder = make_batch(tmp_path)
    examples = sorted(p.name for p in EXAMPLES_DIR.glob("*.yaml"))
    result = CliRunner().invoke(app, ["check", str(folder)], env={"COLUMNS": "250"})
    assert result.exit_code == 2
    total = len(examples) + 1
    assert f"Checked {total - 1} of {total} files; 1 could not be checked" in result.stdout
    summary = result.stdout.split(f"Checked {total - 1} of {total} files")[1]
    broken_row = next(line for line in summary.splitlines() if "broken.yaml" in line)
    assert "invalid" in broken_row and "formers.used" in broken_row
    for name in examples:
        row = next(line for line in summary.splitlines() if name in line)
        assert row.split()[1] in ("gaps", "questions", "no", "rule"), row  # its verdict
        assert f"cvecheck 0.1.0: {folder / name}" in result.stdout
    assert f"{folder / 'broken.yaml'}:6:3: formers.used" in result.stderr
    assert result.stdout.rstrip().splitlines()[-1].startswith(str(folder))
