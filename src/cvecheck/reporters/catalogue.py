"""Renderers of what the rule set holds: ``cvecheck rules``, ``coverage`` and ``explain``.

The content comes from cvecheck.catalogue (generated from the rule files and pack manifests);
this module only lays it out. Rule packs can come from anywhere (``--rules``), so their text is
escaped for the terminal like any other input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from cvecheck.catalogue import explain, rule_document, rules_markdown
from cvecheck.escaping import one_line
from cvecheck.reporters import layout
from cvecheck.reporters.layout import Terminal
from cvecheck.rules import CompiledRule, Rule, RuleSet


def rules_table(chosen: Sequence[Rule], ruleset: RuleSet, terminal: Terminal | None = None) -> str:
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
    terminal = terminal or Terminal()
    listing = layout.table(
        table,
        ["rule", "source", "severity", "focus area", "title"],
        terminal,
        prose=(4,),
        paint={2: terminal.paint},
    )
    closing = layout.fill(
        f"{len(chosen)} of {len(ruleset.rules)} rules. Run 'cvecheck explain RULE' for one rule.",
        terminal.width,
    )
    return terminal.safe(f"{listing}\n\n{closing}") + "\n"


def rules_json(chosen: Sequence[Rule], ruleset: RuleSet) -> str:
    """The chosen rules as a JSON list: where each comes from (quote or practice source, pack),
    its severity and the words that set it, and each requirement's basis."""
    return json.dumps([rule_document(r) for r in chosen], indent=2) + "\n"


def rules_reference(chosen: Sequence[Rule], ruleset: RuleSet) -> str:
    """docs/rules.md: the whole reference of the rule set, whatever the filters."""
    return _shown_markdown(rules_markdown(ruleset))


def coverage_table(document: dict[str, Any], terminal: Terminal | None = None) -> str:
    """Each recommendation, how completely it is encoded and by which rules."""
    terminal = terminal or Terminal()
    rows = [
        [
            f"{r['section']} {r['number']}",
            one_line(r["summary"]),
            r["state"],
            ", ".join(r["rules"]) or "-",
            one_line(r["note"]),
        ]
        for r in document["recommendations"] + document["standards"]
    ]
    table = layout.table(
        rows,
        ["source", "recommendation", "encoded", "rules", "not checked"],
        terminal,
        prose=(1, 3, 4),
    )
    summary = document["summary"]
    standards = f" and {summary['standards']} practice standards" if summary["standards"] else ""
    lines = [
        layout.fill(
            f"{summary['recommendations']} recommendations{standards}: "
            f"{summary['full']} fully encoded, {summary['partial']} partly, {summary['manual']} "
            f"not mechanically checkable, {summary['missing']} missing; {summary['rules']} rules.",
            terminal.width,
        )
    ]
    if document["findings"]:
        lines += ["", "Key findings of the review (context, not recommendations):"]
        for finding in document["findings"]:
            cited = f" [{', '.join(finding['rules'])}]" if finding["rules"] else ""
            number = f"  {finding['number']}. "
            lines.append(
                layout.fill(
                    f"{number}{one_line(finding['summary'])}{cited}",
                    terminal.width,
                    hanging=" " * len(number),
                )
            )
    return terminal.safe(table + "\n\n" + "\n".join(lines)) + "\n"


def coverage_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def explain_rule(compiled: CompiledRule, ruleset: RuleSet, terminal: Terminal | None = None) -> str:
    """One rule's documentation, as Markdown, its prose wrapped to the terminal's width."""
    terminal = terminal or Terminal()
    return _wrapped_markdown(_shown_markdown(explain(compiled, ruleset)), terminal.width)


_LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)")


def _wrapped_markdown(text: str, width: int) -> str:
    """Paragraphs and list items wrapped to ``width`` (still the same Markdown); headings,
    table rows and fenced code as they are."""
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width or line.startswith(("#", "|", "```")):
            lines.append(line)
            continue
        marker = _LIST_ITEM.match(line)
        hanging = " " * len(marker.group(1)) if marker else ""
        lines.append(layout.fill(line, width, hanging=hanging))
    return "\n".join(lines)


def _shown_markdown(text: str) -> str:
    # Rule packs can come from anywhere (--rules): nothing in their text may drive a terminal
    # or become a tag where the Markdown is shown as a page.
    lines = (one_line(line) for line in text.split("\n"))
    return "\n".join(line.replace("<", "&lt;").replace(">", "&gt;") for line in lines)
