"""Hostile and broken programme files, through the command line.

Every case must end with exit code 2 and one-line errors that name the file (with line and
column where the input has them), never a traceback; in a batch the other files still run.
Nothing here is timed: the bounds on time and memory are structural (budgets in the loader)
and each case would hang or exhaust memory without them.
"""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from typer.testing import CliRunner

from cvecheck import loader, pipeline
from cvecheck.cli import app
from cvecheck.results import InputError

from ..paths import EXAMPLES_DIR

GOOD = EXAMPLES_DIR / "community-mentoring.yaml"


class Run(NamedTuple):
    code: int
    stdout: str
    stderr: str


def run(*args: str | Path) -> Run:
    result = CliRunner().invoke(app, [str(a) for a in args])
    # An exception other than SystemExit means a traceback would have reached the user.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def error_lines(stderr: str) -> list[str]:
    """The one-line errors of stderr (``error: file:line:col: ...``); every other line must be
    an indented explanation of the error above it (source line, caret, example)."""
    lines = stderr.splitlines()
    assert lines and lines[0].startswith("error: "), "expected at least one error line"
    for line in lines:
        assert line.startswith(("error: ", "  ")), f"not an error or its explanation: {line!r}"
        assert line.isprintable(), f"raw control characters in {line!r}"
    assert "Traceback" not in stderr
    return [line for line in lines if line.startswith("error: ")]


def assert_refused(
    path: Path, code: str, where: tuple[int, int] | None = None, stderr: str | None = None
) -> str:
    """Check a file on its own (or look in a batch's stderr) and return its first error."""
    if stderr is None:
        result = run("check", path)
        assert result.code == 2, result
        stderr = result.stderr
    mine = [line for line in error_lines(stderr) if line.startswith(f"error: {path}")]
    assert mine, f"no error names {path}: {stderr}"
    first = mine[0]
    assert first.endswith(f"[{code}]"), first
    if where is not None:
        assert first.startswith(f"error: {path}:{where[0]}:{where[1]}: "), first
    return first


# --- the cases ---------------------------------------------------------------------------


def _billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def _text_bomb() -> str:
    # Few aliases, each standing for half a megabyte of text.
    return 'a: &a "' + "x" * 500_000 + '"\nb: [' + ", ".join(["*a"] * 50) + "]\n"


class Case(NamedTuple):
    content: bytes
    code: str
    where: tuple[int, int] | None


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


