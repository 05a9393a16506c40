"""Rule files and pack.yaml as written: the models that validate them and every check on load.

A rule pack is a folder holding ``pack.yaml`` (the source document, its sections and every
recommendation in it) and one YAML file per rule, in any sub-folder. Nothing in a pack is ever
executed: predicates are JSON Schema fragments applied to values at dotted paths. Everything
is checked here (unknown fields, bad JSON Schema, remote references, duplicate ids, sources
that name no recommendation, examples that are not valid programmes), so a broken pack fails
before any programme is checked, with the rule file and line.

This stage runs only when rule files are read (a rule set not in the cache, or a new pack): it
gives the checked files as plain data, which ``cvecheck.rules`` turns into the run-time values
the engine and every output use. A rule set read back from the cache never imports it, nor
pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cvecheck.loader import Loaded, load_file
from cvecheck.packs import PACK_FILE, pack_files
from cvecheck.predicates import Predicate, check_predicate
from cvecheck.results import Evidence, FocusArea, InputError, Issue, Location, Severity

_ID = re.compile(r"^[A-Z]{3}[0-9]{3}$")
"""ASCII only: ``\\d`` would also take other scripts' digits (U+0661 for 1, say)."""
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """One condition of applicability; when it does not hold the rule is not applicable."""

    require: Predicate = Field(description="Paths and the JSON Schema each value must satisfy.")
    reason: str = Field(min_length=1, description="Why the rule does not apply when it fails.")
    ask: str = Field(min_length=1, description="Question to ask when the file does not say.")

    _valid = field_validator("require")(check_predicate)


Basis = Literal["stated", "operationalised", "practice"]
"""Where a requirement comes from: the review asks for it in so many words (stated), it is a
concrete test of something the review asks for (operationalised, with a justification), or it
is a standard from a practice framework, not from the review (practice)."""


class Requirement(_Strict):
    """One thing the programme must state; checked on its own."""

    name: str = Field(pattern=_SLUG.pattern, description="Short slug, unique in the rule.")
    basis: Basis = Field(description="stated, operationalised or practice.")
    justification: str | None = Field(
        default=None,
        min_length=1,
        description="For an operationalised requirement: why it tests what the source asks.",
    )
    require: Predicate = Field(description="Paths and the JSON Schema each value must satisfy.")
    gap: str = Field(min_length=1, description="What is missing, said when the check fails.")
    ask: str = Field(min_length=1, description="Question to ask when the file does not say.")
    after: str | None = Field(
        default=None,
        pattern=_SLUG.pattern,
        description="Name of an earlier requirement of the rule this one depends on: it is "
        "checked (and asked) only once that one is met, so `used: false` does not also ask "
        "whether the limits of what is used are noted.",
    )

    _valid = field_validator("require")(check_predicate)

    @model_validator(mode="after")
    def _justified(self) -> Requirement:
        if self.basis == "operationalised" and not self.justification:
            raise ValueError("an operationalised requirement needs a one-line justification")
        return self


class Source(_Strict):
    section: str = Field(description="Id of the report section in pack.yaml.")
    recommendation: int = Field(ge=1, description="Number of the recommendation in that section.")


class PracticeSource(_Strict):
    """The public framework a practice-pack rule rests on (never the review)."""

    framework: str = Field(min_length=1, description="Name of the framework or guidance.")
    publisher: str = Field(min_length=1, description="Who publishes it.")
    year: int = Field(ge=1990, le=2100)
    url: str = Field(pattern=r"^https?://\S+$", description="Where it can be read.")


class Examples(_Strict):
    """Programme fragments with their expected outcome; the test suite runs every one."""

    pass_: list[dict[str, Any]] = Field(alias="pass", min_length=1)
    gap: list[dict[str, Any]] = Field(min_length=1)
    cannot_assess: list[dict[str, Any]] = Field(min_length=1)
    not_applicable: list[dict[str, Any]] = Field(default_factory=list)

    def by_outcome(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "pass": self.pass_,
            "gap": self.gap,
            "cannot_assess": self.cannot_assess,
            "not_applicable": self.not_applicable,
        }


class RuleFile(_Strict):
    """One recommendation (or one part of it) as an executable check."""

    id: str = Field(pattern=_ID.pattern, description="Stable code: section prefix and 3 digits.")
    name: str = Field(pattern=_SLUG.pattern, description="Kebab-case slug.")
    title: str = Field(min_length=1, description="What the rule checks, as an instruction.")
    source: Source
    pack: str = Field(
        default="",
        description="Name of the pack the rule belongs to; set on load from its pack.yaml.",
    )
    quote: str | None = Field(
        default=None,
        min_length=1,
        description="The exact sentence(s) of the source document the rule rests on.",
    )
    wording: str = Field(
        min_length=1,
        description="The words of the quote (or of the practice source) that set the severity.",
    )
    practice_source: PracticeSource | None = Field(
        default=None, description="For a practice-pack rule: the public framework it cites."
    )
    focus: FocusArea | None = None
    severity: Severity
    evidence: Evidence
    recommendation: str = Field(min_length=1, description="The recommendation in our own words.")
    why: str = Field(min_length=1, description="Why it matters.")
    applies_when: list[Condition] = Field(default_factory=list)
    requirements: list[Requirement] = Field(min_length=1)
    remediation: str = Field(min_length=1, description="How to close the gap.")
    examples: Examples

    @field_validator("requirements")
    @classmethod
    def _unique_names(cls, value: list[Requirement]) -> list[Requirement]:
        names = [r.name for r in value]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"requirement names must be unique: {', '.join(duplicates)}")
        for index, requirement in enumerate(value):
            if requirement.after is not None and requirement.after not in names[:index]:
                raise ValueError(
                    f"requirement {requirement.name!r}: after {requirement.after!r} must name "
                    "an earlier requirement of this rule"
                )
        return value


