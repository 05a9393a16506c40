"""The pre-commit hook, run by the real pre-commit tool against a throwaway git repository.

``pre-commit try-repo`` installs this checkout as the hook repository (a pip install, as a
user's machine would do) and runs the hook on the project's files. The project configures
cvecheck as a user would, with a .cvecheck.yaml that adds the fixture rule pack and selects
its rules, so the expectations do not depend on the built-in pack.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..cli.test_cli_check import ADVISORY_GAP
from ..reporting import PACK_DIR, TRICKY_YAML
from ..tools import REPO, require

pytestmark = pytest.mark.slow  # runs pre-commit, which builds an environment

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
    "pre-commit"
)


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module, so the hook is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def project(root: Path) -> Path:
    """A git repository with a cvecheck configuration, a good programme and an unrelated YAML."""
    root.mkdir()
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    shutil.copytree(PACK_DIR, root / "pack")
    (root / ".cvecheck.yaml").write_text("select: [DLV, REP]\nrules: [pack]\n", encoding="utf-8")
    (root / "programmes").mkdir()
    (root / "programmes" / "good.yaml").write_text(ADVISORY_GAP, encoding="utf-8")
    # Not a programme description: the hook's file pattern must leave it alone.
    (root / "ci").mkdir()
    (root / "ci" / "settings.yaml").write_text("not: [a programme\n", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    return root


def try_repo(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    command = require("pre-commit", PRE_COMMIT, "pip install pre-commit (in the test extra)")
    if not (REPO / ".git").exists():
        require("a git checkout of cvecheck", None, "run the tests from a git clone")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [command, "try-repo", str(REPO), "cvecheck", "--all-files"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_hook_passes_a_programme_without_gaps_that_matter(
    tmp_path: Path, hook_home: Path
) -> None:
    result = try_repo(project(tmp_path / "project"), hook_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_the_hook_fails_a_programme_with_a_gap_and_names_it(
    tmp_path: Path, hook_home: Path
) -> None:
    root = project(tmp_path / "project")
    (root / "programmes" / "tricky.yaml").write_text(TRICKY_YAML, encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    result = try_repo(root, hook_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "programmes/tricky.yaml:7" in result.stdout and "DLV001" in result.stdout
    assert "ci/settings.yaml" not in result.stdout
