"""Rule packs: the Rule model, the pack manifest, and ``load_rules`` which validates them all.

A rule pack is a folder holding ``pack.yaml`` (the source document, its sections and every
recommendation in it) and one YAML file per rule, in any sub-folder. Nothing in a pack is ever
executed: predicates are JSON Schema fragments applied to values at dotted paths. Everything
is checked on load (unknown fields, bad JSON Schema, remote references, duplicate ids, sources
that name no recommendation, examples that are not valid programmes), so a broken pack fails
before any programme is checked, with the rule file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Literal

import jsonschema_rs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cvecheck.loader import MAX_FILE_BYTES, Loaded, load_file
from cvecheck.results import (
    Evidence,
    FocusArea,
    InputError,
    Issue,
    Location,
    PackIdentity,
    Severity,
)

PACK_FILE = "pack.yaml"
_ID = re.compile(r"^[A-Z]{3}[0-9]{3}$")
"""ASCII only: ``\\d`` would also take other scripts' digits (U+0661 for 1, say)."""
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAME = r"[a-z_][a-z0-9_]*(\[\*\])?"
_PATH = re.compile(rf"^{_NAME}(\.{_NAME})*$")
"""Dotted field names; ``name[*]`` means every item of the list at ``name``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Predicate = dict[str, dict[str, Any]]
"""Dotted path in the programme -> JSON Schema that the value there must satisfy."""


def _check_predicate(value: Predicate) -> Predicate:
    if not value:
        raise ValueError("needs at least one path")
    for path, schema in value.items():
        if not _PATH.match(path):
            raise ValueError(f"{path!r} is not a dotted path of field names (items: name[*])")
        if not isinstance(schema, dict):
            raise ValueError(f"the schema for {path!r} must be a mapping")
        remote = _remote_ref(schema)
        if remote:
            raise ValueError(f"{remote} points outside the rule; rules never fetch anything")
        try:
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as error:
            where = "/".join(str(p) for p in error.instance_path)
            at = f" at {where}" if where else ""
            raise ValueError(f"invalid JSON Schema for {path!r}{at}: {error.message}") from None
        try:
            build_validator(schema)  # resolves local references: a dangling one fails here
        except (jsonschema_rs.ValidationError, ValueError) as error:
            first = str(error).splitlines()[0]
            raise ValueError(f"JSON Schema for {path!r} cannot be used: {first}") from None
    return value


_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")
_BASES = ("$id", "$schema")


def _remote_ref(schema: Any) -> str | None:
    """A reference that would leave the rule (or a base that could make one), if any."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in _REFERENCES:
                ref = node.get(key)
                if isinstance(ref, str) and not ref.startswith("#"):
                    return f"{key} {ref!r}"
            for key in _BASES:
                if isinstance(node.get(key), str):
                    return f"{key} {node[key]!r}"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def build_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """The run-time validator of one predicate: JSON Schema 2020-12, offline, formats as
    annotations (as the jsonschema library does). 20-40x faster per call than jsonschema and
    about 300x faster to check against the metaschema; see docs/performance.md."""
    return jsonschema_rs.Draft202012Validator(schema, offline=True, validate_formats=False)


class Condition(_Strict):
    """One condition of applicability; when it does not hold the rule is not applicable."""

    require: Predicate = Field(description="Paths and the JSON Schema each value must satisfy.")
    reason: str = Field(min_length=1, description="Why the rule does not apply when it fails.")
    ask: str = Field(min_length=1, description="Question to ask when the file does not say.")

    _valid = field_validator("require")(_check_predicate)


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

    _valid = field_validator("require")(_check_predicate)

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


class Rule(_Strict):
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

    def provenance(self) -> str:
        """One line saying where the rule comes from: the review's words or a framework."""
        source = self.practice_source
        if source is not None:
            return (
                f"Practice standard, not from the review: {source.framework} "
                f"({source.publisher}, {source.year}), {source.url}"
            )
        return "The review says: \u201c" + " ".join((self.quote or "").split()) + "\u201d"

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


