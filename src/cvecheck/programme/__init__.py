"""The programme description: typed models, the one source of its JSON Schema.

``fields`` holds the building blocks, ``sections`` one model per block of the file, ``model``
the root with the facts derived across sections and ``parse_programme``, ``errors`` turns
validation errors into located issues, and ``introspection`` answers questions about the
models for rule loading and the template.
"""

from cvecheck.programme.errors import validation_issues
from cvecheck.programme.fields import SCHEMA_VERSION
from cvecheck.programme.model import (
    DERIVED_FROM,
    DERIVED_QUESTIONS,
    QUESTION_FIELD,
    Programme,
    evaluation_view,
    field_order,
    parse_programme,
    programme_json_schema,
    programme_paths,
)

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
