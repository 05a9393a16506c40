"""Property-based tests: whatever the bytes, the pipeline ends in a report or a clean InputError.

Random YAML documents and random mutations of the shipped examples go through the whole
pipeline (decode, load, validate, waivers, every rule, every renderer). Any other exception is
a defect. The default profile keeps the run well under a minute for CI; for a longer hunt:

    .venv/bin/pytest tests/test_fuzz.py --hypothesis-profile=long
"""

from __future__ import annotations

import json
import string
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cvecheck.loader import decode
from cvecheck.pipeline import check_text
from cvecheck.reporters import Command, names, render_reports
from cvecheck.results import FileOutcome, InputError, Issue
from cvecheck.rules import load_rules

from ..paths import EXAMPLES_DIR, SHIPPED_RULES

pytestmark = pytest.mark.slow  # property-based: hundreds of generated inputs

RULESET = load_rules([SHIPPED_RULES])
TODAY = date(2026, 1, 1)
EXAMPLES = [p.read_bytes() for p in sorted(EXAMPLES_DIR.glob("*.yaml"))]
FIELDS = sorted({*yaml.safe_load(EXAMPLES[0]).keys(), "programme", "waivers"})


def run_pipeline(raw: bytes) -> None:
    """Decode, check and render; only a report or an InputError may come out."""
    name = "fuzz.yaml"
    try:
        report = check_text(decode(raw, name), name, RULESET, today=TODAY)
    except InputError as error:
        assert error.issues
        for issue in error.issues:
            assert isinstance(issue, Issue)
            assert "\n" not in str(issue)
        outcome = FileOutcome(name, None, tuple(error.issues))
    else:
        assert len(report.results) == len(RULESET.rules)
        outcome = FileOutcome(name, report)
    for name in names(Command.CHECK):
        text = render_reports(name, [outcome])
        if name == "json":
            json.loads(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "on", "NO", "010", "0x1F", "2023-02-30", "2024-01-02", "~"]),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(string.ascii_lowercase + "_", max_size=12))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


@given(document=st.dictionaries(keys, documents, max_size=8), flow=st.booleans())
def test_random_yaml_documents(document: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    run_pipeline(text.encode("utf-8"))


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "swap-lines", "dup-line"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            piece = draw(
                st.one_of(
                    st.binary(max_size=8),
                    st.sampled_from(
                        [
                            b"\t",
                            b"&a ",
                            b"*a",
                            b"!!python/name:os.system ",
                            b"<<: ",
                            b"---\n",
                            b"{",
                            b"[",
                            b"'",
                            b'"',
                            b"\xef\xbb\xbf",
                            b"\x00",
                            b": ",
                            b"- ",
                            b"? ",
                        ]
                    ),
                )
            )
            data[at:at] = piece
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "swap-lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, lines[j])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@given(raw=mutated_examples())
def test_mutated_examples(raw: bytes) -> None:
    run_pipeline(raw)


@given(raw=st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    run_pipeline(raw)


@given(text=st.text(max_size=300))
def test_random_text(text: str) -> None:
    run_pipeline(text.encode("utf-8", "surrogatepass"))
