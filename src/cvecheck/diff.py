"""What changed between two checks of a proposal: gaps, questions, waivers and statuses.

Both sides are JSON report documents (the shape of ``cvecheck check --format json``); a
programme file is checked and turned into one first, so there is one code path. Each side's
tool version, rule set version and programme sha256 are compared too, to say whether a
difference comes from the programme file, from the rules, or from neither (the date: a waiver
that expired). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cvecheck.results import InputError, Issue, Location, Status

SUPPORTED_SCHEMA_VERSION = 1
ABSENT = "absent"
"""The status of a rule that is not in one side's rule set."""


# --- reading a saved report (only the keys the diff needs; the rest is ignored) ------------


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Finding(_Loose):
    requirement: str
    message: str


class _Waiver(_Loose):
    expires: str
    approved_by: str
    reason: str


class _Result(_Loose):
    rule: str
    title: str
    severity: str
    status: Status
    gaps: list[_Finding]
    questions: list[_Finding]
    waiver: _Waiver | None


class _Coded(_Loose):
    code: str
    message: str


class _Programme(_Loose):
    name: str
    sha256: str


class _Notice(_Coded):
    rule: str | None = None


class _File(_Loose):
    path: str
    status: str
    programme: _Programme
    errors: list[_Coded]
    results: list[_Result]
    notices: list[_Notice]


class _Version(_Loose):
    version: str


class _Document(_Loose):
    schema_version: int
    tool: _Version
    ruleset: _Version
    files: list[_File]


@dataclass(frozen=True)
class RuleState:
    """One rule's outcome on one side, reduced to what a diff compares."""

    rule: str
    title: str
    severity: str
    status: str
    gaps: Mapping[str, str]
    questions: Mapping[str, str]
    waiver_expires: str | None


@dataclass(frozen=True)
class Snapshot:
    """One programme file as checked once: its identity, versions and rule outcomes."""

    path: str
    name: str
    sha256: str
    tool_version: str
    ruleset_version: str
    rules: Mapping[str, RuleState]
    waivers_in_file: frozenset[str] = frozenset()
    expired_waivers: frozenset[str] = frozenset()
    error: str = ""


def snapshots(document: Any, source: str) -> list[Snapshot]:
    """Every file of a JSON report document; raises InputError if it is not one."""
    if isinstance(document, dict) and isinstance(document.get("schema_version"), int):
        version = document["schema_version"]
        if version > SUPPORTED_SCHEMA_VERSION:
            raise InputError(
                [
                    Issue(
                        "report-version",
                        f"report schema_version {version} is newer than this cvecheck reads "
                        f"({SUPPORTED_SCHEMA_VERSION}); upgrade cvecheck",
                        Location(source),
                    )
                ]
            )
    try:
        parsed = _Document.model_validate(document)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(
            [
                Issue(
                    "report-invalid",
                    f"not a cvecheck JSON report ({where}: {first['msg']}); "
                    "save one with `cvecheck check --format json`",
                    Location(source),
                )
            ]
        ) from None
    return [_snapshot(f, parsed.tool.version, parsed.ruleset.version) for f in parsed.files]


def _snapshot(entry: _File, tool: str, ruleset: str) -> Snapshot:
    rules = {
        r.rule: RuleState(
            r.rule,
            r.title,
            r.severity,
            r.status.value,
            {g.requirement: g.message for g in r.gaps},
            {q.requirement: q.message for q in r.questions},
            r.waiver.expires if r.waiver else None,
        )
        for r in entry.results
    }
    noted = {code: set[str]() for code in ("waiver-expired", "waiver-unused")}
    for notice in entry.notices:
        if notice.code in noted and notice.rule:
            noted[notice.code].add(notice.rule)
    active = {r.rule for r in entry.results if r.waiver is not None}
    error = entry.errors[0].message if entry.errors else ""
    if entry.status != "checked" and not error:
        error = "the file could not be checked"
    return Snapshot(
        path=entry.path,
        name=entry.programme.name,
        sha256=entry.programme.sha256,
        tool_version=tool,
        ruleset_version=ruleset,
        rules=rules,
        waivers_in_file=frozenset(active | noted["waiver-unused"]),
        expired_waivers=frozenset(noted["waiver-expired"]),
        error=error,
    )


# --- the diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One requirement of one rule whose finding changed."""

    rule: str
    title: str
    severity: str
    requirement: str
    message: str
    before: str  # the rule's status on the old side (ABSENT if the rule was not there)
    after: str
    note: str = ""


@dataclass(frozen=True)
class WaiverChange:
    rule: str
    kind: str  # added | expired | removed | renewed
    expires_before: str | None
    expires_after: str | None
    status_now: str


