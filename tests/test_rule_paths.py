"""Every path a rule reads names a real field, so a typo cannot pass as "not stated" forever."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel

from cvecheck.programme import Programme
from cvecheck.rules import CompiledRule, load_rules

from .conftest import RULES_DIR

RULESET = load_rules([RULES_DIR])
# The fields a question names sit in its closing brackets; a field may carry a short note
# ("programme.settings includes online").
_ASKED_FIELDS = re.compile(r"\(([^()]+)\)\?$")


def _field_type(model: type[BaseModel], name: str) -> Any:
    if name in model.model_fields:
        return model.model_fields[name].annotation
    if name in model.model_computed_fields:
        return model.model_computed_fields[name].return_type
    return None


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    stack = [annotation]
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        stack.extend(getattr(candidate, "__args__", ()))
    return None


def is_programme_path(path: str) -> bool:
    """Whether a dotted path leads through the programme model to a field that exists."""
    model: type[BaseModel] | None = Programme
    for name in path.split("."):
        if model is None:
            return False
        annotation = _field_type(model, name)
        if annotation is None:
            return False
        model = _nested_model(annotation)
    return True


def _read_paths(compiled: CompiledRule) -> list[str]:
    rule = compiled.rule
    predicates = [c.require for c in rule.applies_when] + [r.require for r in rule.requirements]
    return [path for predicate in predicates for path in predicate]


def test_path_check_tells_real_fields_from_typos() -> None:
    assert is_programme_path("multi_agency.case_panel.cadence_weeks")
    assert is_programme_path("multi_agency.partner_sector_count")
    assert not is_programme_path("multi_agency.case_panel.cadence")
    assert not is_programme_path("multi_agency.lead_agency.name")


@pytest.mark.parametrize("compiled", RULESET.rules, ids=lambda c: c.id)
def test_rule_reads_real_fields(compiled: CompiledRule) -> None:
    unknown = [path for path in _read_paths(compiled) if not is_programme_path(path)]
    assert not unknown, f"{compiled.file} reads fields the programme model does not have"


@pytest.mark.parametrize("compiled", RULESET.rules, ids=lambda c: c.id)
def test_questions_name_real_fields(compiled: CompiledRule) -> None:
    rule = compiled.rule
    for ask in [c.ask for c in rule.applies_when] + [r.ask for r in rule.requirements]:
        named = _ASKED_FIELDS.search(ask)
        assert named, f"{compiled.id}: {ask!r} does not end with the field in brackets"
        for item in named.group(1).split(", "):
            path = item.split(" ")[0]
            assert is_programme_path(path), f"{compiled.id}: {ask!r} names {path!r}"
