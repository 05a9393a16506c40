"""A progress bar on standard error while a batch runs, for a person watching a terminal.

It is drawn only when standard error is a terminal and the CI environment variable is unset,
so logs, pipes and CI runs get no control characters. It draws on one line and wipes it when
the batch ends, so the report that follows starts on a clean line.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TextIO, TypeVar

T = TypeVar("T")

BAR_WIDTH = 24
CLEAR_LINE = "\r\x1b[K"


def wanted(stream: TextIO, environ: Mapping[str, str], total: int) -> bool:
    """Draw a bar only for a person at a terminal, outside CI, and when there is a batch."""
    return total > 1 and "CI" not in environ and _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream is not a terminal
        return False


def bar_line(done: int, total: int, label: str, columns: int) -> str:
    """One line of the bar, cut to fit ``columns``: ``[#####.....]  12/40  path``."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    counter = f"{done:>{len(str(total))}}/{total}"
    text = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counter} {label}"
    limit = max(columns - 1, 10)  # the last column would make some terminals wrap
    return text if len(text) <= limit else text[: limit - 3] + "..."


def track(
    items: Iterable[T],
    total: int,
    label: Callable[[T], str],
    stream: TextIO,
    environ: Mapping[str, str],
) -> Iterator[T]:
    """Yield ``items`` unchanged, drawing a bar on ``stream`` as each one arrives (if wanted)."""
    if not wanted(stream, environ, total):
        yield from items
        return
    columns = shutil.get_terminal_size().columns
    done = 0
    try:
        stream.write(CLEAR_LINE + bar_line(done, total, "", columns))
        stream.flush()
        for item in items:
            done += 1
            stream.write(CLEAR_LINE + bar_line(done, total, label(item), columns))
            stream.flush()
            yield item
    finally:
        stream.write(CLEAR_LINE)
        stream.flush()
