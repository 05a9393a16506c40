"""`cvecheck init`: a commented template that loads, checks to questions only, and never clobbers."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.loader import load_file
from cvecheck.pipeline import check_file
from cvecheck.programme import Programme
from cvecheck.results import Status
from cvecheck.rules import RuleSet
from cvecheck.template import programme_template, top_level_sections

from ..paths import REPO
from ..unit.test_schema_export import check_jsonschema

runner = CliRunner()


def test_init_writes_a_template_and_the_schema_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=programme.schema.json\n")
    schema = (tmp_path / "programme.schema.json").read_text(encoding="utf-8")
    assert schema == (REPO / "docs" / "programme.schema.json").read_text(encoding="utf-8")
    assert f"cvecheck check {target}" in result.stderr


def test_init_in_a_folder_uses_the_default_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "programme.yaml").is_file()


def test_checking_the_template_gives_questions_and_no_gaps(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    runner.invoke(app, ["init", str(target)])
    result = runner.invoke(app, ["check", "--format", "json", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (checked,) = document["files"]
    assert checked["status"] == "checked" and checked["errors"] == []
    statuses = {r["status"] for r in checked["results"]}
    assert statuses == {"cannot_assess"}
    assert all(r["questions"] and not r["gaps"] for r in checked["results"])


def test_template_results_are_all_questions(ruleset: RuleSet, tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    report = check_file(target, ruleset)
    assert report.counts()[Status.CANNOT_ASSESS] == len(ruleset.rules)


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    target.write_text("# my work\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {target}: already exists; choose another name, or use --force to overwrite it "
        "[init-exists]"
    ]
    assert target.read_text(encoding="utf-8") == "# my work\n"
    assert not (tmp_path / "programme.schema.json").exists()


def test_init_leaves_an_existing_schema_file_alone(tmp_path: Path) -> None:
    schema = tmp_path / "programme.schema.json"
    schema.write_text("{}\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "programme.yaml")])
    assert result.exit_code == 0
    assert schema.read_text(encoding="utf-8") == "{}\n"
    assert "Left" in result.stderr and "--force" in result.stderr


def test_init_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    target.write_text("# old\n", encoding="utf-8")
    (tmp_path / "programme.schema.json").write_text("{}\n", encoding="utf-8")
    result = runner.invoke(app, ["init", "--force", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == programme_template(tool_version=_version())
    assert (tmp_path / "programme.schema.json").read_text(encoding="utf-8") != "{}\n"


def test_init_into_a_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "missing" / "p.yaml")])
    assert result.exit_code == 2
    assert "no such folder" in result.stderr and "Traceback" not in result.output


def test_init_dash_prints_the_template_with_the_given_schema_reference(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "-", "--schema-ref", "https://example.org/p.json"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=https://example.org/p.json\n")


def test_schema_ref_writes_no_schema_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "p.yaml"), "--schema-ref", "../docs/programme.schema.json"]
    )
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "p.yaml"]


def uncommented(text: str) -> str:
    """The template with every field's line uncommented, as someone filling it all in would."""
    return re.sub(r"(?m)^( *)# ([A-Za-z_][A-Za-z0-9_]*:(?:[ \t].*)?)$", r"\1\2", text)


def test_the_template_states_nothing_and_is_valid_for_editors() -> None:
    text = programme_template()
    data = yaml.safe_load(text)
    assert data == {"schema_version": "1"}  # every field commented out: nothing stated
    schema = json.loads((REPO / "docs" / "programme.schema.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    # Filled in blank, the same fields are the nulls the editor schema no longer offers.
    blank = yaml.safe_load(uncommented(text))
    assert any(
        "None is not of type" in e.message for e in Draft202012Validator(schema).iter_errors(blank)
    )


def test_template_has_every_top_level_section_of_the_model() -> None:
    text = uncommented(programme_template())
    keys = {line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()}
    for name in Programme.model_fields:
        assert name in keys, f"programme template lacks the section {name}"
    assert top_level_sections() == list(Programme.model_fields)


def test_template_has_every_nested_field_of_the_model(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    target.write_text(uncommented(programme_template()), encoding="utf-8")
    data = load_file(target).data
    missing = _missing_fields(Programme, data, "")
    assert not missing, missing


@pytest.mark.slow
def test_template_passes_check_jsonschema(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path / "programme.yaml")])
    run = subprocess.run(
        [
            check_jsonschema(),
            "--schemafile",
            str(tmp_path / "programme.schema.json"),
            str(tmp_path / "programme.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout


def _missing_fields(model: type[BaseModel], data: Any, prefix: str) -> list[str]:
    """Dotted names of the model's fields that are not keys in the loaded template."""
    missing: list[str] = []
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        if not isinstance(data, dict) or name not in data:
            missing.append(dotted)
            continue
        nested = [m for m in models_in(info.annotation) if m is not model]
        if nested and not _is_list(info.annotation):
            missing += _missing_fields(nested[0], data[name], dotted + ".")
    return missing


def models_in(annotation: Any) -> list[type[BaseModel]]:
    stack, found = [annotation], []
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            found.append(candidate)
        else:
            stack.extend(getattr(candidate, "__args__", ()))
    return found


def _is_list(annotation: Any) -> bool:
    return "list[" in str(annotation)


def _version() -> str:
    from cvecheck import __version__

    return __version__
