"""The on-disk cache of checked rule sets, so a cold start skips parsing and example checks.

A rule set that passed every check (examples included) is remembered under a digest of its
files' bytes and of the code that checked them. Loading the same files again skips the YAML
parsing and the example checks, which at 70 rules are most of a cold start; the rules
themselves are still validated and compiled. Any change to a rule file, or to cvecheck, means a
new digest and a full check. A missing, stale or damaged cache only means a full load.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path as FsPath

from cvecheck.loader import MAX_FILE_BYTES
from cvecheck.rules import (
    PackManifest,
    Rule,
    RuleSet,
    compile_rule,
    default_rules_dir,
    load_rules,
    resolve_rules_dir,
)


def cached_rules(
    dirs: Iterable[FsPath] | None = None,
    *,
    cache_dir: FsPath | None,
    check_examples: bool = True,
) -> RuleSet:
    """``load_rules``, answered from ``cache_dir`` when these files were checked before."""
    folders = [resolve_rules_dir(d) for d in dirs] if dirs is not None else [default_rules_dir()]
    key = _cache_key(folders) if cache_dir is not None else None
    if cache_dir is not None and key is not None:
        cached = _read_cache(cache_dir, key)
        if cached is not None:
            return cached
    ruleset = load_rules(folders, check_examples=check_examples)
    if cache_dir is not None and key is not None and check_examples:
        _write_cache(cache_dir, key, ruleset)
    return ruleset


def default_cache_dir() -> FsPath | None:
    """Where the command line remembers rule sets that passed their checks (None: nowhere)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(FsPath.home() / ".cache")
        except (RuntimeError, KeyError):  # no home directory: run without the cache
            return None
    return FsPath(base) / "cvecheck"


_CACHE_FORMAT = "1"
_CACHE_KEEP = 8


def _cache_key(folders: list[FsPath]) -> str | None:
    """A digest of everything the verdict on these folders depends on, or None when a file
    is one the loader would refuse anyway (unreadable, not a regular file, too large): the
    full load then says so, with the file and the reason."""
    try:
        return _digest(folders)
    except (OSError, _NotCacheableError):
        return None


class _NotCacheableError(Exception):
    pass


def _digest(folders: list[FsPath]) -> str:
    from cvecheck import __version__

    digest = hashlib.sha256(f"{_CACHE_FORMAT}\0{__version__}\0".encode())
    # The code that validates rules and examples is part of the verdict: a changed model
    # (say, during development, with the version unchanged) must not reuse an old one.
    package = FsPath(__file__).parent
    for module in (package / "rules.py", *sorted((package / "programme").glob("*.py"))):
        info = FsPath(module).stat()
        digest.update(f"{module}\0{info.st_mtime_ns}\0{info.st_size}\0".encode())
    for folder in folders:
        digest.update(f"{folder.resolve()}\0".encode())
        for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                raise _NotCacheableError(path)
            digest.update(f"{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _read_cache(cache_dir: FsPath, key: str) -> RuleSet | None:
    try:
        stored = json.loads((cache_dir / f"rules-{key}.json").read_text(encoding="utf-8"))
        rules = tuple(
            compile_rule(Rule.model_validate(data), file) for file, data in stored["rules"]
        )
        packs = tuple(PackManifest.model_validate(data) for data in stored["packs"])
    except Exception:  # a missing, stale or damaged cache only means a full load
        return None
    return RuleSet(rules, packs)


def _write_cache(cache_dir: FsPath, key: str, ruleset: RuleSet) -> None:
    stored = {
        "rules": [[c.file, c.rule.model_dump(mode="json", by_alias=True)] for c in ruleset.rules],
        "packs": [pack.model_dump(mode="json") for pack in ruleset.packs],
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = cache_dir / f"rules-{key}.json"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(stored), encoding="utf-8")
        partial.replace(target)
        old = sorted(cache_dir.glob("rules-*.json"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only home or a full disk: run without the cache
        return
