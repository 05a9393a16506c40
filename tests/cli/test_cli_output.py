"""Where output goes: every command writes through one helper, with the same located errors,
and a file is put in place whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app

from ..reporting import PACK_DIR, TRICKY_YAML

runner = CliRunner()


def programme(folder: Path, name: str = "p.yaml") -> Path:
    path = folder / name
    path.write_text(TRICKY_YAML, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{p}", "--rules", str(PACK_DIR), "-o", "{out}"],
        ["check", "{p}", "--rules", str(PACK_DIR), "-f", "json", "-o", "{out}"],
        ["compare", "{p}", "--rules", str(PACK_DIR), "-o", "{out}"],
        ["diff", "{p}", "{p}", "--rules", str(PACK_DIR), "-o", "{out}"],
    ],
    ids=["check", "check-json", "compare", "diff"],
)
def test_an_output_in_a_missing_folder_is_a_located_error(
    tmp_path: Path, command: list[str]
) -> None:
    path = programme(tmp_path)
    target = tmp_path / "missing" / "out.txt"
    args = [a.format(p=path, out=target) for a in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"error: {target}: cannot be written: No such file or directory" in result.stderr
    assert "internal error" not in result.output
    assert result.stdout == ""


def test_an_output_that_names_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    path = programme(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--rules", str(PACK_DIR), "-o", str(path)])
    assert result.exit_code == 2
    assert "is also an input" in result.stderr
    assert path.read_text(encoding="utf-8") == TRICKY_YAML


def test_the_same_output_for_two_formats_is_refused(tmp_path: Path) -> None:
    path = programme(tmp_path)
    out = tmp_path / "out.txt"
    args = ["check", str(path), "--rules", str(PACK_DIR), "-f", "json", "-o", str(out)]
    result = runner.invoke(app, [*args, "-f", "sarif", "-o", str(out)])
    assert result.exit_code == 2
    assert "more than one --output" in result.stderr
    assert not out.exists()


def test_a_failed_run_leaves_an_existing_output_as_it_was(tmp_path: Path) -> None:
    path = programme(tmp_path)
    good = tmp_path / "report.json"
    good.write_text("previous report\n", encoding="utf-8")
    missing = tmp_path / "missing" / "report.sarif"
    args = ["check", str(path), "--rules", str(PACK_DIR), "-f", "json", "-o", str(good)]
    result = runner.invoke(app, [*args, "-f", "sarif", "-o", str(missing)])
    assert result.exit_code == 2
    assert good.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml", "report.json"]


def test_outputs_are_put_in_place_whole(tmp_path: Path) -> None:
    path = programme(tmp_path)
    out = tmp_path / "report.json"
    args = ["check", str(path), "--rules", str(PACK_DIR), "-f", "json", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    assert out.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml", "report.json"]


def test_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    path = programme(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--rules", str(PACK_DIR), "-o", "/dev/null"])
    assert result.exit_code in (0, 1), result.output
    assert Path("/dev/null").is_char_device()
