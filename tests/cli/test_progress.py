"""The batch progress bar: drawn for a person at a terminal, never in pipes or CI."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from cvecheck.progress import BAR_WIDTH, CLEAR_LINE, bar_line, track, wanted

from ..paths import EXAMPLES_DIR


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_line_shows_share_done_count_and_file() -> None:
    line = bar_line(5, 10, "a.yaml", 120)
    assert line == "[" + "#" * (BAR_WIDTH // 2) + "." * (BAR_WIDTH // 2) + "]  5/10 a.yaml"


def test_bar_line_is_cut_to_the_terminal_width() -> None:
    line = bar_line(1, 3, "x" * 200, 40)
    assert len(line) == 39
    assert line.endswith("...")


def test_wanted_only_on_a_terminal_outside_ci_for_a_batch() -> None:
    assert wanted(FakeTerminal(), {}, 2)
    assert not wanted(FakeTerminal(), {"CI": "true"}, 2)
    assert not wanted(FakeTerminal(), {"CI": ""}, 2)
    assert not wanted(io.StringIO(), {}, 2)
    assert not wanted(FakeTerminal(), {}, 1)


def test_track_yields_every_item_and_wipes_the_bar_at_the_end() -> None:
    stream = FakeTerminal()
    items = list(track(["a", "b", "c"], 3, str.upper, stream, {}))
    assert items == ["a", "b", "c"]
    written = stream.getvalue()
    assert "3/3 C" in written
    assert written.endswith(CLEAR_LINE)


def test_track_writes_nothing_when_not_wanted() -> None:
    stream = io.StringIO()
    assert list(track([1, 2], 2, str, stream, {})) == [1, 2]
    assert stream.getvalue() == ""


def _run_with_terminal_stderr(args: list[str], environ: dict[str, str]) -> tuple[str, str]:
    """Run the CLI with stderr on a pseudo-terminal and stdout on a pipe."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "cvecheck", *args],
            stdout=subprocess.PIPE,
            stderr=follower,
            env=environ,
            check=False,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once every writer has gone
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return process.stdout.decode(), b"".join(chunks).decode()


def _batch(tmp_path: Path) -> Path:
    folder = tmp_path / "proposals"
    folder.mkdir()
    shutil.copy(EXAMPLES_DIR / "community-mentoring.yaml", folder / "first.yaml")
    shutil.copy(EXAMPLES_DIR / "community-mentoring.yaml", folder / "second.yaml")
    return folder


def test_cli_draws_the_bar_on_a_terminal(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    stdout, stderr = _run_with_terminal_stderr(["check", str(_batch(tmp_path))], environ)
    assert "/2 " in stderr and "[" + "#" * BAR_WIDTH + "]" in stderr
    assert "\r" not in stdout
    assert "Checked 2 of 2 files" in stdout


def test_cli_draws_no_bar_in_ci(tmp_path: Path) -> None:
    environ = {**os.environ, "CI": "true"}
    stdout, stderr = _run_with_terminal_stderr(["check", str(_batch(tmp_path))], environ)
    assert "#" not in stderr and "\r" not in stderr
    assert "Checked 2 of 2 files" in stdout
