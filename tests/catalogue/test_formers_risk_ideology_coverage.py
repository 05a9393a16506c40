"""The formers, risk and ideology sections: every recommendation is encoded, and the
former-training focus area follows its conventions."""

from __future__ import annotations

import pytest

from cvecheck.results import FocusArea
from cvecheck.rules import RuleSet

SECTIONS = ("formers", "risk", "ideology")


@pytest.mark.parametrize("section_id", SECTIONS)
def test_every_recommendation_has_a_rule(ruleset: RuleSet, section_id: str) -> None:
    section = ruleset.section(section_id)
    assert section is not None
    encoded = {
        compiled.rule.source.recommendation
        for compiled in ruleset.rules
        if compiled.rule.source.section == section_id
    }
    assert {r.number for r in section.recommendations} == encoded


def test_former_training_rules_apply_only_when_formers_are_involved(ruleset: RuleSet) -> None:
    training = [c.rule for c in ruleset.rules if c.rule.focus is FocusArea.FORMER_TRAINING]
    # selection (credibility, knowledge, motivations), risks, training; supervision is a
    # practice standard (PFR001), not the review's
    assert len(training) >= 5
    for rule in training:
        first = rule.applies_when[0]
        assert first.require == {"uses_formers": {"const": True}}, rule.id
        assert first.reason == "the programme does not involve former extremists", rule.id


def test_former_training_rules_cover_the_first_two_formers_recommendations(
    ruleset: RuleSet,
) -> None:
    for compiled in ruleset.rules:
        rule = compiled.rule
        if rule.source.section == "formers" and rule.source.recommendation in (1, 2):
            assert rule.focus is FocusArea.FORMER_TRAINING, rule.id
