"""Turn YAML text into plain data plus a source map, or into issues with line and column.

Only the YAML parser runs on the input: the node tree it composes is walked here, iteratively,
to build the data. No constructor runs, so no tag can create an object, and the walk keeps a
budget so aliases cannot expand without bound. Scalars follow the YAML 1.2 core schema, not
YAML 1.1: ``yes``, ``no``, ``on``, ``off`` and ``NO`` stay strings, ``010`` is the integer 10,
and bare dates stay ISO strings (the programme model turns them into dates and says where an
impossible one is). The same loader reads programme files, rule files and configuration.
"""

from __future__ import annotations

import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from cvecheck.results import InputError, Issue, Location, Path

MAX_FILE_BYTES = 1024 * 1024
"""Programme descriptions are a few kilobytes; a larger file is almost surely not one."""

MAX_NODES = 100_000
"""Budget of nodes visited, aliases counted each time they are used (stops "billion laughs")."""

MAX_DEPTH = 100
"""Deepest nesting accepted; real programme files nest fewer than ten levels."""

MAX_TEXT = 2 * MAX_FILE_BYTES
"""Budget of characters in scalars, aliases counted each time they are used: without aliases
a file can never reach it, with them a few short aliases cannot stand for gigabytes of text."""

_PLAIN = "cvecheck:plain"
_TAG = "tag:yaml.org,2002:"

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
MAX_INT_DIGITS = 20
"""Longer integers are refused: nothing in a programme needs them and int() on huge ones is slow."""


class _Resolver(BaseResolver):
    """Marks every untagged plain scalar so the walk can resolve it with YAML 1.2 rules."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class attribute

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


# libyaml's parser is about 9x faster than the pure-Python one. PyYAML does not export it as
# yaml.CParser (only through yaml.cyaml), so look it up there.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _CParser is not None:

    class _Composer(_CParser, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - only without libyaml

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Line and column of every node, by path: the key for mapping entries, else the value."""

    file: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path) -> Location:
        """The location of ``path``, or of its nearest ancestor that exists in the file."""
        probe = tuple(path)
        while probe:
            position = self.positions.get(probe)
            if position is not None:
                return Location(self.file, position[0], position[1], tuple(path))
            probe = probe[:-1]
        line, column = self.positions.get((), (1, 1))
        return Location(self.file, line, column, tuple(path))

    def has(self, path: Path) -> bool:
        return tuple(path) in self.positions


@dataclass(frozen=True, slots=True)
class Loaded:
    """A parsed YAML document: plain data and where each part of it came from."""

    data: Any
    source_map: SourceMap


