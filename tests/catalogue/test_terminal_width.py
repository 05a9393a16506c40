"""The shipped examples and rules fit an 80-column terminal: width only, so a change to a
shipped rule's verdicts cannot break these tests (tests/cli/test_terminal_output.py checks
layout and whole words over the fixture pack)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.reporters import Command, render
from cvecheck.reporters.layout import Terminal
from cvecheck.rules import load_rules

from ..paths import EXAMPLES_DIR, REPO, SHIPPED_RULES

WIDTH = 80
narrow = CliRunner(env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})


def assert_fits(text: str, width: int = WIDTH) -> None:
    long = [line for line in text.splitlines() if len(line) > width]
    assert not long, f"{len(long)} lines wider than {width}, e.g. {long[0]!r}"


def test_the_shipped_examples_fit_80_columns() -> None:
    """Width only: the verdicts of the shipped rules belong to their own tests."""
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        result = narrow.invoke(app, ["check", str(path.relative_to(REPO))])
        assert result.exit_code in (0, 1), result.output
        assert_fits(result.stdout)


def test_the_shipped_rules_fit_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for arguments in (
        ["compare", "programme_examples"],
        ["diff", "tests/fixtures/riverside/v1.yaml", "tests/fixtures/riverside/v2.yaml"],
        ["rules"],
        ["coverage"],
    ):
        result = narrow.invoke(app, arguments)
        assert result.exit_code in (0, 1), result.output
        assert_fits(result.stdout)
    ruleset = load_rules([SHIPPED_RULES])
    for compiled in ruleset.rules:
        assert_fits(render(Command.EXPLAIN, "markdown", compiled, ruleset, terminal=Terminal()))
