"""Coverage counts agree with a plain recount of the results, per focus area and section."""

from __future__ import annotations

from collections import Counter

from cvecheck.results import Status

from .. import reporting


def test_coverage_is_a_recount_of_the_results() -> None:
    for text in (reporting.TRICKY_YAML, reporting.CLEAN_YAML):
        report = reporting.check(text, "p.yaml").report
        assert report is not None
        rules = report.rules
        for coverage in report.focus_coverage:
            expected = Counter(
                r.status for r in report.results if rules[r.rule_id].focus == coverage.key
            )
            assert {s: coverage.counts[s] for s in Status} == {s: expected[s] for s in Status}
        for coverage in report.section_coverage:
            expected = Counter(
                r.status for r in report.results if rules[r.rule_id].source.section == coverage.key
            )
            assert {s: coverage.counts[s] for s in Status} == {s: expected[s] for s in Status}
        assert sum(sum(c.counts.values()) for c in report.section_coverage) == len(report.results)
