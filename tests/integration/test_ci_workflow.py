"""The GitHub Actions workflow in docs/ci.md, run as written: its ``run:`` steps, in a clean
virtual environment, on a repository of programme files.

Only what GitHub provides is simulated: the two checkouts (the user's repository is a folder
made here; cvecheck's is a git clone of this repository at HEAD into the documented path) and
setup-python (a fresh ``python -m venv`` first on PATH). Installing needs PyPI, for cvecheck's
dependencies and its build backend; nothing else on the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..paths import REPO, REPORTING_PACK
from ..reporting import CLEAN_YAML, TRICKY_YAML

pytestmark = pytest.mark.slow  # a venv, a clone and an install from PyPI

DOC = REPO / "docs" / "ci.md"


def workflow() -> dict[str, Any]:
    """The workflow block of docs/ci.md (the yaml block that names its file)."""
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    [block] = [b for b in blocks if b.startswith("# .github/workflows/")]
    loaded: dict[str, Any] = yaml.safe_load(block)
    return loaded


def steps() -> list[dict[str, Any]]:
    (job,) = workflow()["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


def test_the_documented_steps_install_and_check(tmp_path: Path) -> None:
    all_steps = steps()
    checkouts = [s for s in all_steps if str(s.get("uses", "")).startswith("actions/checkout")]
    assert len(checkouts) == 2, "the user's repository, then cvecheck's at a pinned ref"
    pinned = checkouts[1]["with"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", str(pinned["ref"])), pinned
    assert "/" in pinned["repository"] and pinned["path"]
    runs = [s for s in all_steps if "run" in s]
    assert not any("pip install cvecheck" in s["run"] for s in runs)
    if not _pypi_reachable():
        if os.environ.get("CI"):
            pytest.fail("PyPI is not reachable; the install step needs it")
        pytest.skip("PyPI is not reachable; the install step needs it")

    # The user's repository: programme files under programmes/, and a configuration choosing
    # a fixture pack, so the run's verdicts do not depend on the shipped rules.
    workspace = tmp_path / "workspace"
    (workspace / "programmes").mkdir(parents=True)
    (workspace / "programmes" / "bridges.yaml").write_text(TRICKY_YAML, encoding="utf-8")
    (workspace / "programmes" / "northgate.yaml").write_text(CLEAN_YAML, encoding="utf-8")
    shutil.copytree(REPORTING_PACK, workspace / "rule-packs" / "local")
    (workspace / ".cvecheck.yaml").write_text("rules: [rule-packs/local]\n", encoding="utf-8")
    # cvecheck's repository at a fixed commit, where the workflow puts it.
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    clone = workspace / pinned["path"]
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", head], check=True)
    # setup-python: a clean interpreter first on PATH, with nothing installed.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    summary = tmp_path / "summary.md"
    env = {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
    }
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in runs:
        # GitHub's default shell on Linux runners.
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    install = results["Install cvecheck"]
    assert install.returncode == 0, install.stderr[-3000:]
    assert (venv / "bin" / "cvecheck").exists()
    check = results["Check programme descriptions"]
    # Gaps at the default threshold: the step fails the job, as the notes say.
    assert check.returncode == 1, check.stderr
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert any(
        line.startswith("::error file=programmes/bridges.yaml,line=") for line in annotations
    ), check.stdout
    sarif = json.loads((workspace / "cvecheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    located = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for run in sarif["runs"]
        for result in run["results"]
        for loc in result["locations"]
    }
    assert "programmes/bridges.yaml" in located
    markdown = (workspace / "cvecheck.md").read_text(encoding="utf-8")
    assert "programmes/bridges.yaml" in markdown and "programmes/northgate.yaml" in markdown
    # The summary step appends the Markdown report to the run's summary page.
    shown = results["Add the report to the run summary"]
    assert shown.returncode == 0 and summary.read_text(encoding="utf-8") == markdown
    assert set(results) == {s["name"] for s in runs}  # every run step ran
