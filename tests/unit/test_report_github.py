"""GitHub workflow-command annotations, read back the way the Actions runner reads them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cvecheck.escaping import visible
from cvecheck.reporters import github, render_reports
from cvecheck.results import Location

from ..reporting import check, outcomes

_COMMAND = re.compile(r"^::(?P<level>[a-z]+) (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    """The runner's unescaping, in its order (%25 last, so "%253A" stays "%3A")."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner splits it: level, properties, message."""
    match = _COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = {}
    for pair in match["properties"].split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value)
    return match["level"], properties, unescape(match["message"])


# Programme file written so that each severity of rule has an open gap.
GAPS = """\
formers:
  used: true
  training: {before_delivery: false}
multi_agency:
  lead_agency: ""
community_and_reporting:
  receives_concerns: true
  post_reporting_support: {named_contact: false}
"""


@pytest.mark.parametrize(
    ("rule", "level"), [("DLV001", "error"), ("DLV002", "warning"), ("REP001", "notice")]
)
def test_each_gap_is_annotated_at_its_level(rule: str, level: str) -> None:
    outcome = check(GAPS, "programmes/gaps.yaml")
    report = outcome.report
    assert report is not None
    [result] = [r for r in report.results if r.rule_id == rule]
    parsed = [parse(line) for line in render_reports("github", [outcome]).splitlines()]
    [(found, properties, message)] = [p for p in parsed if p[1]["title"].startswith(rule)]
    assert found == level
    assert result.location is not None
    assert properties == {
        "file": "programmes/gaps.yaml",
        "line": str(result.location.line),
        "col": str(result.location.column),
        "title": f"{rule} {report.rules[rule].title}",
    }
    assert message.splitlines()[:2] == ["Missing:", f"- {result.gaps[0].message}"]
    assert f"What to do: {report.rules[rule].remediation}" in message


def test_only_things_to_act_on_are_annotated() -> None:
    lines = [parse(line) for line in render_reports("github", outcomes()).splitlines()]
    titles = [(level, props["title"]) for level, props, _ in lines]
    assert titles == [
        ("error", "DLV001 Train formers before they deliver"),
        ("error", "REP001: rule could not be evaluated"),
        ("warning", "cvecheck: waiver-expired"),
        ("error", "cvecheck: invalid programme file"),
    ]
    invalid = lines[-1][1]
    assert (invalid["file"], invalid["line"], invalid["col"]) == (
        "programmes/broken.yaml",
        "2",
        "9",  # where the unclosed list opens
    )


PROPERTY_TEXT = st.text(alphabet=st.sampled_from("ab ,:%=\r\n\u00e9"), min_size=1, max_size=30)


@given(PROPERTY_TEXT, PROPERTY_TEXT, st.text(max_size=60))
def test_escaping_round_trips_through_the_runner(file: str, title: str, message: str) -> None:
    line = github.command("error", Location(file, 3, 7), title, message)
    assert "\n" not in line and "\r" not in line
    _, properties, read_message = parse(line)
    assert properties == {"file": file, "line": "3", "col": "7", "title": title}
    # Control and format characters are shown as escapes, not passed to the runner's log.
    assert read_message == visible(message, keep="\r\n")
