"""Every question a shipped rule asks ends with the real fields that answer it."""

from __future__ import annotations

import re

import pytest

from cvecheck.programme import programme_paths
from cvecheck.rules import CompiledRule, load_rules

from ..paths import SHIPPED_RULES

RULESET = load_rules([SHIPPED_RULES])
# The fields a question names sit in its closing brackets; a field may carry a short note
# ("programme.settings includes online").
_ASKED_FIELDS = re.compile(r"\(([^()]+)\)\?$")


def is_programme_path(path: str) -> bool:
    return path in programme_paths()


@pytest.mark.parametrize("compiled", RULESET.rules, ids=lambda c: c.id)
def test_questions_name_real_fields(compiled: CompiledRule) -> None:
    rule = compiled.rule
    for ask in [c.ask for c in rule.applies_when] + [r.ask for r in rule.requirements]:
        named = _ASKED_FIELDS.search(ask)
        assert named, f"{compiled.id}: {ask!r} does not end with the field in brackets"
        for item in named.group(1).split(", "):
            path = item.split(" ")[0]
            assert is_programme_path(path), f"{compiled.id}: {ask!r} names {path!r}"
