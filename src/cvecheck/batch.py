"""Check many programme files: expand paths, run them (in parallel if asked), keep going on errors.

A broken file yields its issues as a value, so one bad proposal never stops a batch. Results
come back in input order whatever the number of workers, so output is deterministic.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cvecheck.pipeline import check_file
from cvecheck.results import FileOutcome, InputError, Issue, Location
from cvecheck.rule_cache import cached_rules, default_cache_dir
from cvecheck.rules import RuleSet
from cvecheck.selection import keep_only
from cvecheck.waivers import WaiverPolicy

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["PARALLEL_THRESHOLD", "FileOutcome", "check_one", "check_paths", "expand_inputs"]

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
    workers = min(jobs, os.cpu_count() or 1, len(paths))
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield check_one(path, ruleset, today, policy)
        return
    from concurrent.futures import ProcessPoolExecutor  # only here: it costs ~10 ms to import

    # Chunks of at most 64 files: a worker holds a whole chunk of reports before sending it,
    # so larger chunks cost memory (80 MiB at 70 rules with chunks of 600) and gain nothing.
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    rules = {compiled.id: compiled.rule for compiled in ruleset.rules}
    kept = tuple(compiled.id for compiled in ruleset.rules)
    import signal

    # No signal handler may run while workers are forked: a child would inherit it half run.
    # Signals wait until the pool is up (each worker unblocks them once its handlers are set).
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(rule_dirs, today, kept, policy),
        )
        checked = pool.map(_check_in_worker, paths, chunksize=chunk)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    try:
        for outcome in checked:
            if outcome.report is not None:
                outcome = replace(outcome, report=replace(outcome.report, rules=rules))
            yield outcome
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


def _check_in_worker(path: Path) -> FileOutcome:
    ruleset = _WORKER_STATE["ruleset"]
    today = _WORKER_STATE["today"]
    policy = _WORKER_STATE["policy"]
    assert isinstance(ruleset, RuleSet) and isinstance(today, date)
    assert policy is None or isinstance(policy, WaiverPolicy)
    outcome = check_one(path, ruleset, today, policy)
    if outcome.report is None:
        return outcome
    # Every report carries the same rule models; sending them back for each file would cost
    # more than checking it. The parent puts its own back.
    return replace(outcome, report=replace(outcome.report, rules={}))
