"""What changed between two checks of a proposal: gaps, questions, waivers and statuses.

Each side is a sequence of file outcomes: reports of programme files checked now, or read back
from a saved JSON report (``reporters/json_.py``). Each side's tool version, rule set version
and programme sha256 are compared too, to say whether a difference comes from the programme
file, from the rules, or from neither (the date: a waiver that expired). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cvecheck.results import FileOutcome, Report, RuleFacts, RuleResult, Status

ABSENT = "absent"
"""The status of a rule that is not in one side's rule set."""


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
class FileChanges:
    """Every change between the two checks of one programme, and where it comes from."""

    old: Report[RuleFacts]
    new: Report[RuleFacts]
    gaps_closed: tuple[Change, ...]
    gaps_opened: tuple[Change, ...]
    questions_answered: tuple[Change, ...]
    new_questions: tuple[Change, ...]
    waivers: tuple[WaiverChange, ...]
    status_changes: tuple[StatusChange, ...]

    @property
    def programme_changed(self) -> bool | None:
        """Whether the file's bytes changed; None when a side has no hash (data, not a file)."""
        if not self.old.programme_hash or not self.new.programme_hash:
            return None
        return self.old.programme_hash != self.new.programme_hash

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
        before = _by_rule(self.old)
        found: list[tuple[str, str]] = []
        for result in self.new.results:
            if result.status is not Status.GAP:
                continue
            was = before.get(result.rule_id)
            was_open = set() if was is None or was.status is not Status.GAP else _gaps(was)
            found += [(result.rule_id, req) for req in _gaps(result) if req not in was_open]
        return found


@dataclass(frozen=True)
class Changes:
    """The changes between two sides, file by file."""

    old_source: str
    new_source: str
    files: tuple[FileChanges, ...]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()
    not_compared: tuple[tuple[str, str], ...] = field(default=())

    def new_unwaived_gap_count(self) -> int:
        return sum(len(f.new_unwaived_gaps()) for f in self.files)


def changes_between(
    old: Sequence[FileOutcome[RuleFacts]],
    new: Sequence[FileOutcome[RuleFacts]],
    sources: tuple[str, str],
) -> Changes:
    """Pair the files of both sides (the only one of each, or by path) and compare each pair."""
    if len(old) == 1 and len(new) == 1:
        pairs = [(old[0], new[0])]
        only_old: list[str] = []
        only_new: list[str] = []
    else:
        by_path = {o.path: o for o in new}
        pairs = [(o, by_path[o.path]) for o in old if o.path in by_path]
        only_old = [o.path for o in old if o.path not in by_path]
        paired = {o.path for o in old}
        only_new = [o.path for o in new if o.path not in paired]
    files: list[FileChanges] = []
    not_compared: list[tuple[str, str]] = []
    for before, after in pairs:
        if before.report is None or after.report is None:
            side, broken = ("old", before) if before.report is None else ("new", after)
            why = broken.issues[0].message if broken.issues else "the file could not be checked"
            not_compared.append((after.path, f"the {side} side could not be checked: {why}"))
            continue
        files.append(file_changes(before.report, after.report))
    return Changes(*sources, tuple(files), tuple(only_old), tuple(only_new), tuple(not_compared))


def file_changes(old: Report[RuleFacts], new: Report[RuleFacts]) -> FileChanges:
    """Every change between two checks of one programme."""
    sides = _Side.of(old), _Side.of(new)
    found: dict[str, list[Change]] = {key: [] for key in _CHANGE_KINDS}
    touched: set[str] = set()
    order = sorted(set(sides[0].rules) | set(sides[1].rules))
    for rule in order:
        changes = _rule_changes(rule, *(side.state(rule) for side in sides))
        for kind, items in changes.items():
            found[kind] += items
            if items:
                touched.add(rule)
    waivers = _waiver_changes(*sides)
    touched |= {w.rule for w in waivers}
    statuses: list[StatusChange] = []
    for rule in order:
        before, after = (side.status(rule) for side in sides)
        if rule not in touched and before != after:
            state = sides[1].state(rule) or sides[0].state(rule)
            assert state is not None
            statuses.append(
                StatusChange(rule, state.title, before, after, _rule_note(before, after))
            )
    return FileChanges(
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


@dataclass(frozen=True)
class _State:
    """One rule's outcome on one side, reduced to what is compared."""

    title: str
    severity: str
    status: str
    gaps: Mapping[str, str]
    questions: Mapping[str, str]
    waiver_expires: str | None


@dataclass(frozen=True)
class _Side:
    """One report's rule outcomes and the waivers its file names, for comparing."""

    rules: Mapping[str, _State]
    waivers_in_file: frozenset[str]
    expired_waivers: frozenset[str]

    @classmethod
    def of(cls, report: Report[RuleFacts]) -> _Side:
        states = {
            r.rule_id: _State(
                report.rules[r.rule_id].title,
                report.rules[r.rule_id].severity.value,
                r.status.value,
                {g.requirement: g.message for g in r.gaps},
                {q.requirement: q.message for q in r.questions},
                r.waiver.expires.isoformat() if r.waiver else None,
            )
            for r in report.results
        }
        noted = {code: set[str]() for code in ("waiver-expired", "waiver-unused")}
        for notice in report.notices:
            if notice.code in noted and notice.rule:
                noted[notice.code].add(notice.rule)
        active = {r.rule_id for r in report.results if r.waiver is not None}
        return cls(
            states,
            frozenset(active | noted["waiver-unused"]),
            frozenset(noted["waiver-expired"]),
        )

    def state(self, rule: str) -> _State | None:
        return self.rules.get(rule)

    def status(self, rule: str) -> str:
        state = self.rules.get(rule)
        return state.status if state else ABSENT

    def expiry(self, rule: str) -> str | None:
        state = self.rules.get(rule)
        return state.waiver_expires if state else None


def _rule_changes(
    rule: str, before: _State | None, after: _State | None
) -> dict[str, list[Change]]:
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
            rule,
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


def _rule_note(before: str, after: str) -> str:
    if before == ABSENT:
        return "new rule"
    return "rule removed" if after == ABSENT else ""


def _waiver_changes(old: _Side, new: _Side) -> list[WaiverChange]:
    changes: list[WaiverChange] = []
    for rule in sorted(
        old.waivers_in_file | old.expired_waivers | new.waivers_in_file | new.expired_waivers
    ):
        before = old.expiry(rule)
        after = new.expiry(rule)
        status = new.status(rule)
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


def _by_rule(report: Report[RuleFacts]) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in report.results}


def _gaps(result: RuleResult) -> list[str]:
    """The requirements a result has gaps for, once each, in the order they were found."""
    return list(dict.fromkeys(g.requirement for g in result.gaps))


def summary_counts(changes: FileChanges) -> dict[str, int]:
    """The number of each kind of change, in the order every format lists them."""
    counts = {
        "gaps_closed": len(changes.gaps_closed),
        "gaps_opened": len(changes.gaps_opened),
        "questions_answered": len(changes.questions_answered),
        "new_questions": len(changes.new_questions),
    }
    for kind in ("added", "expired", "removed", "renewed"):
        counts[f"waivers_{kind}"] = sum(1 for w in changes.waivers if w.kind == kind)
    counts["other_status_changes"] = len(changes.status_changes)
    counts["new_unwaived_gaps"] = len(changes.new_unwaived_gaps())
    return counts
