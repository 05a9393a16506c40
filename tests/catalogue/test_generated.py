"""Every generated file is current: `make generated` (scripts/generate.py) writes the rules
reference, the exported schema, the template, the example reports and the guides' real output,
and this fails, naming the stale files, when any has fallen behind the code or the rules."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from ..paths import EXAMPLES_DIR, REPO


def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", REPO / "scripts" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def expected() -> dict[Path, str]:
    """Every generated file and what it should hold (computed once: it runs many commands)."""
    wanted: dict[Path, str] = generate().expected_files()
    return wanted


def test_generated_files_are_current(expected: dict[Path, str]) -> None:
    names = [
        str(path.relative_to(REPO))
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not names, f"stale: {', '.join(names)}; run `make generated` and read the diff"


def test_every_kind_of_generated_file_is_covered(expected: dict[Path, str]) -> None:
    names = {str(path.relative_to(REPO)) for path in expected}
    reports = {f"programme_examples/reports/{p.stem}.txt" for p in EXAMPLES_DIR.glob("*.yaml")}
    assert {
        "docs/rules.md",
        "docs/programme.schema.json",
        "src/cvecheck/programme/validation-schema.json",
        "README.md",
    } <= names
    assert reports and reports <= names


@pytest.mark.parametrize("guide", ["docs/designer.md", "docs/commissioner.md", "docs/ci-guide.md"])
def test_each_guide_shows_real_output(guide: str) -> None:
    text = (REPO / guide).read_text(encoding="utf-8")
    assert text.count("<!-- output: cvecheck ") >= 2
    assert text.count("<!-- output: cvecheck ") == text.count("<!-- /output -->")


def test_a_block_is_regenerated_from_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    module = generate()
    text = "before\n<!-- output: cvecheck diff tests/fixtures/riverside/v1.yaml tests/fixtures/riverside/v1.yaml -->\nold text\n<!-- /output -->\nafter\n"
    refreshed = module.refresh(text)
    assert "old text" not in refreshed
    assert "$ cvecheck diff tests/fixtures/riverside/v1.yaml" in refreshed
    assert "No outcome changed." in refreshed
    assert refreshed.startswith("before\n") and refreshed.endswith("<!-- /output -->\nafter\n")


def test_a_marker_with_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown option"):
        generate().run("rules ;; colour=red")


def test_readme_shows_the_modeline() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in readme
