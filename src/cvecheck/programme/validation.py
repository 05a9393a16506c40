"""Validating a programme file: a fast check against the shipped schema, pydantic to explain.

Two paths give one answer. The fast one checks the loaded data against the validation schema
(``layout.validation_schema``, generated from the models) with jsonschema-rs, and imports no
pydantic: a clean file goes from here to the evaluation view in plain code. Only a file the
schema refuses is parsed again by the models (``model.parse_programme``), which say what is
wrong with file, line and column exactly as they always have. A test holds the two paths to the
same verdict over every example and a fuzzed corpus.

The schema says what JSON Schema can; what it cannot is said here in plain code:

- a whole number is never written ``1.0`` (JSON Schema counts ``1.0`` as an integer, the
  models do not): the ``x-whole-number`` keyword;
- a date is a real calendar date written YYYY-MM-DD, as ``fields.IsoDate`` takes it: the
  ``date`` format, checked as Python reads dates (so ``0000-01-01`` is refused, as pydantic
  refuses it, where jsonschema-rs's own ``date`` format would accept it);
- data handed in by a program (``check_data``) may hold what YAML never gives (dates, tuples,
  subclasses): such data goes to the models directly.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

import jsonschema_rs

from cvecheck.loader import Loaded
from cvecheck.programme.facts import DERIVED
from cvecheck.programme.layout import SCHEMA_FILE, validation_schema

WHOLE_NUMBER = "x-whole-number"
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = (str, int, bool, float, type(None))


class _WholeNumber:
    """``x-whole-number``: a number written without a fraction (``3``, not ``3.0``)."""

    def __init__(self, parent: dict[str, Any], value: Any, path: list[str | int]) -> None:
        del parent, value, path  # the keyword takes no argument

    def validate(self, instance: Any) -> None:
        if isinstance(instance, float):
            raise ValueError(f"{instance!r} is not a whole number")


def is_calendar_date(text: str) -> bool:
    """YYYY-MM-DD naming a day that exists (not 2026-02-30, nor the year 0)."""
    if not _CALENDAR_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@cache
def validator(name: str = SCHEMA_FILE) -> jsonschema_rs.Validator:
    """A compiled shipped validation schema (built once per process)."""
    return jsonschema_rs.validator_for(
        validation_schema(name),
        formats={"date": is_calendar_date},
        validate_formats=True,
        keywords={WHOLE_NUMBER: _WholeNumber},
    )


def is_valid(data: Any, schema: str = SCHEMA_FILE) -> bool:
    """Whether ``data`` (plain data, as the loader gives it) is a valid programme (or, with
    ``layout.WAIVER_FILE_SCHEMA``, a valid waiver file)."""
    try:
        return bool(validator(schema).is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False  # something JSON cannot hold (a NaN, say): the models will explain


def validated(loaded: Loaded, *, from_yaml: bool = True) -> dict[str, Any]:
    """The stated data of a valid programme; raises InputError with located issues if it is not.

    ``from_yaml`` says the data comes from the loader (plain JSON types only); other data is
    checked by the models unless it is plain too.
    """
    data = loaded.data
    if isinstance(data, dict) and (from_yaml or is_plain(data)) and is_valid(data):
        return data
    from cvecheck.programme.model import parse_programme

    return stated_data(parse_programme(loaded).model_dump(mode="json", exclude_none=True))


def is_plain(node: Any) -> bool:
    """Whether ``node`` holds only what YAML gives: dicts with text keys, lists and scalars."""
    pending = [node]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind not in _PLAIN:
            return False
    return True


def stated_data(view: dict[str, Any]) -> dict[str, Any]:
    """A view (or a model's dump) without its derived facts: what the file states. Takes the
    facts out of ``view`` itself, and returns it."""
    for path, derived in DERIVED.items():
        block: Any = view
        for part in path:
            block = block.get(part) if isinstance(block, dict) else None
        if isinstance(block, dict):
            for name, _ in derived:
                block.pop(name, None)
    return view
