"""Predicates: the dotted paths of a rule and the JSON Schema each value there must satisfy.

``check_predicate`` is what a rule file's predicate must pass on load (paths of field names,
no reference that leaves the rule, a valid and usable JSON Schema); ``compile_predicate`` turns
a checked one into offline jsonschema-rs validators for the engine. Both the rule-file models
(``cvecheck.rule_files``) and the run-time rules (``cvecheck.rules``) use this module, so it
imports neither, nor pydantic. jsonschema-rs itself is imported on first use: listing or
explaining rules builds no validator.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import jsonschema_rs

Predicate = dict[str, dict[str, Any]]
"""Dotted path in the programme -> JSON Schema that the value there must satisfy."""

Checks: TypeAlias = "tuple[tuple[tuple[str, ...], jsonschema_rs.Validator], ...]"
"""Each path of a predicate with the validator of its JSON Schema."""

_NAME = r"[a-z_][a-z0-9_]*(\[\*\])?"
_PATH = re.compile(rf"^{_NAME}(\.{_NAME})*$")
"""Dotted field names; ``name[*]`` means every item of the list at ``name``."""

_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")
_BASES = ("$id", "$schema")


def build_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """The run-time validator of one predicate: JSON Schema 2020-12, offline, formats as
    annotations (as the jsonschema library does). 20-40x faster per call than jsonschema and
    about 300x faster to check against the metaschema; see docs/performance.md."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(schema, offline=True, validate_formats=False)


def check_predicate(value: Predicate) -> Predicate:
    """``value`` unchanged, or ValueError saying what is wrong with it."""
    import jsonschema_rs

    if not value:
        raise ValueError("needs at least one path")
    for path, schema in value.items():
        if not _PATH.match(path):
            raise ValueError(f"{path!r} is not a dotted path of field names (items: name[*])")
        if not isinstance(schema, dict):
            raise ValueError(f"the schema for {path!r} must be a mapping")
        remote = remote_ref(schema)
        if remote:
            raise ValueError(f"{remote} points outside the rule; rules never fetch anything")
        try:
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as error:
            where = "/".join(str(p) for p in error.instance_path)
            at = f" at {where}" if where else ""
            raise ValueError(f"invalid JSON Schema for {path!r}{at}: {error.message}") from None
        try:
            build_validator(schema)  # resolves local references: a dangling one fails here
        except (jsonschema_rs.ValidationError, ValueError) as error:
            first = str(error).splitlines()[0]
            raise ValueError(f"JSON Schema for {path!r} cannot be used: {first}") from None
    return value


def remote_ref(schema: Any) -> str | None:
    """A reference that would leave the rule (or a base that could make one), if any."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in _REFERENCES:
                ref = node.get(key)
                if isinstance(ref, str) and not ref.startswith("#"):
                    return f"{key} {ref!r}"
            for key in _BASES:
                if isinstance(node.get(key), str):
                    return f"{key} {node[key]!r}"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def compile_predicate(predicate: Predicate) -> Checks:
    """Each path split into its names (``[*]`` as ``*``) with the validator of its schema."""
    return tuple(
        (tuple(path.replace("[*]", ".*").split(".")), build_validator(schema))
        for path, schema in predicate.items()
    )
