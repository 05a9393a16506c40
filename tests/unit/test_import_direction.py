"""Imports point one way, from the pipeline's first stage to the command line.

The stages of ``src/cvecheck`` are listed in order in ``STAGES``; a module may import its own
stage and earlier ones, never a later one. The test reads every import statement of every
module (functions' lazy imports included) from the source, so an arrow against the flow fails
here before it becomes a cycle. Imports under ``if TYPE_CHECKING:`` are never executed and are
left out: they name types, not dependencies. docs/architecture.md draws the same order.
"""

from __future__ import annotations

import ast
from pathlib import Path

from ..paths import REPO

SOURCE = REPO / "src" / "cvecheck"

STAGES: tuple[str, ...] = (
    "escaping",  # text made safe to show; imports nothing of cvecheck
    "results",  # value types, the Report
    "loader",  # bytes to data and a source map
    "programme",  # the programme model, validation, derived facts
    "packs",  # where rule packs live and which files they hold
    "predicates",  # a rule's paths and JSON Schemas: checked, compiled into validators
    "rule_files",  # rule files and pack.yaml as written: pydantic models, checks on load
    "rules",  # run-time rule and pack values, compiled rules, load_rules
    "rule_cache",  # checked rule sets remembered on disk
    "waivers",  # reading and applying waivers
    "engine",  # evaluating rules on one programme
    "questions",  # the open questions of a report, once each, gates first
    "pipeline",  # one file, from text to a Report: the Python API
    "selection",  # --select / --ignore
    "config",  # configuration files and the command line merged
    "batch",  # many files, in order, in worker processes
    "progress",  # the progress bar
    "template",  # what init writes
    "catalogue",  # what the rule set encodes
    "changes",  # changes between two checks
    "reporters",  # every output format
    "sides",  # the two sides of a diff: a saved report read back, or a file checked
    "output",  # where output goes
    "interview",  # cvecheck interview: question flow, round-trip writer, terminal front end
    "cli",  # the command line
    "__main__",
)
"""Earliest first. The package root (``cvecheck/__init__.py``: the version and the lazy API)
may be imported by any stage; it imports nothing at import time."""


def stage_of(module: str) -> str:
    """The stage a dotted module name under cvecheck belongs to ("" for the package root)."""
    parts = module.split(".")
    assert parts[0] == "cvecheck", module
    return parts[1] if len(parts) > 1 else ""


def imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    """Every cvecheck module ``path`` imports at run time, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("cvecheck")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("cvecheck"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                submodule = (SOURCE.parent / candidate.replace(".", "/")).with_suffix(".py")
                package_dir = SOURCE.parent / candidate.replace(".", "/")
                is_module = submodule.exists() or package_dir.is_dir()
                found.append((node.lineno, candidate if is_module else base))
    return found


def modules() -> list[tuple[Path, str]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append((path, ".".join(parts)))
    return found


def test_every_module_belongs_to_a_stage() -> None:
    unknown = {stage_of(m) for _, m in modules()} - {*STAGES, ""}
    assert not unknown, f"add {sorted(unknown)} to STAGES (and docs/architecture.md)"


def test_imports_point_one_way() -> None:
    rank = {stage: index for index, stage in enumerate(STAGES)}
    against: list[str] = []
    for path, module in modules():
        here = stage_of(module)
        if not here:
            continue  # the package root's imports are lazy, inside __getattr__
        for line, target in imported_modules(path, module):
            there = stage_of(target)
            if there and rank[there] > rank[here]:
                relative = path.relative_to(SOURCE.parents[1])
                against.append(f"{relative}:{line}: {here} imports {target} ({there})")
    assert not against, "imports against the flow:\n" + "\n".join(against)


def test_the_check_finds_an_arrow_against_the_flow(tmp_path: Path) -> None:
    # The walker itself must see lazy and relative imports, or the test above proves nothing.
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from cvecheck.cli import app\n"
        "def f():\n    from cvecheck.reporters import FORMATS\n"
        "from . import loader\n"
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    found = [target for _, target in imported_modules(path, "cvecheck.sample")]
    assert sorted(found) == ["cvecheck.loader", "cvecheck.reporters"]


PLAIN: frozenset[str] = frozenset(
    {
        "cvecheck",
        "cvecheck.escaping",
        "cvecheck.results",
        "cvecheck.loader",
        "cvecheck.programme",
        "cvecheck.programme.facts",
        "cvecheck.programme.layout",
        "cvecheck.programme.validation",
        "cvecheck.programme.view",
        "cvecheck.programme.openness",
        "cvecheck.packs",
        "cvecheck.predicates",
        "cvecheck.rules",
        "cvecheck.rule_cache",
        "cvecheck.waivers",
        "cvecheck.engine",
        "cvecheck.questions",
    }
)
"""The modules a clean programme file (and a clean waiver file, and a rule set read from the
cache) goes through, which import no pydantic when loaded (the models are loaded inside functions, only to explain a refused file)."""


def loaded_on_import(path: Path, module: str) -> list[tuple[int, str]]:
    """Every module ``path`` imports when it is loaded: top-level statements only, outside
    ``if TYPE_CHECKING:``; names from a package resolved as for ``imported_modules``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: 1 - node.level or None], base])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                is_module = (SOURCE.parent / candidate.replace(".", "/")).with_suffix(
                    ".py"
                ).exists() or (SOURCE.parent / candidate.replace(".", "/")).is_dir()
                found.append((node.lineno, candidate if is_module else base))
    return found


def test_the_plain_path_loads_no_pydantic() -> None:
    paths = {name: path for path, name in modules()}
    against: list[str] = []
    for module in sorted(PLAIN):
        for line, target in loaded_on_import(paths[module], module):
            top = target.split(".")[0]
            if top in ("pydantic", "pydantic_core") or (top == "cvecheck" and target not in PLAIN):
                against.append(f"{module}:{line} imports {target}")
    assert not against, "the plain path would load the models:\n" + "\n".join(against)
