"""Renderers of ``cvecheck diff``: text for a terminal, Markdown for a review, JSON for tools.

Each says, per programme, where the differences come from (the programme file, the rules or
the date) before listing them: gaps closed, gaps opened, questions answered, new questions,
waiver changes and any other change of status. Pure functions from `Changes` to text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cvecheck.changes import (
    ABSENT,
    Change,
    Changes,
    FileChanges,
    StatusChange,
    WaiverChange,
    summary_counts,
)
from cvecheck.escaping import markdown, markdown_code
from cvecheck.reporters import layout
from cvecheck.reporters.layout import Terminal

SCHEMA_VERSION = 1

SECTIONS: tuple[tuple[str, str], ...] = (
    ("gaps_closed", "Gaps closed"),
    ("gaps_opened", "Gaps opened"),
    ("questions_answered", "Questions answered"),
    ("new_questions", "New questions"),
)

WAIVER_WORDS = {
    "added": "added",
    "expired": "expired (no longer honoured)",
    "removed": "removed from the file",
    "renewed": "renewed (new expiry date)",
}

STATUS_WORDS = {ABSENT: "not in the rules", "cannot_assess": "question"}


def _status(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def _short(sha: str) -> str:
    return sha[:12] if sha else "unknown"


def _identity_lines(item: FileChanges) -> list[tuple[str, str]]:
    """(label, text) lines on what is the same and what changed between the two sides."""
    old, new = item.old, item.new
    changed = item.programme_changed
    if changed is None:
        file_line = "not known (a side has no file hash)"
    elif changed:
        file_line = f"changed (sha256 {_short(old.programme_hash)} -> {_short(new.programme_hash)})"
    else:
        file_line = f"the same (sha256 {_short(new.programme_hash)})"
    rules_line = (
        f"changed ({old.ruleset_version} -> {new.ruleset_version})"
        if item.rules_changed
        else f"the same ({new.ruleset_version})"
    )
    tool_line = (
        f"changed (cvecheck {old.tool_version} -> {new.tool_version})"
        if item.tool_changed
        else f"the same (cvecheck {new.tool_version})"
    )
    paths = old.file if old.file == new.file else f"{old.file} -> {new.file}"
    name = new.programme_name or old.programme_name
    return [
        ("Programme", f"{paths}" + (f" ({name})" if name else "")),
        ("File", file_line),
        ("Rules", rules_line),
        ("Tool", tool_line),
    ]


def _change_rows(changes: Sequence[Change]) -> list[list[str]]:
    return [
        [
            c.rule,
            c.severity,
            c.requirement,
            f"{_status(c.before)} -> {_status(c.after)}",
            c.message + (f" ({c.note})" if c.note else ""),
        ]
        for c in changes
    ]


def _waiver_text(change: WaiverChange) -> str:
    dates = ""
    if change.kind == "renewed" and change.expires_after:
        dates = f"; now expires {change.expires_after}"
    elif change.expires_after:
        dates = f"; expires {change.expires_after}"
    return f"{change.rule}: {WAIVER_WORDS[change.kind]}{dates}; the rule is now {_status(change.status_now)}"


def _status_text(change: StatusChange) -> str:
    note = f" ({change.note})" if change.note else ""
    return (
        f"{change.rule}: {_status(change.before)} -> {_status(change.after)}{note}: {change.title}"
    )


def _summary_line(item: FileChanges) -> str:
    counts = summary_counts(item)
    parts = [
        f"{counts['gaps_closed']} gaps closed",
        f"{counts['gaps_opened']} opened",
        f"{counts['questions_answered']} questions answered",
        f"{counts['new_questions']} new",
        f"{sum(counts[k] for k in counts if k.startswith('waivers_'))} waiver changes",
        f"{counts['other_status_changes']} other status changes",
    ]
    line = ", ".join(parts) + "."
    if counts["new_unwaived_gaps"]:
        line += (
            f" {counts['new_unwaived_gaps']} gaps are open now that were not open, or were waived, "
            "before."
        )
    return line


# --- text ------------------------------------------------------------------------------------


def render_text(diff: Changes, terminal: Terminal | None = None) -> str:
    """The changes for a terminal, laid out for ``terminal`` (80 columns, no colour, if None)."""
    terminal = terminal or Terminal()
    full = terminal.width
    parts = [
        terminal.paint(
            layout.fill(f"cvecheck diff: {diff.old_source} -> {diff.new_source}", full), "heading"
        )
    ]
    for item in diff.files:
        parts.append("")
        width = max(len(label) for label, _ in _identity_lines(item))
        parts += [
            layout.fill(f"{label + ':':<{width + 1}} {text}", full, hanging=" " * (width + 2))
            for label, text in _identity_lines(item)
        ]
        parts.append(layout.fill(item.cause(), full))
        for key, heading in SECTIONS:
            changes: Sequence[Change] = getattr(item, key)
            if not changes:
                parts += ["", f"{heading}: none"]
                continue
            parts += [
                "",
                terminal.paint(f"{heading} ({len(changes)})", "heading"),
                layout.table(
                    _change_rows(changes),
                    ["rule", "severity", "requirement", "rule status", "finding"],
                    terminal,
                    prose=(2, 4),
                    paint={1: terminal.paint},
                ),
            ]
        parts += ["", f"Waivers: {'none changed' if not item.waivers else ''}".rstrip()]
        parts += [layout.fill(f"- {_waiver_text(w)}", full, hanging="  ") for w in item.waivers]
        if item.status_changes:
            parts += ["", "Other status changes"]
            parts += [
                layout.fill(f"- {_status_text(s)}", full, hanging="  ") for s in item.status_changes
            ]
        else:
            parts += ["", "Other status changes: none"]
        parts += ["", layout.fill("Summary: " + _summary_line(item), full)]
    parts += [
        layout.fill(line, full, hanging="  ") if line else line
        for line in _unpaired_lines(diff, bullet="- ")
    ]
    # Names and paths come from the programme files: nothing that could drive the terminal
    # leaves this renderer.
    return terminal.safe("\n".join(parts)) + "\n"


def _unpaired_lines(diff: Changes, bullet: str) -> list[str]:
    lines: list[str] = []
    if diff.only_old:
        lines += ["", f"Only in {diff.old_source}:"] + [f"{bullet}{p}" for p in diff.only_old]
    if diff.only_new:
        lines += ["", f"Only in {diff.new_source}:"] + [f"{bullet}{p}" for p in diff.only_new]
    if diff.not_compared:
        lines += ["", "Not compared:"] + [f"{bullet}{p}: {why}" for p, why in diff.not_compared]
    return lines


# --- Markdown --------------------------------------------------------------------------------


def render_markdown(diff: Changes) -> str:
    lines = [f"# Changes: `{markdown_code(diff.old_source)}` -> `{markdown_code(diff.new_source)}`"]
    for item in diff.files:
        lines.append("")
        lines += [f"- **{label}:** {markdown(text)}" for label, text in _identity_lines(item)]
        lines += ["", f"_{markdown(item.cause())}_"]
        for key, heading in SECTIONS:
            changes: Sequence[Change] = getattr(item, key)
            lines += ["", f"## {heading} ({len(changes)})", ""]
            if not changes:
                lines.append("None.")
                continue
            lines += [
                "| Rule | Severity | Requirement | Rule status | Finding |",
                "|---|---|---|---|---|",
            ]
            lines += [
                "| " + " | ".join(markdown(cell) for cell in row) + " |"
                for row in _change_rows(changes)
            ]
        lines += ["", f"## Waivers ({len(item.waivers)})", ""]
        lines += [f"- {markdown(_waiver_text(w))}" for w in item.waivers] or ["None changed."]
        lines += ["", f"## Other status changes ({len(item.status_changes)})", ""]
        lines += [f"- {markdown(_status_text(s))}" for s in item.status_changes] or ["None."]
        lines += ["", f"**Summary:** {markdown(_summary_line(item))}"]
    lines += [markdown(line) if line else line for line in _unpaired_lines(diff, bullet="- ")]
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------------------------


def render_json(diff: Changes) -> str:
    return json.dumps(document(diff), indent=2, ensure_ascii=False) + "\n"


def document(diff: Changes) -> dict[str, Any]:
    """The diff as plain data; every key is always present."""
    return {
        "schema_version": SCHEMA_VERSION,
        "old": diff.old_source,
        "new": diff.new_source,
        "files": [_file(item) for item in diff.files],
        "only_old": list(diff.only_old),
        "only_new": list(diff.only_new),
        "not_compared": [{"path": p, "reason": why} for p, why in diff.not_compared],
        "new_unwaived_gaps": diff.new_unwaived_gap_count(),
    }


def _side(item: FileChanges, which: str) -> dict[str, Any]:
    report = item.old if which == "old" else item.new
    return {
        "path": report.file,
        "programme": report.programme_name,
        "sha256": report.programme_hash,
        "ruleset_version": report.ruleset_version,
        "tool_version": report.tool_version,
    }


def _file(item: FileChanges) -> dict[str, Any]:
    return {
        "old": _side(item, "old"),
        "new": _side(item, "new"),
        "programme_changed": item.programme_changed,
        "rules_changed": item.rules_changed,
        "tool_changed": item.tool_changed,
        "cause": item.cause(),
        **{key: [_change(c) for c in getattr(item, key)] for key, _ in SECTIONS},
        "waivers": [
            {
                "rule": w.rule,
                "change": w.kind,
                "expires_before": w.expires_before,
                "expires_after": w.expires_after,
                "status_now": w.status_now,
            }
            for w in item.waivers
        ],
        "status_changes": [
            {"rule": s.rule, "title": s.title, "before": s.before, "after": s.after, "note": s.note}
            for s in item.status_changes
        ],
        "summary": summary_counts(item),
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "rule": change.rule,
        "title": change.title,
        "severity": change.severity,
        "requirement": change.requirement,
        "message": change.message,
        "before": change.before,
        "after": change.after,
        "note": change.note,
    }
