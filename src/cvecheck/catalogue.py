"""What the rule set encodes: per-recommendation coverage, rule explanations, the rules reference.

Everything here is generated from rule data and pack manifests, so the documentation cannot
drift from the rules: ``cvecheck explain``, ``cvecheck coverage`` and docs/rules.md all come
from these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cvecheck.rules import (
    CompiledRule,
    Recommendation,
    ReportSection,
    Requirement,
    Rule,
    RuleSet,
    to_data,
)


@dataclass(frozen=True)
class RecommendationCoverage:
    """One recommendation (or finding, or practice standard) and the rules that encode it."""

    section: ReportSection
    recommendation: Recommendation
    rules: tuple[str, ...]
    pack: str = ""

    @property
    def state(self) -> str:
        """full / partial / manual as declared, or missing when no rule encodes it."""
        if self.recommendation.encoding != "manual" and not self.rules:
            return "missing"
        return self.recommendation.encoding


def recommendation_coverage(ruleset: RuleSet) -> list[RecommendationCoverage]:
    """Every recommendation of every loaded pack, in document order, with its rules."""
    citing: dict[tuple[str, int], list[str]] = {}
    for compiled in ruleset.rules:
        source = compiled.rule.source
        citing.setdefault((source.section, source.recommendation), []).append(compiled.id)
    return [
        RecommendationCoverage(
            section, rec, tuple(citing.get((section.id, rec.number), [])), pack.name
        )
        for pack in ruleset.packs
        for section in pack.sections
        for rec in section.recommendations
    ]


def coverage_document(ruleset: RuleSet) -> dict[str, Any]:
    """``cvecheck coverage --format json``: every recommendation, its rules and its state;
    then the practice standards of any practice pack, and the review's findings as context."""
    every = recommendation_coverage(ruleset)
    rows = [r for r in every if r.section.kind == "recommendations"]
    standards = [r for r in every if r.section.kind == "standards"]
    findings = [r for r in every if r.section.kind == "findings"]
    states = ["full", "partial", "manual", "missing"]
    return {
        "schema_version": 2,
        "ruleset": {"version": ruleset.version},
        "sources": [pack.source_document.strip() for pack in ruleset.packs],
        "summary": {
            "recommendations": len(rows),
            "standards": len(standards),
            "findings": len(findings),
            "rules": len(ruleset.rules),
            **{state: sum(1 for r in rows + standards if r.state == state) for state in states},
        },
        "recommendations": [_coverage_row(row) for row in rows],
        "standards": [_coverage_row(row) for row in standards],
        "findings": [_coverage_row(row) for row in findings],
    }


def _coverage_row(row: RecommendationCoverage) -> dict[str, Any]:
    return {
        "pack": row.pack,
        "section": row.section.id,
        "section_title": row.section.title,
        "number": row.recommendation.number,
        "summary": " ".join(row.recommendation.summary.split()),
        "quote": " ".join((row.recommendation.quote or "").split()),
        "state": row.state,
        "note": " ".join((row.recommendation.note or "").split()),
        "rules": list(row.rules),
    }


def rule_document(rule: Rule) -> dict[str, Any]:
    """One rule for ``cvecheck rules --format json``: where it comes from and what it asks."""
    source = rule.practice_source
    return {
        "id": rule.id,
        "name": rule.name,
        "title": rule.title,
        "pack": rule.pack,
        "section": rule.source.section,
        "recommendation": rule.source.recommendation,
        "focus_area": rule.focus.value if rule.focus else None,
        "severity": rule.severity.value,
        "wording": rule.wording,
        "evidence": rule.evidence.value,
        "quote": _para(rule.quote) if rule.quote else None,
        "practice_source": None if source is None else to_data(source),
        "requirements": [
            {
                "name": r.name,
                "basis": r.basis,
                "justification": _para(r.justification) if r.justification else None,
                "gap": r.gap,
            }
            for r in rule.requirements
        ],
    }


def _yaml(fragment: dict[str, Any]) -> str:
    import yaml  # only explain shows examples: listing the rules does without it

    return yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True, width=88).rstrip()


