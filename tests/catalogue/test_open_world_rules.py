"""Every rule of every shipped pack, walked on open lists: no list produces a gap or a "not
applicable" by omission alone.

The subject of these tests is the shipped rules (and the model's derived facts they read), so
they load the shipped packs. For each rule and each of its examples, with and without the
examples' ``<list>_complete`` marks: a gap or not-applicable verdict must survive completing
every open list with every item it could hold. If completing a list would lift the verdict,
the verdict rested on something not being listed, and the file did not say it was absent.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap
from cvecheck.programme import Programme, evaluation_view
from cvecheck.programme.facts import COMPLETE_SUFFIX
from cvecheck.programme.fields import is_closed
from cvecheck.programme.introspection import is_list, nested_model
from cvecheck.programme.openness import LIST_SOURCES, completed_view
from cvecheck.results import Status
from cvecheck.rules import CompiledRule, load_rules

PACKS = sorted(p.parent for p in (Path(__file__).parents[2] / "rules").glob("*/pack.yaml"))
RULESET = load_rules(PACKS)
RULES = RULESET.rules
FINAL = (Status.GAP, Status.NOT_APPLICABLE)


def opened(fragment: Any) -> Any:
    """The fragment with every ``<list>_complete`` mark removed: all its lists open."""
    if isinstance(fragment, dict):
        return {k: opened(v) for k, v in fragment.items() if not str(k).endswith(COMPLETE_SUFFIX)}
    if isinstance(fragment, list):
        return [opened(item) for item in fragment]
    return fragment


def status(compiled: CompiledRule, view: dict[str, Any]) -> Status:
    return evaluate_rule(compiled, view, SourceMap("example.yaml")).status


def cases() -> list[Any]:
    found = []
    for compiled in RULES:
        for outcome, fragments in compiled.rule.examples.by_outcome().items():
            for index, fragment in enumerate(fragments):
                for variant in ("as written", "opened"):
                    found.append(
                        pytest.param(
                            compiled,
                            fragment if variant == "as written" else opened(fragment),
                            id=f"{compiled.id}-{outcome}-{index}-{variant}",
                        )
                    )
    return found


def test_the_walk_covers_every_rule_of_every_shipped_pack() -> None:
    assert len(PACKS) >= 2
    assert {c.rule.pack for c in RULES} == {pack.name for pack in RULESET.packs}


@pytest.mark.parametrize(("compiled", "fragment"), cases())
def test_no_verdict_rests_on_absence_from_an_open_list(
    compiled: CompiledRule, fragment: dict[str, Any]
) -> None:
    view = evaluation_view(Programme.model_validate(copy.deepcopy(fragment)))
    verdict = status(compiled, view)
    if verdict not in FINAL:
        return
    completed = status(compiled, completed_view(view))
    assert completed in FINAL, (
        f"{compiled.id} gives {verdict.value} on {fragment}, but {completed.value} once its "
        "open lists are completed: the verdict rests on something not being listed"
    )


def _list_fields(path: str) -> bool:
    """Whether a rule's dotted path names an open list field of the programme."""
    model: Any = Programme
    parts = path.split(".")
    info = None
    for index, part in enumerate(parts):
        info = model.model_fields.get(part) if model is not None else None
        if info is None or part.endswith("[*]"):
            return False
        if index < len(parts) - 1:
            model = nested_model(info.annotation)
    return info is not None and is_list(info.annotation) and not is_closed(info.json_schema_extra)


def _at(fragment: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(fragment, dict) or part not in fragment:
            return None
        fragment = fragment[part]
    return fragment


@pytest.mark.parametrize("compiled", RULES, ids=lambda c: c.id)
def test_every_list_a_rule_reads_is_pinned_open_complete_and_stated_empty(
    compiled: CompiledRule,
) -> None:
    rule = compiled.rule
    paths = [p for c in rule.applies_when for p in c.require]
    paths += [p for r in rule.requirements for p in r.require]
    for path in dict.fromkeys(p for p in paths if _list_fields(p)):
        parent, name = path.rsplit(".", 1) if "." in path else ("", path)
        kinds = set()
        for fragments in rule.examples.by_outcome().values():
            for fragment in fragments:
                items = _at(fragment, path)
                if items is None:
                    continue
                holder = _at(fragment, parent) if parent else fragment
                if items == [] or "none" in items:
                    kinds.add("stated empty")
                elif holder.get(name + COMPLETE_SUFFIX) is True:
                    kinds.add("complete")
                else:
                    kinds.add("open")
        assert kinds == {"open", "complete", "stated empty"}, f"{rule.id} {path}: {kinds}"


def test_every_derived_fact_names_the_lists_it_is_computed_from() -> None:
    derived: list[str] = []
    pending: list[tuple[str, Any]] = [("", Programme)]
    seen = set()
    while pending:
        prefix, model = pending.pop()
        derived += [prefix + name for name in model.model_computed_fields]
        for name, info in model.model_fields.items():
            nested = nested_model(info.annotation)
            if nested is not None and nested not in seen:
                seen.add(nested)
                pending.append((prefix + name + ".", nested))
    assert sorted(derived) == sorted(LIST_SOURCES)


def test_every_open_list_field_has_its_complete_mark() -> None:
    pending: list[Any] = [Programme]
    seen = set()
    missing = []
    while pending:
        model = pending.pop()
        for name, info in model.model_fields.items():
            open_list = is_list(info.annotation) and not is_closed(info.json_schema_extra)
            if open_list and name + COMPLETE_SUFFIX not in model.model_fields:
                missing.append(f"{model.__name__}.{name}")
            nested = nested_model(info.annotation)
            if nested is not None and nested not in seen:
                seen.add(nested)
                pending.append(nested)
    assert missing == []
