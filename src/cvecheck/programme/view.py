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


def _without_blanks(block: Mapping[str, Any]) -> dict[str, Any]:
    # Exact type checks, not isinstance against Mapping: this runs on every node of every file.
    result: dict[str, Any] = {}
    for key, value in block.items():
        if value is None:
            continue
        kind = type(value)
        if kind is dict:
            value = _without_blanks(value)
        elif kind is list:
            value = [_without_blanks(item) if type(item) is dict else item for item in value]
        result[key] = value
    return result
