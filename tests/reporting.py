"""Outcomes for the renderer tests: a fixed rule pack and programmes that reach every state.

The fixture pack in tests/fixtures/reporting-pack has four rules; the programmes below are
built so that, between them, every outcome appears: gap, cannot assess, not applicable, pass,
waived (with programme-supplied text full of markup), an expired-waiver notice, a rule error
and a file that cannot be checked. Names and reasons carry characters that every format must
escape.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

from cvecheck.pipeline import check_text
from cvecheck.results import FileOutcome, InputError, Report, RuleResult, Status
from cvecheck.rules import RuleSet, load_rules

PACK_DIR = Path(__file__).parent / "fixtures" / "reporting-pack"
TODAY = date(2026, 1, 1)

NAME = (
    'Bridges <script>document.title="pwned"</script> <img src=x onerror="document.title=1"> '
    "| [click](javascript:alert(1)) & $1 `code` *bold* _em_ #tag"
)
REASON = "Contact | starts <b>April</b>, see [form](http://evil.example) 100% sure\nnext: line"
APPROVER = "Head of | Commissioning, Council"

TRICKY_YAML = f"""\
programme:
  name: {json.dumps(NAME)}
  settings: [online, community]
formers:
  used: true
  training:
    before_delivery: false
community_and_reporting:
  receives_concerns: true
  post_reporting_support:
    named_contact: false
waivers:
  - rule: REP001
    reason: {json.dumps(REASON)}
    approved_by: {json.dumps(APPROVER)}
    expires: 2099-01-01
"""

CLEAN_YAML = """\
programme:
  name: Clean programme
  settings: [community]
formers:
  used: false
multi_agency:
  lead_agency: Northgate Council
community_and_reporting:
  receives_concerns: true
  post_reporting_support:
    named_contact: true
waivers:
  - rule: DLV002
    reason: Old waiver
    approved_by: Someone
    expires: 2020-01-01
"""

INVALID_YAML = "programme:\n  name: [unclosed\n"


def ruleset() -> RuleSet:
    return load_rules([PACK_DIR])


def check(text: str, name: str) -> FileOutcome:
    """Check YAML text with the fixture pack, as the batch would."""
    try:
        return FileOutcome(name, check_text(text, name, ruleset(), today=TODAY))
    except InputError as error:
        return FileOutcome(name, None, tuple(error.issues))


def with_rule_error(report: Report, rule_id: str) -> Report:
    """The report with one rule's outcome replaced by a rule error (a defect in a pack)."""
    broken = RuleResult(rule_id, Status.ERROR, reason="the rule could not be evaluated (boom)")
    results = tuple(broken if r.rule_id == rule_id else r for r in report.results)
    return dataclasses.replace(report, results=results)


def outcomes() -> list[FileOutcome]:
    """Three files: one with gaps and questions, one clean with a rule error, one invalid."""
    tricky = check(TRICKY_YAML, "programmes/tricky.yaml")
    clean = check(CLEAN_YAML, "programmes/clean.yaml")
    assert tricky.report is not None and clean.report is not None
    clean = FileOutcome(clean.path, with_rule_error(clean.report, "REP001"))
    invalid = check(INVALID_YAML, "programmes/broken.yaml")
    assert invalid.report is None
    return [tricky, clean, invalid]


def report_of(outcomes: list[FileOutcome], index: int) -> Report:
    report = outcomes[index].report
    assert report is not None
    return report
