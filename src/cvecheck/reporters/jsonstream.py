"""JSON documents written as streams of list items, with the bytes of ``json.dumps`` of the whole.

A document that holds one list per file's items (the JSON report's files; SARIF's results,
artifacts and notifications) is written in pieces: each item dumped on its own, indented to
where it sits in the document, and the document around the lists dumped once at the end with
a marker in each list. ``frame`` splits that dump at the markers, so the pieces and the items
put together are exactly ``json.dumps(whole, indent=2, ensure_ascii=False)``.
"""

from __future__ import annotations

import json
from typing import Any

from cvecheck.reporters import indented_json

SEPARATOR = ",\n"
"""Between two items of a list (each item starts with its own indent)."""


def dump(value: Any) -> str:
    """The one way every JSON format of cvecheck is dumped."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def marker(stream: int) -> list[str]:
    """What stands for stream ``stream``'s items in the document given to ``frame``. A NUL is
    written ``\\u0000`` and every backslash of a real value is doubled, so no value's text can
    look like it."""
    return [f"\x00stream{stream}"]


def item(value: Any, indent: str) -> str:
    """One list item, indented as it sits in the document (every level two spaces): the one
    dump per file, so through the faster encoder with the same bytes."""
    return indent + indented_json.dumps(value, len(indent) // 2)


def frame(document: Any, filled: tuple[bool, ...]) -> tuple[list[str], list[str]]:
    """The text around each stream of ``document`` (which holds ``marker(i)`` in place of
    stream i's list): the pieces before, between and after the streams, and the indent of each
    stream's items. An empty stream gives ``[]``, as ``json.dumps`` writes an empty list."""
    text = dump(document) + "\n"
    pieces: list[str] = []
    indents: list[str] = []
    for stream, full in enumerate(filled):
        token = json.dumps(marker(stream)[0])
        before, found, text = text.partition(token)
        if not found:
            raise ValueError(f"the document has no stream {stream}")
        opening, _, indent = before.rpartition("\n")  # opening ends with "["
        indents.append(indent)
        if full:
            pieces.append(opening + "\n")
        else:
            pieces.append(opening)
            text = text[text.index("]") :]
    pieces.append(text)
    return pieces, indents
