"""The shipped pack traces the review: every recommendation is listed, cited and encoded."""

from __future__ import annotations

from cvecheck.catalogue import coverage_document
from cvecheck.rules import RuleSet


def test_builtin_recommendations_all_cite_the_report(ruleset: RuleSet) -> None:
    document = coverage_document(ruleset)
    per_section = {}
    for row in document["recommendations"]:
        per_section[row["section"]] = per_section.get(row["section"], 0) + 1
    # The review's 28 recommendations under its six headings; the key findings are context.
    assert per_section == {
        "formers": 7,
        "multi-agency": 7,
        "community-reporting": 2,
        "online": 7,
        "risk": 2,
        "ideology": 3,
    }
    assert [row["number"] for row in document["findings"]] == list(range(1, 12))
    for row in document["recommendations"]:
        if row["state"] in ("partial", "manual"):
            assert row["note"], (
                f"{row['section']} {row['number']} needs a note saying what is not checked"
            )


def test_every_builtin_recommendation_is_encoded(ruleset: RuleSet) -> None:
    document = coverage_document(ruleset)
    missing = [
        f"{r['section']} {r['number']}"
        for r in document["recommendations"]
        if r["state"] == "missing"
    ]
    assert missing == []
    in_pack = sum(
        len(s.recommendations)
        for pack in ruleset.packs
        for s in pack.sections
        if s.kind == "recommendations"
    )
    assert document["summary"]["recommendations"] == in_pack
    for row in document["recommendations"]:
        if row["state"] == "manual":
            assert row["note"], "a recommendation that cannot be checked must say why"
