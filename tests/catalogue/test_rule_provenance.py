"""Every rule traces to words: CREST rules quote the review, practice rules cite a framework.

The review's text is not part of the repository. In a checkout it sits beside the repository
(``../shared/source``); CI copies it there too. Without it the quote test skips locally and
fails under CI, so a missing copy is never mistaken for a pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cvecheck.catalogue import coverage_document
from cvecheck.results import Evidence, Severity
from cvecheck.rules import RuleSet, load_rules

from ..paths import PRACTICE_RULES, REPO, SHIPPED_RULES

SOURCE = REPO.parent / "shared" / "source" / "crest-cve-interventions-report.txt"

CREST = load_rules([SHIPPED_RULES])
PRACTICE = load_rules([PRACTICE_RULES])

# The mapping of docs/severity.md; the more hedged row wins.
WORDING: tuple[tuple[Severity, tuple[str, ...]], ...] = (
    (
        Severity.ADVISORY,
        (
            "could",
            "might",
            "may",
            "can",
            "potentially",
            "has the potential",
            "will likely",
            "are increasingly being used",
        ),
    ),
    (
        Severity.RECOMMENDED,
        ("should", "require", "requires", "benefit", "best practice involves", "helps to"),
    ),
    (
        Severity.EXPECTED,
        (
            "must",
            "need",
            "needs",
            "needed",
            "necessary",
            "it is important",
            "is also important",
            "will be important",
        ),
    ),
)


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def severity_of(wording: str) -> Severity | None:
    words = normalise(wording).lower()
    for severity, phrases in WORDING:
        if any(re.search(rf"\b{re.escape(p)}\b", words) for p in phrases):
            return severity
    return None


@pytest.fixture(scope="module")
def review() -> str:
    if not SOURCE.is_file():
        message = f"the review's text is not at {SOURCE}; copy shared/ beside the repository"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return normalise(SOURCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("compiled", CREST.rules, ids=lambda c: c.id)
def test_every_crest_rule_quotes_the_review_word_for_word(compiled, review: str) -> None:
    quote = compiled.rule.quote
    assert quote, f"{compiled.id} has no quote"
    assert normalise(quote) in review, f"{compiled.id}: quote not found in the review"


def test_every_recommendation_quotes_the_review(review: str) -> None:
    for pack in CREST.packs:
        for section in pack.sections:
            for rec in section.recommendations:
                assert rec.quote, f"{section.id} {rec.number} has no quote"
                assert normalise(rec.quote) in review, f"{section.id} {rec.number}"


@pytest.mark.parametrize("compiled", CREST.rules, ids=lambda c: c.id)
def test_severity_follows_the_wording_of_the_quote(compiled) -> None:
    rule = compiled.rule
    assert rule.quote is not None
    assert normalise(rule.wording) in normalise(rule.quote), f"{rule.id}: wording not in quote"
    assert severity_of(rule.wording) is rule.severity, (rule.id, rule.wording, rule.severity)


@pytest.mark.parametrize("compiled", PRACTICE.rules, ids=lambda c: c.id)
def test_practice_rules_cite_a_public_source_and_stay_advisory(compiled) -> None:
    rule = compiled.rule
    assert rule.practice_source is not None
    assert rule.practice_source.url.startswith(("https://", "http://"))
    assert rule.quote is None, "a practice rule must not borrow the review's words"
    assert rule.severity is Severity.ADVISORY
    assert rule.evidence is Evidence.PRACTICE_STANDARD
    assert all(r.basis == "practice" for r in rule.requirements)


def test_severity_mapping_is_the_documented_one() -> None:
    doc = (REPO / "docs" / "severity.md").read_text(encoding="utf-8")
    for _severity, phrases in WORDING:
        for phrase in phrases:
            assert phrase in doc, f"docs/severity.md does not list {phrase!r}"


def test_crest_requirements_are_stated_or_operationalised() -> None:
    for compiled in CREST.rules:
        for requirement in compiled.rule.requirements:
            assert requirement.basis in ("stated", "operationalised"), compiled.id
            if requirement.basis == "operationalised":
                assert requirement.justification, (compiled.id, requirement.name)
        assert compiled.rule.evidence is not Evidence.PRACTICE_STANDARD, compiled.id


@pytest.mark.parametrize(
    ("rule_id", "phrase"),
    [
        ("MAS010", "where necessary"),
        ("FRM008", "provided they are agile enough"),
        ("IDE002", "In many cases"),
    ],
)
def test_conditions_in_the_wording_are_applicability_conditions(rule_id: str, phrase: str) -> None:
    rule = CREST.by_id()[rule_id].rule
    assert rule.quote is not None and phrase in rule.quote
    assert rule.applies_when, f"{rule_id}: '{phrase}' should be a condition, not a requirement"


def test_coverage_shows_the_reviews_28_recommendations() -> None:
    document = coverage_document(CREST)
    assert document["summary"]["recommendations"] == 28
    assert document["summary"]["missing"] == 0
    by_id = CREST.by_id()
    for row in document["recommendations"]:
        assert row["rules"], row
        for rule_id in row["rules"]:
            bases = {r.basis for r in by_id[rule_id].rule.requirements}
            assert bases <= {"stated", "operationalised"}, rule_id
    assert len(document["findings"]) == 11


def test_both_packs_load_together_and_say_whose_each_rule_is() -> None:
    both: RuleSet = load_rules([SHIPPED_RULES, PRACTICE_RULES])
    assert len(both.rules) == len(CREST.rules) + len(PRACTICE.rules)
    packs = {c.rule.pack for c in both.rules}
    assert packs == {"crest-cve-2021", "practice-standards"}
    assert load_rules([Path("builtin:practice")]).version == PRACTICE.version


def test_configuration_switches_the_practice_pack_on_and_reports_name_the_pack(
    tmp_path: Path,
) -> None:
    import json

    from typer.testing import CliRunner

    from cvecheck.cli import app

    config = tmp_path / ".cvecheck.yaml"
    config.write_text("rules: [builtin:practice]\n", encoding="utf-8")
    example = str(REPO / "programme_examples" / "online-counter-messaging.yaml")
    runner = CliRunner()
    default = runner.invoke(app, ["check", example, "-f", "json"])
    assert {r["pack"] for r in json.loads(default.stdout)["files"][0]["results"]} == {
        "crest-cve-2021"
    }
    both = runner.invoke(app, ["check", example, "--config", str(config), "-f", "json"])
    results = json.loads(both.stdout)["files"][0]["results"]
    packs = {r["rule"]: r["pack"] for r in results}
    assert packs["PEV001"] == "practice-standards" and packs["ONL005"] == "crest-cve-2021"
    practice = next(r for r in results if r["rule"] == "PEV001")
    assert practice["source_text"].startswith("Practice standard, not from the review: ")
    table = runner.invoke(app, ["check", example, "--config", str(config)]).stdout
    assert "(practice)" in table and "practice-standards@" in table
