"""The table's own word wrap gives exactly the lines textwrap gives, at a fraction of the cost."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from cvecheck.reporters import layout
from cvecheck.reporters.layout import Terminal

WORDS = st.text(alphabet="ab.-_: \u00e9\u4e00", min_size=0, max_size=60)
SPACED = st.lists(st.text(alphabet="ab.-_:\u00e9", min_size=1, max_size=12), max_size=12).map(
    " ".join
)  # words one space apart, as nearly all text is
ANY = st.text(min_size=0, max_size=60)  # tabs, newlines, other spaces: textwrap's own rules
INDENTS = st.sampled_from(["", " ", "  ", "    ", "      "])


def _textwrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.TextWrapper(
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ).wrap(text)


@settings(max_examples=1000)
@given(st.one_of(WORDS, SPACED, ANY), st.integers(min_value=1, max_value=30), INDENTS, INDENTS)
def test_the_same_lines_as_textwrap(text: str, width: int, first: str, rest: str) -> None:
    assert layout._greedy(text, width, first, rest) == _textwrap(text, width, first, rest)


def test_a_long_dotted_name_is_broken_only_after_its_dots() -> None:
    name = "community_and_reporting.post_reporting_support.emotional_support"
    assert layout.wrap(f"see {name} here", 30) == [
        "see",
        "community_and_reporting.",
        "post_reporting_support.",
        "emotional_support",
        "here",
    ]


def test_a_paragraph_hangs_under_its_first_line() -> None:
    assert layout.fill("a b c " * 4, 10, indent="- ", hanging="  ") == (
        "- a b c a\n  b c a b\n  c a b c"
    )


@given(st.text(max_size=80))
def test_the_safe_pass_is_one_line_on_every_line(text: str) -> None:
    from cvecheck.escaping import one_line

    assert Terminal(80).safe(text) == "\n".join(one_line(line) for line in text.split("\n"))
