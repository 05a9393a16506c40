"""The programme model: located validation errors, "did you mean", derived facts, the schema."""

from __future__ import annotations

import pytest

from cvecheck.loader import load_text
from cvecheck.programme import Programme, evaluation_view, parse_programme, programme_json_schema
from cvecheck.results import InputError, Issue


def issues_of(text: str) -> list[Issue]:
    with pytest.raises(InputError) as caught:
        parse_programme(load_text(text, "p.yaml"))
    return caught.value.issues


def test_unknown_key_is_located_with_a_suggestion() -> None:
    [issue] = issues_of("formers:\n  used: true\n  trainng:\n    provided: true\n")
    assert issue.code == "unknown-field"
    assert (issue.location.line, issue.location.column) == (3, 3)
    assert "'trainng' is not a known field; did you mean 'training'?" in issue.message


def test_unknown_top_level_key_without_a_near_miss() -> None:
    [issue] = issues_of("budget: 100\n")
    assert issue.message == "budget: 'budget' is not a known field"


def test_yes_is_not_a_boolean() -> None:
    [issue] = issues_of("formers:\n  used: yes\n")
    assert issue.code == "not-true-or-false"
    assert "not 'yes'" in issue.message
    assert (issue.location.line, issue.location.column) == (2, 3)


def test_number_where_text_is_expected_must_be_quoted() -> None:
    [issue] = issues_of("programme:\n  version: 2.0\n")
    assert "put it in quotes" in issue.message


def test_country_code_no_stays_text() -> None:
    programme = parse_programme(load_text("programme:\n  country: NO\n", "p.yaml"))
    assert programme.programme is not None
    assert programme.programme.country == "NO"


def test_enum_value_lists_the_choices() -> None:
    [issue] = issues_of("programme:\n  status: live\n")
    assert "'live' is not one of the choices: design" in issue.message
    assert "operational" in issue.message


def test_impossible_date_is_located() -> None:
    [issue] = issues_of("programme:\n  start_date: 2023-02-30\n")
    assert "2023-02-30" in issue.message
    assert "YYYY-MM-DD" in issue.message
    assert issue.location.line == 2


def test_valid_date_is_parsed() -> None:
    programme = parse_programme(load_text("programme:\n  start_date: 2024-01-31\n", "p.yaml"))
    assert programme.programme is not None
    assert programme.programme.start_date is not None
    assert programme.programme.start_date.isoformat() == "2024-01-31"


def test_several_errors_are_all_reported() -> None:
    issues = issues_of("formers:\n  used: 1\nonline:\n  platforms: [{name: X}]\n")
    assert len(issues) == 2
    assert [i.location.line for i in issues] == [2, 4]


def test_waiver_needs_reason_approver_and_expiry() -> None:
    issues = issues_of("waivers:\n  - rule: FRM002\n")
    messages = " ".join(i.message for i in issues)
    for name in ("reason", "approved_by", "expires"):
        assert f"waivers, item 1, {name}: is required here" in messages


def test_silence_is_not_absence() -> None:
    data = evaluation_view(Programme.model_validate({"formers": {"used": True}}))
    assert data["formers"] == {"used": True}
    assert "training" not in data["formers"]
    assert "staff" not in data


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({}, None),
        ({"formers": {"used": False}}, False),
        ({"formers": {"used": False}, "staff": [{"role": "mentor", "is_former": True}]}, True),
        # Staff who are not formers say nothing of formers elsewhere, unless that is the team.
        ({"staff": [{"role": "mentor", "is_former": False}]}, None),
        ({"staff": [{"role": "mentor", "is_former": False}], "staff_complete": True}, False),
        ({"staff": [{"role": "mentor"}]}, None),
    ],
)
def test_uses_formers(fragment: dict[str, object], expected: bool | None) -> None:
    assert Programme.model_validate(fragment).uses_formers is expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({}, None),
        ({"programme": {"settings": ["community"]}}, None),  # open: online may be unlisted
        ({"programme": {"settings": ["community"], "settings_complete": True}}, False),
        ({"programme": {"online_work": False}}, False),
        ({"programme": {"online_work": False, "settings": ["online"]}}, False),  # explicit wins
        ({"programme": {"kinds_of_work": ["online_outreach"]}}, True),
        ({"programme": {"settings": ["online"]}}, True),
        ({"delivery": {"components": ["online"]}}, True),
        ({"programme": {"geography": "online_only"}}, True),
    ],
)
def test_has_online_component(fragment: dict[str, object], expected: bool | None) -> None:
    assert Programme.model_validate(fragment).has_online_component is expected


@pytest.mark.parametrize(
    ("fragment", "tertiary", "parole", "returnees"),
    [
        ({}, None, None, None),
        # stages is read as complete; settings is open, so it says yes but not no.
        ({"programme": {"stages": ["secondary"], "settings": ["community"]}}, False, None, None),
        (
            {"programme": {"settings": ["community"], "settings_complete": True}},
            None,
            False,
            None,
        ),
        ({"programme": {"settings": ["prison", "parole"]}}, True, True, None),
        ({"programme": {"stages": ["tertiary"]}}, True, None, None),
        ({"programme": {"settings": ["returnees"]}}, None, None, True),
        ({"target_population": {"includes_returnees": False}}, None, None, False),
    ],
)
def test_setting_facts(
    fragment: dict[str, object], tertiary: bool | None, parole: bool | None, returnees: bool | None
) -> None:
    programme = Programme.model_validate(fragment)
    assert programme.is_tertiary is tertiary
    assert programme.works_with_parole is parole
    assert programme.works_with_returnees is returnees


def test_counts_of_distinct_values() -> None:
    programme = Programme.model_validate(
        {
            "multi_agency": {
                "partners": [
                    {"agency": "A", "sector": "police"},
                    {"agency": "B", "sector": "police"},
                    {"agency": "C", "sector": "health"},
                ]
            },
            "risk_assessment": {"data_sources": ["family", "police", "family"]},
        }
    )
    data = evaluation_view(programme)
    assert data["multi_agency"]["partner_sector_count"] == 2
    assert data["risk_assessment"]["data_source_count"] == 2


def test_every_field_has_a_description() -> None:
    schema = programme_json_schema()
    missing = []
    for name, definition in [("Programme", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
    assert missing == []


def test_schema_has_no_derived_fields_and_no_required_sections() -> None:
    schema = programme_json_schema()
    assert "uses_formers" not in schema["properties"]
    assert "required" not in schema
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({}, None),  # not assumed: one gate question
        ({"programme": {"works_with_individuals": True}}, True),
        ({"programme": {"works_with_individuals": False}}, False),
        ({"programme": {"kinds_of_work": ["case_work", "family_support"]}}, True),
        ({"programme": {"kinds_of_work": ["campaigns_and_content"]}}, None),
        (
            {
                "programme": {
                    "kinds_of_work": ["campaigns_and_content"],
                    "kinds_of_work_complete": True,
                }
            },
            False,
        ),
    ],
)
def test_case_work_is_stated_not_assumed(
    fragment: dict[str, object], expected: bool | None
) -> None:
    assert Programme.model_validate(fragment).has_caseload is expected
