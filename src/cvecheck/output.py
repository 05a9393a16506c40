"""Where a command's output goes: standard output, or files written whole or not at all.

Every command that writes output writes it through ``Outputs``, so every command gives the same
located errors. A file is written to a temporary file beside it and renamed into place when the
command has finished, so a reader never sees half a report and a failed run leaves the old file
as it was. A format whose head depends on every file writes its parts to unnamed temporary
files first (``stream``) and copies them after the head. An output that names one of the
command's inputs, or the same file as another output, is refused before anything is read or
written.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TextIO

from cvecheck.reporters import ReportRenderer, Stream
from cvecheck.results import InputError, Issue, Location

STDOUT = "-"


def output_issues(targets: Sequence[Path | None], inputs: Sequence[Path]) -> list[Issue]:
    """Outputs that would overwrite an input or another output (None is standard output)."""
    issues: list[Issue] = []
    seen: dict[Path, Path] = {}
    read = {_identity(path): path for path in inputs}
    for target in targets:
        if target is None:
            continue
        identity = _identity(target)
        if identity in read:
            issues.append(
                Issue(
                    "output-is-input",
                    "is also an input; writing the report there would overwrite it. "
                    "Choose another --output file",
                    Location(str(target)),
                )
            )
        elif identity in seen:
            issues.append(
                Issue(
                    "output-repeated",
                    "is named by more than one --output; give each format its own file",
                    Location(str(target)),
                )
            )
        seen.setdefault(identity, target)
    return issues


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


class Outputs:
    """The open outputs of one command, in order; ``None`` stands for standard output."""

    def __init__(self, targets: Sequence[Path | None]) -> None:
        self._targets = list(targets)
        self._handles: list[TextIO] = []
        self._partials: list[Path | None] = []
        self._spools: list[IO[str]] = []

    def open(self) -> None:
        """Create the temporary files; raises InputError naming an output that cannot be
        written, before any work is done."""
        issues: list[Issue] = []
        for target in self._targets:
            if target is None:
                self._handles.append(sys.stdout)
                self._partials.append(None)
                continue
            if target.is_dir():
                issues.append(
                    Issue("output-is-folder", "is a folder; name a file", Location(str(target)))
                )
                continue
            if target.exists() and not target.is_file():
                # A device or a pipe (/dev/null, a FIFO): write to it as it is; renaming over
                # it would replace it.
                try:
                    self._handles.append(target.open("w", encoding="utf-8", newline=""))
                except OSError as error:
                    issues.append(_unwritable(target, error))
                    continue
                self._partials.append(None)
                continue
            try:
                descriptor, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".partial", dir=target.parent or Path()
                )
            except OSError as error:
                issues.append(_unwritable(target, error))
                continue
            self._handles.append(os.fdopen(descriptor, "w", encoding="utf-8", newline=""))
            self._partials.append(Path(name))
        if issues:
            self.abort()
            raise InputError(issues)

    def write(self, index: int, data: str | bytes) -> None:
        """Text, or the bytes of a binary format (written under the text layer)."""
        if isinstance(data, bytes):
            handle = self._handles[index]
            handle.flush()
            handle.buffer.write(data)
        elif data:
            self._handles[index].write(data)

    def stream(self, index: int, renderer: ReportRenderer) -> Stream:
        """Output ``index`` written as ``renderer``'s stream of files; a part that must wait
        for its head is spooled to an unnamed temporary file beside the output file (or in the
        temporary folder, for standard output or a device), removed when it is closed."""
        partial = self._partials[index]
        folder = partial.parent if partial is not None else None

        def spool() -> IO[str]:
            made = tempfile.TemporaryFile(  # noqa: SIM115 - closed at commit or abort
                "w+", encoding="utf-8", newline="", dir=folder
            )
            self._spools.append(made)
            return made

        return Stream(renderer, functools.partial(self.write, index), spool)

    def commit(self) -> None:
        """Put every written file in place; standard output is flushed."""
        self._close_spools()
        issues: list[Issue] = []
        for handle, partial, target in zip(
            self._handles, self._partials, self._targets, strict=True
        ):
            if partial is None or target is None:
                try:
                    handle.flush() if handle is sys.stdout else handle.close()
                except OSError as error:
                    if target is not None:
                        issues.append(_unwritable(target, error))
                continue
            try:
                handle.close()
                partial.chmod(0o666 & ~_umask())
                partial.replace(target)
            except OSError as error:
                issues.append(_unwritable(target, error))
        self._partials = [None] * len(self._partials)
        if issues:
            self.abort()
            raise InputError(issues)

    def abort(self) -> None:
        """Remove every temporary file; nothing is put in place."""
        self._close_spools()
        for handle, partial in zip(self._handles, self._partials, strict=False):
            if partial is None:
                continue
            with contextlib.suppress(OSError):
                handle.close()
            partial.unlink(missing_ok=True)
        self._partials = [None] * len(self._partials)

    def _close_spools(self) -> None:
        for spool in self._spools:
            with contextlib.suppress(OSError):
                spool.close()
        self._spools = []


@contextlib.contextmanager
def opened(targets: Sequence[Path | None]) -> Iterator[Outputs]:
    """Outputs opened for a command: committed when it finishes, removed if it fails."""
    outputs = Outputs(targets)
    outputs.open()
    try:
        yield outputs
    except BaseException:
        outputs.abort()
        raise
    outputs.commit()


def write_text(text: str, target: Path | None) -> None:
    """One whole output to one place."""
    with opened([target]) as outputs:
        outputs.write(0, text)


def _unwritable(target: Path, error: OSError) -> Issue:
    reason = error.strerror or type(error).__name__
    return Issue("output-unwritable", f"cannot be written: {reason}", Location(str(target)))


def _umask() -> int:
    # mkstemp creates files readable by the owner only; a report should get the permissions
    # any other file written here would get.
    current = os.umask(0)
    os.umask(current)
    return current
