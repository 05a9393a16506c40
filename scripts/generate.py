"""Write every generated file: `make generated` runs this. Never edit these files by hand.

The generated files are the rules reference (docs/rules.md), the exported programme schema
(docs/programme.schema.json), the validation schema shipped in the package
(src/cvecheck/programme/validation-schema.json, which `check` validates files against, and
waiver-file-schema.json beside it, for a commissioner's waiver file), the
fresh template (docs/examples/new-programme.yaml), the
expected report of each shipped example (programme_examples/reports/*.txt) and the real
cvecheck output in the guides. Each output block in a guide sits between two markers and this
script runs the command and puts its output in between:

    <!-- output: cvecheck check programme_examples/community-mentoring.yaml -->
    (generated: the command, its output and its exit code)
    <!-- /output -->

Options after the command, separated by " ;; ": ``lines=N`` keeps the first N lines of output,
``last=N`` the last N, ``input=PATH`` feeds that file (from the repository root) to standard
input, one answer a line, and ``scratch`` runs the command in an empty temporary folder (for
commands that write files, such as an interview on a new file). Run it from anywhere:

    python scripts/generate.py          # rewrite what is stale
    python scripts/generate.py --check  # exit 1 and name the stale files, change nothing

tests/catalogue/test_generated.py fails when any generated file is stale.
"""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
GUIDES = (
    "README.md",
    "docs/designer.md",
    "docs/commissioner.md",
    "docs/ci-guide.md",
    "docs/formats.md",
)
SCHEMA_FILE = "docs/programme.schema.json"
VALIDATION_SCHEMA_FILE = "src/cvecheck/programme/validation-schema.json"
WAIVER_FILE_SCHEMA_FILE = "src/cvecheck/programme/waiver-file-schema.json"
TEMPLATE_FILE = "docs/examples/new-programme.yaml"

BLOCK = re.compile(
    r"(?P<open><!-- output: cvecheck (?P<spec>.*?) -->\n)(?P<body>.*?)(?P<close><!-- /output -->)",
    re.S,
)


RULES_REFERENCE = "docs/rules.md"
EXAMPLES = "programme_examples"
REPORTS = "programme_examples/reports"

DATED_COMMANDS = ("check", "compare", "diff")
# Waivers expire: every generated output is dated this day, so none goes stale on its own.
AS_OF = "2026-12-01"


def run(spec: str) -> str:
    """The fenced block for one marker: the command line, its output and its exit code."""
    from cvecheck.cli import app

    command, _, options = spec.partition(" ;; ")
    args = shlex.split(command)
    first = last = None
    stdin: str | None = None
    scratch = False
    for option in options.split():
        key, _, value = option.partition("=")
        if key == "lines":
            first = int(value)
        elif key == "last":
            last = int(value)
        elif key == "input":
            stdin = (REPO / value).read_text(encoding="utf-8")
        elif key == "scratch":
            scratch = True
        else:
            raise ValueError(f"unknown option {option!r} in marker: cvecheck {spec}")
    if args and args[0] in DATED_COMMANDS:
        args = [args[0], "--today", AS_OF, *args[1:]]
    with contextlib.ExitStack() as stack:
        if scratch:
            stack.enter_context(
                contextlib.chdir(stack.enter_context(tempfile.TemporaryDirectory()))
            )
        # The guides show what an 80-column terminal shows, whatever the terminal running this.
        result = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"}).invoke(
            app, args, prog_name="cvecheck", input=stdin
        )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"`cvecheck {command}` failed: {result.exception!r}")
    lines = result.output.rstrip("\n").splitlines()
    if first is not None and len(lines) > first:
        lines = [*lines[:first], "..."]
    if last is not None and len(lines) > last:
        lines = ["...", *lines[-last:]]
    body = [f"$ cvecheck {command}", *lines]
    if result.exit_code:
        body.append(f"(exit code {result.exit_code})")
    return "```console\n" + "\n".join(line.rstrip() for line in body) + "\n```\n"


FORMATS_BLOCK = re.compile(r"(<!-- formats: generated -->\n).*?(<!-- /formats -->)", re.S)


def formats_table() -> str:
    """Every format of every command, from the renderer registry."""
    from cvecheck.reporters import FORMATS

    rows = [f"| `{f.command}` | `{f.name}` | {f.summary} |" for f in FORMATS]
    return "| command | format | what it is |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def refresh(text: str) -> str:
    """``text`` with every marked block regenerated."""
    text = FORMATS_BLOCK.sub(lambda m: m[1] + formats_table() + m[2], text)
    return BLOCK.sub(lambda m: m["open"] + run(m["spec"]) + m["close"], text)


def example_reports() -> dict[Path, str]:
    """The expected report of each shipped example, as `cvecheck check` prints it."""
    from datetime import date

    from cvecheck.pipeline import check_file
    from cvecheck.reporters import render_reports
    from cvecheck.results import FileOutcome
    from cvecheck.rules import load_rules

    rules = load_rules()
    today = date.fromisoformat(AS_OF)
    wanted = {}
    for path in sorted((REPO / EXAMPLES).glob("*.yaml")):
        name = f"{EXAMPLES}/{path.name}"
        report = check_file(path, rules, today=today, display=name)
        wanted[REPO / REPORTS / f"{path.stem}.txt"] = render_reports(
            "table", [FileOutcome(name, report)]
        )
    return wanted


def expected_files() -> dict[Path, str]:
    """Every generated file's path and what it should contain, run from the repository root."""
    from cvecheck import __version__
    from cvecheck.catalogue import rules_markdown
    from cvecheck.programme.model import validation_schema, waiver_file_schema
    from cvecheck.rules import load_rules
    from cvecheck.template import programme_template, schema_text

    wanted = {
        REPO / RULES_REFERENCE: rules_markdown(load_rules()),
        REPO / SCHEMA_FILE: schema_text(),
        REPO / VALIDATION_SCHEMA_FILE: json.dumps(validation_schema(), indent=1) + "\n",
        REPO / WAIVER_FILE_SCHEMA_FILE: json.dumps(waiver_file_schema(), indent=1) + "\n",
        REPO / TEMPLATE_FILE: programme_template(
            "../programme.schema.json", tool_version=__version__
        ),
        **example_reports(),
    }
    with contextlib.chdir(REPO):  # the commands in the guides use paths from the repository root
        for name in GUIDES:
            path = REPO / name
            if path.is_file():
                wanted[path] = refresh(path.read_text(encoding="utf-8"))
    return wanted


def stale_files() -> list[Path]:
    return [
        path
        for path, text in expected_files().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(REPO)}")
        return 1 if stale else 0
    for path, text in expected_files().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
