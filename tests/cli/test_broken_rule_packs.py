"""Broken rule packs given with --rules: one-line errors naming the rule file, exit code 2.

A rule pack is data from outside as much as a programme is. The remote-reference cases run a
web server on the loopback address and prove that nothing ever asks it for anything.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvecheck.cli import app
from cvecheck.engine import evaluate_rule
from cvecheck.loader import SourceMap
from cvecheck.results import Status
from cvecheck.rules import compile_rule, load_rules

from ..paths import FIXTURES, REPORTING_PACK

GOOD = FIXTURES / "proposals" / "second.yaml"


TEMPLATE_RULE = REPORTING_PACK / "DLV001-formers-trained-first.yaml"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A valid one-rule pack; the cases below break a copy of it."""
    folder = tmp_path / "pack"
    folder.mkdir()
    shutil.copy(REPORTING_PACK / "pack.yaml", folder / "pack.yaml")
    shutil.copy(TEMPLATE_RULE, folder / TEMPLATE_RULE.name)
    return folder


def rule_file(pack: Path) -> Path:
    return next(p for p in pack.glob("*.yaml") if p.name != "pack.yaml")


def run_with(pack: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["check", "--rules", str(pack), *args, str(GOOD)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    return result.exit_code, lines


def test_the_template_pack_is_valid(pack: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--rules", str(pack), str(GOOD)])
    assert result.exit_code in (0, 1), result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_invalid_yaml(pack: Path) -> None:
    path = rule_file(pack)
    path.write_text(path.read_text(encoding="utf-8") + "oops: [unclosed\n", encoding="utf-8")
    code, lines = run_with(pack)
    assert code == 2
    assert lines[0].startswith(f"error: {path}:") and lines[0].endswith("[yaml-unclosed]")


def test_unknown_field(pack: Path) -> None:
    path = rule_file(pack)
    edit(path, "\ntitle:", "\ntitel: typo\ntitle:")
    code, lines = run_with(pack)
    assert code == 2
    assert any(
        line.startswith(f"error: {path}:")
        and "'titel' is not a known field" in line
        and line.endswith("[unknown-field]")
        for line in lines
    ), lines


def test_invalid_json_schema(pack: Path) -> None:
    path = rule_file(pack)
    edit(path, "{const: true}", "{type: nope}")
    code, lines = run_with(pack)
    assert code == 2
    assert any(
        line.startswith(f"error: {path}:") and "invalid JSON Schema" in line for line in lines
    )


def test_duplicate_ids(pack: Path) -> None:
    path = rule_file(pack)
    (pack / "copy").mkdir()
    shutil.copy(path, pack / "copy" / path.name)
    code, lines = run_with(pack)
    assert code == 2
    assert any(line.endswith("[rule-duplicate-id]") for line in lines), lines


def test_examples_that_do_not_validate(pack: Path) -> None:
    path = rule_file(pack)
    edit(path, "examples:\n  pass:\n", "examples:\n  pass:\n    - {programme: {nmae: typo}}\n")
    code, lines = run_with(pack)
    assert code == 2
    assert any(
        line.startswith(f"error: {path}:") and "example pass[0] is not a valid programme" in line
        for line in lines
    ), lines


def test_broken_manifest(pack: Path) -> None:
    (pack / "pack.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    code, lines = run_with(pack)
    assert code == 2
    assert any(line.startswith(f"error: {pack / 'pack.yaml'}:") for line in lines)


def test_missing_manifest(pack: Path) -> None:
    (pack / "pack.yaml").unlink()
    code, lines = run_with(pack)
    assert code == 2 and lines[0].endswith("[pack-missing]")


def test_rule_file_with_python_tag(pack: Path) -> None:
    path = rule_file(pack)
    edit(path, "\ntitle:", "\nextra: !!python/object/apply:os.system ['true']\ntitle:")
    code, lines = run_with(pack)
    assert code == 2 and lines[0].endswith("[yaml-tag]")


# --- remote references are never fetched ----------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared with the test through the class

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/schema+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A schema server on the loopback address that records every request it gets."""
    _Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    # A short poll interval: shutdown() waits for the next poll, 0.5 s by default.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


REMOTE = [
    "{{$ref: '{url}/schema.json'}}",
    "{{$dynamicRef: '{url}/schema.json#meta'}}",
    "{{$schema: '{url}/meta.json'}}",
    "{{$id: '{url}/base/', items: {{$ref: 'other.json'}}}}",
    "{{not: {{allOf: [{{$ref: '{url}/deep.json'}}]}}}}",
]


@pytest.mark.parametrize("template", REMOTE)
def test_remote_reference_is_refused_and_never_fetched(
    pack: Path, server: str, template: str
) -> None:
    path = rule_file(pack)
    edit(path, "{const: true}", template.format(url=server))
    code, lines = run_with(pack)
    assert code == 2
    assert any(
        line.startswith(f"error: {path}:") and "rules never fetch anything" in line
        for line in lines
    ), lines
    assert _Recorder.requests == []


def test_the_evaluator_cannot_fetch_even_past_the_load_checks(server: str) -> None:
    # Build a rule whose predicate the load-time checks would refuse, bypassing them, and
    # evaluate it: the validator works offline, so the result is an error, not a request.
    good = load_rules([REPORTING_PACK]).rules[0]
    requirement = good.rule.requirements[0]
    path = next(iter(requirement.require))
    hostile = replace(requirement, require={path: {"$ref": f"{server}/x.json"}})
    rule = replace(good.rule, applies_when=(), requirements=(hostile,))
    try:
        compiled = compile_rule(rule, "hostile.yaml")
    except Exception:  # refusing to build the validator is as good as refusing to fetch
        compiled = None
    if compiled is not None:
        result = evaluate_rule(compiled, {}, SourceMap("x.yaml"))
        assert result.status in (Status.ERROR, Status.CANNOT_ASSESS)
    assert _Recorder.requests == []
