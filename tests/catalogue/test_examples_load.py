"""The example programmes load and validate cleanly, and between them cover the kinds they promise.

The examples are the first thing a practitioner copies, so each must pass through the whole
pipeline with no input issue, and together they must exercise every conditional module (formers,
online, parole, returnees, reporting) both where it applies and where it does not.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cvecheck.loader import load_text, read_text
from cvecheck.pipeline import check_file
from cvecheck.programme import Programme, evaluation_view, parse_programme
from cvecheck.results import Report, Status
from cvecheck.rules import RuleSet

from ..paths import EXAMPLES_DIR

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
KINDS = {
    "community-mentoring",
    "prison-parole-disengagement",
    "online-counter-messaging",
    "family-support-reporting",
    "returnee-reintegration",
    "early-draft",
}
MODELINE = "# yaml-language-server: $schema=../docs/programme.schema.json"
# A fixed day, so that a waiver reaching its expiry date cannot make the suite fail by itself.
TODAY = date(2026, 12, 1)


def _parse(path: Path) -> Programme:
    return parse_programme(load_text(read_text(path), str(path)))


def _view(path: Path) -> dict[str, Any]:
    return evaluation_view(_parse(path))


@pytest.fixture(scope="module")
def reports(ruleset: RuleSet) -> dict[str, Report]:
    return {path.stem: check_file(path, ruleset, today=TODAY) for path in EXAMPLES}


def test_every_kind_of_programme_has_an_example() -> None:
    assert {path.stem for path in EXAMPLES} >= KINDS
    assert len(EXAMPLES) >= len(KINDS)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_opens_with_the_schema_modeline_and_version(path: Path) -> None:
    assert read_text(path).splitlines()[0] == MODELINE
    assert _parse(path).schema_version == "1"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_checks_without_input_issues(path: Path, ruleset: RuleSet) -> None:
    # check_file raises InputError for any input issue, including a waiver of an unknown rule.
    report = check_file(path, ruleset, today=TODAY)
    assert report.results
    assert not report.with_status(Status.ERROR)
    # No expired or unneeded waivers: an example must show waivers used properly.
    assert report.notices == ()


@pytest.mark.parametrize(
    "fact",
    ["uses_formers", "has_online_component", "works_with_parole", "works_with_returnees"],
)
def test_conditional_modules_both_apply_and_do_not_apply(fact: str) -> None:
    values = {_view(path).get(fact) for path in EXAMPLES}
    assert {True, False} <= values


def test_some_examples_take_concerns_and_some_do_not() -> None:
    stated = {
        _view(path).get("community_and_reporting", {}).get("receives_concerns") for path in EXAMPLES
    }
    assert {True, False} <= stated


def test_each_focus_area_sees_varied_outcomes(reports: dict[str, Report]) -> None:
    outcomes: dict[str, set[Status]] = defaultdict(set)
    for report in reports.values():
        for result in report.results:
            focus = report.rules[result.rule_id].focus
            if focus is not None:
                outcomes[focus].add(result.status)
    assert outcomes
    for focus, statuses in outcomes.items():
        assert len(statuses) >= 3, (focus, statuses)


def test_some_examples_use_waivers_and_most_do_not() -> None:
    with_waivers = [path.stem for path in EXAMPLES if _parse(path).waivers]
    assert 1 <= len(with_waivers) <= len(EXAMPLES) // 2


def test_early_draft_is_the_most_silent(reports: dict[str, Report]) -> None:
    stated_sections = {path.stem: len(_parse(path).model_fields_set) for path in EXAMPLES}
    assert stated_sections["early-draft"] < min(
        count for stem, count in stated_sections.items() if stem != "early-draft"
    )
    draft = reports["early-draft"].counts()
    assert draft[Status.GAP] >= 1
    assert draft[Status.CANNOT_ASSESS] == max(
        report.counts()[Status.CANNOT_ASSESS] for report in reports.values()
    )
