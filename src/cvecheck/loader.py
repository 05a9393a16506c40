"""Turn YAML text into plain data plus a source map, or into issues with line and column.

Only the YAML parser runs on the input: its events are turned into data here, in one
iterative pass with no node tree. No constructor runs, so no tag can create an object, and the
pass keeps budgets (values, characters, depth) so aliases cannot expand without bound.
Scalars follow the YAML 1.2 core schema, not YAML 1.1: ``yes``, ``no``, ``on``, ``off`` and
``NO`` stay strings, ``010`` is the integer 10, and bare dates stay ISO strings (the programme
model turns them into dates and says where an impossible one is). The same loader reads
programme files, rule files and configuration.
"""

from __future__ import annotations

import dataclasses
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

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
_MAYBE_NOT_TEXT = frozenset("~nNtTfF0123456789+-.") | {""}
"""First characters of every null, boolean and number above (and "" for the empty null)."""
MAX_INT_DIGITS = 20
"""Longer integers are refused: nothing in a programme needs them and int() on huge ones is slow."""


# libyaml's parser is about 9x faster than the pure-Python one. PyYAML does not export it as
# yaml.CParser (only through yaml.cyaml), so look it up there.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """The pure-Python event parser, used only where libyaml is missing."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_Parser: Any = _CParser if _CParser is not None else _PureParser


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Line and column of every node, by path: the key for mapping entries, else the value."""

    file: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    """The text the map was made from, so an error can quote its line."""

    def line(self, number: int) -> str:
        """Line ``number`` (from 1) of the text, or "" when it is not known."""
        return source_line(self.text, number)

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
    parser = None
    try:
        parser = _Parser(text)  # the pure-Python reader already checks characters here
        return _Builder(name, text).build(parser)
    except InputError as error:
        raise InputError(with_source(error.issues, text)) from None
    except yaml.MarkedYAMLError as error:
        raise InputError(with_source([syntax_issue(name, error, text)], text)) from None
    except yaml.reader.ReaderError as error:
        # The C reader gives a byte offset into the UTF-8 text; the pure one a character one.
        offset = error.position
        if _Parser is not _PureParser:
            offset = len(text.encode("utf-8")[: error.position].decode("utf-8", "ignore"))
        line, column = _text_line_col(text, offset)
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        failed = _fail(
            name,
            "yaml-syntax",
            f"invalid YAML: {char} is not allowed in YAML text ({error.reason})",
            line,
            column,
        )
        raise InputError(with_source(failed.issues, text)) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line, whatever the parser said
        raise _fail(name, "yaml-syntax", f"invalid YAML: {message}") from None
    finally:
        if parser is not None:
            parser.dispose()


def syntax_issue(name: str, error: yaml.MarkedYAMLError, text: str) -> Issue:
    """A YAML syntax error as a located issue that says what is wrong in plain words and, for
    the common mistakes, how to write it instead."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    where = Location(name, line, column)
    problem = error.problem or "invalid YAML"
    if "maximum nesting depth" in problem:
        return Issue("yaml-too-deep", f"nesting is deeper than {MAX_DEPTH} levels", where)
    if (
        "expected a single document" in (error.context or "")
        or "but found another document" in problem
    ):
        return Issue(
            "multiple-documents", "the file holds more than one YAML document; keep one", where
        )
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        # libyaml only says "found character that cannot start any token".
        return Issue(
            "yaml-tab",
            "a tab character cannot be used for indentation; use spaces",
            where,
            example=_INDENT_EXAMPLE,
        )
    source = source_line(text, line)
    if "mapping values are not allowed" in problem:
        before = source[: max(column - 1, 0)]
        if ": " in before or before.rstrip().endswith(":"):
            key, _, value = source.partition(": ")
            fixed = value.strip().replace('"', "'")
            # Only a plain key is echoed back: the example must not start with text that a
            # terminal or a CI runner could take as a command.
            plain = re.fullmatch(r"\s*-?\s*[A-Za-z_][\w-]*", key) is not None
            return Issue(
                "yaml-colon-in-text",
                "a colon followed by a space inside unquoted text starts a new key; put the "
                "text in quotes",
                where,
                example=f'{key.strip()}: "{fixed}"'
                if plain
                else 'description: "Outcome: better lives"',
            )
        indent = len(source) - len(source.lstrip())
        where = Location(name, line, indent + 1)
        return Issue(
            "yaml-indentation",
            "this line is indented further than the key above it, so it cannot start a key "
            "there; line it up with the keys of its mapping",
            where,
            example=_INDENT_EXAMPLE,
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return Issue(
            "yaml-indentation",
            "this line does not line up with the lines above it: the keys of one mapping must "
            "start in the same column",
            where,
            example=_INDENT_EXAMPLE,
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "']'" in problem else "}"
        opening = "[" if closing == "]" else "{"
        if error.context_mark is not None:  # where the brackets open, not the end of the file
            where = Location(name, error.context_mark.line + 1, error.context_mark.column + 1)
        return Issue(
            "yaml-unclosed",
            f"a {'list' if closing == ']' else 'mapping'} in brackets is not closed: separate its "
            f"items with commas and end it with '{closing}' on the same line",
            where,
            example="stages: [secondary, tertiary]"
            if opening == "["
            else "training: {provided: true, before_delivery: true}",
        )
    if "could not find expected ':'" in problem:
        return Issue(
            "yaml-missing-colon",
            "a line of a mapping needs a colon and a space after its key",
            where,
            example="key: value\nlonger_text: >\n  text that goes on over\n  several lines",
        )
    if "did not find expected '-' indicator" in problem or "block sequence" in (
        error.context or ""
    ):
        return Issue(
            "yaml-indentation",
            "the items of a list must each start with '- ' in the same column",
            where,
            example="stages:\n  - secondary\n  - tertiary",
        )
    if "cannot start any token" in problem:
        return Issue(
            "yaml-quote-needed",
            "text cannot start with this character unless it is in quotes",
            where,
            example='name: "@youth project"',
        )
    detail = (
        f" ({error.context})" if error.context and "single document" not in error.context else ""
    )
    return Issue("yaml-syntax", f"invalid YAML: {problem}{detail}", where)


_INDENT_EXAMPLE = """formers:
  used: true          # the keys of one mapping start in the same column
  training:
    provided: true    # the keys inside it, two spaces further in"""


def source_line(text: str, number: int) -> str:
    """Line ``number`` (from 1) of ``text``, or "" when there is no such line."""
    if number < 1 or not text:
        return ""
    lines = text.split("\n", number)
    return lines[number - 1].rstrip("\r") if number <= len(lines) else ""


def with_source(issues: list[Issue], text: str) -> list[Issue]:
    """The issues, each with the line of ``text`` it is on, for the caret under the column."""
    return [
        dataclasses.replace(issue, source=source_line(text, issue.location.line))
        if issue.location.line and not issue.source
        else issue
        for issue in issues
    ]


_NO_KEY: Any = object()


class _Frame:
    """A mapping or list being built: where it is, and its bookkeeping."""

    __slots__ = ("anchor", "characters", "container", "depth", "key", "path", "seen", "visited")

    def __init__(
        self, container: Any, path: Path, depth: int, anchor: str | None, builder: _Builder
    ) -> None:
        self.container = container
        self.path = path
        self.depth = depth
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.seen: dict[str, Any] = {}
        self.visited = builder.visited
        self.characters = builder.characters


class _Builder:
    """Builds data and positions straight from the parser's events, without recursion.

    No node tree and no constructor: each event becomes plain data at once. An alias reuses
    the value its anchor built, and is charged its full size against the budgets each time,
    so nothing later (validation, rules) can meet more than the budgets allow.
    """

    def __init__(self, name: str, text: str = "") -> None:
        self.name = name
        self.text = text
        self.positions: dict[Path, tuple[int, int]] = {}
        self.visited = 0
        self.characters = 0
        # anchor -> (value, values inside it, characters inside it)
        self.anchors: dict[str, tuple[Any, int, int]] = {}

    def build(self, parser: Any) -> Loaded:
        parser.get_event()  # stream start
        if isinstance(parser.get_event(), yaml.StreamEndEvent):
            raise _fail(self.name, "empty", "the file is empty (or holds only comments)", 1, 1)
        root = parser.peek_event()
        if not isinstance(root, yaml.MappingStartEvent):
            kind = "a list" if isinstance(root, yaml.SequenceStartEvent) else "a single value"
            raise self._error(
                root, "root-not-mapping", f"the top level is {kind}; it must be a mapping of keys"
            )
        data = self._document(parser)
        parser.get_event()  # document end
        following = parser.get_event()
        if not isinstance(following, yaml.StreamEndEvent):
            raise self._error(
                following,
                "multiple-documents",
                "the file holds more than one YAML document; keep one",
            )
        return Loaded(data, SourceMap(self.name, self.positions, self.text))

    def _document(self, parser: Any) -> dict[str, Any]:
        get_event = parser.get_event
        event = get_event()
        self._check_tag(event, "map")
        data: dict[str, Any] = {}
        self.positions[()] = _mark(event)
        frames = [_Frame(data, (), 0, event.anchor, self)]
        while frames:
            event = get_event()
            frame = frames[-1]
            container = frame.container
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (
                        container,
                        self.visited - frame.visited,
                        self.characters - frame.characters,
                    )
                continue
            if type(container) is dict:
                if frame.key is _NO_KEY:
                    frame.key = self._key(event, frame)
                    continue
                key, frame.key = frame.key, _NO_KEY
                container[key] = self._value(event, (*frame.path, key), frame, frames)
            else:
                path = (*frame.path, len(container))
                self.positions[path] = _mark(event)
                container.append(self._value(event, path, frame, frames))
        return data

    def _value(self, event: Any, path: Path, parent: _Frame, frames: list[_Frame]) -> Any:
        self.visited += 1
        if isinstance(event, yaml.ScalarEvent):
            self.characters += len(event.value)
            self._check_budgets(event)
            value = self._scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 0, len(event.value))
            return value
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, frames)
        self._check_budgets(event)
        depth = parent.depth + 1
        if depth > MAX_DEPTH:
            raise self._error(event, "yaml-too-deep", f"nesting is deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.MappingStartEvent):
            self._check_tag(event, "map")
            container: Any = {}
        else:
            self._check_tag(event, "seq")
            container = []
        frames.append(_Frame(container, path, depth, event.anchor, self))
        return container

    def _alias(self, event: Any, frames: list[_Frame]) -> Any:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            if any(frame.anchor == event.anchor for frame in frames):
                raise self._error(
                    event,
                    "yaml-too-deep",
                    f"alias *{event.anchor} is inside what it refers to, so it never ends",
                )
            raise self._error(event, "yaml-syntax", f"invalid YAML: no anchor &{event.anchor}")
        value, visited, characters = anchored
        self.visited += visited
        self.characters += characters
        self._check_budgets(event)
        return value

    def _check_budgets(self, event: Any) -> None:
        if self.visited > MAX_NODES:
            raise self._error(
                event,
                "yaml-too-large",
                f"the document expands to more than {MAX_NODES:,} values (aliases count each time they are used)",
            )
        if self.characters > MAX_TEXT:
            raise self._error(
                event,
                "yaml-too-large",
                f"the document expands to more than {MAX_TEXT:,} characters of text (aliases count each time they are used)",
            )

    def _key(self, event: Any, frame: _Frame) -> str:
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor or "")
            value = anchored[0] if anchored is not None else None
            if not isinstance(value, str):
                raise self._error(
                    event, "key-not-string", "a key must be a plain word, not an alias"
                )
        elif not isinstance(event, yaml.ScalarEvent):
            raise self._error(
                event, "key-not-string", "a key must be a plain word, not a list or mapping"
            )
        else:
            if event.value == "<<" and event.tag is None and event.implicit[0]:
                raise self._error(
                    event,
                    "merge-key",
                    "merge keys (<<) are not supported; write the keys out in full",
                )
            value = self._scalar(event)
            if not isinstance(value, str):
                kind = {"null": "an empty value", "bool": "true or false"}.get(
                    _kind(value), "a number"
                )
                raise self._error(
                    event,
                    "key-not-string",
                    f"key {event.value!r} is read as {kind}; quote it to make it a word",
                )
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 0, len(value))
        first = frame.seen.get(value)
        if first is not None:
            raise self._error(
                event,
                "duplicate-key",
                f"duplicate key '{value}' (first defined at line {first[0]}, column {first[1]})",
            )
        mark = _mark(event)
        frame.seen[value] = mark
        self.positions[(*frame.path, value)] = mark
        return value

    def _check_tag(self, event: Any, kind: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != _TAG + kind:
            raise self._error(event, "yaml-tag", f"unsupported tag {_short_tag(tag)}; remove it")

    def _scalar(self, event: Any) -> Any:
        tag, value = event.tag, event.value
        if event.style == '"' and not value.isascii():
            self._check_encodable(event)
        if tag is None or tag == "!":
            # Untagged: plain scalars follow the YAML 1.2 core schema, quoted ones are text.
            return self._plain(event) if event.implicit[0] else value
        if tag == _TAG + "str":
            return value
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            resolved = self._plain(event)
            if _TAG + _kind(resolved) == tag:
                return resolved
            raise self._error(event, "yaml-tag", f"{value!r} is not a valid {_short_tag(tag)}")
        raise self._error(event, "yaml-tag", f"unsupported tag {_short_tag(tag)}; remove it")

    def _check_encodable(self, event: Any) -> None:
        # A double-quoted escape such as "\ud800" gives a lone surrogate, which no output
        # (terminal, JSON file) can encode. libyaml refuses it; the pure parser does not.
        try:
            event.value.encode("utf-8")
        except UnicodeEncodeError:
            raise self._error(
                event,
                "yaml-escape",
                "an escape in this quoted text gives an invalid character (a lone surrogate)",
            ) from None

    def _plain(self, event: Any) -> Any:
        value: str = event.value
        if value[:1] not in _MAYBE_NOT_TEXT:
            return value  # most plain scalars are words: skip the nine patterns below
        if _NULL.fullmatch(value):
            return None
        if _TRUE.fullmatch(value):
            return True
        if _FALSE.fullmatch(value):
            return False
        if _INT10.fullmatch(value):
            return self._int(value, 10, event)
        if _INT8.fullmatch(value):
            return self._int(value[2:], 8, event)
        if _INT16.fullmatch(value):
            return self._int(value[2:], 16, event)
        if _INF.fullmatch(value):
            return -math.inf if value.startswith("-") else math.inf
        if _NAN.fullmatch(value):
            return math.nan
        if _FLOAT.fullmatch(value):
            number = float(value)
            if math.isinf(number):
                raise self._error(event, "number-too-long", f"{value!r} is too large a number")
            return number
        return value

    def _int(self, digits: str, base: int, event: Any) -> int:
        # int() on thousands of digits is slow and nothing in a programme needs it.
        if len(digits.lstrip("+-")) > MAX_INT_DIGITS:
            raise self._error(
                event,
                "number-too-long",
                f"a number with {len(digits)} digits is too long; quote it if it is meant as text",
            )
        return int(digits, base)

    def _error(self, event: Any, code: str, message: str) -> InputError:
        line, column = _mark(event)
        return _fail(self.name, code, message, line, column)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float"}.get(type(value), "str")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def _text_line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def _fail(name: str, code: str, message: str, line: int = 0, column: int = 0) -> InputError:
    return InputError([Issue(code, message, Location(name, line, column))])