def read_text(path: FsPath, display: str | None = None) -> str:
    """Read a file as text, refusing what is not a UTF-8 (or UTF-16 with BOM) text file."""
    name = display or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _fail(name, "input-not-file", "is a directory, not a programme file")
        if not stat.S_ISREG(info.st_mode):
            # A device or pipe (/dev/zero, a FIFO) could block or never end.
            raise _fail(name, "input-not-file", "is not a regular file (a device or pipe?)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(name, info.st_size)
        with path.open("rb") as stream:
            # Read one byte past the limit: a file that grew since stat() is still caught.
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise _too_large(name, len(raw))
    except FileNotFoundError:
        raise _fail(name, "input-missing", "no such file") from None
    except PermissionError:
        raise _fail(
            name, "input-unreadable", "permission denied: the file cannot be read"
        ) from None
    except OSError as error:
        raise _fail(name, "input-unreadable", f"cannot be read: {error.strerror}") from None
    return decode(raw, name)


def _too_large(name: str, size: int) -> InputError:
    return _fail(
        name,
        "input-too-large",
        f"file is {size:,} bytes or more; the limit is {MAX_FILE_BYTES:,} bytes. "
        "A programme description should be a few kilobytes: is this the right file?",
    )


def decode(raw: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is allowed) or UTF-16 with a BOM; refuse anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(name, "input-encoding", "is not valid UTF-16 text") from None
    if b"\x00" in raw:
        line, column = _line_col(raw, raw.index(b"\x00"))
        raise _fail(
            name, "input-binary", "contains a NUL byte: this is not a text file", line, column
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_col(raw, error.start)
        raise _fail(
            name,
            "input-encoding",
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None


def load_file(path: FsPath, display: str | None = None) -> Loaded:
    """Read and parse one YAML file; raises InputError with located issues."""
    name = display or str(path)
    return load_text(read_text(path, name), name)


def load_text(text: str, name: str) -> Loaded:
    """Parse YAML text holding exactly one document whose root is a mapping."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # only from the API: a str holding lone surrogates
        line, column = _text_line_col(text, error.start)
        raise _fail(name, "input-encoding", "holds an invalid character", line, column) from None
    if size > MAX_FILE_BYTES:
        raise _fail(name, "input-too-large", f"text is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        composer = _Composer(text)
        try:
            root = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as error:
        raise InputError([_syntax_issue(name, error, text)]) from None
    except yaml.reader.ReaderError as error:
        # The C reader gives a byte offset into the UTF-8 text; the pure one a character one.
        offset = error.position
        if _CParser is not None:
            offset = len(text.encode("utf-8")[: error.position].decode("utf-8", "ignore"))
        line, column = _text_line_col(text, offset)
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        raise _fail(
            name,
            "yaml-syntax",
            f"invalid YAML: {char} is not allowed in YAML text ({error.reason})",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line, whatever the parser said
        raise _fail(name, "yaml-syntax", f"invalid YAML: {message}") from None
    except RecursionError:
        raise _fail(name, "yaml-too-deep", f"nesting is deeper than {MAX_DEPTH} levels") from None
    if root is None:
        raise _fail(name, "empty", "the file is empty (or holds only comments)", 1, 1)
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        line, column = _mark(root)
        raise _fail(
            name,
            "root-not-mapping",
            f"the top level is {kind}; it must be a mapping of keys",
            line,
            column,
        )
    return _Walker(name).walk(root)


def _syntax_issue(name: str, error: yaml.MarkedYAMLError, text: str) -> Issue:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = error.problem or "invalid YAML"
    if "maximum nesting depth" in problem:
        return Issue(
            "yaml-too-deep",
            f"nesting is deeper than {MAX_DEPTH} levels",
            Location(name, line, column),
        )
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        # libyaml only says "found character that cannot start any token".
        problem = "found character '\\t'"
    if (
        "expected a single document" in (error.context or "")
        or "but found another document" in problem
    ):
        return Issue(
            "multiple-documents",
            "the file holds more than one YAML document; keep one",
            Location(name, line, column),
        )
    if "found character '\\t'" in problem:
        problem = "a tab character cannot be used for indentation; use spaces"
    detail = (
        f" ({error.context})" if error.context and "single document" not in error.context else ""
    )
    return Issue("yaml-syntax", f"invalid YAML: {problem}{detail}", Location(name, line, column))


class _Walker:
    """Builds data and positions from a node tree without recursion and within a budget."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[Path, tuple[int, int]] = {}
        self.visited = 0
        self.characters = 0

    def walk(self, root: yaml.Node) -> Loaded:
        self.positions[()] = _mark(root)
        data: dict[str, Any] = {}
        # Each entry: node, container to fill, its path, nesting depth.
        stack: list[tuple[yaml.Node, Any, Path, int]] = [(root, data, (), 0)]
        while stack:
            node, target, path, depth = stack.pop()
            if depth > MAX_DEPTH:
                line, column = _mark(node)
                raise _fail(
                    self.name,
                    "yaml-too-deep",
                    f"nesting is deeper than {MAX_DEPTH} levels",
                    line,
                    column,
                )
            if isinstance(node, yaml.MappingNode):
                self._check_tag(node, "map")
                seen: dict[str, yaml.Node] = {}
                for key_node, value_node in node.value:
                    key = self._key(key_node, path)
                    if key in seen:
                        first = _mark(seen[key])
                        line, column = _mark(key_node)
                        raise _fail(
                            self.name,
                            "duplicate-key",
                            f"duplicate key '{key}' (first defined at line {first[0]}, column {first[1]})",
                            line,
                            column,
                        )
                    seen[key] = key_node
                    child_path = (*path, key)
                    self.positions[child_path] = _mark(key_node)
                    target[key] = self._value(value_node, child_path, depth, stack)
            else:  # SequenceNode
                self._check_tag(node, "seq")
                for index, item in enumerate(node.value):
                    child_path = (*path, index)
                    self.positions[child_path] = _mark(item)
                    target.append(self._value(item, child_path, depth, stack))
        return Loaded(data, SourceMap(self.name, self.positions))

    def _value(self, node: yaml.Node, path: Path, depth: int, stack: list[Any]) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            line, column = _mark(node)
            raise _fail(
                self.name,
                "yaml-too-large",
                f"the document expands to more than {MAX_NODES:,} values (aliases count each time they are used)",
                line,
                column,
            )
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
            if self.characters > MAX_TEXT:
                line, column = _mark(node)
                raise _fail(
                    self.name,
                    "yaml-too-large",
                    f"the document expands to more than {MAX_TEXT:,} characters of text (aliases count each time they are used)",
                    line,
                    column,
                )
            return self._scalar(node)
        container: Any = {} if isinstance(node, yaml.MappingNode) else []
        stack.append((node, container, path, depth + 1))
        return container

    def _key(self, node: yaml.Node, path: Path) -> str:
        line, column = _mark(node)
        if not isinstance(node, yaml.ScalarNode):
            raise _fail(
                self.name,
                "key-not-string",
                "a key must be a plain word, not a list or mapping",
                line,
                column,
            )
        if node.tag == _PLAIN and node.value == "<<":
            raise _fail(
                self.name,
                "merge-key",
                "merge keys (<<) are not supported; write the keys out in full",
                line,
                column,
            )
        value = self._scalar(node)
        if not isinstance(value, str):
            kind = {"null": "an empty value", "bool": "true or false"}.get(_kind(value), "a number")
            raise _fail(
                self.name,
                "key-not-string",
                f"key {node.value!r} is read as {kind}; quote it to make it a word",
                line,
                column,
            )
        return value

    def _check_tag(self, node: yaml.Node, kind: str) -> None:
        if node.tag != _TAG + kind:
            line, column = _mark(node)
            raise _fail(
                self.name,
                "yaml-tag",
                f"unsupported tag {_short_tag(node.tag)}; remove it",
                line,
                column,
            )

    def _scalar(self, node: yaml.Node) -> Any:
        tag, value = node.tag, node.value
        if getattr(node, "style", None) == '"' and not value.isascii():
            self._check_encodable(node)
        if tag == _PLAIN:
            return self._plain(node)
        if tag == _TAG + "str":
            return value
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            resolved = self._plain(node)
            if _TAG + _kind(resolved) == tag:
                return resolved
            line, column = _mark(node)
            raise _fail(
                self.name, "yaml-tag", f"{value!r} is not a valid {_short_tag(tag)}", line, column
            )
        line, column = _mark(node)
        raise _fail(
            self.name, "yaml-tag", f"unsupported tag {_short_tag(tag)}; remove it", line, column
        )

    def _check_encodable(self, node: yaml.Node) -> None:
        # A double-quoted escape such as "\ud800" gives a lone surrogate, which no output
        # (terminal, JSON file) can encode.
        try:
            node.value.encode("utf-8")
        except UnicodeEncodeError:
            line, column = _mark(node)
            raise _fail(
                self.name,
                "yaml-escape",
                "an escape in this quoted text gives an invalid character (a lone surrogate)",
                line,
                column,
            ) from None

    def _plain(self, node: yaml.Node) -> Any:
        value: str = node.value
        if _NULL.fullmatch(value):
            return None
        if _TRUE.fullmatch(value):
            return True
        if _FALSE.fullmatch(value):
            return False
        if _INT10.fullmatch(value):
            return self._int(value, 10, node)
        if _INT8.fullmatch(value):
            return self._int(value[2:], 8, node)
        if _INT16.fullmatch(value):
            return self._int(value[2:], 16, node)
        if _INF.fullmatch(value):
            return -math.inf if value.startswith("-") else math.inf
        if _NAN.fullmatch(value):
            return math.nan
        if _FLOAT.fullmatch(value):
            number = float(value)
            if math.isinf(number):
                line, column = _mark(node)
                raise _fail(
                    self.name, "number-too-long", f"{value!r} is too large a number", line, column
                )
            return number
        return value

    def _int(self, digits: str, base: int, node: yaml.Node) -> int:
        # int() on thousands of digits is slow and nothing in a programme needs it.
        if len(digits.lstrip("+-")) > MAX_INT_DIGITS:
            line, column = _mark(node)
            raise _fail(
                self.name,
                "number-too-long",
                f"a number with {len(digits)} digits is too long; quote it if it is meant as text",
                line,
                column,
            )
        return int(digits, base)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float"}.get(type(value), "str")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _text_line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def _fail(name: str, code: str, message: str, line: int = 0, column: int = 0) -> InputError:
    return InputError([Issue(code, message, Location(name, line, column))])
