"""Where rule packs live and which files they hold.

The shipped packs (``builtin:NAME``), the pack.yaml each folder needs, and the list of files a
pack is read from: the loader (``cvecheck.rule_files``), the pack digest and the cache key
(``cvecheck.rule_cache``) all take the files from ``pack_files``, so they cannot disagree on
what a pack is.
"""

from __future__ import annotations

from pathlib import Path as FsPath

PACK_FILE = "pack.yaml"

BUILTIN_PREFIX = "builtin:"
BUILTIN_PACKS = ("crest", "practice")
"""The packs shipped with cvecheck: the CREST review's (on by default) and the practice
standards (off by default; name it as ``builtin:practice`` in ``--rules`` or ``rules:``)."""


def builtin_rules_root() -> FsPath:
    """The folder holding the shipped packs: inside the installed package, or the checkout's."""
    packaged = FsPath(__file__).parent / "rules"
    if (packaged / "crest" / PACK_FILE).is_file():
        return packaged
    return FsPath(__file__).resolve().parents[2] / "rules"


def default_rules_dir() -> FsPath:
    """The rule pack used when no other is named: the CREST review's."""
    return builtin_rules_root() / "crest"


def resolve_rules_dir(folder: FsPath) -> FsPath:
    """A rule folder as given, or a shipped pack when named ``builtin:NAME``."""
    text = str(folder)
    if text.startswith(BUILTIN_PREFIX):
        return builtin_rules_root() / text[len(BUILTIN_PREFIX) :]
    return folder


def pack_files(folder: FsPath) -> list[FsPath]:
    """Every file of a pack that the loader reads: pack.yaml and the rule files."""
    return sorted(folder.rglob("*.yaml"))
