"""What ``cvecheck init`` writes: a commented programme template and the schema for editors.

The template is generated from the Programme model, so every section and field the checker
knows is in it, with its description and the values it takes. Every field is written as a
commented-out line (``# name:``), which means "not stated": checking the untouched template
gives only questions, never gaps, and the file is valid against the editor schema as written
(a blank ``name:`` would be ``null``, which the schema does not offer). The schema text is the
same as docs/programme.schema.json. Pure: no I/O.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cvecheck.programme import SCHEMA_VERSION, Programme, programme_json_schema
from cvecheck.programme.facts import COMPLETE_SUFFIX
from cvecheck.programme.introspection import (
    list_item_model,
    literal_values,
    model_of,
    unwrap,
)

WIDTH = 96
DEFAULT_SCHEMA_REF = "programme.schema.json"

GUIDE = """\
A programme description for cvecheck, which checks it against the recommendations of the
CREST review "Countering Violent Extremism Interventions: Contemporary Research" (2021).

How to fill it in:
- Every field is commented out: remove the "# " in front of a field, and of its section, to
  fill it in. A field left commented out is not stated: cvecheck asks about it (a question).
- Write false, none or [] only when the programme really lacks something: that is a gap.
- Lists are open: something not listed is not taken to be missing, so cvecheck asks
  "are these all?". When a list names every one, write <list>_complete: true beside it (e.g.
  partners_complete: true). programme.stages is the exception: list every stage.
- Answer the gate questions first, they decide which rules apply: programme.stages,
  programme.kinds_of_work, programme.works_with_individuals, programme.online_work,
  formers.used and formers.roles, community_and_reporting.receives_concerns.
- The review covers secondary and tertiary work: a programme that is primary prevention only
  is reported as out of its scope.
- Leave a section commented out, or delete it, if you have nothing to say about it yet.
- Dates are YYYY-MM-DD. Put text that looks like a number or true/false in quotes ("2.0").
- Lists take [a, b] on one line, or one "- item" per line.
- Fields marked "required" must be given when you add an item to a list.
Check it with `cvecheck check FILE`; `cvecheck schema` prints the schema your editor can use."""


def programme_template(schema_ref: str = DEFAULT_SCHEMA_REF, *, tool_version: str = "") -> str:
    """The whole template as YAML text, with a modeline pointing editors at ``schema_ref``."""
    lines = [f"# yaml-language-server: $schema={schema_ref}", "#"]
    lines += _comment(GUIDE, "")
    if tool_version:
        lines += ["#", f"# Written by cvecheck {tool_version}."]
    for name, info in _in_file_order(Programme):
        lines.append("")
        if name.endswith(COMPLETE_SUFFIX):
            lines[-1:] = _trailing(f"# {name}:", _complete_guide(name))
            continue
        if name == "schema_version":
            lines += _comment(info.description or "", "")
            lines.append(f'schema_version: "{SCHEMA_VERSION}"')
            continue
        lines.append(f"# {'=' * 3} {name} {'=' * max(3, WIDTH - len(name) - 7)}")
        lines += _field(name, info, "")
    return "\n".join(lines) + "\n"


def schema_text() -> str:
    """The programme JSON Schema as the text written to files (docs/programme.schema.json)."""
    return json.dumps(programme_json_schema(), indent=2) + "\n"


def top_level_sections() -> list[str]:
    """The sections a template must contain: every top-level field of the model."""
    return list(Programme.model_fields)


def _field(name: str, info: FieldInfo, indent: str) -> list[str]:
    """Lines for one field: its guide, then ``# name:``, commented out until it is filled in."""
    annotation = unwrap(info.annotation)
    lines = _comment(_describe(info), indent)
    model = model_of(annotation)
    if model is not None:
        lines.append(f"{indent}# {name}:")
        for child, child_info in _in_file_order(model):
            if child.endswith(COMPLETE_SUFFIX):
                lines += _trailing(f"{indent}  # {child}:", _complete_guide(child))
            else:
                lines += _field(child, child_info, indent + "  ")
        return lines
    item_model = list_item_model(annotation)
    lines.append(f"{indent}# {name}:")
    if item_model is not None:
        lines.append(f"{indent}  # Each item (remove the # to use it):")
        lines += _item_example(item_model, indent + "  ")
    return lines


