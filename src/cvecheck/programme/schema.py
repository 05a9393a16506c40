"""The exported JSON Schema of a programme file, written for the people who fill it in.

Editors show the schema to practitioners as they type (yaml-language-server: completion, hover,
diagnostics), so the schema pydantic generates is rewritten in their terms:

- An absent key means "not stated", and only absence does: the schema offers no ``null``
  alternative and no ``"default": null``, so an editor neither proposes ``null`` nor names it
  in a message (``Expected "Age range"``). ``cvecheck init`` writes the fields it does not
  know as commented-out lines, so its template is valid as written. The checker itself still
  reads a blank or ``null`` value as not stated; only the editor's view is stricter.
- Types are named by titles in words ("Age range"), never by class names (``AgeRange``).
- A property that refers to a section keeps its description but no title of its own, so a hover
  shows the title once, not "Fidelity monitoring || Fidelity monitoring".
- A date says how to write it (``errorMessage``, which yaml-language-server shows instead of
  "String is not a RFC3339 date.").
"""

from __future__ import annotations

import re
from typing import Any

NULL = {"type": "null"}
DATE_MESSAGE = "Write the date as YYYY-MM-DD, for example 2027-03-31."


def for_editors(schema: dict[str, Any]) -> dict[str, Any]:
    """The generated schema rewritten for editors (a new dict; the argument is unchanged)."""
    rewritten: dict[str, Any] = _walk(schema)
    for definition in rewritten.get("$defs", {}).values():
        if "title" in definition:
            definition["title"] = words(definition["title"])
    return rewritten


def words(name: str) -> str:
    """A class name as a title in sentence case: ``AgeRange`` -> "Age range"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return spaced[:1].upper() + spaced[1:].lower()


# Keywords whose value maps names to schemas (the map itself is not a schema).
_NAMED = {"properties", "$defs", "patternProperties", "dependentSchemas"}


def _walk(node: Any) -> Any:
    if isinstance(node, list):
        return [_walk(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        key: {name: _walk(sub) for name, sub in value.items()} if key in _NAMED else _walk(value)
        for key, value in node.items()
    }
    alternatives = node.get("anyOf")
    if isinstance(alternatives, list) and NULL in alternatives:
        if node.get("default", ...) is None:
            del node["default"]
        rest = [a for a in alternatives if a != NULL]
        if len(rest) == 1:  # the field's one kind of value, in place of the alternatives
            del node["anyOf"]
            for key, value in rest[0].items():
                node.setdefault(key, value)
        else:
            node["anyOf"] = rest
    if "$ref" in node and "title" in node:
        del node["title"]
    if "title" in node and "properties" not in node and "$ref" not in node:
        node["title"] = words(node["title"])
    if node.get("format") == "date":
        node.setdefault("errorMessage", DATE_MESSAGE)
    return node
