"""Two workers write what one process writes, in file order, and hold only a window of files.

The files are made from the fixture pack's programmes, enough of them for ``check`` to start
worker processes; every format that streams is written in the same run, each to its own file.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cvecheck import batch
from cvecheck.cli import app
from cvecheck.reporters import Rendering, View
from cvecheck.results import FileOutcome
from cvecheck.rules import load_rules

from ..reporting import CLEAN_YAML, INVALID_YAML, PACK_DIR, TRICKY_YAML

FORMATS = ("table", "json", "sarif", "junit", "github", "concise")


def programmes(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    texts = (TRICKY_YAML, CLEAN_YAML, INVALID_YAML, TRICKY_YAML.replace("April", "May"))
    paths = []
    for index in range(count):
        path = folder / f"p{index:04}.yaml"
        path.write_text(texts[index % len(texts)], encoding="utf-8")
        paths.append(path)
    return paths


def run(
    folder: Path, out: Path, jobs: int, formats: tuple[str, ...] = FORMATS, *extra: str
) -> dict[str, bytes]:
    out.mkdir()
    arguments = ["check", str(folder), "--rules", str(PACK_DIR), "--jobs", str(jobs), *extra]
    for name in formats:
        arguments += ["-f", name, "-o", str(out / name)]
    arguments += ["--today", "2026-01-01"]
    result = CliRunner().invoke(app, arguments, env={"COLUMNS": "100", "CI": "1"})
    assert result.exit_code == 2, result.output  # one file in four is invalid
    return {name: (out / name).read_bytes() for name in formats}


def count_submits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two cores, and the number of files in each task sent to a worker, as they are sent."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    submitted: list[int] = []
    submit = ProcessPoolExecutor.submit

    def counted(self: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(args[2]))
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    return submitted


def test_two_workers_write_the_bytes_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "programmes"
    programmes(folder, batch.PARALLEL_THRESHOLD + 13)
    submitted = count_submits(monkeypatch)
    one = run(folder, tmp_path / "one", 1)
    assert not submitted
    two = run(folder, tmp_path / "two", 2)
    assert sum(submitted) == batch.PARALLEL_THRESHOLD + 13  # every file went to a worker
    for name in FORMATS:
        assert two[name] == one[name], name
    assert one["table"].index(b"p0000.yaml") < one["table"].index(b"p0212.yaml")
    counted_only = ("table", "concise")
    one = run(folder, tmp_path / "one-s", 1, counted_only, "--statistics")
    two = run(folder, tmp_path / "two-s", 2, counted_only, "--statistics")
    assert one == two
    assert b"Rules with gaps or questions over 160 files" in one["table"]


def test_the_batch_keeps_a_window_of_files_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = programmes(tmp_path / "programmes", 300)
    submitted = count_submits(monkeypatch)
    job = Rendering((("json", View()),))
    window = (2 * batch.WINDOW + 1) * batch.CHUNK  # the window, and the task that refills it
    done = batch.run_paths(
        paths, load_rules([PACK_DIR]), job, today=date(2026, 1, 1), jobs=2, rule_dirs=[PACK_DIR]
    )
    for count, rendered in enumerate(done, start=1):
        # The files sent to workers run ahead of those written by a window at most, however
        # slowly they are written (pool.map would have sent all 300 at the start).
        assert sum(submitted) - count <= window
        assert rendered.path == str(paths[count - 1])
    assert sum(submitted) == 300


def test_one_process_holds_one_report_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = programmes(tmp_path / "programmes", 40)
    alive: set[int] = set()
    most = 0
    check_one = batch.check_one

    def watched(*args: Any) -> FileOutcome:
        outcome = check_one(*args)
        if outcome.report is not None:
            key = id(outcome.report)
            alive.add(key)
            weakref.finalize(outcome.report, alive.discard, key)
        return outcome

    def written(found: Iterator[Any]) -> Iterator[Any]:
        nonlocal most
        for item in found:
            most = max(most, len(alive))
            yield item

    monkeypatch.setattr(batch, "check_one", watched)
    job = Rendering(tuple((name, View()) for name in FORMATS))
    done = batch.run_paths(paths, load_rules([PACK_DIR]), job, today=date(2026, 1, 1))
    assert len(list(written(done))) == 40
    assert most <= 1


@pytest.mark.parametrize("name", ["json", "sarif", "junit"])
def test_a_streamed_document_on_standard_output_is_the_whole_document(
    name: str, tmp_path: Path
) -> None:
    from cvecheck.reporters import junit, sarif
    from cvecheck.reporters.json_ import render

    paths = programmes(tmp_path / "programmes", 7)
    found = list(batch.check_paths(paths, load_rules([PACK_DIR]), today=date(2026, 1, 1)))
    whole = {"json": render, "sarif": sarif.render, "junit": junit.render}[name](found)
    arguments = ["check", *map(str, paths), "--rules", str(PACK_DIR), "-f", name]
    result = CliRunner().invoke(app, [*arguments, "--today", "2026-01-01"], env={"CI": "1"})
    assert result.exit_code == 2
    assert result.stdout == whole
