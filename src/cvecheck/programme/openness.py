"""Open-world lists: which lists in a programme are open, and the most favourable completion.

A list names what the author knows of. It is complete only when the file says so: ``[]`` or
``[none]`` (absence stated), ``<name>_complete: true`` beside it, or a list the model reads as
complete as written (``programme.stages``). Every other non-empty list is open: something not
listed is not known to be absent.

The engine asks one thing of this module: would a failing check pass if every open list held
everything it could? If so, the failure rests on absence from an open list and becomes a
question. ``completed_view`` answers it generically, for stated lists and for the facts
derived from them (the partners' sector count, whether there is online work...), by adding
every possible item to each open list and deriving the facts again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cvecheck.programme.facts import COMPLETE_SUFFIX, NONE_ITEM
from cvecheck.programme.layout import ROOT, Field, fields
from cvecheck.programme.view import evaluation_view

PLACEHOLDERS = 12
"""How many unnamed items a completed list of free text gains (more than any rule counts)."""

LIST_SOURCES: dict[str, tuple[str, ...]] = {
    "review_scope": (),
    "uses_formers": ("staff",),
    "formers_deliver": ("formers.roles", "staff"),
    "has_caseload": ("programme.kinds_of_work",),
    "has_online_component": (
        "programme.settings",
        "programme.kinds_of_work",
        "delivery.components",
    ),
    "works_with_parole": ("programme.settings",),
    "works_with_returnees": ("programme.settings",),
    "is_tertiary": ("programme.settings",),
    "needs_assessment.needs_without_alternative": (
        "needs_assessment.core_needs_considered",
        "needs_assessment.prosocial_alternatives",
    ),
    "social_ecology.community.resilience_or_dialogue": (),
    "social_ecology.beyond_individual": (
        "social_ecology.socio_economic",
        "social_ecology.structural_barriers_addressed",
    ),
    "social_ecology.addresses_structural_factors": (
        "social_ecology.socio_economic",
        "social_ecology.structural_barriers_addressed",
    ),
    "multi_agency.partner_sector_count": ("multi_agency.partners",),
    "online.uses_alternative_platforms": ("online.platforms",),
    "risk_assessment.data_source_count": ("risk_assessment.data_sources",),
}
"""For every derived fact, the lists it is computed from (a test keeps this table whole), so a
question about a derived fact can name the list to complete."""


def is_open(section: Mapping[str, Any], name: str) -> bool:
    """Whether the stated list ``section[name]`` is open (see the module docstring)."""
    items = section.get(name)
    if not isinstance(items, list) or not items or NONE_ITEM in items:
        return False
    return section.get(name + COMPLETE_SUFFIX) is not True


def open_lists(data: Mapping[str, Any]) -> frozenset[str]:
    """Dotted paths (``a.b``, without item indexes) of the open lists in an evaluation view."""
    found: set[str] = set()
    for path, section, name, _ in _lists(data, ROOT, ()):
        if is_open(section, name):
            found.add(".".join(str(p) for p in path if isinstance(p, str)))
    return frozenset(found)


def completed_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The evaluation view of the programme with every open list completed with every item it
    could hold, and every derived fact computed again from those lists."""
    stated = _stated(data, ROOT)
    for path, _, name, field in list(_lists(stated, ROOT, ())):
        section = _at(stated, path[:-1])
        if is_open(section, name):
            section[name] = section[name] + _every_item(field, section[name])
    return evaluation_view(stated)


def _stated(data: Mapping[str, Any], block: str) -> dict[str, Any]:
    """A copy of the stated values only (derived facts dropped), deep enough to edit lists."""
    result: dict[str, Any] = {}
    known = fields(block)
    for key, value in data.items():
        field = known.get(key)
        if field is None:
            continue  # a derived fact
        nested = field.section
        if nested is not None and isinstance(value, dict):
            result[key] = _stated(value, nested)
        elif nested is not None and isinstance(value, list):
            result[key] = [
                _stated(item, nested) if isinstance(item, dict) else item for item in value
            ]
        elif isinstance(value, list):
            result[key] = list(value)
        else:
            result[key] = value
    return result


def _lists(
    data: Mapping[str, Any], block: str, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], Mapping[str, Any], str, Field]]:
    """Every open-able stated list: (path, the mapping holding it, its name, its field)."""
    found: list[tuple[tuple[str | int, ...], Mapping[str, Any], str, Field]] = []
    known = fields(block)
    for key, value in data.items():
        field = known.get(key)
        if field is None:
            continue
        nested = field.section
        if field.is_list:
            if not field.closed:
                found.append(((*path, key), data, key, field))
            if nested is not None and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        found += _lists(item, nested, (*path, key, index))
        elif nested is not None and isinstance(value, dict):
            found += _lists(value, nested, (*path, key))
    return found


def _at(data: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _every_item(field: Field, present: list[Any]) -> list[Any]:
    """Items a list of this type could hold that it does not already hold."""
    item = field.item or {}
    values = item.get("enum", [item["const"]] if "const" in item else [])
    if values:
        return [v for v in values if v != NONE_ITEM and v not in present]
    if field.section is not None:
        return _model_items(field.section)
    if field.text:
        return [f"(not listed {n})" for n in range(1, PLACEHOLDERS + 1)]
    return []


def _model_items(block: str) -> list[dict[str, Any]]:
    """One item per value of each of the item's choice fields, required text filled in."""
    base: dict[str, Any] = {}
    choices: list[tuple[str, list[Any]]] = []
    for name, field in fields(block).items():
        if field.choices:
            choices.append((name, [v for v in field.choices if v != NONE_ITEM]))
            if field.required:
                base[name] = choices[-1][1][0]
        elif field.required:
            if not field.text:
                return []  # nothing sensible to invent
            base[name] = "(not listed)"
    return [{**base, name: value} for name, values in choices for value in values] or [base]
