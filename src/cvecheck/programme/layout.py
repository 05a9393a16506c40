"""The shape of a programme file, read from the validation schema shipped in the package.

``validation-schema.json`` is generated from the pydantic models (``model.validation_schema``,
written by ``make generated``), so everything here follows the models without importing them:
the schema itself (for ``validation``), each block's fields and which of them are lists (for
``openness``), the order of the fields in a file and the top-level sections (for
``questions``), and every path a rule may read (for rule loading). No pydantic here: ``cvecheck check`` reads all this on every run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cvecheck.programme.facts import CLOSED_MARK, DERIVED

SCHEMA_FILE = "validation-schema.json"
WAIVER_FILE_SCHEMA = "waiver-file-schema.json"
"""The validation schema of a commissioner's waiver file (``sections.WaiverFile``)."""
ROOT = "Programme"
"""The name the root block goes by in ``Field.section``."""


@cache
def validation_schema(name: str = SCHEMA_FILE) -> dict[str, Any]:
    """A shipped validation schema, of a programme file unless named (read once; do not
    modify it)."""
    # Beside this module, as the shipped rules are beside theirs (importlib.resources would
    # cost a tenth of the cold start in imports).
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a block, as far as lists and nesting go."""

    name: str
    is_list: bool
    closed: bool
    """A list read as complete as written (``programme.stages``)."""
    section: str | None
    """The block it holds (or its items hold), by definition name; None for plain values."""
    item: dict[str, Any] | None
    """A list's item schema."""
    required: bool
    choices: tuple[Any, ...]
    """The values of a field that is one choice (enum or const), else ()."""
    text: bool
    """The field (a list's item, for a list) is plain text."""


def _definition(name: str) -> dict[str, Any]:
    schema = validation_schema()
    if name == ROOT:
        return schema
    found: dict[str, Any] = schema["$defs"][name]
    return found


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _alternatives(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a field other than ``null`` (absent or blank: not stated)."""
    options = node.get("anyOf", [node])
    return [option for option in options if option.get("type") != "null"]


def _choices(node: dict[str, Any]) -> tuple[Any, ...]:
    if "enum" in node:
        return tuple(node["enum"])
    if "const" in node:
        return (node["const"],)
    return ()


@cache
def fields(section: str) -> dict[str, Field]:
    """The fields of a block (``ROOT`` or a definition name), in the file's order."""
    definition = _definition(section)
    required = set(definition.get("required", ()))
    found: dict[str, Field] = {}
    for name, node in definition.get("properties", {}).items():
        options = _alternatives(node)
        one = options[0] if len(options) == 1 else {}
        is_list = one.get("type") == "array"
        item = one.get("items") if is_list else None
        target = item if item is not None else one
        found[name] = Field(
            name=name,
            is_list=is_list,
            closed=node.get(CLOSED_MARK) is True or one.get(CLOSED_MARK) is True,
            section=_ref_name(target),
            item=item,
            required=name in required,
            choices=_choices(one),
            text=target.get("type") == "string" and not _choices(target) and "format" not in target,
        )
    return found


@cache
def field_order() -> dict[str, int]:
    """Each dotted field's place in the file's order (lists' items without ``[*]``), depth
    first as the template writes it; derived facts after their siblings."""
    order: dict[str, int] = {}

    def walk(path: tuple[str, ...], section: str) -> None:
        prefix = "".join(part + "." for part in path)
        for field in fields(section).values():
            order.setdefault(prefix + field.name, len(order))
            if field.section is not None:
                walk((*path, field.name), field.section)
        for name, _ in DERIVED.get(path, ()):
            order.setdefault(prefix + name, len(order))

    walk((), ROOT)
    return order


@cache
def programme_paths() -> frozenset[str]:
    """Every dotted path a rule may read: stated and derived fields, ``name[*]`` into lists."""
    paths: set[str] = set()

    def walk(path: tuple[str, ...], prefix: str, section: str) -> None:
        paths.update(prefix + name for name, _ in DERIVED.get(path, ()))
        for field in fields(section).values():
            dotted = prefix + field.name
            paths.add(dotted)
            if field.section is not None:
                if field.is_list:
                    dotted += "[*]"
                    paths.add(dotted)
                walk((*path, field.name), dotted + ".", field.section)

    walk((), "", ROOT)
    return frozenset(paths)


@cache
def sections() -> dict[str, str]:
    """The top-level sections of a file, in order, each with its description."""
    properties = validation_schema()["properties"]
    return {name: str(node.get("description", "")) for name, node in properties.items()}
