"""What each programme field is, read from the exported JSON Schema: its kind, choices, words.

The interview asks about fields it finds in questions; everything it says about a field (the
description, the values it takes, the purpose of its section) comes from the schema, so a new
field or a renamed choice needs no change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from cvecheck.results import Path


class Kind(StrEnum):
    """The kind of answer a field takes, which decides how it is asked."""

    BOOLEAN = "boolean"
    CHOICE = "choice"
    CHOICES = "choices"
    DATE = "date"
    TEXT = "text"
    NUMBER = "number"
    TEXTS = "texts"
    NUMBERS = "numbers"
    ITEMS = "items"
    SECTION = "section"


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str


@dataclass(frozen=True)
class FieldInfo:
    """One field of the programme file, as the schema describes it."""

    name: str
    """Dotted name without list indexes, e.g. ``multi_agency.partners``."""
    kind: Kind
    description: str = ""
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    item_fields: tuple[FieldInfo, ...] = ()
    """For a list of items: the fields each item needs (required ones first)."""
    required: bool = False
    children: tuple[str, ...] = ()
    """For a section: its field names in schema order."""

    @property
    def key(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def label(value: Any) -> str:
    """Plain words for a choice: ``true`` is yes, ``mental_health`` is "mental health"."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value).replace("_", " ")


class Schema:
    """Field lookup over the programme JSON Schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._schema = schema
        self._defs: dict[str, Any] = schema.get("$defs", {})
        self.order: dict[str, int] = {}
        self._number(schema, "")

    def _number(self, node: dict[str, Any], prefix: str) -> None:
        """Number every field depth first, the order of the template and of the file."""
        for name, child in self._properties(node).items():
            dotted = prefix + name
            self.order.setdefault(dotted, len(self.order))
            target = self._object_of(child)
            if target is not None and dotted.count(".") < 12:
                self._number(target, dotted + ".")

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return dict(self._defs.get(ref.removeprefix("#/$defs/"), {}))
        return node

    def _branches(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """The non-null alternatives of a field, references resolved."""
        node = self._deref(node)
        options = node.get("anyOf") or node.get("oneOf")
        if options is None:
            return [node]
        return [self._deref(o) for o in options if o.get("type") != "null"]

    def _properties(self, node: dict[str, Any]) -> dict[str, Any]:
        props = self._deref(node).get("properties", {})
        return props if isinstance(props, dict) else {}

    def _object_of(self, node: dict[str, Any]) -> dict[str, Any] | None:
        """The object schema a field holds, directly or as the items of a list."""
        for branch in self._branches(node):
            if branch.get("type") == "object" or "properties" in branch:
                return branch
            if branch.get("type") == "array":
                items = self._deref(branch.get("items", {}))
                if items.get("type") == "object" or "properties" in items:
                    return items
        return None

    def node(self, path: Path) -> tuple[dict[str, Any], bool] | None:
        """The schema of the field at ``path`` (list indexes step into items) and whether it
        is required in its parent, or None when no such field exists."""
        node: dict[str, Any] = self._schema
        required = False
        for part in path:
            if isinstance(part, int):
                arrays = [b for b in self._branches(node) if b.get("type") == "array"]
                if not arrays:
                    return None
                node = self._deref(arrays[0].get("items", {}))
                continue
            parent = self._object_of(node) if node is not self._schema else node
            if parent is None:
                return None
            props = self._properties(parent)
            if part not in props:
                return None
            required = part in parent.get("required", [])
            node = props[part]
        return node, required

    def field(self, path: Path) -> FieldInfo | None:
        """What the field at ``path`` is, or None when the schema has no such field."""
        found = self.node(path)
        if found is None:
            return None
        node, required = found
        name = ".".join(str(p) for p in path if isinstance(p, str))
        return self._info(name, node, required)

    def _info(self, name: str, node: dict[str, Any], required: bool) -> FieldInfo:
        description = str(self._deref(node).get("description") or node.get("description") or "")
        branches = self._branches(node)
        choices: list[Choice] = []
        kinds: set[str] = set()
        for branch in branches:
            kind = branch.get("type")
            if "enum" in branch:
                choices += [Choice(v, label(v)) for v in branch["enum"]]
                kinds.add("enum")
            elif "const" in branch:
                choices.append(Choice(branch["const"], label(branch["const"])))
                kinds.add("enum")
            elif kind == "boolean":
                choices += [Choice(True, "yes"), Choice(False, "no")]
                kinds.add("boolean")
            elif isinstance(kind, str):
                kinds.add(kind)
        if kinds == {"boolean"}:
            return FieldInfo(
                name,
                Kind.BOOLEAN,
                choices=tuple(choices),
                description=description,
                required=required,
            )
        if kinds <= {"boolean", "enum"} and choices:
            return FieldInfo(
                name,
                Kind.CHOICE,
                choices=tuple(choices),
                description=description,
                required=required,
            )
        if "object" in kinds:
            children = tuple(self._properties(branches[0]))
            return FieldInfo(
                name, Kind.SECTION, children=children, description=description, required=required
            )
        if "array" in kinds:
            items = self._deref(next(b for b in branches if b.get("type") == "array")["items"])
            item = self._info(name, items, False)
            if item.kind is Kind.SECTION:
                props = self._properties(items)
                needed = [k for k in props if k in items.get("required", [])]
                fields = tuple(self._info(f"{name}.{k}", props[k], True) for k in needed)
                return FieldInfo(
                    name, Kind.ITEMS, item_fields=fields, description=description, required=required
                )
            if item.kind is Kind.CHOICE:
                return FieldInfo(
                    name,
                    Kind.CHOICES,
                    choices=item.choices,
                    description=description,
                    required=required,
                )
            if item.kind is Kind.NUMBER:
                return FieldInfo(
                    name,
                    Kind.NUMBERS,
                    minimum=item.minimum,
                    maximum=item.maximum,
                    description=description,
                    required=required,
                )
            return FieldInfo(name, Kind.TEXTS, description=description, required=required)
        if "integer" in kinds or "number" in kinds:
            number = next(b for b in branches if b.get("type") in ("integer", "number"))
            return FieldInfo(
                name,
                Kind.NUMBER,
                minimum=number.get("minimum"),
                maximum=number.get("maximum"),
                description=description,
                required=required,
            )
        if any(b.get("format") == "date" for b in branches):
            return FieldInfo(name, Kind.DATE, description=description, required=required)
        return FieldInfo(name, Kind.TEXT, description=description, required=required)

    def sections(self) -> dict[str, str]:
        """Every top-level section of the file with its plain purpose, in schema order."""
        props = self._properties(self._schema)
        return {name: str(node.get("description") or "") for name, node in props.items()}


@cache
def programme_schema() -> Schema:
    """The schema of programme files, read once."""
    from cvecheck.programme import programme_json_schema

    return Schema(programme_json_schema())