def _in_file_order(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The model's fields as the file shows them: each ``<list>_complete`` after its list."""
    fields = model.model_fields
    ordered: list[tuple[str, FieldInfo]] = []
    for name, info in fields.items():
        if name.endswith(COMPLETE_SUFFIX) and name[: -len(COMPLETE_SUFFIX)] in fields:
            continue
        ordered.append((name, info))
        flag = name + COMPLETE_SUFFIX
        if flag in fields:
            ordered.append((flag, fields[flag]))
    return ordered


def _complete_guide(_name: str) -> str:
    return "true if the list above names them all"


def _item_example(model: type[BaseModel], indent: str) -> list[str]:
    """A commented-out list item: one line per field with its guide as a trailing comment."""
    lines: list[str] = []
    for position, (name, info) in enumerate(model.model_fields.items()):
        lead = "- " if position == 0 else "  "
        lines += _trailing(f"{indent}# {lead}{name}:", _describe(info))
        nested = model_of(unwrap(info.annotation))
        for child, child_info in nested.model_fields.items() if nested else ():
            lines += _trailing(f"{indent}#     {child}:", _describe(child_info))
    return lines


def _trailing(code: str, guide: str) -> list[str]:
    """``code  # guide``, the guide wrapped under itself when it is long."""
    column = len(code) + 2
    wrapped = textwrap.wrap(guide, width=max(WIDTH - column - 2, 30), break_on_hyphens=False)
    if not wrapped:
        return [code]
    first, *rest = wrapped
    if "#" in code:
        hanging = code[: code.index("#") + 1] + " " * (column - code.index("#") - 1)
    else:  # a live key: the guide's lines continue as comments under the first
        hanging = (
            " " * (len(code) - len(code.lstrip()))
            + "#"
            + " " * (column - 1 - len(code) + len(code.lstrip()))
        )
    return [f"{code}  # {first}"] + [f"{hanging}# {line}" for line in rest]


def _describe(info: FieldInfo) -> str:
    """The field's description, what it takes, and whether it is required."""
    text = (info.description or "").strip()
    hint = _hint(unwrap(info.annotation))
    if hint == _KIND[date] and "YYYY-MM-DD" in text:
        hint = ""
    if hint:
        text += ("" if text.endswith((".", "?")) else ".") + f" {hint}"
    if info.is_required():
        text = "Required. " + text
    return text


def _hint(annotation: Any) -> str:
    """Plain words for the kind of value a field takes."""
    if model_of(annotation) is not None:
        return ""
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        item = unwrap(item)
        values = literal_values(item)
        if values:
            return "A list; any of: " + ", ".join(values) + "."
        if model_of(item) is not None:
            return "A list of items."
        return f"A list of {_KIND_PLURAL.get(item, 'values')}."
    values = literal_values(annotation)
    if values:
        return "One of: " + ", ".join(values) + "."
    return _KIND.get(annotation, "")


_KIND: dict[Any, str] = {
    bool: "true or false.",
    int: "A whole number.",
    str: "Text.",
    date: "A date, YYYY-MM-DD.",
}
_KIND_PLURAL: dict[Any, str] = {str: "texts", int: "whole numbers", date: "dates"}


def _comment(text: str, indent: str) -> list[str]:
    """``text`` as comment lines, wrapped to the template's width, keeping its own line breaks."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        if not paragraph.strip():
            lines.append(f"{indent}#")
            continue
        hanging = "  " if paragraph.startswith("- ") else ""
        wrapped = textwrap.wrap(
            paragraph,
            width=max(WIDTH - len(indent) - 2, 40),
            subsequent_indent=hanging,
            break_on_hyphens=False,
        )
        lines += [f"{indent}# {line}" for line in wrapped]
    return lines