CASES: dict[str, Case] = {
    "syntax-error": Case(_utf8("programme:\n  name: x\n  - y\n"), "yaml-indentation", (3, 3)),
    "tab-indent": Case(_utf8("programme:\n\tname: x\n"), "yaml-tab", (2, 1)),
    "unclosed-flow-mapping": Case(_utf8("programme: {name: x\n"), "yaml-unclosed", (1, 12)),
    "duplicate-key": Case(_utf8("programme:\n  name: a\n  name: b\n"), "duplicate-key", (3, 3)),
    "several-documents": Case(
        _utf8("programme: {name: a}\n---\nprogramme: {name: b}\n"), "multiple-documents", (2, 1)
    ),
    "root-list": Case(_utf8("- programme\n- name\n"), "root-not-mapping", (1, 1)),
    "root-scalar": Case(_utf8("just some words\n"), "root-not-mapping", (1, 1)),
    "empty": Case(b"", "empty", (1, 1)),
    "only-comments": Case(_utf8("# nothing\n   # here\n"), "empty", (1, 1)),
    "billion-laughs": Case(_utf8(_billion_laughs()), "yaml-too-large", None),
    "text-bomb": Case(_utf8(_text_bomb()), "yaml-too-large", None),
    "deep-flow-list": Case(_utf8("a: " + "[" * 5000 + "]" * 5000 + "\n"), "yaml-too-deep", None),
    "deep-flow-mapping": Case(
        _utf8("a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"), "yaml-too-deep", None
    ),
    "deep-under-parser-limit": Case(
        _utf8("a: " + "[" * 500 + "]" * 500 + "\n"), "yaml-too-deep", None
    ),
    "recursive-alias": Case(_utf8("a: &a [*a]\n"), "yaml-too-deep", None),
    "huge-integer": Case(
        _utf8("target_population:\n  age_range: {min: " + "9" * 6000 + "}\n"),
        "number-too-long",
        (2, 20),
    ),
    "huge-float": Case(
        _utf8("target_population:\n  age_range: {min: 1e999}\n"), "number-too-long", (2, 20)
    ),
    "impossible-date": Case(
        _utf8("programme:\n  start_date: 2023-02-30\n"),
        "not-a-date",
        (2, 3),
    ),
    "nul-byte": Case(b"programme:\n  name: a\x00b\n", "input-binary", (2, 10)),
    "control-character": Case(b"programme:\n  name: a\x07b\n", "yaml-syntax", (2, 10)),
    "latin-1": Case("programme:\n  name: Café\n".encode("latin-1"), "input-encoding", (2, 12)),
    "surrogate-escape": Case(_utf8('programme:\n  name: "\\ud800"\n'), "yaml-syntax", (2, 12)),
    "two-megabyte-line": Case(
        _utf8("programme:\n  description: " + "x" * 2_000_000 + "\n"), "input-too-large", None
    ),
    "python-tag": Case(
        _utf8("programme: !!python/object/apply:os.system ['true']\n"), "yaml-tag", (1, 12)
    ),
    "python-tag-on-root": Case(
        _utf8("!!python/object/new:os.system\nargs: ['true']\n"), "yaml-tag", (1, 1)
    ),
    "python-name-tag": Case(_utf8("programme: !!python/name:os.system\n"), "yaml-tag", (1, 12)),
    "verbatim-python-tag": Case(
        _utf8("programme: !<tag:yaml.org,2002:python/object/apply:os.system> ['true']\n"),
        "yaml-tag",
        (1, 12),
    ),
    "tag-directive": Case(
        _utf8("%TAG !p! tag:yaml.org,2002:python/\n---\nprogramme: !p!name:os.system\n"),
        "yaml-tag",
        (3, 12),
    ),
    "unknown-local-tag": Case(_utf8("programme:\n  name: !custom x\n"), "yaml-tag", (2, 9)),
    "binary-tag": Case(_utf8("programme:\n  name: !!binary aGk=\n"), "yaml-tag", (2, 9)),
    "set-tag": Case(_utf8("programme: !!set {a, b}\n"), "yaml-tag", (1, 12)),
    "wrong-core-tag": Case(_utf8("programme:\n  name: !!int abc\n"), "yaml-tag", (2, 9)),
    "integer-key": Case(_utf8("1: a\n"), "key-not-string", (1, 1)),
    "boolean-key": Case(_utf8("programme:\n  true: a\n"), "key-not-string", (2, 3)),
    "null-key": Case(_utf8("? \n: a\n"), "key-not-string", None),
    "list-key": Case(_utf8("? [a, b]\n: c\n"), "key-not-string", (1, 3)),
    "mapping-key": Case(_utf8("{a: 1}: c\n"), "key-not-string", (1, 1)),
    "merge-key": Case(_utf8("base: &b {name: x}\nprogramme:\n  <<: *b\n"), "merge-key", (3, 3)),
    "key-named-like-a-type": Case(_utf8("str: x\n"), "unknown-field", (1, 1)),
    "nested-key-named-like-a-type": Case(
        _utf8("programme:\n  bool: {int: 1}\n"), "unknown-field", (2, 3)
    ),
    "unknown-field": Case(_utf8("programme:\n  nmae: x\n"), "unknown-field", (2, 3)),
}


