"""Validation errors of the programme model as located, plain-language issues."""

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from cvecheck.loader import SourceMap
from cvecheck.programme.introspection import nested_model
from cvecheck.results import Issue, Path

# --- parsing with located errors -------------------------------------------------------------

CODES: dict[str, str] = {
    "bool_type": "not-true-or-false",
    "bool_parsing": "not-true-or-false",
    "int_type": "not-a-whole-number",
    "int_parsing": "not-a-whole-number",
    "int_from_float": "not-a-whole-number",
    "string_type": "not-text",
    "list_type": "not-a-list",
    "model_type": "not-a-mapping",
    "model_attributes_type": "not-a-mapping",
    "dict_type": "not-a-mapping",
    "missing": "required",
    "extra_forbidden": "unknown-field",
    "literal_error": "not-a-choice",
    "enum": "not-a-choice",
    "date_from_datetime_parsing": "not-a-date",
    "date_from_datetime_inexact": "not-a-date",
    "date_parsing": "not-a-date",
    "date_type": "not-a-date",
}
"""Stable, documented codes (docs/errors.md) for the validation library's error kinds; any
other kind is "invalid-value"."""

_FRIENDLY: dict[str, str] = {
    "not-true-or-false": "expected true or false",
    "not-a-whole-number": "expected a whole number",
    "not-text": "expected text (put it in quotes if it looks like a number or true/false)",
    "not-a-list": "expected a list",
    "not-a-mapping": "expected a mapping: keys, each with a value, on indented lines",
    "required": "is required here",
    "unknown-field": "is not a known field",
    "not-a-date": "expected a date written YYYY-MM-DD",
}

