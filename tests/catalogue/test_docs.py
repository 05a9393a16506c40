"""The guides show real, current output: scripts/refresh_docs.py regenerates it, and this fails
when a guide, the exported schema or the example template has fallen behind."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from ..paths import REPO


def refresh_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "refresh_docs", REPO / "scripts" / "refresh_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current() -> None:
    stale = refresh_docs().stale_files()
    names = [str(path.relative_to(REPO)) for path in stale]
    assert not names, f"stale: {', '.join(names)}; run `python scripts/refresh_docs.py`"


@pytest.mark.parametrize("guide", ["docs/designer.md", "docs/commissioner.md", "docs/ci-guide.md"])
def test_each_guide_shows_real_output(guide: str) -> None:
    text = (REPO / guide).read_text(encoding="utf-8")
    assert text.count("<!-- output: cvecheck ") >= 2
    assert text.count("<!-- output: cvecheck ") == text.count("<!-- /output -->")


def test_a_block_is_regenerated_from_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    module = refresh_docs()
    text = "before\n<!-- output: cvecheck diff tests/fixtures/riverside/v1.yaml tests/fixtures/riverside/v1.yaml -->\nold text\n<!-- /output -->\nafter\n"
    refreshed = module.refresh(text)
    assert "old text" not in refreshed
    assert "$ cvecheck diff tests/fixtures/riverside/v1.yaml" in refreshed
    assert "No outcome changed." in refreshed
    assert refreshed.startswith("before\n") and refreshed.endswith("<!-- /output -->\nafter\n")


def test_a_marker_with_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown option"):
        refresh_docs().run("rules ;; colour=red")


def test_readme_shows_the_modeline() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in readme
