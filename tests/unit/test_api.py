"""The documented Python API: what docs/api.md promises, and its examples run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import cvecheck
from cvecheck.results import Severity, Status
from cvecheck.rules import RuleSet

from ..paths import EXAMPLES_DIR, REPO, REPORTING_PACK

EXAMPLE = EXAMPLES_DIR / "community-mentoring.yaml"
API_DOC = REPO / "docs" / "api.md"


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = "import sys, cvecheck; print(sorted(m for m in sys.modules if m.startswith(('cvecheck.', 'pydantic'))))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_every_public_name_resolves() -> None:
    for name in cvecheck.__all__:
        assert getattr(cvecheck, name) is not None
    with pytest.raises(AttributeError):
        cvecheck.no_such_name  # noqa: B018


def test_check_file_text_and_data_agree(ruleset: RuleSet) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    today = date(2026, 1, 1)
    from_file = cvecheck.check_file(EXAMPLE, ruleset, today=today)
    from_text = cvecheck.check_text(text, str(EXAMPLE), ruleset, today=today)
    assert from_file.results == from_text.results
    assert from_file.programme_hash == from_text.programme_hash
    assert len(from_file.programme_hash) == 64
    import yaml

    data = yaml.safe_load(text)
    data["programme"]["start_date"] = str(data["programme"]["start_date"])
    data["programme"]["funding"]["secured_until"] = str(
        data["programme"]["funding"]["secured_until"]
    )
    data["waivers"][0]["expires"] = str(data["waivers"][0]["expires"])
    from_data = cvecheck.check_data(data, ruleset, today=today)
    assert [(r.rule_id, r.status) for r in from_data.results] == [
        (r.rule_id, r.status) for r in from_file.results
    ]
    assert from_data.programme_hash == ""


WAIVED_GAP = """\
programme: {name: Waived, settings: [community]}
formers: {used: false}
multi_agency: {lead_agency: Council}
community_and_reporting:
  receives_concerns: true
  post_reporting_support: {named_contact: false}
waivers:
  - {rule: REP001, reason: Contract renewal, approved_by: Board, expires: 2027-04-30}
"""


def test_today_decides_whether_a_waiver_holds() -> None:
    rules = cvecheck.load_rules([REPORTING_PACK])
    before = cvecheck.check_text(WAIVED_GAP, "p.yaml", rules, today=date(2027, 4, 30))
    after = cvecheck.check_text(WAIVED_GAP, "p.yaml", rules, today=date(2027, 5, 1))
    assert before.counts()[Status.WAIVED] == 1 and not before.notices
    assert before.exit_code(Severity.ADVISORY) == 0
    assert after.counts()[Status.WAIVED] == 0
    assert [n.code for n in after.notices] == ["waiver-expired"]
    assert after.exit_code(Severity.ADVISORY) == 1  # REP001, an advisory gap, is open again


def test_invalid_input_raises_input_error_with_locations(ruleset: RuleSet) -> None:
    with pytest.raises(cvecheck.InputError) as caught:
        cvecheck.check_text("formers:\n  used: maybe\n", "draft.yaml", ruleset)
    (issue,) = caught.value.issues
    assert (issue.location.file, issue.location.line, issue.location.column) == ("draft.yaml", 2, 3)
    assert issue.code == "not-true-or-false"


def test_load_rules_reports_a_broken_pack(tmp_path: Path) -> None:
    with pytest.raises(cvecheck.InputError) as caught:
        cvecheck.load_rules([tmp_path])
    assert caught.value.issues[0].code == "pack-missing"


def test_batch_functions(tmp_path: Path, ruleset: RuleSet) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("formers: [\n", encoding="utf-8")
    paths, issues = cvecheck.expand_inputs(
        [str(EXAMPLES_DIR), str(broken), str(tmp_path / "*.yml")]
    )
    assert [i.code for i in issues] == ["input-no-match"]
    outcomes = list(cvecheck.check_paths(paths, ruleset, today=date(2026, 1, 1)))
    assert [o.path for o in outcomes] == [str(p) for p in paths]
    assert outcomes[-1].report is None and outcomes[-1].issues
    assert all(o.report is not None for o in outcomes[:-1])


def doc_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), re.S)


def test_api_doc_has_examples() -> None:
    assert len(doc_examples()) >= 5


@pytest.mark.parametrize("index", range(len(doc_examples())))
def test_api_doc_example_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    exec(compile(doc_examples()[index], f"docs/api.md example {index + 1}", "exec"), {})


def test_api_doc_names_every_public_function() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    for name in (
        "check_file",
        "check_text",
        "check_data",
        "load_rules",
        "expand_inputs",
        "check_paths",
    ):
        assert f"`{name}(" in text, name
