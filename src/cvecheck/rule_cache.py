"""The on-disk cache of checked rule sets, so a cold start skips parsing and example checks.

A rule set that passed every check (examples included) is remembered under a digest of its
files' bytes and of the code that checked them. Loading the same files again skips the YAML
parsing, the rule-file models (pydantic is not even imported) and the example checks, which at
70 rules are most of a cold start: the stored plain data becomes the run-time rules directly
(each validator is built once, when first used). Any change to a rule file, or to cvecheck,
means a new digest and a full check. A missing, stale or damaged cache only means a full load.

Each cache file carries a digest of its own contents (and of the key it is stored under) and
is checked against it before use: a cache file edited by hand, or by anything but this module,
does not match and is rebuilt from the rule files, so it cannot change a verdict. The digest
is no defence against someone who can write the cache folder and recompute it; that folder
must be writable only by whoever runs cvecheck (see docs/security.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path as FsPath

from cvecheck.packs import default_rules_dir, pack_files, resolve_rules_dir
from cvecheck.results import PackIdentity
from cvecheck.rules import PackManifest, Rule, RuleSet, compile_rule, load_rules, to_data

MAX_FILE_BYTES = 1024 * 1024
"""The loader's limit (``cvecheck.loader.MAX_FILE_BYTES``, which a test keeps equal): a pack
holding a larger file is not hashed, and the full load refuses it. Not imported from the
loader, whose YAML machinery a cache hit never needs."""


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


_CACHE_FORMAT = "3"
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
    # The programme's schema files too: the paths a rule may read come from one of them.
    checking = [package / m for m in ("rules.py", "rule_files.py", "predicates.py", "packs.py")]
    programme = sorted((package / "programme").glob("*.py"))
    programme += sorted((package / "programme").glob("*.json"))
    for module in (*checking, *programme):
        info = FsPath(module).stat()
        digest.update(f"{module}\0{info.st_mtime_ns}\0{info.st_size}\0".encode())
    for folder in folders:
        digest.update(f"{folder.resolve()}\0".encode())
        for path in pack_files(folder) if folder.is_dir() else []:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                raise _NotCacheableError(path)
            digest.update(f"{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _seal(key: str, payload: str) -> str:
    """The digest a cache file must carry: of the key it is stored under and its contents."""
    return hashlib.sha256(f"{key}\0{payload}".encode("utf-8", "surrogatepass")).hexdigest()


def _read_cache(cache_dir: FsPath, key: str) -> RuleSet | None:
    path = cache_dir / f"rules-{key}.json"
    try:
        sealed = json.loads(path.read_text(encoding="utf-8"))
        payload = sealed["payload"]
        if not isinstance(payload, str) or sealed["digest"] != _seal(key, payload):
            return None  # edited or damaged: rebuilt from the rule files
        stored = json.loads(payload)
        # Sealed, so checked when it was stored: plain values, no re-validation.
        rules = tuple(compile_rule(Rule.from_data(data), file) for file, data in stored["rules"])
        packs = tuple(PackManifest.from_data(data) for data in stored["packs"])
        identities = tuple(PackIdentity(**data) for data in stored["identities"])
    except Exception:  # a missing, stale or damaged cache only means a full load
        return None
    # Eviction is by last use: checkouts sharing a home keep the rule sets they use.
    with contextlib.suppress(OSError):
        os.utime(path)
    return RuleSet(rules, packs, identities=identities)


def _write_cache(cache_dir: FsPath, key: str, ruleset: RuleSet) -> None:
    stored = {
        "rules": [[c.file, to_data(c.rule)] for c in ruleset.rules],
        "packs": [to_data(pack) for pack in ruleset.packs],
        "identities": [
            {"name": i.name, "version": i.version, "digest": i.digest, "shipped": i.shipped}
            for i in ruleset.identities
        ],
    }
    payload = json.dumps(stored)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = cache_dir / f"rules-{key}.json"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(
            json.dumps({"digest": _seal(key, payload), "payload": payload}), encoding="utf-8"
        )
        partial.replace(target)
        # Least recently used first: a hit touches its entry (see _read_cache).
        old = sorted(cache_dir.glob("rules-*.json"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only home or a full disk: run without the cache
        return
