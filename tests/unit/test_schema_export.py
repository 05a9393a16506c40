"""The exported programme schema (docs/programme.schema.json): current, and usable by editors.

Editors (the YAML language server) and tools such as check-jsonschema read the exported file,
so it must match the model, accept every valid programme and carry no derived fields.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from cvecheck.programme import Programme, programme_json_schema
from cvecheck.rules import RuleSet

from ..paths import EXAMPLES_DIR, FIXTURES, REPO

SCHEMA_FILE = REPO / "docs" / "programme.schema.json"


def check_jsonschema() -> str:
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.is_file() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is part of the test extra: pip install -e '.[test]'"
    return found


def models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reachable from ``root`` through its fields."""
    seen: list[type[BaseModel]] = []
    stack: list[Any] = [root]
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            if candidate in seen:
                continue
            seen.append(candidate)
            stack.extend(f.annotation for f in candidate.model_fields.values())
        else:
            stack.extend(getattr(candidate, "__args__", ()))
    return seen


def test_exported_schema_is_current() -> None:
    exported = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert exported == programme_json_schema(), (
        "docs/programme.schema.json is stale: run `make generated`"
    )


def test_exported_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_derived_fields_are_not_in_the_schema() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    derived = {name for model in models(Programme) for name in model.model_computed_fields}
    assert {"uses_formers", "data_source_count"} <= derived
    for name in derived:
        assert f'"{name}"' not in text, f"derived field {name} would reject valid files"


def test_every_rule_example_is_valid_against_the_schema(ruleset: RuleSet) -> None:
    validator = Draft202012Validator(programme_json_schema())
    fragments = [
        fragment
        for compiled in ruleset.rules
        for fragments in compiled.rule.examples.by_outcome().values()
        for fragment in fragments
    ]
    assert fragments
    for fragment in fragments:
        errors = [e.message for e in validator.iter_errors(fragment)]
        assert not errors, (fragment, errors)


@pytest.mark.slow
@pytest.mark.parametrize("example", sorted(EXAMPLES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_check_jsonschema_accepts_every_shipped_example(example: Path) -> None:
    run = subprocess.run(
        [check_jsonschema(), "--schemafile", str(SCHEMA_FILE), str(example)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_check_jsonschema_rejects_a_broken_programme() -> None:
    run = subprocess.run(
        [check_jsonschema(), "--schemafile", str(SCHEMA_FILE), str(FIXTURES / "broken.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "$.formers.used: 'maybe' is not of type 'boolean'" in run.stdout


def test_shipped_examples_point_editors_at_the_exported_schema() -> None:
    for example in EXAMPLES_DIR.glob("*.yaml"):
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/programme.schema.json", example


def test_schema_command_prints_the_exported_file() -> None:
    from typer.testing import CliRunner

    from cvecheck.cli import app

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
