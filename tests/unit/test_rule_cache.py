"""The rule-set cache: a hit skips YAML and example checks; any change means a full check."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from cvecheck import rule_files
from cvecheck.pipeline import check_text
from cvecheck.reporters import render_reports
from cvecheck.results import FileOutcome, InputError
from cvecheck.rule_cache import cached_rules as load_rules
from cvecheck.rules import PackManifest, Rule, to_data
from cvecheck.rules import load_rules as full_load

from ..paths import FIXTURES, REPORTING_PACK


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(REPORTING_PACK, folder)
    return folder


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a rule file was parsed")

    monkeypatch.setattr(rule_files, "load_file", refuse)


def test_a_hit_gives_the_same_rules_without_parsing(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_rules([pack], cache_dir=cache)
    assert len(list(cache.glob("rules-*.json"))) == 1
    _no_yaml(monkeypatch)
    second = load_rules([pack], cache_dir=cache)
    assert [c.rule for c in second.rules] == [c.rule for c in first.rules]
    assert [c.file for c in second.rules] == [c.file for c in first.rules]
    assert second.packs == first.packs


def test_a_changed_rule_is_checked_again(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_rules([pack], cache_dir=cache)
    rule = next(p for p in sorted(pack.rglob("*.yaml")) if p.name != "pack.yaml")
    text = rule.read_text(encoding="utf-8")
    rule.write_text(
        text.replace("examples:\n  pass:\n", "examples:\n  pass:\n    - {nmae: typo}\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_rules([pack], cache_dir=cache)
    assert any(i.code == "rule-example-invalid" for i in caught.value.issues)


def test_a_damaged_cache_means_a_full_load(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = load_rules([pack], cache_dir=cache)
    for stored in cache.glob("rules-*.json"):
        stored.write_text('{"rules": [["x", {"id": "not a rule"}]]', encoding="utf-8")
    again = load_rules([pack], cache_dir=cache)
    assert [c.id for c in again.rules] == [c.id for c in expected.rules]


def test_an_unwritable_cache_is_not_an_error(pack: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    ruleset = load_rules([pack], cache_dir=blocker / "cache")
    assert ruleset.rules


def test_a_file_the_loader_refuses_is_reported_not_hashed(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache must not read what the loader would refuse: a pipe would block it forever.
    import os

    os.mkfifo(pack / "ZZZ999-a-pipe.yaml")
    with pytest.raises(InputError) as caught:
        load_rules([pack], cache_dir=tmp_path / "cache")
    assert any(i.code == "input-not-file" for i in caught.value.issues)


def test_eviction_keeps_the_rule_set_used_last(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_rules([pack], cache_dir=cache)
    (used,) = cache.glob("rules-*.json")
    os.utime(used, (1, 1))  # written long ago ...
    for n in range(8):  # ... and since then other checkouts filled the cache
        other = cache / f"rules-{n:064x}.json"
        other.write_text("{}", encoding="utf-8")
        os.utime(other, (1000 + n, 1000 + n))
    load_rules([pack], cache_dir=cache)  # ... but it was used just now
    changed = tmp_path / "changed"
    shutil.copytree(pack, changed)
    rule = next(p for p in sorted(changed.rglob("*.yaml")) if p.name != "pack.yaml")
    rule.write_text(rule.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    load_rules([changed], cache_dir=cache)  # a new entry evicts the least recently used
    assert used.exists()
    assert not (cache / f"rules-{0:064x}.json").exists()


FIXTURE_PACKS = sorted(
    p.parent
    for p in FIXTURES.glob("*/pack.yaml")
    if p.parent.name != "broken-ref-pack"  # refused on load: nothing to cache
)


@pytest.mark.parametrize("fixture", FIXTURE_PACKS, ids=lambda p: p.name)
def test_a_hit_gives_the_values_of_a_full_load(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / fixture.name
    shutil.copytree(fixture, pack)
    cache = tmp_path / "cache"
    full = full_load([pack])
    load_rules([pack], cache_dir=cache)  # a miss: checked, then stored
    _no_yaml(monkeypatch)
    hit = load_rules([pack], cache_dir=cache)
    assert hit.rules == full.rules  # the rule values and files
    assert hit.packs == full.packs
    assert hit.identities == full.identities
    assert [to_data(c.rule) for c in hit.rules] == [to_data(c.rule) for c in full.rules]
    # ... and the same report, byte for byte, in every check format that is text.
    text = "programme: {name: Demo}\nformers: {used: true}\n"
    for name in ("json", "sarif", "junit", "table", "markdown"):
        outcomes = [
            FileOutcome("p.yaml", check_text(text, "p.yaml", ruleset, today=date(2026, 1, 1)))
            for ruleset in (full, hit)
        ]
        assert render_reports(name, outcomes[:1]) == render_reports(name, outcomes[1:]), name


def test_a_rule_reads_back_from_its_plain_data(pack: Path) -> None:
    for compiled in full_load([pack]).rules:
        assert Rule.from_data(to_data(compiled.rule)) == compiled.rule
    for manifest in full_load([pack]).packs:
        assert PackManifest.from_data(to_data(manifest)) == manifest


def test_a_tampered_cache_is_refused(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = load_rules([pack], cache_dir=cache)
    (stored,) = cache.glob("rules-*.json")
    sealed = json.loads(stored.read_text(encoding="utf-8"))
    payload = json.loads(sealed["payload"])
    for _, rule in payload["rules"]:
        rule["severity"] = "advisory"  # the kind of edit that would weaken a gate
        rule["requirements"] = rule["requirements"][:1]
    sealed["payload"] = json.dumps(payload)
    stored.write_text(json.dumps(sealed), encoding="utf-8")
    again = load_rules([pack], cache_dir=cache)
    assert again.rules == expected.rules
    assert [c.rule.severity for c in again.rules] == [c.rule.severity for c in expected.rules]


def test_the_cache_uses_the_loaders_size_limit() -> None:
    from cvecheck import loader, rule_cache

    assert rule_cache.MAX_FILE_BYTES == loader.MAX_FILE_BYTES