@dataclass(frozen=True)
class StatusChange:
    rule: str
    title: str
    before: str
    after: str
    note: str = ""


@dataclass(frozen=True)
class FileDiff:
    """Every change between the two checks of one programme, and where it comes from."""

    old: Snapshot
    new: Snapshot
    gaps_closed: tuple[Change, ...]
    gaps_opened: tuple[Change, ...]
    questions_answered: tuple[Change, ...]
    new_questions: tuple[Change, ...]
    waivers: tuple[WaiverChange, ...]
    status_changes: tuple[StatusChange, ...]

    @property
    def programme_changed(self) -> bool | None:
        """Whether the file's bytes changed; None when a side has no hash (data, not a file)."""
        if not self.old.sha256 or not self.new.sha256:
            return None
        return self.old.sha256 != self.new.sha256

    @property
    def rules_changed(self) -> bool:
        return self.old.ruleset_version != self.new.ruleset_version

    @property
    def tool_changed(self) -> bool:
        return self.old.tool_version != self.new.tool_version

    @property
    def has_changes(self) -> bool:
        return any(
            (
                self.gaps_closed,
                self.gaps_opened,
                self.questions_answered,
                self.new_questions,
                self.waivers,
                self.status_changes,
            )
        )

    def cause(self) -> str:
        """Where the differences come from, in one sentence."""
        if not self.has_changes:
            return "No outcome changed."
        programme, rules = self.programme_changed, self.rules_changed
        if programme is False and not rules:
            if self.tool_changed:
                return (
                    "The programme file and the rules are the same: the differences come from the "
                    "change of cvecheck version or of the date (waivers expiring)."
                )
            return (
                "The programme file and the rules are the same: the differences come from the "
                "date (waivers expiring)."
            )
        if programme is False:
            return "The programme file is the same: the differences come from the change of rules."
        if not rules:
            return (
                "The rules are the same: the differences come from changes to the programme file."
            )
        return (
            "Both the programme file and the rules changed, so a difference may come from either. "
            "To tell them apart, diff the two programme files themselves: both are then checked "
            "with the same rules."
        )

    def new_unwaived_gaps(self) -> list[tuple[str, str]]:
        """(rule, requirement) gaps open now, unwaived, that were not open and unwaived before."""
        found: list[tuple[str, str]] = []
        for rule, state in self.new.rules.items():
            if state.status != Status.GAP.value:
                continue
            before = self.old.rules.get(rule)
            for requirement in state.gaps:
                was_open = (
                    before is not None
                    and before.status == Status.GAP.value
                    and requirement in before.gaps
                )
                if not was_open:
                    found.append((rule, requirement))
        return found


@dataclass(frozen=True)
class Diff:
    """The diff of two sides, file by file."""

    old_source: str
    new_source: str
    files: tuple[FileDiff, ...]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()
    not_compared: tuple[tuple[str, str], ...] = field(default=())

    def new_unwaived_gap_count(self) -> int:
        return sum(len(f.new_unwaived_gaps()) for f in self.files)


def diff_snapshots(
    old: Sequence[Snapshot], new: Sequence[Snapshot], sources: tuple[str, str]
) -> Diff:
    """Pair the files of both sides (the only one of each, or by path) and diff each pair."""
    if len(old) == 1 and len(new) == 1:
        pairs = [(old[0], new[0])]
        only_old: list[str] = []
        only_new: list[str] = []
    else:
        by_path = {s.path: s for s in new}
        pairs = [(s, by_path[s.path]) for s in old if s.path in by_path]
        only_old = [s.path for s in old if s.path not in by_path]
        paired = {s.path for s in old}
        only_new = [s.path for s in new if s.path not in paired]
    files: list[FileDiff] = []
    not_compared: list[tuple[str, str]] = []
    for before, after in pairs:
        broken = before.error or after.error
        if broken:
            side = "old" if before.error else "new"
            not_compared.append((after.path, f"the {side} side could not be checked: {broken}"))
            continue
        files.append(diff_pair(before, after))
    return Diff(*sources, tuple(files), tuple(only_old), tuple(only_new), tuple(not_compared))


def diff_pair(old: Snapshot, new: Snapshot) -> FileDiff:
    """Every change between two checks of one programme."""
    found: dict[str, list[Change]] = {key: [] for key in _CHANGE_KINDS}
    touched: set[str] = set()
    for rule in _rule_order(old, new):
        changes = _rule_changes(old.rules.get(rule), new.rules.get(rule))
        for kind, items in changes.items():
            found[kind] += items
            if items:
                touched.add(rule)
    waivers = _waiver_changes(old, new)
    touched |= {w.rule for w in waivers}
    statuses: list[StatusChange] = []
    for rule in _rule_order(old, new):
        before, after = _status(old, rule), _status(new, rule)
        if rule not in touched and before != after:
            title = (new.rules.get(rule) or old.rules[rule]).title
            statuses.append(StatusChange(rule, title, before, after, _rule_note(before, after)))
    return FileDiff(
        old,
        new,
        tuple(found["gaps_closed"]),
        tuple(found["gaps_opened"]),
        tuple(found["questions_answered"]),
        tuple(found["new_questions"]),
        tuple(waivers),
        tuple(statuses),
    )


