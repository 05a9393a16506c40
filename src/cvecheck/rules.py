"""Rules at run time: the rule and pack values, their compiled validators, and ``load_rules``.

A rule set is read from its pack folders once (``load_rules``: every file checked by
``cvecheck.rule_files``, with pydantic) and then held as the frozen plain values defined here,
which the engine, the selection, the catalogue and every renderer use. The same values are
built from the checked files' plain data on a load and from the on-disk cache on a hit
(``from_data``), so a hit and a full load give equal rules; a hit imports neither pydantic nor
the rule-file models. A compiled rule builds each predicate's validator once, when first used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path as FsPath
from typing import Any, Literal

from cvecheck.packs import (
    BUILTIN_PACKS,
    BUILTIN_PREFIX,
    PACK_FILE,
    builtin_rules_root,
    default_rules_dir,
    pack_files,
    resolve_rules_dir,
)
from cvecheck.predicates import Checks, Predicate, build_validator, compile_predicate
from cvecheck.results import Evidence, FocusArea, PackIdentity, Severity

__all__ = [
    "BUILTIN_PACKS",
    "BUILTIN_PREFIX",
    "PACK_FILE",
    "Checks",
    "CompiledRequirement",
    "CompiledRule",
    "Condition",
    "Examples",
    "PackManifest",
    "PracticeSource",
    "Predicate",
    "Recommendation",
    "ReportSection",
    "Requirement",
    "Rule",
    "RuleSet",
    "Source",
    "build_validator",
    "builtin_rules_root",
    "compile_rule",
    "default_rules_dir",
    "load_rules",
    "pack_digest",
    "pack_files",
    "pack_identity",
    "resolve_rules_dir",
    "to_data",
]

Basis = Literal["stated", "operationalised", "practice"]
"""stated (the review asks for it in so many words), operationalised (a concrete test of what
it asks, with a justification) or practice (a standard from a practice framework)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """One condition of applicability; when it does not hold the rule is not applicable."""

    require: Predicate
    reason: str
    ask: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirement:
    """One thing the programme must state; checked on its own."""

    name: str
    basis: Basis
    justification: str | None = None
    require: Predicate
    gap: str
    ask: str
    after: str | None = None
    """An earlier requirement this one waits on: it is checked only once that one is met."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    section: str
    recommendation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeSource:
    """The public framework a practice-pack rule rests on (never the review)."""

    framework: str
    publisher: str
    year: int
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Examples:
    """Programme fragments with their expected outcome; the test suite runs every one."""

    pass_: tuple[dict[str, Any], ...]
    gap: tuple[dict[str, Any], ...]
    cannot_assess: tuple[dict[str, Any], ...]
    not_applicable: tuple[dict[str, Any], ...] = ()

    def by_outcome(self) -> dict[str, tuple[dict[str, Any], ...]]:
        return {
            "pass": self.pass_,
            "gap": self.gap,
            "cannot_assess": self.cannot_assess,
            "not_applicable": self.not_applicable,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Examples:
        return cls(
            pass_=tuple(data["pass"]),
            gap=tuple(data["gap"]),
            cannot_assess=tuple(data["cannot_assess"]),
            not_applicable=tuple(data.get("not_applicable", ())),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One recommendation (or one part of it) as an executable check."""

    id: str
    name: str
    title: str
    source: Source
    pack: str = ""
    quote: str | None = None
    wording: str
    practice_source: PracticeSource | None = None
    focus: FocusArea | None = None
    severity: Severity
    evidence: Evidence
    recommendation: str
    why: str
    applies_when: tuple[Condition, ...] = ()
    requirements: tuple[Requirement, ...]
    remediation: str
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

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rule:
        """The rule from checked plain data: a rule file's, or the cache's (``to_data``)."""
        practice = data.get("practice_source")
        focus = data.get("focus")
        return cls(
            id=data["id"],
            name=data["name"],
            title=data["title"],
            source=Source(**data["source"]),
            pack=data.get("pack", ""),
            quote=data.get("quote"),
            wording=data["wording"],
            practice_source=None if practice is None else PracticeSource(**practice),
            focus=None if focus is None else FocusArea(focus),
            severity=Severity(data["severity"]),
            evidence=Evidence(data["evidence"]),
            recommendation=data["recommendation"],
            why=data["why"],
            applies_when=tuple(Condition(**c) for c in data.get("applies_when", ())),
            requirements=tuple(Requirement(**r) for r in data["requirements"]),
            remediation=data["remediation"],
            examples=Examples.from_data(data["examples"]),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    number: int
    summary: str
    quote: str | None = None
    encoding: Literal["full", "partial", "manual"]
    """How completely rules can check it; ``manual`` means not mechanically."""
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSection:
    id: str
    title: str
    prefix: str
    """Rule id prefix for this section."""
    kind: Literal["recommendations", "findings", "standards"] = "recommendations"
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PackManifest:
    """A pack's pack.yaml: the source document, its sections and their recommendations."""

    name: str
    version: str
    title: str
    kind: Literal["review", "practice"] = "review"
    source_document: str
    sections: tuple[ReportSection, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> PackManifest:
        """The manifest from checked plain data: pack.yaml's, or the cache's (``to_data``)."""
        return cls(
            name=data["name"],
            version=data["version"],
            title=data["title"],
            kind=data.get("kind", "review"),
            source_document=data["source_document"],
            sections=tuple(
                ReportSection(
                    id=s["id"],
                    title=s["title"],
                    prefix=s["prefix"],
                    kind=s.get("kind", "recommendations"),
                    recommendations=tuple(Recommendation(**r) for r in s["recommendations"]),
                )
                for s in data["sections"]
            ),
        )


_KEYS = {"pass_": "pass"}
"""Fields whose key in a rule file is a Python keyword."""


def to_data(value: Any) -> Any:
    """A rule, manifest or any part of one as the plain data ``from_data`` reads (JSON types)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {_KEYS.get(f.name, f.name): to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


@dataclass(frozen=True)
class CompiledRequirement:
    """A requirement with its validators built once (building per call costs about 12x)."""

    spec: Requirement
    checks: Checks


@dataclass(frozen=True)
class CompiledRule:
    """A checked rule ready for the engine, with where it was defined.

    The validators are built on first use, once: listing or explaining rules never needs them
    (nor jsonschema-rs), and checking a file builds each one once for the whole run.
    """

    rule: Rule
    file: str

    @property
    def id(self) -> str:
        return self.rule.id

    @cached_property
    def conditions(self) -> tuple[tuple[Condition, Checks], ...]:
        """Each condition of applicability with the validators of its predicate."""
        return tuple((c, compile_predicate(c.require)) for c in self.rule.applies_when)

    @cached_property
    def requirements(self) -> tuple[CompiledRequirement, ...]:
        """Each requirement with the validators of its predicate."""
        return tuple(
            CompiledRequirement(r, compile_predicate(r.require)) for r in self.rule.requirements
        )


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


def compile_rule(rule: Rule, file: str) -> CompiledRule:
    """The rule ready for the engine; its validators are built when first used."""
    return CompiledRule(rule, file)


def load_rules(dirs: Iterable[FsPath] | None = None, *, check_examples: bool = True) -> RuleSet:
    """Read and check every rule pack; raises InputError listing every problem found.

    ``cvecheck.rule_cache.cached_rules`` remembers a rule set that passed every check, so the
    command line skips this work when the files have not changed.
    """
    from cvecheck.rule_files import check_packs  # pydantic: only when rule files are read

    folders = [resolve_rules_dir(d) for d in dirs] if dirs is not None else [default_rules_dir()]
    checked = check_packs(folders, check_examples)
    packs = tuple(PackManifest.from_data(pack.manifest) for pack in checked)
    compiled = [
        compile_rule(Rule.from_data(data), file) for pack in checked for file, data in pack.rules
    ]
    return RuleSet(
        tuple(sorted(compiled, key=lambda c: c.id)),
        packs,
        identities=tuple(
            pack_identity(manifest, pack.folder)
            for manifest, pack in zip(packs, checked, strict=True)
        ),
    )


def pack_digest(folder: FsPath) -> str:
    """sha256 over each file's path (relative to the pack) and bytes, in name order."""
    from cvecheck.loader import MAX_FILE_BYTES

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
