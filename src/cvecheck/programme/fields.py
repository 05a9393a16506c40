"""Building blocks of the programme model: optional "stated" fields, tri-state helpers and the
strict base class every section derives from."""

# No `from __future__ import annotations` in this package: pydantic would then compile every
# field's annotation from its string, about 15 ms of every cold start for 300 fields.
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

SCHEMA_VERSION = "1"

IsoDate = Annotated[date, Strict(False)]
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
