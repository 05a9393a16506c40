"""Tables skip tabulate's per-cell number detection yet align every column as it would."""

from __future__ import annotations

import pytest
import tabulate as tabulate_module
from tabulate import tabulate

from cvecheck.reporters import layout
from cvecheck.reporters.layout import Terminal

HEADERS = ["name", "count", "share", "note"]
BODIES = [
    [["alpha", 4, "80%", "text"], ["beta", 12, "n/a", "more text"]],
    [["alpha", "4", "1", "x"], ["beta", "120", "0", "y"]],
    [["alpha", "007", "1.5", "3"], ["beta", "12", "10", "three"]],
    [["alpha", "-1", None, "2024"], ["beta", "3", None, "2025"]],
    [["alpha", 1.25, "1e3", ""], ["beta", 10, "7", None]],
    [["alpha", True, "yes", "0"], ["beta", False, "no", "1"]],
]


def _reference(body: list[list[object]], colalign: tuple[str, ...] | None) -> str:
    padding = tabulate_module.MIN_PADDING
    tabulate_module.MIN_PADDING = layout.HEADER_PADDING
    try:
        return str(tabulate(body, headers=HEADERS, tablefmt="simple", colalign=colalign))
    finally:
        tabulate_module.MIN_PADDING = padding


@pytest.mark.parametrize("colalign", [None, ("left", "right")])
@pytest.mark.parametrize("body", BODIES)
def test_the_same_table_as_tabulate_detecting_numbers(
    body: list[list[object]], colalign: tuple[str, ...] | None
) -> None:
    ours = layout.table(body, HEADERS, Terminal(width=200), colalign=colalign)
    assert ours == _reference(body, colalign)
