"""A programme file held for editing: set one field, keep everything else as it was written.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and block styles, so an
answer changes the lines of its own field and nothing else. Two cases need care and are
handled here:

- A key that is absent is inserted after its previous sibling in schema order. The comment
  lines that followed that sibling describe what comes next in the file, so they move below
  the new key and stay with what they describe.
- A key present but empty (``name:``) gets its value in place; a mapping on the way that is
  empty or absent is created.
- A key commented out (``# name:``, the template's "not stated") is uncommented first, with
  the sections on the way to it, so the answer goes where the template offers it.

Where ruamel would rewrite other lines of a file (unusual spacing, ``---``, a missing final
newline), the change ruamel makes to its own rendering is applied to the original text line
by line instead, so untouched lines stay byte-identical. Writes are atomic: a temporary file
in the same folder, flushed to disk, then renamed over the original.
"""

from __future__ import annotations

import difflib
import io
import itertools
import os
import re
import tempfile
from pathlib import Path as FsPath
from typing import Any

import yaml as yaml_1_1
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from cvecheck.results import Path

_MISSING = object()


Indent = tuple[int, int, int]
"""ruamel's mapping indent, sequence indent and offset of the dash."""

_USUAL: tuple[Indent, ...] = ((2, 4, 2), (2, 2, 0), (4, 6, 2), (4, 4, 0), (4, 4, 2))


def _yaml(indent: Indent) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line that was one line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _indent_of(text: str, data: Any) -> Indent:
    """The indentation that writes ``text`` back most faithfully: the first that gives it
    byte for byte, else the one that keeps the most lines."""
    _, mapping, offset = load_yaml_guess_indent(text)
    guessed: Indent = (mapping or 2, (mapping or 2) + (offset or 0), offset or 0)
    best, best_score = guessed, -1.0
    for candidate in (_USUAL[0], guessed, *_USUAL[1:]):
        rendered = _dump(_yaml(candidate), data)
        if rendered == text:
            return candidate
        score = difflib.SequenceMatcher(None, text.splitlines(), rendered.splitlines()).ratio()
        if score > best_score:
            best, best_score = candidate, score
    return best


class CannotEditError(Exception):
    """The file is valid for the checker but cannot be edited in place (say, not a mapping)."""


