"""Validation errors of the programme model as located, plain-language issues."""

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from cvecheck.loader import SourceMap
from cvecheck.programme.introspection import nested_model
from cvecheck.results import Issue, Path

# --- parsing with located errors -------------------------------------------------------------

_FRIENDLY: dict[str, str] = {
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "string_type": "expected text (put it in quotes if it looks like a number or true/false)",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
    "missing": "is required here",
    "extra_forbidden": "is not a known field",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
    "date_type": "expected a date written YYYY-MM-DD",
}


def validation_issues(
    error: ValidationError, source_map: SourceMap, model: type[BaseModel], base: Path = ()
) -> list[Issue]:
    """Turn pydantic errors into issues located through the source map, with "did you mean"."""
    issues: list[Issue] = []
    details = error.errors(include_url=False)
    for detail in details[:MAX_ISSUES]:
        kind = detail["type"]
        loc = _clean_loc(detail["loc"])
        if kind == "extra_forbidden" and detail["loc"]:
            # The last part is the unknown key itself, even when it reads like a branch name.
            loc = (*_clean_loc(detail["loc"][:-1]), detail["loc"][-1])
        path = (*base, *loc)
        message = _FRIENDLY.get(kind, detail["msg"])
        if kind in ("literal_error", "enum"):
            expected = detail.get("ctx", {}).get("expected", "")
            message = f"{_shown(detail['input'])} is not allowed; use one of {expected}"
        elif kind == "bool_type" and isinstance(detail["input"], str):
            message = f"expected true or false, not {_shown(detail['input'])} (yes/no/on/off are not booleans here)"
        elif kind == "string_type" and detail["input"] is not None:
            message = f"expected text, not {_shown(detail['input'])}; put it in quotes"
        elif kind == "extra_forbidden":
            message = f"'{loc[-1]}' is not a known field"
            suggestion = _suggest(model, loc)
            if suggestion:
                message += f"; did you mean '{suggestion}'?"
        elif kind.startswith("date"):
            message = f"{_shown(detail['input'])}: {_FRIENDLY.get(kind, detail['msg'])}" + (
                f" ({detail['ctx']['error']})"
                if "ctx" in detail and "error" in detail["ctx"]
                else ""
            )
        field_name = ".".join(str(p) for p in loc) or "file"
        issues.append(
            Issue(
                f"invalid-{kind.replace('_', '-')}",
                f"{field_name}: {message}",
                source_map.locate(path),
            )
        )
    if len(details) > MAX_ISSUES:
        more = len(details) - MAX_ISSUES
        issues.append(
            Issue(
                "invalid-more",
                f"{more:,} more problems not shown; fix the ones above first",
                source_map.locate(base),
            )
        )
    return issues


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


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    info = model.model_fields.get(name)
    return None if info is None else nested_model(info.annotation)
