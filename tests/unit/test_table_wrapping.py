"""The table renderer wraps cells itself; the lines must be exactly tabulate's own wrapping."""

from __future__ import annotations

import pytest
from tabulate import tabulate

from cvecheck.reporters import table
from cvecheck.rules import RuleSet

TEXTS = [
    "short",
    "12",
    "3.5",
    "1e5",
    "x" * 130,
    "a-very-long-hyphenated-word-that-goes-on-and-on-beyond-the-column-width-of-forty-eight",
    "- first gap\n- second gap that is long enough to need wrapping at forty-eight columns",
    "words  with   odd    spacing and\ttabs that still need to wrap at some point or other",
    "Café façade naïve coöperate: accented text wraps like any other text in the table cells",
]


def _rows(ruleset: RuleSet) -> list[list[object]]:
    texts = list(TEXTS)
    for compiled in ruleset.rules:
        rule = compiled.rule
        texts += [rule.title, rule.remediation, rule.why]
        texts += [r.gap for r in rule.requirements] + [r.ask for r in rule.requirements]
    return [
        [f"R{i:03d}", "expected", f"file.yaml:{i}", t, texts[-1 - i]] for i, t in enumerate(texts)
    ]


@pytest.mark.parametrize("columns", [5, 3])
def test_wrapping_matches_tabulate(ruleset: RuleSet, columns: int) -> None:
    rows = [row[:columns] for row in _rows(ruleset)]
    headers = ["rule", "severity", "where", "missing", "what to do"][:columns]
    widths: list[int | None] = (
        [None] * (columns - 2) + [table.WRAP, table.WRAP]
        if columns > 3
        else [None] * (columns - 1) + [80]
    )
    single_line = [row for row in rows if not any("\n" in str(cell) for cell in row)]
    expected = tabulate(single_line, headers=headers, tablefmt="simple", maxcolwidths=widths)
    assert table._wrap_table(single_line, headers) == expected


def test_each_line_of_a_cell_is_wrapped_on_its_own() -> None:
    cell = "- first gap\n- second gap that is long enough to need wrapping at forty-eight columns"
    text = table._wrap_table([["R001", "x", "f:1", cell, "do it"]], ["a", "b", "c", "d", "e"])
    rows = text.splitlines()[2:]
    assert "- first gap - second" not in text
    assert "- first gap" in rows[0] and rows[0].rstrip().endswith("do it")
    assert rows[1].strip() == "- second gap that is long enough to need"
    assert rows[2].strip() == "wrapping at forty-eight columns"
