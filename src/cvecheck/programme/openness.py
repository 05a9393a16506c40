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

from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from cvecheck.programme.fields import COMPLETE_SUFFIX, NONE_ITEM, is_closed
from cvecheck.programme.introspection import is_list, nested_model
from cvecheck.programme.model import Programme, evaluation_view

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
    for path, section, name, _ in _lists(data, Programme, ()):
        if is_open(section, name):
            found.add(".".join(str(p) for p in path if isinstance(p, str)))
    return frozenset(found)


def completed_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The evaluation view of the programme with every open list completed with every item it
    could hold, and every derived fact computed again from those lists."""
    stated = _stated(data, Programme)
    for path, _, name, annotation in list(_lists(stated, Programme, ())):
        section = _at(stated, path[:-1])
        if is_open(section, name):
            section[name] = section[name] + _every_item(annotation, section[name])
    return evaluation_view(Programme.model_validate(stated))


def _stated(data: Mapping[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """A copy of the stated values only (derived facts dropped), deep enough to edit lists."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None:
            continue  # a derived fact
        nested = nested_model(info.annotation)
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
    data: Mapping[str, Any], model: type[BaseModel], path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], Mapping[str, Any], str, Any]]:
    """Every open-able stated list: (path, the mapping holding it, its name, its annotation)."""
    found: list[tuple[tuple[str | int, ...], Mapping[str, Any], str, Any]] = []
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None:
            continue
        nested = nested_model(info.annotation)
        if is_list(info.annotation):
            if not is_closed(info.json_schema_extra):
                found.append(((*path, key), data, key, info.annotation))
            if nested is not None and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, Mapping):
                        found += _lists(item, nested, (*path, key, index))
        elif nested is not None and isinstance(value, Mapping):
            found += _lists(value, nested, (*path, key))
    return found


def _at(data: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _every_item(annotation: Any, present: list[Any]) -> list[Any]:
    """Items a list of this type could hold that it does not already hold."""
    item = _item_type(annotation)
    values = _literals(item)
    if values:
        return [v for v in values if v != NONE_ITEM and v not in present]
    model = nested_model(item)
    if model is not None:
        return _model_items(model)
    if item is str:
        return [f"(not listed {n})" for n in range(1, PLACEHOLDERS + 1)]
    return []


def _model_items(model: type[BaseModel]) -> list[dict[str, Any]]:
    """One item per value of each of the item's choice fields, required text filled in."""
    base: dict[str, Any] = {}
    choices: list[tuple[str, list[Any]]] = []
    for name, info in model.model_fields.items():
        values = _literals(info.annotation)
        if values:
            choices.append((name, [v for v in values if v != NONE_ITEM]))
            if info.is_required():
                base[name] = choices[-1][1][0]
        elif info.is_required():
            if _unwrap_optional(info.annotation) is not str:
                return []  # nothing sensible to invent
            base[name] = "(not listed)"
    return [{**base, name: value} for name, values in choices for value in values] or [base]


def _item_type(annotation: Any) -> Any:
    annotation = _unwrap_optional(annotation)
    return _unwrap_optional(get_args(annotation)[0]) if get_origin(annotation) is list else None


def _unwrap_optional(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) not in (None, list, Literal) and len(args) == 1:
        return args[0]
    return annotation


def _literals(annotation: Any) -> list[Any]:
    annotation = _unwrap_optional(annotation)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return []