def _conditions(rule: Rule) -> list[str]:
    return [f"- Not applicable when {c.reason}." for c in rule.applies_when]


def explain(compiled: CompiledRule, ruleset: RuleSet) -> str:
    """The rule's documentation in Markdown, in the order a reader needs it."""
    rule = compiled.rule
    section = ruleset.section(rule.source.section)
    section_title = section.title if section else rule.source.section
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"**{rule.title}**",
        "",
        f"Severity: {rule.severity.value} ({rule.severity.meaning}; set by the words "
        f"\u201c{rule.wording}\u201d). "
        f"Evidence: {rule.evidence.value} ({rule.evidence.meaning})."
        + (f" Focus area: {rule.focus.label}." if rule.focus else "")
        + (f" Pack: {rule.pack}." if rule.pack else ""),
        "",
        "## Source",
        "",
        rule.provenance(),
        "",
        "## What it checks",
        "",
        "Each of these must be stated and met (the field is in brackets). The basis says "
        "whether the review states it, or the rule makes it checkable (operationalised), or "
        "it is a practice standard:",
        "",
        *[_requirement_line(r) for r in rule.requirements],
        "",
        "## Why it matters",
        "",
        _para(rule.recommendation),
        "",
        _para(rule.why),
        "",
        f"Source: {section_title}, "
        f"{'finding' if section and section.kind == 'findings' else 'recommendation'} "
        f"{rule.source.recommendation}.",
        "",
        "## When it does not apply",
        "",
        *(_conditions(rule) or ["It applies to every programme."]),
        "",
        "## Example with a gap",
        "",
        "```yaml",
        _yaml(rule.examples.gap[0]),
        "```",
        "",
        "## Compliant example",
        "",
        "```yaml",
        _yaml(rule.examples.pass_[0]),
        "```",
        "",
        "## How to close the gap",
        "",
        _para(rule.remediation),
    ]
    return "\n".join(lines) + "\n"


def rules_markdown(ruleset: RuleSet) -> str:
    """docs/rules.md: the recommendations with their rules, then every rule explained."""
    coverage = recommendation_coverage(ruleset)
    by_id = ruleset.by_id()
    lines = [
        "# Rules reference",
        "",
        "Generated from the rule files by `cvecheck rules --format markdown`; do not edit by hand.",
        "",
        f"Rule set: {ruleset.version}, {len(ruleset.rules)} rules.",
        "",
    ]
    for pack in ruleset.packs:
        lines += [f"Source: {' '.join(pack.source_document.split())}", ""]
        for section in pack.sections:
            kind = {"findings": "Finding", "standards": "Standard"}.get(
                section.kind, "Recommendation"
            )
            lines += [
                f"## {section.title}",
                "",
                f"| No. | {kind} (our words) | Encoded | Rules |",
                "|---|---|---|---|",
            ]
            for row in coverage:
                if row.section.id != section.id:
                    continue
                rules = ", ".join(f"[{r}](#{anchor(by_id[r].rule)})" for r in row.rules) or "none"
                summary = " ".join(row.recommendation.summary.split())
                lines.append(f"| {row.recommendation.number} | {summary} | {row.state} | {rules} |")
            lines.append("")
            for compiled in ruleset.rules:
                if compiled.rule.source.section == section.id:
                    lines += [_demote(explain(compiled, ruleset), 2), ""]
    return "\n".join(lines).rstrip() + "\n"


def _requirement_line(requirement: Requirement) -> str:
    line = f"- {requirement.ask} [{requirement.basis}]"
    if requirement.justification:
        line += f" Why this tests it: {_para(requirement.justification)}"
    return line


def _para(text: str) -> str:
    return " ".join(text.split())


def anchor(rule: Rule) -> str:
    """The Markdown heading anchor of a rule in docs/rules.md."""
    return f"{rule.id.lower()}-{rule.name}"


def _demote(markdown: str, levels: int) -> str:
    prefix = "#" * levels
    return "\n".join(
        prefix + line if line.startswith("#") else line for line in markdown.splitlines()
    )
