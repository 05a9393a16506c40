"""Renderers of what the rule set holds: ``cvecheck rules``, ``coverage`` and ``explain``.

The content comes from cvecheck.catalogue (generated from the rule files and pack manifests);
this module only lays it out. Rule packs can come from anywhere (``--rules``), so their text is
escaped for the terminal like any other input.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

from cvecheck.catalogue import explain, rule_document, rules_markdown
from cvecheck.escaping import one_line
from cvecheck.rules import CompiledRule, Rule, RuleSet


def rules_table(chosen: Sequence[Rule], ruleset: RuleSet) -> str:
    """One line per chosen rule, then how many of the rule set's rules were listed."""
    table = [
        [
            r.id,
            f"{r.source.section} {r.source.recommendation}",
            r.severity.value,
            r.focus.value if r.focus else "",
            one_line(r.title),
        ]
        for r in chosen
    ]
    listing = tabulate(
        table, headers=["rule", "source", "severity", "focus area", "title"], tablefmt="simple"
    )
    return (
        f"{listing}\n\n{len(chosen)} of {len(ruleset.rules)} rules. "
        "Run 'cvecheck explain RULE' for one rule.\n"
    )


def rules_json(chosen: Sequence[Rule], ruleset: RuleSet) -> str:
    """The chosen rules as a JSON list: where each comes from (quote or practice source, pack),
    its severity and the words that set it, and each requirement's basis."""
    return json.dumps([rule_document(r) for r in chosen], indent=2) + "\n"


def rules_reference(chosen: Sequence[Rule], ruleset: RuleSet) -> str:
    """docs/rules.md: the whole reference of the rule set, whatever the filters."""
    return _shown_markdown(rules_markdown(ruleset))


def coverage_table(document: dict[str, Any]) -> str:
    """Each recommendation, how completely it is encoded and by which rules."""
    rows = [
        [
            f"{r['section']} {r['number']}",
            textwrap.fill(one_line(r["summary"]), 60),
            r["state"],
            textwrap.fill(", ".join(r["rules"]) or "-", 24),
            textwrap.fill(one_line(r["note"]), 40),
        ]
        for r in document["recommendations"] + document["standards"]
    ]
    table = tabulate(
        rows,
        headers=["source", "recommendation", "encoded", "rules", "not checked"],
        tablefmt="simple",
    )
    summary = document["summary"]
    standards = f" and {summary['standards']} practice standards" if summary["standards"] else ""
    text = (
        f"{table}\n\n{summary['recommendations']} recommendations{standards}: "
        f"{summary['full']} fully encoded, {summary['partial']} partly, {summary['manual']} not "
        f"mechanically checkable, {summary['missing']} missing; {summary['rules']} rules.\n"
    )
    if document["findings"]:
        text += "\nKey findings of the review (context, not recommendations):\n"
        for finding in document["findings"]:
            cited = f" [{', '.join(finding['rules'])}]" if finding["rules"] else ""
            text += f"  {finding['number']}. {one_line(finding['summary'])}{cited}\n"
    return text


def coverage_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def explain_rule(compiled: CompiledRule, ruleset: RuleSet) -> str:
    """One rule's documentation, as Markdown."""
    return _shown_markdown(explain(compiled, ruleset))


def _shown_markdown(text: str) -> str:
    # Rule packs can come from anywhere (--rules): nothing in their text may drive a terminal
    # or become a tag where the Markdown is shown as a page.
    lines = (one_line(line) for line in text.split("\n"))
    return "\n".join(line.replace("<", "&lt;").replace(">", "&gt;") for line in lines)
