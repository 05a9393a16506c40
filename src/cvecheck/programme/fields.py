"""Building blocks of the programme model: optional "stated" fields, tri-state helpers and the
strict base class every section derives from."""

# No `from __future__ import annotations` in this package: pydantic would then compile every
# field's annotation from its string, about 15 ms of every cold start for 300 fields.
import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = "1"

_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _calendar_date(value: Any) -> Any:
    """Only a calendar date: lax parsing alone would read 4102444800 as a Unix time and take
    "2026-06-01T00:00:00+14:00", whose day depends on the reader's time zone."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _CALENDAR_DATE.fullmatch(value):
        return value  # pydantic then refuses impossible dates such as 2026-02-30
    raise PydanticCustomError(
        "date_type",
        "expected a calendar date written YYYY-MM-DD (not a number, nor a date with a time)",
    )


IsoDate = Annotated[date, BeforeValidator(_calendar_date), Strict(False)]
"""A date written as YYYY-MM-DD. The loader keeps dates as text; this parses and checks them."""


def stated(description: str, **extra: Any) -> Any:
    """An optional field: absent means "not stated", which rules report as a question."""
    return Field(default=None, description=description, **extra)


def any_true(*answers: bool | None) -> bool | None:
    """Either-or facts, tri-state: true if any answer is yes, false only if every one is no."""
    if any(answer is True for answer in answers):
        return True
    if all(answer is False for answer in answers):
        return False
    return None


def non_empty(items: list[Any] | None) -> bool | None:
    """A stated list as an answer: a non-empty list is yes, ``[]`` is no, absent is unknown."""
    return None if items is None else len(items) > 0


class Section(BaseModel):
    """Base of every block: unknown keys are errors, and YAML 1.1 look-alikes are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
