"""The documented CI set-up works as written: the workflow's command, the hook's file pattern."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.reporters import FORMATS

from ..tools import REPO

DOCS = REPO / "docs"
EXAMPLE = DOCS / "examples" / "bridges-lite.yaml"


def yaml_blocks(markdown: str) -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)]


def workflow() -> dict[str, Any]:
    found = [b for b in yaml_blocks((DOCS / "ci.md").read_text("utf-8")) if "jobs" in b]
    assert len(found) == 1
    block: dict[str, Any] = found[0]
    return block


def test_formats_doc_lists_every_format_of_every_command() -> None:
    text = (DOCS / "formats.md").read_text("utf-8")
    for fmt in FORMATS:
        assert f"| `{fmt.command}` | `{fmt.name}` | {fmt.summary} |" in text, fmt


def test_the_documented_workflow_uploads_the_sarif_its_command_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = workflow()["jobs"]["cvecheck"]["steps"]
    [check] = [s for s in steps if str(s.get("run", "")).startswith("cvecheck check")]
    [upload] = [
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    ]
    assert workflow()["permissions"]["security-events"] == "write"
    arguments = shlex.split(check["run"])[1:]
    (tmp_path / "programmes").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "programmes" / "bridges-lite.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1, result.output  # the example has a gap
    # FRM002 rests on "require": a recommended rule, annotated as a warning.
    assert result.stdout.startswith("::warning file=programmes/bridges-lite.yaml,line=")
    sarif = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text("utf-8"))
    kinds = {r["kind"] for r in sarif["runs"][0]["results"]}
    assert kinds == {"fail"}
    assert all("suppressions" not in r for r in sarif["runs"][0]["results"])
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert (
        uri["uri"] == "programmes/bridges-lite.yaml"
    )  # repository-relative, as code scanning needs
    assert (tmp_path / "cvecheck.md").read_text("utf-8").startswith("# Gap report: Bridges Lite")


def test_the_documented_pre_commit_config_names_the_shipped_hook() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    [config] = [b for b in yaml_blocks((DOCS / "ci.md").read_text("utf-8")) if "repos" in b]
    assert config["repos"][0]["hooks"][0]["id"] == hook["id"] == "cvecheck"
    assert hook["entry"] == "cvecheck check --format concise" and hook["language"] == "python"


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("programmes/bridges.yaml", True),
        ("team/programme/bridges.yml", True),
        ("proposals/bridges.programme.yaml", True),
        ("programmes/2025/bridges.yaml", True),
        ("ci/settings.yaml", False),
        ("rules/formers/FRM002-formers-trained-before-delivery.yaml", False),
        (".github/workflows/cvecheck.yml", False),
        ("my-programmes/notes.yaml", False),
        ("programmes/readme.md", False),
    ],
)
def test_the_hook_checks_programme_files_and_leaves_other_yaml_alone(
    path: str, checked: bool
) -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    # pre-commit matches `files` with re.search against the repository-relative path.
    assert bool(re.search(hook["files"], path)) is checked