_SLASHED = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def field_name(loc: Path) -> str:
    """A path for people: keys joined by dots, list items counted from 1
    ("multi_agency.partners, item 2, sector")."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f", item {part + 1}")
        else:
            parts.append(
                ("." if parts and not parts[-1].startswith(", item") else ", ") + part
                if parts
                else part
            )
    return "".join(parts) or "file"


def validation_issues(
    error: ValidationError, source_map: SourceMap, model: type[BaseModel], base: Path = ()
) -> list[Issue]:
    """Turn pydantic errors into issues located through the source map, each with a stable
    code, a plain message, the source line and, for the common mistakes, an example."""
    issues: list[Issue] = []
    details = error.errors(include_url=False)
    for detail in details[:MAX_ISSUES]:
        kind = detail["type"]
        loc = _clean_loc(detail["loc"])
        if kind == "extra_forbidden" and detail["loc"]:
            # The last part is the unknown key itself, even when it reads like a branch name.
            loc = (*_clean_loc(detail["loc"][:-1]), detail["loc"][-1])
        code = CODES.get(kind, "invalid-value")
        message, example = _explain(code, detail, model, loc)
        location = source_map.locate((*base, *loc))
        issues.append(
            Issue(
                code,
                f"{field_name(loc)}: {message}",
                location,
                source=source_map.line(location.line),
                example=example,
            )
        )
    if len(details) > MAX_ISSUES:
        more = len(details) - MAX_ISSUES
        issues.append(
            Issue(
                "too-many-problems",
                f"{more:,} more problems not shown; fix the ones above first",
                source_map.locate(base),
            )
        )
    return issues


def _explain(code: str, detail: Any, model: type[BaseModel], loc: Path) -> tuple[str, str]:
    """The message and the "write it like this" example for one validation error."""
    given = detail.get("input")
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "field")
    in_list = bool(loc) and isinstance(loc[-1], int)
    lead = "- " if in_list else f"{key}: "
    message = _FRIENDLY.get(code, str(detail["msg"]))
    example = ""
    if code == "not-a-choice":
        choices = re.findall(r"'([^']*)'", str(detail.get("ctx", {}).get("expected", "")))
        message = f"{_shown(given)} is not one of the choices: {', '.join(choices)}"
        close = difflib.get_close_matches(str(given), choices, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean '{close[0]}'?"
        if choices:
            example = f"{lead}{close[0] if close else choices[0]}"
    elif code == "not-true-or-false":
        if isinstance(given, str):
            message = (
                f"expected true or false, not {_shown(given)} (yes/no/on/off are not booleans here)"
            )
        example = f"{lead}true"
    elif code == "not-text" and given is not None:
        message = f"expected text, not {_shown(given)}; put it in quotes"
        example = f'{lead}"{given}"' if not isinstance(given, (dict, list)) else ""
    elif code == "not-a-whole-number":
        example = f"{lead}3"
    elif code == "unknown-field":
        message = f"'{loc[-1]}' is not a known field"
        suggestion = _suggest(model, loc)
        if suggestion:
            message += f"; did you mean '{suggestion}'?"
            example = f"{suggestion}: ..."
    elif code == "not-a-date":
        message, example = _date_message(given, lead)
    elif code == "not-a-mapping":
        fields = _fields_at(model, loc)
        if isinstance(given, list):
            message = (
                "expected a mapping (keys, each with a value), not a list: "
                "remove the '- ' in front of the keys"
            )
        inner = "\n".join(f"  {name}: ..." for name in fields[:2]) or "  key: value"
        example = f"{key}:\n{inner}" if not in_list else f"- {inner.strip()}"
    elif code == "not-a-list":
        if isinstance(given, dict):
            message = "expected a list, not a mapping: start each item with '- '"
            example = f"{key}:\n  - ..."
        else:
            shown = given if isinstance(given, str | int) else "..."
            message = f"expected a list, not a single value {_shown(given)}"
            example = f"{key}: [{shown}]\n# or, one item per line:\n{key}:\n  - {shown}"
    elif code == "required":
        example = f"{key}: ..."
    return message, example


def _date_message(given: Any, lead: str) -> tuple[str, str]:
    """What is wrong with a date and how to write it; a date with slashes is ambiguous."""
    match = _SLASHED.fullmatch(str(given)) if isinstance(given, str) else None
    if match:
        first, second, year = (int(g) for g in match.groups())
        readings = []
        if 1 <= second <= 12 and 1 <= first <= 31:
            readings.append((year, second, first))
        if 1 <= first <= 12 and 1 <= second <= 31 and first != second:
            readings.append((year, first, second))
        if len(readings) == 2:
            (y1, m1, d1), (y2, m2, d2) = readings
            message = (
                f"{_shown(given)} is not a date written YYYY-MM-DD, and it is ambiguous: it "
                f"could mean {d1} {_MONTHS[m1 - 1]} or {d2} {_MONTHS[m2 - 1]} {y1}"
            )
            example = (
                f"{lead}{y1}-{m1:02d}-{d1:02d}    # {d1} {_MONTHS[m1 - 1]} {y1}\n"
                f"{lead}{y2}-{m2:02d}-{d2:02d}    # {d2} {_MONTHS[m2 - 1]} {y2}"
            )
            return message, example
        if readings:
            y, m, d = readings[0]
            return (
                f"{_shown(given)} is not a date written YYYY-MM-DD",
                f"{lead}{y}-{m:02d}-{d:02d}    # {d} {_MONTHS[m - 1]} {y}",
            )
    return (
        f"{_shown(given)} is not a date written YYYY-MM-DD (year, month, day)",
        f"{lead}2027-04-30",
    )


MAX_ISSUES = 20
"""Problems listed per file; a file with thousands of them is best fixed from the top."""


def _shown(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, shortened so one hostile value cannot flood the output."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_BRANCH = re.compile(r"[a-z][a-z_-]*\[.*\]|function-.*", re.DOTALL)
"""A union branch name that pydantic puts in a loc, e.g. "literal['not_applicable']"."""


def _clean_loc(loc: tuple[int | str, ...]) -> Path:
    # pydantic adds union branch names (e.g. 'bool', "literal['not_applicable']") to the loc.
    # Match them whole: a key from the file may itself hold "[" (say "a\x1b[31m").
    return tuple(
        p
        for p in loc
        if isinstance(p, int) or not (p in ("bool", "int", "str") or _BRANCH.fullmatch(p))
    )


def _suggest(model: type[BaseModel], loc: Path) -> str | None:
    """The closest field name to an unknown key, found in the model that holds it."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        current = _field_model(current, str(part))
        if current is None:
            return None
    names = list(current.model_fields)
    matches = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _fields_at(model: type[BaseModel], loc: Path) -> list[str]:
    """The field names of the model at ``loc`` (the mapping expected there), if known."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = _field_model(current, str(part))
        if current is None:
            return []
    return list(current.model_fields)


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    info = model.model_fields.get(name)
    return None if info is None else nested_model(info.annotation)
