"""Worker processes give the same outcomes, in the same order, as one process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cvecheck import batch
from cvecheck.rules import RuleSet

from ..paths import EXAMPLES_DIR, SHIPPED_RULES


def test_two_workers_match_one(
    tmp_path: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = (EXAMPLES_DIR / "community-mentoring.yaml").read_bytes()
    paths = []
    for index in range(6):
        path = tmp_path / f"p{index}.yaml"
        path.write_bytes(good if index != 3 else b"programme: [broken\n")
        paths.append(path)
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 2)
    today = date(2026, 1, 1)
    serial = list(batch.check_paths(paths, ruleset, today=today, jobs=1))
    parallel = list(
        batch.check_paths(paths, ruleset, today=today, jobs=2, rule_dirs=[SHIPPED_RULES])
    )
    assert parallel == serial
    assert [o.report is None for o in parallel] == [False, False, False, True, False, False]
    assert all(o.report.rules for o in parallel if o.report is not None)