class Recommendation(_Strict):
    number: int = Field(ge=1)
    summary: str = Field(min_length=1, description="The recommendation in our own words.")
    quote: str | None = Field(
        default=None, min_length=1, description="The recommendation in the source's words."
    )
    encoding: Literal["full", "partial", "manual"] = Field(
        description="How completely rules can check it; `manual` means not mechanically."
    )
    note: str | None = Field(default=None, description="What is not checked, and why.")


class ReportSection(_Strict):
    id: str = Field(pattern=_SLUG.pattern)
    title: str
    prefix: str = Field(pattern=r"^[A-Z]{3}$", description="Rule id prefix for this section.")
    kind: Literal["recommendations", "findings", "standards"] = Field(
        default="recommendations",
        description="What the section lists: the source's recommendations, its findings "
        "(context; a rule cites one only where the finding is itself phrased as practice), "
        "or practice standards (practice packs).",
    )
    recommendations: list[Recommendation] = Field(min_length=1)


class PackFile(_Strict):
    name: str = Field(pattern=_SLUG.pattern)
    version: str
    title: str
    kind: Literal["review", "practice"] = Field(
        default="review",
        description="review: rules rest on the source document's words, every requirement "
        "stated or operationalised; practice: standards from elsewhere, each rule citing one.",
    )
    source_document: str
    sections: list[ReportSection] = Field(min_length=1)


@dataclass(frozen=True)
class CheckedPack:
    """One pack that passed every check, as plain data (JSON types only)."""

    folder: FsPath
    manifest: dict[str, Any]
    """pack.yaml, defaults filled in."""
    rules: tuple[tuple[str, dict[str, Any]], ...]
    """Each rule file's path and its rule, defaults filled in and ``pack`` set."""


def check_packs(folders: list[FsPath], check_examples: bool) -> list[CheckedPack]:
    """Read and check every pack; raises InputError listing every problem found."""
    issues: list[Issue] = []
    checked: list[CheckedPack] = []
    every_rule: list[tuple[str, RuleFile]] = []
    manifests: list[PackFile] = []
    for folder in folders:
        pack, rules, pack_problems = _check_pack(folder, check_examples)
        issues.extend(pack_problems)
        every_rule.extend(rules)
        if pack is not None:
            manifests.append(pack)
            checked.append(
                CheckedPack(
                    folder,
                    pack.model_dump(mode="json"),
                    tuple((file, _plain(rule)) for file, rule in rules),
                )
            )
    issues.extend(_cross_checks(every_rule, manifests))
    if issues:
        raise InputError(issues)
    return checked


def _plain(rule: RuleFile) -> dict[str, Any]:
    return rule.model_dump(mode="json", by_alias=True)


def _check_pack(
    folder: FsPath, check_examples: bool
) -> tuple[PackFile | None, list[tuple[str, RuleFile]], list[Issue]]:
    manifest_path = folder / PACK_FILE
    if not folder.is_dir():
        return None, [], [Issue("rules-missing", "rule folder not found", Location(str(folder)))]
    if not manifest_path.is_file():
        return (
            None,
            [],
            [Issue("pack-missing", f"a rule pack needs a {PACK_FILE}", Location(str(folder)))],
        )
    issues: list[Issue] = []
    pack = None
    try:
        loaded = load_file(manifest_path)
        pack = PackFile.model_validate(loaded.data)
    except InputError as error:
        issues.extend(error.issues)
    except ValidationError as error:
        from cvecheck.programme import validation_issues

        issues.extend(validation_issues(error, loaded.source_map, PackFile))
    rules: list[tuple[str, RuleFile]] = []
    for path in pack_files(folder):
        if path == manifest_path:
            continue
        try:
            rule = check_rule_file(path, check_examples=check_examples)
        except InputError as error:
            issues.extend(error.issues)
            continue
        if pack is not None:
            problems = pack_issues(rule, pack)
            if problems:
                where = Location(str(path), 1, 1)
                issues.extend(Issue("rule-pack", problem, where) for problem in problems)
                continue
            rule = rule.model_copy(update={"pack": pack.name})
        rules.append((str(path), rule))
    return pack, rules, issues


