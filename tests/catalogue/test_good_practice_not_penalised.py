"""Rules that once penalised good practice, pinned to their corrected verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap
from cvecheck.programme import Programme, evaluation_view
from cvecheck.results import Status
from cvecheck.rules import RuleSet


def verdict(ruleset: RuleSet, rule_id: str, programme: dict[str, Any]) -> Status:
    data = evaluation_view(Programme.model_validate(programme))
    return evaluate_rule(ruleset.by_id()[rule_id], data, SourceMap("p.yaml")).status


@pytest.mark.parametrize(
    ("rule_id", "programme", "expected"),
    [
        # A family-support service that works through the family, not one to one.
        (
            "MAS001",
            {"social_ecology": {"individual": False, "family": {"work_with_family": True}}},
            Status.PASS,
        ),
        # A thorough needs list with prosocial alternatives for some of the needs.
        (
            "FRM009",
            {
                "needs_assessment": {
                    "core_needs_considered": ["identity", "belonging", "significance", "purpose"],
                    "prosocial_alternatives": [{"need": "belonging", "alternative": "club"}],
                }
            },
            Status.PASS,
        ),
        # Working with disillusionment is an option the review offers, not a duty.
        (
            "FRM008",
            {
                "needs_assessment": {
                    "disillusionment_response": {"approach_uses_disillusionment": False}
                }
            },
            Status.NOT_APPLICABLE,
        ),
        # Deliberate work on alternative platforms, where ONL006 asks for targeting instead.
        (
            "ONL004",
            {
                "programme": {"settings": ["online"]},
                "online": {
                    "components": ["counter_narrative_campaign"],
                    "platforms": [{"name": "Telegram", "category": "encrypted_messaging"}],
                },
            },
            Status.NOT_APPLICABLE,
        ),
    ],
    ids=["MAS001-family-work", "FRM009-thorough-needs", "FRM008-no-duty", "ONL004-alternative"],
)
def test_good_practice_is_not_a_gap(
    ruleset: RuleSet, rule_id: str, programme: dict[str, Any], expected: Status
) -> None:
    assert verdict(ruleset, rule_id, programme) is expected
