"""The production evaluator gives the same verdicts as the jsonschema library.

Rules are evaluated with jsonschema-rs for speed (docs/performance.md). The jsonschema library
is the reference: every rule is run both ways on every rule example and on a generated corpus
of realistic programmes, and the whole results must agree.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap, load_file
from cvecheck.programme import Programme, evaluation_view, parse_programme
from cvecheck.rules import CompiledRule, RuleSet, load_rules

from ..checks import with_checks
from ..paths import REPO, SHIPPED_RULES

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate

pytestmark = pytest.mark.slow  # property-based: a generated corpus

RULESET = load_rules([SHIPPED_RULES])


def _reference(checks: Any, predicate: dict[str, Any]) -> Any:
    # Checks are built from the predicate in order, so they pair up one to one.
    schemas = list(predicate.values())
    assert len(schemas) == len(checks)
    return tuple(
        (path, Draft202012Validator(schema))
        for (path, _), schema in zip(checks, schemas, strict=True)
    )


def reference_rule(compiled: CompiledRule) -> CompiledRule:
    """The same rule with every predicate evaluated by the jsonschema library."""
    return with_checks(
        compiled,
        conditions=tuple(
            (condition, _reference(checks, condition.require))
            for condition, checks in compiled.conditions
        ),
        requirements=tuple(
            replace(r, checks=_reference(r.checks, r.spec.require)) for r in compiled.requirements
        ),
    )


REFERENCE = RuleSet(tuple(reference_rule(c) for c in RULESET.rules), RULESET.packs)


def assert_same_verdicts(data: dict[str, Any], source: SourceMap) -> None:
    for fast, slow in zip(RULESET.rules, REFERENCE.rules, strict=True):
        assert evaluate_rule(fast, data, source) == evaluate_rule(slow, data, source), fast.id


EXAMPLES = [
    pytest.param(example, id=f"{compiled.id}-{outcome}-{index}")
    for compiled in RULESET.rules
    for outcome, examples in compiled.rule.examples.by_outcome().items()
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_same_verdicts_on_rule_examples(example: dict[str, Any]) -> None:
    data = evaluation_view(Programme.model_validate(example))
    assert_same_verdicts(data, SourceMap("example.yaml"))


def test_same_verdicts_on_a_generated_corpus(tmp_path: Path) -> None:
    for path in generate(150, tmp_path, seed=11):
        loaded = load_file(path)
        assert_same_verdicts(evaluation_view(parse_programme(loaded)), loaded.source_map)


def test_the_reference_really_is_the_jsonschema_library() -> None:
    checks = [c for r in REFERENCE.rules for q in r.requirements for c in q.checks]
    assert checks and all(isinstance(v, Draft202012Validator) for _, v in checks)