class PackManifest(_Strict):
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


Checks = tuple[tuple[tuple[str, ...], jsonschema_rs.Validator], ...]
"""Each path of a predicate with the validator of its JSON Schema."""


@dataclass(frozen=True)
class CompiledRequirement:
    """A requirement with its validators built once (building per call costs about 12x)."""

    spec: Requirement
    checks: Checks


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule ready for the engine, with where it was defined."""

    rule: Rule
    file: str
    conditions: tuple[tuple[Condition, Checks], ...]
    requirements: tuple[CompiledRequirement, ...]

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class RuleSet:
    """Every loaded rule, sorted by id, and the packs' manifests. Immutable."""

    rules: tuple[CompiledRule, ...]
    packs: tuple[PackManifest, ...]
    deselected: frozenset[str] = frozenset()
    """Ids of rules that were loaded but left out by --select / --ignore: they exist, so a
    waiver naming one is not an error, but they are not evaluated."""
    identities: tuple[PackIdentity, ...] = ()
    """One per pack, in the order of ``packs``."""

    def by_id(self) -> dict[str, CompiledRule]:
        return {compiled.id: compiled for compiled in self.rules}

    def section(self, section_id: str) -> ReportSection | None:
        for pack in self.packs:
            for section in pack.sections:
                if section.id == section_id:
                    return section
        return None

    @property
    def version(self) -> str:
        """Each pack's label (name@version, and for a custom pack its digest), joined by +."""
        if self.identities:
            return "+".join(identity.label for identity in self.identities)
        return "+".join(f"custom:{pack.name}@{pack.version}" for pack in self.packs)


BUILTIN_PREFIX = "builtin:"
BUILTIN_PACKS = ("crest", "practice")
"""The packs shipped with cvecheck: the CREST review's (on by default) and the practice
standards (off by default; name it as ``builtin:practice`` in ``--rules`` or ``rules:``)."""


def builtin_rules_root() -> FsPath:
    """The folder holding the shipped packs: inside the installed package, or the checkout's."""
    packaged = FsPath(__file__).parent / "rules"
    if (packaged / "crest" / PACK_FILE).is_file():
        return packaged
    return FsPath(__file__).resolve().parents[2] / "rules"


def default_rules_dir() -> FsPath:
    """The rule pack used when no other is named: the CREST review's."""
    return builtin_rules_root() / "crest"


def resolve_rules_dir(folder: FsPath) -> FsPath:
    """A rule folder as given, or a shipped pack when named ``builtin:NAME``."""
    text = str(folder)
    if text.startswith(BUILTIN_PREFIX):
        return builtin_rules_root() / text[len(BUILTIN_PREFIX) :]
    return folder


def load_rules(dirs: Iterable[FsPath] | None = None, *, check_examples: bool = True) -> RuleSet:
    """Load and validate every rule pack; raises InputError listing every problem found.

    ``cvecheck.rule_cache.cached_rules`` remembers a rule set that passed every check, so the
    command line skips this work when the files have not changed.
    """
    folders = [resolve_rules_dir(d) for d in dirs] if dirs is not None else [default_rules_dir()]
    return _load_rules(folders, check_examples)


def _load_rules(folders: list[FsPath], check_examples: bool) -> RuleSet:
    issues: list[Issue] = []
    packs: list[PackManifest] = []
    identities: list[PackIdentity] = []
    compiled: list[CompiledRule] = []
    for folder in folders:
        pack, rules, pack_issues = _load_pack(folder, check_examples)
        issues.extend(pack_issues)
        if pack is not None:
            packs.append(pack)
            identities.append(pack_identity(pack, folder))
        compiled.extend(rules)
    issues.extend(_cross_checks(compiled, packs))
    if issues:
        raise InputError(issues)
    return RuleSet(
        tuple(sorted(compiled, key=lambda c: c.id)), tuple(packs), identities=tuple(identities)
    )


