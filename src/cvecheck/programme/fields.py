"""Building blocks of the programme model: optional "stated" fields, calendar dates, open
lists and the strict base class every section derives from. (The tri-state helpers and the
constants shared with the plain path are in ``facts``.)"""

# No `from __future__ import annotations` in the model modules (fields, sections, model):
# pydantic would then compile every field's annotation from its string, about 15 ms for 300
# fields whenever the models are built.
import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from cvecheck.programme.facts import CLOSED_MARK, COMPLETE_SUFFIX, is_complete
from cvecheck.programme.introspection import is_list

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


def stated(description: str, *, closed: bool = False, **extra: Any) -> Any:
    """An optional field: absent means "not stated", which rules report as a question.

    A list field is open (see ``open_lists``) unless ``closed``: a closed list is read as the
    whole answer, which only suits a list that states the programme's scope.
    """
    if closed:
        extra["json_schema_extra"] = {CLOSED_MARK: True}
    return Field(default=None, description=description, **extra)


_M = TypeVar("_M", bound=BaseModel)


def open_lists(cls: type[_M]) -> type[_M]:
    """Give every open list field of ``cls`` a ``<name>_complete`` sibling.

    A list names what the file's author knows of, not necessarily everything: an item that is
    not listed is not known to be absent. ``<name>_complete: true`` says the list is the whole
    answer; ``[]`` (or ``[none]``) states absence. The engine reads every other non-empty
    list as open (see ``cvecheck.programme.openness``).
    """
    extra: dict[str, Any] = {}
    fields: dict[str, FieldInfo] = cls.__pydantic_fields__
    for name, info in fields.items():
        if is_list(info.annotation) and not is_closed(info.json_schema_extra):
            label = name.replace("_", " ")
            extra[name + COMPLETE_SUFFIX] = (
                bool | None,
                stated(
                    f"true if {name} lists every one (nothing else applies); leave it out if "
                    f"there may be {label} not listed."
                ),
            )
    if not extra:
        return cls
    built: type[_M] = create_model(
        cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__, **extra
    )
    return built


def is_closed(schema_extra: Any) -> bool:
    return isinstance(schema_extra, dict) and schema_extra.get(CLOSED_MARK) is True


class Section(BaseModel):
    """Base of every block: unknown keys are errors, and YAML 1.1 look-alikes are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def is_complete(self, name: str) -> bool | None:
        """The ``<name>_complete`` answer beside the list ``name`` (see ``open_lists``)."""
        return is_complete(self, name)
