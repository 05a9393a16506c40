"""Every path a rule reads names a real field, so a typo cannot pass as "not stated" forever."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvecheck.programme import programme_paths
from cvecheck.results import InputError
from cvecheck.rules import load_rules

from ..paths import DEMO_PACK


def is_programme_path(path: str) -> bool:
    return path in programme_paths()


def test_path_check_tells_real_fields_from_typos() -> None:
    assert is_programme_path("multi_agency.case_panel.cadence_weeks")
    assert is_programme_path("multi_agency.partner_sector_count")
    assert is_programme_path("online.messengers[*].credibility_rationale")
    assert not is_programme_path("multi_agency.case_panel.cadence")
    assert not is_programme_path("multi_agency.lead_agency.name")
    assert not is_programme_path("online.messengers.credibility_rationale")


def test_a_rule_reading_an_unknown_field_is_refused_on_load(tmp_path: Path) -> None:
    fixture = DEMO_PACK
    (tmp_path / "pack.yaml").write_text((fixture / "pack.yaml").read_text())
    rule = (fixture / "DEM002-gender-analysis.yaml").read_text()
    (tmp_path / "DEM002-gender-analysis.yaml").write_text(
        rule.replace("gender.gender_analysis:", "gender.gender_analyis:")
    )
    with pytest.raises(InputError) as caught:
        load_rules([tmp_path])
    [issue] = caught.value.issues
    assert issue.code == "rule-unknown-path"
    assert issue.message == "'gender.gender_analyis' is not a programme field"
    assert (issue.location.line, issue.location.column) == (14, 15)