def pack_files(folder: FsPath) -> list[FsPath]:
    """Every file of a pack that the loader reads: pack.yaml and the rule files."""
    return sorted(folder.rglob("*.yaml"))


def pack_digest(folder: FsPath) -> str:
    """sha256 over each file's path (relative to the pack) and bytes, in name order."""
    digest = hashlib.sha256()
    for path in pack_files(folder):
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue  # the loader refuses it (a pipe would block here), so the pack never loads
        digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def pack_identity(pack: PackManifest, folder: FsPath, digest: str | None = None) -> PackIdentity:
    # Shipped means loaded from cvecheck's own packs folder, whatever the manifest says.
    shipped = folder.resolve().parent == builtin_rules_root().resolve()
    return PackIdentity(pack.name, pack.version, digest or pack_digest(folder), shipped)


def _load_pack(
    folder: FsPath, check_examples: bool
) -> tuple[PackManifest | None, list[CompiledRule], list[Issue]]:
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
        pack = PackManifest.model_validate(loaded.data)
    except InputError as error:
        issues.extend(error.issues)
    except ValidationError as error:
        from cvecheck.programme import validation_issues

        issues.extend(validation_issues(error, loaded.source_map, PackManifest))
    rules: list[CompiledRule] = []
    for path in pack_files(folder):
        if path == manifest_path:
            continue
        try:
            compiled = load_rule_file(path, check_examples=check_examples)
        except InputError as error:
            issues.extend(error.issues)
            continue
        if pack is not None:
            problems = pack_issues(compiled.rule, pack)
            if problems:
                where = Location(str(path), 1, 1)
                issues.extend(Issue("rule-pack", problem, where) for problem in problems)
                continue
            compiled = compile_rule(compiled.rule.model_copy(update={"pack": pack.name}), str(path))
        rules.append(compiled)
    return pack, rules, issues


def pack_issues(rule: Rule, pack: PackManifest) -> list[str]:
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


def load_rule_file(path: FsPath, *, check_examples: bool = True) -> CompiledRule:
    """Load, validate and compile one rule file."""
    loaded = load_file(path)
    try:
        rule = Rule.model_validate(loaded.data)
    except ValidationError as error:
        from cvecheck.programme import validation_issues

        raise InputError(validation_issues(error, loaded.source_map, Rule)) from None
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
    return compile_rule(rule, str(path))


def compile_rule(rule: Rule, file: str) -> CompiledRule:
    """Build the validators of a rule once."""
    return CompiledRule(
        rule=rule,
        file=file,
        conditions=tuple((c, _compile(c.require)) for c in rule.applies_when),
        requirements=tuple(CompiledRequirement(r, _compile(r.require)) for r in rule.requirements),
    )


def _compile(predicate: Predicate) -> Checks:
    return tuple(
        (tuple(path.replace("[*]", ".*").split(".")), build_validator(schema))
        for path, schema in predicate.items()
    )


def _unknown_path_issues(rule: Rule, loaded: Loaded) -> list[Issue]:
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


def _example_issues(rule: Rule, loaded: Loaded) -> list[Issue]:
    # Imported here: building the programme models is the largest single cost of a cold
    # start, and a rule set read from the cache (say, for `cvecheck rules`) never needs them.
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


def _cross_checks(rules: list[CompiledRule], packs: list[PackManifest]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, str] = {}
    sections = {s.id: s for pack in packs for s in pack.sections}
    for compiled in rules:
        rule, where = compiled.rule, Location(compiled.file, 1, 1)
        if rule.id in seen:
            issues.append(
                Issue("rule-duplicate-id", f"id {rule.id} is also used by {seen[rule.id]}", where)
            )
        seen.setdefault(rule.id, compiled.file)
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
