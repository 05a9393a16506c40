"""The programme description: the models (the one source of its JSON Schemas) and the plain
path that checks a clean file without them.

The models: ``fields`` holds the building blocks, ``sections`` one model per block of the
file, ``model`` the root and ``parse_programme``, ``errors`` turns validation errors into
located issues, ``introspection`` answers questions about the models for error messages and
the template, and ``schema`` writes the editors' schema.

The plain path (no pydantic): ``facts`` computes the derived facts (the models' computed
fields call the same functions), ``layout`` reads the shipped validation schema,
``validation`` checks a file against it and falls back to the models to explain a refusal,
``view`` builds the evaluation view and ``openness`` tells open lists and completes them.

Importing this package loads none of the models; the names below are looked up on first use.
"""

from typing import TYPE_CHECKING, Any

from cvecheck.programme.facts import (
    DERIVED_FROM,
    DERIVED_QUESTIONS,
    QUESTION_FIELD,
    SCHEMA_VERSION,
)
from cvecheck.programme.layout import field_order, programme_paths

if TYPE_CHECKING:
    from cvecheck.programme.errors import validation_issues
    from cvecheck.programme.model import (
        Programme,
        evaluation_view,
        parse_programme,
        programme_json_schema,
    )

_LAZY = {
    "validation_issues": "cvecheck.programme.errors",
    "Programme": "cvecheck.programme.model",
    "evaluation_view": "cvecheck.programme.model",
    "parse_programme": "cvecheck.programme.model",
    "programme_json_schema": "cvecheck.programme.model",
}

__all__ = [
    "DERIVED_FROM",
    "DERIVED_QUESTIONS",
    "QUESTION_FIELD",
    "SCHEMA_VERSION",
    "Programme",
    "evaluation_view",
    "field_order",
    "parse_programme",
    "programme_json_schema",
    "programme_paths",
    "validation_issues",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cvecheck.programme' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