class Document:
    """The round-trip tree of one programme file and its original text."""

    def __init__(self, text: str, indent: Indent | None = None) -> None:
        self._load(text, indent)

    def _load(self, text: str, indent: Indent | None) -> None:
        self.original = text
        try:
            data = _yaml(indent or _USUAL[0]).load(text)
        except Exception as error:  # ruamel's parser is stricter than the checker's in places
            problem = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CannotEditError(f"cannot be edited in place: {problem}") from None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            raise CannotEditError("cannot be edited in place: it is not a mapping of sections")
        self.data: CommentedMap = data
        self.indent = indent or _indent_of(text, data)
        self._yaml = _yaml(self.indent)
        self._baseline = self._dump()

    def _dump(self) -> str:
        return _dump(self._yaml, self.data)

    def text(self) -> str:
        """The file as it would be written now: the original where nothing changed."""
        rendered = self._dump()
        if rendered == self._baseline:
            return self.original
        if self._baseline == self.original:
            return rendered
        return _rebase(self.original, self._baseline, rendered)

    def get(self, path: Path) -> Any:
        """The value at ``path``, or _MISSING when it is absent."""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return _MISSING
                node = node[part]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return _MISSING
        return node

    def is_stated(self, path: Path) -> bool:
        value = self.get(path)
        return value is not _MISSING and value is not None

    def line_of(self, path: Path) -> int:
        """The line (from 1) of the deepest part of ``path`` written in the file, or offered
        there commented out (``# name:``, as the template writes each field)."""
        names = [str(part) for part in itertools.takewhile(lambda p: isinstance(p, str), path)]
        offered = _key_lines(self.original.splitlines(), names, self.indent[0])
        if len(offered) == len(names) and self.get(tuple(names)) is _MISSING:
            return offered[-1] + 1
        node: Any = self.data
        line = 0
        for part in path:
            if isinstance(node, CommentedMap) and part in node:
                found = node.lc.key(part)
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                found = node.lc.item(part)
            else:
                break
            line = found[0] + 1
            node = node[part]
        return line

    def set(self, path: Path, value: Any) -> None:
        """Write ``value`` at ``path``, creating the mappings on the way; a new key goes where
        ``sibling_rank`` puts it among its siblings (at the end without one)."""
        self._uncomment(path)
        node: Any = self.data
        for depth, part in enumerate(path):
            rest = path[depth + 1 :]
            if isinstance(part, int):
                if not rest:
                    if part == len(node):
                        node.append(_node(value))
                        if part > 0:
                            _move_trailing_comment(node, part - 1, part)
                    else:
                        node[part] = _node(value)
                    return
                node = node[part]
                continue
            if not isinstance(node, CommentedMap):
                raise ValueError(f"{part} is inside something that is not a mapping")
            child = node.get(part)
            if rest and isinstance(child, CommentedMap):
                node = child
                continue
            if rest and isinstance(rest[0], int) and isinstance(child, CommentedSeq):
                node = child
                continue
            if rest and child is not None:
                raise ValueError(f"{part} holds a value, not a mapping of fields")
            new = value
            for key in reversed(rest):
                new = {key: new}
            if part in node:
                node[part] = _node(new)
            else:
                self._insert(node, part, _node(new), path[: depth + 1])
            return

    def _uncomment(self, path: Path) -> None:
        """Uncomment the lines of ``path``'s keys that the file has commented out at their
        place (``# name:`` as the template writes them), then read the file again."""
        names = [str(part) for part in itertools.takewhile(lambda p: isinstance(p, str), path)]
        if not names or self.get(tuple(names)) is not _MISSING:
            return
        text = self.text()
        changed = _uncommented(text, names, self.indent[0])
        if changed != text:
            self._load(changed, self.indent)

    sibling_rank: Any = None
    """A callable ``(path) -> int`` giving a key's position among its siblings (schema order)."""

    def _insert(self, parent: CommentedMap, key: str, value: Any, path: Path) -> None:
        rank = self.sibling_rank
        keys = list(parent)
        position = len(keys)
        if rank is not None:
            mine = rank(path)
            earlier = [i for i, k in enumerate(keys) if rank((*path[:-1], k)) < mine]
            position = earlier[-1] + 1 if earlier else 0
        if position == 0 and keys and len(path) >= 2:
            grandparent = self.get(path[:-2])
            if isinstance(grandparent, CommentedMap) and isinstance(path[-2], str):
                _move_leading_comment(grandparent, path[-2], parent, keys[0])
        parent.insert(position, key, value)
        if position > 0:
            _move_trailing_comment(parent, keys[position - 1], key)


# A key's line, live with any value, or commented out with none (``# name:`` and perhaps a
# guide after it, as the template writes it): a commented-out value is someone's old text,
# never brought back.
_KEY_LINE = re.compile(
    r"^(?P<indent> *)(?:(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?:\s|$)"
    r"|# (?P<offered>[A-Za-z_][A-Za-z0-9_]*):[ \t]*(?:#.*)?$)"
)


def _key_lines(lines: list[str], keys: list[str], step: int) -> list[int]:
    """The index of each of ``keys``' lines (one under the other, each ``step`` deeper), live
    or commented out (``# name:``), as far as they are found at their place."""
    found: list[int] = []
    start = 0
    for depth, key in enumerate(keys):
        indent = depth * step
        at = None
        for number in range(start, len(lines)):
            match = _KEY_LINE.match(lines[number])
            if match is None:
                continue
            if len(match.group("indent")) < indent and depth:
                break  # past the end of the parent's block
            name = match.group("key") or match.group("offered")
            if len(match.group("indent")) == indent and name == key:
                at = number
                break
        if at is None:
            break
        found.append(at)
        start = at + 1
    return found


def _uncommented(text: str, keys: list[str], step: int) -> str:
    """``text`` with the commented-out lines of ``keys`` uncommented (see ``_key_lines``)."""
    lines = text.splitlines(keepends=True)
    for depth, number in enumerate(_key_lines(lines, keys, step)):
        indent = depth * step
        if lines[number][indent:].startswith("# "):
            lines[number] = lines[number][:indent] + lines[number][indent + 2 :]
    return "".join(lines)


def _node(value: Any) -> Any:
    """A Python answer as a round-trip node: short lists in flow style, items in block style."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _node(v)
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _misread(value):
        return DoubleQuotedScalarString(value)
    return value


def _misread(text: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML, many editors) would take ``text`` written plain
    for something else: ``no`` as false, ``2.0`` as a number, a date. Such text is quoted."""
    try:
        read: Any = yaml_1_1.safe_load(text)
    except yaml_1_1.YAMLError:
        return True
    return bool(read != text)


