"""The indented JSON encoder writes exactly what json.dumps(indent=2, ensure_ascii=False) does."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvecheck.reporters.indented_json import dumps

KEYS = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats())
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text())
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(KEYS, children, max_size=4),
    ),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=400)
@given(VALUES)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps(value) == reference(value)


@given(st.dictionaries(st.text(), VALUES, max_size=3), st.integers(0, 4))
def test_a_part_indented_as_inside_the_whole(value: dict[str, Any], level: int) -> None:
    whole = reference({"files": [value]} if level == 2 else value)
    part = dumps(value, level)
    if level == 2:
        assert part in whole
    else:
        assert part == whole.replace("\n", "\n" + "  " * level)


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


def test_subclasses_of_json_types_are_written_as_their_base() -> None:
    value = {"c": Colour.RED, "l": Level.HIGH, Colour.RED: [Level.HIGH], 1.5: (), "e": {}}
    assert dumps(value) == reference(value)


def test_other_types_are_refused_like_json_dumps() -> None:
    with pytest.raises(TypeError):
        reference({"x": {1, 2}})
    with pytest.raises(TypeError):
        dumps({"x": {1, 2}})
    with pytest.raises(TypeError):
        dumps({(1, 2): 1})