def pack_issues(rule: RuleFile, pack: PackFile) -> list[str]:
    """What keeps a rule out of its pack: a review pack's rules quote the review and ask only
    for what it states or what operationalises it; a practice pack's rules cite a framework."""
    problems: list[str] = []
    if rule.pack and rule.pack != pack.name:
        problems.append(f"the rule says pack '{rule.pack}' but sits in pack '{pack.name}'")
    if pack.kind == "review":
        if rule.quote is None:
            problems.append("a rule of a review pack needs a quote from the review")
        if rule.practice_source is not None:
            problems.append("a rule of a review pack cites the review, not a practice_source")
        for requirement in rule.requirements:
            if requirement.basis == "practice":
                problems.append(
                    f"requirement '{requirement.name}' is a practice standard: it belongs "
                    "in a practice pack, not under the review's name"
                )
    else:
        if rule.practice_source is None:
            problems.append("a rule of a practice pack needs a practice_source")
        if rule.quote is not None:
            problems.append("a practice rule does not quote the review; cite its framework")
        for requirement in rule.requirements:
            if requirement.basis != "practice":
                problems.append(
                    f"requirement '{requirement.name}' of a practice rule must have basis practice"
                )
    return problems


def check_rule_file(path: FsPath, *, check_examples: bool = True) -> RuleFile:
    """Load and check one rule file (not yet against its pack)."""
    loaded = load_file(path)
    try:
        rule = RuleFile.model_validate(loaded.data)
    except ValidationError as error:
        from cvecheck.programme import validation_issues

        raise InputError(validation_issues(error, loaded.source_map, RuleFile)) from None
    issues: list[Issue] = []
    expected_name = f"{rule.id}-{rule.name}.yaml"
    if path.name != expected_name:
        issues.append(
            Issue("rule-filename", f"file name must be {expected_name}", Location(str(path), 1, 1))
        )
    issues.extend(_unknown_path_issues(rule, loaded))
    if check_examples:
        issues.extend(_example_issues(rule, loaded))
    if issues:
        raise InputError(issues)
    return rule


def _unknown_path_issues(rule: RuleFile, loaded: Loaded) -> list[Issue]:
    """A path naming no programme field would be "not stated" forever: refuse it on load."""
    from cvecheck.programme import programme_paths  # lazily, as for the examples: see below

    known = programme_paths()
    issues: list[Issue] = []
    blocks = [("applies_when", i, c.require) for i, c in enumerate(rule.applies_when)]
    blocks += [("requirements", i, r.require) for i, r in enumerate(rule.requirements)]
    for block, index, predicate in blocks:
        for path in predicate:
            if path not in known:
                where = loaded.source_map.locate((block, index, "require", path))
                issues.append(
                    Issue("rule-unknown-path", f"'{path}' is not a programme field", where)
                )
    return issues


def _example_issues(rule: RuleFile, loaded: Loaded) -> list[Issue]:
    # Imported here: building the programme models is the largest single cost of loading
    # rule files, and a run with --check-examples off (a worker process) never needs them.
    from cvecheck.programme import Programme, validation_issues

    issues: list[Issue] = []
    if rule.applies_when and not rule.examples.not_applicable:
        issues.append(
            Issue(
                "rule-examples",
                "a rule with applies_when needs at least one not_applicable example",
                loaded.source_map.locate(("examples",)),
            )
        )
    for outcome, fragments in rule.examples.by_outcome().items():
        for index, fragment in enumerate(fragments):
            base = ("examples", outcome, index)
            try:
                Programme.model_validate(fragment)
            except ValidationError as error:
                for issue in validation_issues(error, loaded.source_map, Programme, base):
                    message = (
                        f"example {outcome}[{index}] is not a valid programme: {issue.message}"
                    )
                    issues.append(Issue("rule-example-invalid", message, issue.location))
    return issues


def _cross_checks(rules: list[tuple[str, RuleFile]], packs: list[PackFile]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, str] = {}
    sections = {s.id: s for pack in packs for s in pack.sections}
    for file, rule in rules:
        where = Location(file, 1, 1)
        if rule.id in seen:
            issues.append(
                Issue("rule-duplicate-id", f"id {rule.id} is also used by {seen[rule.id]}", where)
            )
        seen.setdefault(rule.id, file)
        section = sections.get(rule.source.section)
        if section is None:
            known = ", ".join(sorted(sections)) or "none"
            issues.append(
                Issue(
                    "rule-source",
                    f"source section '{rule.source.section}' is not in any pack.yaml (known: {known})",
                    where,
                )
            )
            continue
        if not rule.id.startswith(section.prefix):
            issues.append(
                Issue(
                    "rule-id-prefix",
                    f"rules of section '{section.id}' use ids starting {section.prefix}",
                    where,
                )
            )
        if rule.source.recommendation not in {r.number for r in section.recommendations}:
            issues.append(
                Issue(
                    "rule-source",
                    f"section '{section.id}' has no recommendation {rule.source.recommendation}",
                    where,
                )
            )
    return issues
