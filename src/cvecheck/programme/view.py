"""The evaluation view: the data rules are evaluated on, in plain code.

The view is the file's stated values with blanks (``null``: not stated) left out, and every
derived fact (``facts.DERIVED``) beside the fields it is derived from, absent when unknown. It
is what ``Programme.model_dump(mode="json", exclude_none=True)`` gives for the same file, built
without the models (a test holds the two equal over every example and a fuzzed corpus).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cvecheck.programme.facts import DERIVED


def evaluation_view(stated: Mapping[str, Any]) -> dict[str, Any]:
    """The view of a valid programme's stated data (a new dict; the argument is unchanged)."""
    view: dict[str, Any] = _without_blanks(stated)
    for path, derived in DERIVED.items():
        block: Any = view
        for part in path:
            block = block.get(part) if isinstance(block, dict) else None
        if not isinstance(block, dict):
            continue  # the block is not stated, so neither are its facts
        for name, fact in derived:
            value = fact(block)
            if value is not None:
                block[name] = value
    return view


def _without_blanks(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {key: _without_blanks(value) for key, value in node.items() if value is not None}
    if isinstance(node, list):
        return [_without_blanks(item) for item in node]
    return node
