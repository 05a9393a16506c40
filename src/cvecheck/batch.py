"""Check many programme files: expand paths, run them (in parallel if asked), keep going on errors.

A broken file yields its issues as a value, so one bad proposal never stops a batch. Results
come back in input order whatever the number of workers, so output is deterministic. A worker
can also turn each outcome into what the caller needs of it (``run_paths``: the check command
has it rendered there), so reports never cross between processes; a bounded window of tasks is
in flight, so memory stays flat whatever the number of files.
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cvecheck.pipeline import check_file
from cvecheck.results import FileOutcome, InputError, Issue, Location
from cvecheck.rule_cache import cached_rules, default_cache_dir
from cvecheck.rules import RuleSet
from cvecheck.selection import keep_only
from cvecheck.waivers import WaiverPolicy

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "PARALLEL_THRESHOLD",
    "FileOutcome",
    "check_one",
    "check_paths",
    "expand_inputs",
    "run_paths",
]

T = TypeVar("T")

PROGRAMME_SUFFIXES = (".yaml", ".yml")
PARALLEL_THRESHOLD = 200
"""Below this many files, starting worker processes costs more than it saves."""


def expand_inputs(arguments: Sequence[str]) -> tuple[list[Path], list[Issue]]:
    """Files as given, directories searched for *.yaml / *.yml, glob patterns expanded.

    A folder's hidden files and folders (names starting with ".", such as .cvecheck.yaml or
    .github/) are not programmes and are passed over. A name that exists is a file even when it
    holds glob characters (``br[1].yaml``); only a name that does not exist is a pattern.
    """
    files: list[Path] = []
    issues: list[Issue] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in PROGRAMME_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
            if not found:
                issues.append(
                    Issue(
                        "input-empty-folder",
                        "no .yaml or .yml files in this folder",
                        Location(argument),
                    )
                )
            files.extend(found)
        elif glob.has_magic(argument) and not path.exists():
            # glob.glob, not Path.glob: the pattern may be absolute or start with "..".
            matched = sorted(Path(p) for p in glob.glob(argument, recursive=True))  # noqa: PTH207
            if not matched:
                issues.append(
                    Issue("input-no-match", "the pattern matches no file", Location(argument))
                )
            files.extend(matched)
        else:
            files.append(path)  # a missing file is reported when it is checked
    unique = list(dict.fromkeys(files))
    return unique, issues


def check_one(
    path: Path, ruleset: RuleSet, today: date, policy: WaiverPolicy | None = None
) -> FileOutcome:
    try:
        return FileOutcome(str(path), check_file(path, ruleset, today=today, policy=policy))
    except InputError as error:
        return FileOutcome(str(path), None, tuple(error.issues))


def check_paths(
    paths: Sequence[Path],
    ruleset: RuleSet,
    *,
    today: date,
    jobs: int = 1,
    rule_dirs: Sequence[Path] | None = None,
    policy: WaiverPolicy | None = None,
) -> Iterator[FileOutcome]:
    """Check each path, in order. With jobs > 1 and enough files, use worker processes."""
    rules = {compiled.id: compiled.rule for compiled in ruleset.rules}
    for outcome in run_paths(
        paths, ruleset, _without_rules, today=today, jobs=jobs, rule_dirs=rule_dirs, policy=policy
    ):
        if outcome.report is not None:
            outcome = replace(outcome, report=replace(outcome.report, rules=rules))
        yield outcome


def _without_rules(outcome: FileOutcome, position: int) -> FileOutcome:
    # Every report carries the same rule models; sending them back for each file would cost
    # more than checking it. The parent puts its own back.
    if outcome.report is None:
        return outcome
    return replace(outcome, report=replace(outcome.report, rules={}))


CHUNK = 16
"""Files a worker checks per task, at most: a task's results wait whole in memory until sent."""
WINDOW = 3
"""Tasks in flight per worker: enough that no worker waits for the next, few enough that the
results waiting to be written stay a few dozen files."""


def run_paths(
    paths: Sequence[Path],
    ruleset: RuleSet,
    each: Callable[[FileOutcome, int], T],
    *,
    today: date,
    jobs: int = 1,
    rule_dirs: Sequence[Path] | None = None,
    policy: WaiverPolicy | None = None,
) -> Iterator[T]:
    """Check each path and give ``each(outcome, position)`` of it, in order, as soon as the
    files before it are done. With jobs > 1 and enough files, the files are checked and
    ``each`` runs in worker processes (``each`` must then be picklable, and what it returns
    small: it is all that comes back), and no more than a window of tasks is in flight."""
    workers = min(jobs, os.cpu_count() or 1, len(paths))
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for position, path in enumerate(paths):
            yield each(check_one(path, ruleset, today, policy), position)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor  # ~10 ms to import: only here

    size = max(1, min(CHUNK, len(paths) // (workers * 8)))
    tasks = iter([(start, paths[start : start + size]) for start in range(0, len(paths), size)])
    kept = tuple(compiled.id for compiled in ruleset.rules)
    import signal

    pending: deque[Future[list[Any]]] = deque()
    # No signal handler may run while workers are forked: a child would inherit it half run.
    # Signals wait until the pool is up (each worker unblocks them once its handlers are set).
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(rule_dirs, today, kept, policy, each),
        )
        for start, chunk in itertools.islice(tasks, workers * WINDOW):
            pending.append(pool.submit(_run_in_worker, start, chunk))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    try:
        while pending:
            done = pending.popleft().result()
            for start, chunk in itertools.islice(tasks, 1):
                pending.append(pool.submit(_run_in_worker, start, chunk))
            done.reverse()  # handed on one at a time, so each is freed once written
            while done:
                yield done.pop()
    except BaseException:
        # A signal, an error or a reader that stopped early: the workers must not go on alone.
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now. shutdown() alone would let them finish every queued file;
    the executor offers no public way to end them before Python 3.14."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)


_STOP_SIGNALS = frozenset({2, 15})
"""SIGINT and SIGTERM (numbered the same on every POSIX system)."""

_WORKER_STATE: dict[str, object] = {}


def _init_worker(
    rule_dirs: Sequence[Path] | None,
    today: date,
    kept: Sequence[str],
    policy: WaiverPolicy | None,
    each: Callable[[FileOutcome, int], object],
) -> None:
    import signal

    # The parent decides when to stop: Ctrl-C reaches the whole process group, and a worker
    # that obeyed it would print its own traceback. terminate() (SIGTERM) ends a worker at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    # Each worker loads the rules once, from the cache the parent filled when it can
    # (examples were already validated in the parent), and keeps the same rules as the
    # parent's --select / --ignore did.
    ruleset = cached_rules(rule_dirs, check_examples=False, cache_dir=default_cache_dir())
    _WORKER_STATE["ruleset"] = keep_only(ruleset, kept)
    _WORKER_STATE["today"] = today
    _WORKER_STATE["policy"] = policy
    _WORKER_STATE["each"] = each


def _run_in_worker(start: int, paths: Sequence[Path]) -> list[Any]:
    ruleset = _WORKER_STATE["ruleset"]
    today = _WORKER_STATE["today"]
    policy = _WORKER_STATE["policy"]
    each = _WORKER_STATE["each"]
    assert isinstance(ruleset, RuleSet) and isinstance(today, date) and callable(each)
    assert policy is None or isinstance(policy, WaiverPolicy)
    return [
        each(check_one(path, ruleset, today, policy), position)
        for position, path in enumerate(paths, start)
    ]