def _last_holder(parent: Any, key: Any) -> tuple[Any, Any]:
    """The node and key whose trailing comment holds the lines written after ``parent[key]``."""
    node, at = parent, key
    while True:
        value = node[at]
        if isinstance(value, (CommentedMap, CommentedSeq)) and value.fa.flow_style():
            return node, at
        if isinstance(value, CommentedMap) and len(value):
            node, at = value, list(value)[-1]
        elif isinstance(value, CommentedSeq) and len(value):
            node, at = value, len(value) - 1
        else:
            return node, at


def _slot(node: Any) -> int:
    return 0 if isinstance(node, CommentedSeq) else 2


def _move_trailing_comment(parent: Any, previous: str | int, key: str | int) -> None:
    """The full-line comments after ``previous`` describe what followed it: move them below
    the new ``key`` (inserted right after it) so they stay with what they describe."""
    holder, at = _last_holder(parent, previous)
    slot = _slot(holder)
    entry = holder.ca.items.get(at)
    if not entry or len(entry) <= slot or entry[slot] is None:
        return
    token = entry[slot]
    own, newline, rest = token.value.partition("\n")
    if not rest:
        return
    token.value = own + newline
    if not own.strip():
        entry[slot] = None
    moved = CommentToken("\n" + rest, token.start_mark, None)
    target, target_at = _last_holder(parent, key)
    target.ca.items.setdefault(target_at, [None, None, None, None])[_slot(target)] = moved


def _move_leading_comment(
    grandparent: CommentedMap, name: str, parent: CommentedMap, first: str
) -> None:
    """Comments before a mapping's first key stay before that key when a key goes in front.

    ruamel keeps them with the mapping's own key in its parent (and a copy on the mapping)."""
    entry = grandparent.ca.items.get(name)
    if not entry or len(entry) < 4 or not entry[3]:
        return
    tokens = list(entry[3])
    entry[3] = None
    if parent.ca.comment and len(parent.ca.comment) > 1:
        parent.ca.comment[1] = None
    own = parent.ca.items.setdefault(first, [None, None, None, None])
    own[1] = tokens + list(own[1] or [])


def _rebase(original: str, baseline: str, rendered: str) -> str:
    """Apply the change between two renderings to the original text, line by line.

    ``baseline`` is how ruamel writes the unchanged file, ``rendered`` how it writes the
    changed one. Lines that ruamel writes differently from the original but that the change
    does not touch keep their original bytes. A change next to such a line is written as
    ruamel renders it.
    """
    ours = original.splitlines(keepends=True)
    base = baseline.splitlines(keepends=True)
    new = rendered.splitlines(keepends=True)
    if ours and not ours[-1].endswith("\n"):
        ours[-1] += "\n"
        missing_newline = True
    else:
        missing_newline = False
    to_ours: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            to_ours[block.a + offset] = block.b + offset
    edits: list[tuple[int, int, list[str]]] = []
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            if i1 not in to_ours or i2 - 1 not in to_ours:
                return rendered
            start, end = to_ours[i1], to_ours[i2 - 1] + 1
        elif i1 in to_ours:
            start = end = to_ours[i1]
        elif i1 - 1 in to_ours:
            start = end = to_ours[i1 - 1] + 1
        else:
            return rendered
        edits.append((start, end, new[j1:j2]))
    for start, end, lines in reversed(edits):
        ours[start:end] = lines
    text = "".join(ours)
    last = original.splitlines(keepends=True)[-1] if original else ""
    if missing_newline and text.endswith("\n" + last + "\n"):
        text = text[:-1]  # the last line is untouched: keep it without a newline
    return text


def read(path: FsPath) -> str:
    return path.read_text(encoding="utf-8")


def write_atomic(path: FsPath, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old file or the new, never half.

    The new text goes to a temporary file in the same folder (so the rename stays on one file
    system), is flushed to disk, and is then renamed over the original; its permissions are
    kept.
    """
    folder = path.parent if str(path.parent) else FsPath()
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            FsPath(temporary).chmod(mode)
        FsPath(temporary).replace(path)
    except BaseException:
        FsPath(temporary).unlink(missing_ok=True)
        raise
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)
