"""Every rule proves itself: each example it carries gives the outcome it is filed under."""

from __future__ import annotations

from typing import Any

import pytest

from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap
from cvecheck.programme import Programme, evaluation_view
from cvecheck.results import Status
from cvecheck.rules import CompiledRule, load_rules

from ..paths import PRACTICE_RULES, SHIPPED_RULES

RULESET = load_rules([SHIPPED_RULES, PRACTICE_RULES])
CASES = [
    pytest.param(compiled, example, Status(outcome), id=f"{compiled.id}-{outcome}-{index}")
    for compiled in RULESET.rules
    for outcome, examples in compiled.rule.examples.by_outcome().items()
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("compiled", "example", "expected"), CASES)
def test_rule_example(compiled: CompiledRule, example: dict[str, Any], expected: Status) -> None:
    data = evaluation_view(Programme.model_validate(example))
    result = evaluate_rule(compiled, data, SourceMap("example.yaml"))
    assert result.status is expected, (result.gaps, result.questions, result.reason)


@pytest.mark.parametrize("compiled", RULESET.rules, ids=lambda c: c.id)
def test_every_rule_has_each_outcome(compiled: CompiledRule) -> None:
    examples = compiled.rule.examples
    assert examples.pass_ and examples.gap and examples.cannot_assess
    if compiled.rule.applies_when:
        assert examples.not_applicable


def test_there_is_a_rule_in_every_focus_area() -> None:
    from cvecheck.results import FocusArea

    areas = {compiled.rule.focus for compiled in RULESET.rules}
    assert set(FocusArea) <= areas