def _write(folder: Path, name: str, case: Case) -> Path:
    path = folder / f"{name}.yaml"
    path.write_bytes(case.content)
    return path


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_is_refused_cleanly(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    assert_refused(_write(tmp_path, name, case), case.code, case.where)


def test_a_batch_of_hostile_files_still_checks_the_good_one(tmp_path: Path) -> None:
    paths = [_write(tmp_path, name, case) for name, case in CASES.items()]
    good = tmp_path / "zz-good.yaml"
    good.write_bytes(GOOD.read_bytes())
    result = run("check", "--jobs", "1", tmp_path)
    assert result.code == 2
    for path, case in zip(paths, CASES.values(), strict=True):
        assert_refused(path, case.code, case.where, result.stderr)
    assert not any(str(good) in line for line in result.stderr.splitlines())
    assert "cvecheck " in result.stdout and str(good) in result.stdout
    assert f"Checked 1 of {len(paths) + 1} files" in result.stdout


def test_the_real_entry_point_never_shows_a_traceback(tmp_path: Path) -> None:
    # The same hostile files through `python -m cvecheck` in its own process, as a user runs it.
    for name, case in CASES.items():
        _write(tmp_path, name, case)
    (tmp_path / "zz-good.yaml").write_bytes(GOOD.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "cvecheck", "check", "--jobs", "1", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert len(error_lines(result.stderr)) >= len(CASES)
    assert f"Checked 1 of {len(CASES) + 1} files" in result.stdout


def test_aliases_within_the_budget_are_validated_without_blowing_up(tmp_path: Path) -> None:
    # 500 staff entries share one anchored mapping whose topics share one list of 60 words:
    # 30,000 values reach validation and the rules from a 3 KB file, within the budgets.
    topics = "[" + ", ".join(f"topic{i}" for i in range(60)) + "]"
    member = f"&m {{role: mentor, is_former: false, training: {{topics: &t {topics}}}}}"
    text = "programme: {name: Aliased}\nstaff: [" + member + ", *m" * 499 + "]\n"
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    assert len(text) < 4000
    result = run("check", path)
    assert result.code in (0, 1), result.stderr
    assert "Aliased" in result.stdout


def test_error_lines_stay_one_line_whatever_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text('programme:\n  "bad\\nkey\\e[31m\\u202e": x\n', encoding="utf-8")
    line = assert_refused(path, "unknown-field", (2, 3))
    assert "\x1b" not in line and "\u202e" not in line
    assert "bad\\nkey\\x1b[31m\\u202e" in line


def test_long_values_are_shortened_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("programme:\n  status: " + "x" * 100_000 + "\n", encoding="utf-8")
    line = assert_refused(path, "not-a-choice", (2, 3))
    assert len(line) < 300


def test_thousands_of_errors_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("programme:\n  stages:\n" + "  - x\n" * 5000, encoding="utf-8")
    result = run("check", path)
    lines = error_lines(result.stderr)
    assert result.code == 2 and len(lines) < 30
    assert lines[-1].endswith(
        "more problems not shown; fix the ones above first [too-many-problems]"
    )


# --- encodings and sizes -----------------------------------------------------------------


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    rng = random.Random(7)
    for index in range(20):
        path = tmp_path / f"garbage-{index}.yaml"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
        result = run("check", path)
        assert result.code == 2
        assert error_lines(result.stderr)[0].startswith(f"error: {path}")


def test_utf16_with_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(GOOD.read_text(encoding="utf-8").encode("utf-16"))
    result = run("check", path)
    assert result.code in (0, 1), result.stderr
    assert "Bridges Community Mentoring" in result.stdout


def test_utf8_with_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    assert run("check", path).code in (0, 1)


def test_broken_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(b"\xff\xfe" + "programme:".encode("utf-16-le") + b"\x00\xd8")
    assert_refused(path, "input-encoding")


def test_size_cap_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * loader.MAX_FILE_BYTES + b"\na: 1\n")
    line = assert_refused(path, "input-too-large")
    assert f"the limit is {loader.MAX_FILE_BYTES:,} bytes" in line


def test_a_long_line_under_the_cap_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "long-line.yaml"
    path.write_text(
        "programme:\n  name: Long\n  description: " + "word " * 180_000 + "\n", encoding="utf-8"
    )
    result = run("check", path)
    assert result.code in (0, 1), result.stderr


def test_lone_surrogates_from_the_api_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        pipeline.check_text("programme:\n  name: a\ud800\n", "api.yaml")
    assert caught.value.issues[0].code == "input-encoding"
    assert str(caught.value.issues[0].location) == "api.yaml:2:10"


# --- no code runs, ever ------------------------------------------------------------------

EXPLOITS = [
    "programme: !!python/object/apply:os.system ['touch {marker}']\n",
    "programme: !!python/object/apply:subprocess.call [['touch', '{marker}']]\n",
    "programme: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
    "programme: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]\n",
    "programme:\n  name: !!python/object/apply:builtins.exec [\"open('{marker}', 'w')\"]\n",
    "%TAG ! tag:yaml.org,2002:python/object/apply:\n---\nprogramme: !os.system ['touch {marker}']\n",
]


@pytest.mark.parametrize("template", EXPLOITS)
def test_tags_never_run_code(
    template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "exploit.yaml"
    path.write_text(template.format(marker=marker), encoding="utf-8")

    # Belt and braces: no PyYAML constructor may even be created while loading.
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a YAML constructor was created")

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "__init__", refuse)
    result = run("check", path)
    assert result.code == 2
    assert error_lines(result.stderr)[0].endswith("[yaml-tag]")
    assert not marker.exists()


def test_the_loader_never_constructs_python_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a YAML constructor was created")

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "__init__", refuse)
    loaded = loader.load_file(GOOD)
    assert loaded.data["programme"]["name"] == "Bridges Community Mentoring"


# --- paths that are not programme files ----------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "nowhere.yaml", "input-missing")


def test_folder_without_programmes(tmp_path: Path) -> None:
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    result = run("check", folder)
    assert result.code == 2
    assert error_lines(result.stderr)[0].endswith("[input-empty-folder]")


def test_directory_matched_as_a_programme(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.yaml"
    folder.mkdir()
    result = run("check", str(tmp_path / "looks-like.y*ml"))
    assert result.code == 2
    assert error_lines(result.stderr)[0].endswith(
        "is a directory, not a programme file [input-not-file]"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert_refused(fifo, "input-not-file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused() -> None:
    assert_refused(Path("/dev/zero"), "input-not-file")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="chmod 000 does not stop root from reading; see the simulated case below",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    path.write_bytes(GOOD.read_bytes())
    path.chmod(0)
    try:
        assert_refused(path, "input-unreadable")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests often run as root, where permissions do not stop reads: make open() refuse.
    path = tmp_path / "locked.yaml"
    path.write_bytes(GOOD.read_bytes())
    real_open = Path.open

    def locked_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", locked_open)
    line = assert_refused(path, "input-unreadable")
    assert "permission denied" in line


def test_file_name_with_control_characters_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "new\nline\x1b[2J.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    result = run("check", path)
    assert result.code == 2
    (line,) = error_lines(result.stderr)
    assert "new\\nline\\x1b[2J.yaml:2:1:" in line
