"""Indented JSON text, byte for byte what ``json.dumps(value, indent=2, ensure_ascii=False)``
writes, at a fraction of its cost.

With ``indent`` set, the standard library leaves its C encoder and runs a pure-Python
generator per value; for the JSON and SARIF reports that was most of the cost of a file's
part. Here strings go through the C string encoder and containers are joined directly. The
same values are accepted (dicts, lists, tuples, strings, numbers, booleans, None and their
subclasses) and anything else raises TypeError, as json.dumps does.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C implementation where CPython has one
from typing import Any

__all__ = ["dumps"]

_INDENT = "  "


def dumps(value: Any, level: int = 0) -> str:
    """``value`` as JSON indented by two spaces, starting ``level`` levels deep (so a part of a
    larger document is indented as the whole document would indent it)."""
    return _encode(value, "\n" + _INDENT * level)


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + _INDENT
        items: list[str] = []
        append = items.append
        for key, item in value.items():
            if type(key) is not str:
                key = _key(key)
            # Most values are strings: encoded here, without a call to _encode each.
            if type(item) is str:
                append(encode_basestring(key) + ": " + encode_basestring(item))
            else:
                append(encode_basestring(key) + ": " + _encode(item, inner))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + _INDENT
        return (
            "["
            + inner
            + ("," + inner).join(
                [encode_basestring(v) if type(v) is str else _encode(v, inner) for v in value]
            )
            + newline
            + "]"
        )
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    return _subclass(value, newline)


def _subclass(value: Any, newline: str) -> str:
    """A subclass of a JSON type (a StrEnum member, say), taken as json.dumps takes it."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list | tuple):
        return _encode(list(value), newline)
    if isinstance(value, dict):
        return _encode(dict(value), newline)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A dictionary key that is not a string, converted as json.dumps converts it."""
    if isinstance(key, str):
        return str.__str__(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return _float(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    # As json.dumps writes them (allow_nan=True): the reports never hold NaN or infinity,
    # but the text must not differ if one ever does.
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)