_CHANGE_KINDS = ("gaps_closed", "gaps_opened", "questions_answered", "new_questions")


def _rule_changes(before: RuleState | None, after: RuleState | None) -> dict[str, list[Change]]:
    """The changed findings of one rule, by kind. A gap that became a question is a new
    question ("was a gap"); a question that became a gap is an opened gap ("was a question")."""
    state = after or before
    assert state is not None
    before_status = before.status if before else ABSENT
    after_status = after.status if after else ABSENT
    note = _rule_note(before_status, after_status)
    old_gaps = before.gaps if before else {}
    new_gaps = after.gaps if after else {}
    old_questions = before.questions if before else {}
    new_questions = after.questions if after else {}

    def change(requirement: str, message: str, extra: str = "") -> Change:
        text = ", ".join(n for n in (note, extra) if n)
        return Change(
            state.rule,
            state.title,
            state.severity,
            requirement,
            message,
            before_status,
            after_status,
            text,
        )

    found: dict[str, list[Change]] = {key: [] for key in _CHANGE_KINDS}
    for requirement, message in old_gaps.items():
        if requirement in new_gaps:
            continue
        if requirement in new_questions:
            found["new_questions"].append(
                change(requirement, new_questions[requirement], "was a gap")
            )
        else:
            found["gaps_closed"].append(change(requirement, message))
    for requirement, message in new_gaps.items():
        if requirement not in old_gaps:
            extra = "was a question" if requirement in old_questions else ""
            found["gaps_opened"].append(change(requirement, message, extra))
    for requirement, message in old_questions.items():
        if requirement not in new_questions and requirement not in new_gaps:
            found["questions_answered"].append(change(requirement, message))
    for requirement, message in new_questions.items():
        if requirement not in old_questions and requirement not in old_gaps:
            found["new_questions"].append(change(requirement, message))
    return found


def _status(snapshot: Snapshot, rule: str) -> str:
    state = snapshot.rules.get(rule)
    return state.status if state else ABSENT


def _rule_note(before: str, after: str) -> str:
    if before == ABSENT:
        return "new rule"
    return "rule removed" if after == ABSENT else ""


def _rule_order(old: Snapshot, new: Snapshot) -> list[str]:
    return sorted(set(old.rules) | set(new.rules))


def _waiver_changes(old: Snapshot, new: Snapshot) -> list[WaiverChange]:
    changes: list[WaiverChange] = []
    for rule in sorted(
        old.waivers_in_file | old.expired_waivers | new.waivers_in_file | new.expired_waivers
    ):
        before = _expiry(old, rule)
        after = _expiry(new, rule)
        status = new.rules[rule].status if rule in new.rules else ABSENT
        in_old = rule in old.waivers_in_file
        in_new = rule in new.waivers_in_file
        if rule in new.expired_waivers and rule not in old.expired_waivers:
            kind = "expired"
        elif in_new and rule in old.expired_waivers:
            kind = "renewed"
        elif in_new and not in_old and rule not in old.expired_waivers:
            kind = "added"
        elif (
            not in_new
            and rule not in new.expired_waivers
            and (in_old or rule in old.expired_waivers)
        ):
            kind = "removed"
        elif in_new and in_old and before and after and before != after:
            kind = "renewed"
        else:
            continue
        changes.append(WaiverChange(rule, kind, before, after, status))
    return changes


def _expiry(snapshot: Snapshot, rule: str) -> str | None:
    state = snapshot.rules.get(rule)
    return state.waiver_expires if state else None


def summary_counts(diff: FileDiff) -> dict[str, int]:
    """The number of each kind of change, in the order every format lists them."""
    counts = {
        "gaps_closed": len(diff.gaps_closed),
        "gaps_opened": len(diff.gaps_opened),
        "questions_answered": len(diff.questions_answered),
        "new_questions": len(diff.new_questions),
    }
    for kind in ("added", "expired", "removed", "renewed"):
        counts[f"waivers_{kind}"] = sum(1 for w in diff.waivers if w.kind == kind)
    counts["other_status_changes"] = len(diff.status_changes)
    counts["new_unwaived_gaps"] = len(diff.new_unwaived_gaps())
    return counts
